"""The contents of the Word output: one entry per heading of levels 1-2, each linked to a
bookmark on its heading, with a PAGEREF field for its page. With -f pdf the page numbers
of LibreOffice's layout are written into the .docx (Word then opens it without asking
to update fields), and they are the pages where the PDF shows each heading; opened in
LibreOffice, the .docx shows the same numbers. The PDF checks need LibreOffice and
pdftotext (poppler) and are skipped without them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import PROFILES

from playbook import pdf
from playbook.build import Builder
from playbook.cli import main
from playbook.docx_writer import DocxWriter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
BAKERY = PROFILES / "boulangerie-muller.yaml"  # French
NORDWERK = PROFILES / "nordwerk-components.json"  # English
BUILDER = Builder()
SPACES = re.compile(r"\s+")  # NBSP and narrow NBSP included
FOOTER = re.compile(r"^Page \d+ (of|sur) \d+$")

soffice = pdf.find_soffice()
needs_pdf_tools = pytest.mark.skipif(
    soffice is None or not pdf.has_writer(soffice) or shutil.which("pdftotext") is None,
    reason="LibreOffice Writer (soffice) and pdftotext (poppler) are needed")


def contents(document) -> list[tuple[int, str, str, str]]:
    """(level, text, bookmark, page shown) of each contents entry, in order."""
    out = []
    for paragraph in document.paragraphs:
        if paragraph.style.name not in ("toc 1", "toc 2"):
            continue
        [anchor] = paragraph._p.xpath("./w:hyperlink/@w:anchor")
        instructions = "".join(paragraph._p.xpath(".//w:instrText/text()"))
        assert f"PAGEREF {anchor}" in instructions
        # the PAGEREF's result: the runs between its separate and end marks
        result, inside = [], False
        for run in paragraph._p.xpath("./w:hyperlink/w:r"):
            kind = run.xpath("./w:fldChar/@w:fldCharType")
            if kind:
                inside = kind[0] == "separate"
                continue
            if inside:
                result += run.xpath("./w:t/text()")
        text = "".join(paragraph._p.xpath("./w:hyperlink/w:r[1]/w:t/text()"))
        out.append((int(paragraph.style.name[-1]), text, anchor, "".join(result)))
    return out


def headings(document) -> list[tuple[int, str, list[str]]]:
    """(level, text, bookmark names) of each Heading 1 and Heading 2 paragraph."""
    return [(int(p.style.name[-1]), p.text, p._p.xpath("./w:bookmarkStart/@w:name"))
            for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]


def settings_of(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/settings.xml").decode("utf-8")


def check_entries_match_headings(document) -> list[tuple[int, str, str, str]]:
    entries = contents(document)
    listed = headings(document)
    assert len(entries) == len(listed) >= 20
    for (level, text, anchor, _), (heading_level, heading_text, marks) in zip(entries, listed, strict=True):
        assert (level, text) == (heading_level, heading_text)
        assert marks == [anchor]  # the link's target is on this very heading
    assert {level for level, *_ in entries} == {1, 2}
    return entries


@pytest.mark.parametrize("profile", [BAKERY, NORDWERK], ids=lambda p: p.stem)
def test_contents_list_every_heading_of_levels_1_and_2_with_a_bookmark(profile):
    playbook = BUILDER.build(BUILDER.load(profile))
    data = BUILDER.docx(playbook)
    document = docx.Document(io.BytesIO(data))
    entries = check_entries_match_headings(document)
    # no page known without a PDF: no number, and Word offers to fill them in
    assert all(page == "" for *_, page in entries)
    assert "<w:updateFields" in settings_of(data)
    assert document.element.body.xpath('.//w:fldChar[@w:dirty="true"]')
    assert DocxWriter.toc_bookmarks(data) == [anchor for _, _, anchor, _ in entries]


def test_known_pages_are_written_and_word_is_not_asked_to_update():
    playbook = BUILDER.build(BUILDER.load(NORDWERK))
    bookmarks = DocxWriter.toc_bookmarks(BUILDER.docx(playbook))
    pages = {name: 3 + index // 4 for index, name in enumerate(bookmarks)}
    data = BUILDER.docx(playbook, pages)
    document = docx.Document(io.BytesIO(data))
    entries = check_entries_match_headings(document)
    assert [page for *_, page in entries] == [str(pages[anchor]) for _, _, anchor, _ in entries]
    assert "updateFields" not in settings_of(data)
    assert not document.element.body.xpath('.//w:fldChar[@w:dirty="true"]')
    # one page missing: no half-numbered contents; back to Word filling them in
    del pages[bookmarks[-1]]
    partial = BUILDER.docx(playbook, pages)
    assert all(page == "" for *_, page in contents(docx.Document(io.BytesIO(partial))))
    assert "<w:updateFields" in settings_of(partial)


# -- against the PDF's pages ------------------------------------------------------------
def page_lines(pdf_path: Path) -> list[list[str]]:
    """Each page's text lines, spaces collapsed (pdftotext splits pages with a form feed)."""
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[SPACES.sub(" ", line).strip() for line in page.splitlines() if line.strip()]
            for page in text.split("\f")]


