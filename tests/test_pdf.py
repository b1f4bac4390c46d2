"""PDF through LibreOffice: every sample converts, with the contents' page numbers
filled in. Skipped where LibreOffice is not installed (CI machines without it)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import PROFILES, SAMPLES

from playbook import pdf
from playbook.cli import main

needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None or not pdf.has_writer(pdf.find_soffice()),
                                   reason="LibreOffice Writer (soffice) is not installed")


@needs_soffice
@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
def test_every_sample_renders_to_pdf_through_libreoffice(runner, tmp_path, profile):
    result = runner.invoke(main, ["render", str(profile), "-o", str(tmp_path), "-f", "docx,pdf"])
    assert result.exit_code == 0, result.output
    [document] = tmp_path.glob("*.pdf")
    data = document.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "3", str(document), "-"],
                              capture_output=True, text=True, check=True).stdout
        # the table of contents carries real page numbers, not a placeholder
        numbers = [int(n) for n in re.findall(r"\.{4,}\s*(\d+)\s*$", text, re.M)]
        assert len(numbers) >= 9 and numbers == sorted(numbers) and numbers[0] >= 2


def test_pdf_without_libreoffice_is_a_clear_error(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(PROFILES / "garage-dupont.yaml"), "-o", str(out),
                                  "-f", "md,pdf"])
    assert result.exit_code == 1
    assert "PDF needs LibreOffice, which is not installed" in result.output
    assert list(out.iterdir()) == []  # nothing half-written: not even the .md


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig (fc-match) not installed")
def test_a_font_libreoffice_lacks_is_named_with_what_to_install():
    """LibreOffice replaces a missing font by one with other letter widths: the PDF's
    lines and pages then differ from Word's, and the consultant is told which font and
    what to install (Carlito for Calibri)."""
    from playbook.docx_writer import DocxBrand, DocxWriter

    pdf._font_family.cache_clear()  # answers kept while other tests replaced subprocess.run
    data = DocxWriter(brand=DocxBrand(body_font="No Such Font Sans")).render("# x\n")
    (message,) = pdf.missing_fonts(data)
    assert "instead of No Such Font Sans, which is not installed" in message
    assert "install No Such Font Sans" in message
    twin = subprocess.run(["fc-match", "-f", "%{family}", "Calibri"], capture_output=True,
                          text=True).stdout
    default = pdf.missing_fonts(DocxWriter().render("# x\n"))
    assert default == ([] if "Carlito" in twin or "Calibri" in twin else default)
    if default:
        assert "fonts-crosextra-carlito" in default[0]