def heading_on(lines: list[str], heading: str) -> bool:
    """The heading as whole lines of the page (a long one wraps onto two or three)."""
    heading = SPACES.sub(" ", heading).strip()
    return any(" ".join(lines[i:i + k]) == heading for i in range(len(lines)) for k in (1, 2, 3))


def misplaced(entries, pages: list[list[str]]) -> list[str]:
    """The entries whose number is not the first page, after the contents and the entry
    before, where the PDF shows that heading."""
    wrong, start = [], 2
    for _, text, _, shown in entries:
        found = next((number for number in range(start, len(pages) + 1)
                      if heading_on(pages[number - 1], text)), None)
        if found is None or shown != str(found):
            wrong.append(f"{text!r}: contents say {shown or 'nothing'}, PDF page {found}")
        start = found or start
    return wrong


def libreoffice_pdf(docx_path: Path, folder: Path) -> Path:
    """What a client sees opening the .docx in LibreOffice: a plain conversion, which
    shows the fields as the file caches them."""
    profile = folder / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx_path)],
                   capture_output=True, timeout=180, check=True)
    return folder / (docx_path.stem + ".pdf")


# The contents' numbers against the PDF's pages, and the .docx opened in LibreOffice,
# are checked on every sample by tests/test_pdf.py (one LibreOffice run per sample).


def test_headings_and_labels_are_kept_with_what_follows():
    """Even when a user's reference document forgets keep-with-next on its heading
    styles, and for a label alone in bold: neither may end a page."""
    data = DocxWriter().render("# T\n\n## Part\n\ntext\n\n**Label**\n\n- a\n- b\n\n"
                               "Indicators:\n\n- c\n\nplain text\n\n**Bold** and not\n")
    document = docx.Document(io.BytesIO(data))
    kept = {p.text: bool(p._p.xpath("./w:pPr/w:keepNext")) for p in document.paragraphs}
    assert kept["Part"] and kept["Label"] and kept["Indicators:"]
    assert not kept["plain text"] and not kept["Bold and not"]


def test_docx_alone_never_starts_libreoffice(runner, tmp_path, monkeypatch):
    """-f md,docx (a batch's usual formats) stays as fast as before: no LibreOffice."""
    def refuse(*args, **kwargs):
        raise AssertionError("LibreOffice started without -f pdf")

    monkeypatch.setattr(pdf, "convert", refuse)
    monkeypatch.setattr(pdf.subprocess, "run", refuse)
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(tmp_path), "-f", "md,docx"])
    assert result.exit_code == 0, result.output


def test_a_numbered_contents_is_valid_word(tmp_path):
    """The contents with their page numbers and the settings without updateFields pass
    the strict validator of tests/test_docx_valid.py too."""
    from test_docx_valid import findings

    for profile in (BAKERY, NORDWERK):
        playbook = BUILDER.build(BUILDER.load(profile))
        bookmarks = DocxWriter.toc_bookmarks(BUILDER.docx(playbook))
        data = BUILDER.docx(playbook, {name: 3 + n for n, name in enumerate(bookmarks)})
        assert "updateFields" not in settings_of(data)
        assert findings(data, tmp_path) == []
