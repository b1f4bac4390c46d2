"""PDF output through LibreOffice, when it is installed (`soffice --headless`).

A plain `soffice --convert-to pdf` prints the table of contents as the .docx caches
it: LibreOffice, unlike Word, does not refresh fields when it opens a file. So the
conversion runs a small LibreOffice Basic macro that opens the document, updates its
indexes (the contents get their page numbers) and exports the PDF. The macro lives in
a private LibreOffice profile made for the conversion, which also lets conversions run
side by side (LibreOffice refuses to run twice on one profile).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import ConversionError

TIMEOUT_SECONDS = 180

MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Sub ToPdf(source As String, target As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  document = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, load())
  indexes = document.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;writer_pdf_Export&quot;
  document.storeToURL(ConvertToURL(target), store())
  document.close(True)
End Sub
</script:module>
"""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def has_writer(soffice: str) -> bool:
    """Whether LibreOffice's word processor is installed next to `soffice`: distributions
    ship it apart (Debian's libreoffice-calc-nogui has no Writer), and without it the
    conversion waits forever on a document it cannot open. Its library is `swlo`
    (libswlo.so, libswlo.dylib, swlo.dll); where LibreOffice's program folder is not
    recognised, assume it is there."""
    program = Path(soffice).resolve().parent
    if not ((program / "soffice.bin").exists() or (program / "soffice.exe").exists()
            or program.name == "MacOS"):
        return True
    # macOS keeps the libraries in Contents/Frameworks, beside Contents/MacOS
    return any(any(folder.glob("*swlo.*")) for folder in (program, program.parent / "Frameworks"))


def _run(command: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ConversionError(f"LibreOffice did not finish within {TIMEOUT_SECONDS} s") from None
    except OSError as exc:
        raise ConversionError(f"LibreOffice could not start: {exc.strerror or exc}") from None


_WARNED: set[str] = set()
# LibreOffice replaces these Office fonts by metric-compatible ones when installed.
METRIC_TWINS = {"calibri": "carlito", "cambria": "caladea", "arial": "liberation sans",
                "times new roman": "liberation serif", "courier new": "liberation mono"}
TWIN_PACKAGES = {"carlito": "fonts-crosextra-carlito", "caladea": "fonts-crosextra-caladea",
                 "liberation sans": "fonts-liberation2", "liberation serif": "fonts-liberation2",
                 "liberation mono": "fonts-liberation2"}


def missing_fonts(docx: bytes) -> list[str]:
    """The fonts the document's styles name that LibreOffice would replace by another
    (with other letter widths, so other line and page breaks than in Word), each with
    what to install. Asked of fontconfig (`fc-match`): on a system without it (Windows,
    macOS), nothing is reported."""
    import io
    import re
    import zipfile

    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return []
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        styles = package.read("word/styles.xml").decode("utf-8", "replace")
    # the text's fonts: the defaults and the body, title and heading styles (a code
    # font missing matters less, and shows only where a template writes code)
    text_styles = [match.group(0) for match in re.finditer(
        r'<w:(?:docDefaults|style\b[^>]*w:styleId="(?:Normal|Title|Heading\d)")[\s\S]*?'
        r'</w:(?:docDefaults|style)>', styles)]
    named = sorted(set(re.findall(r'w:ascii="([^"]+)"', "".join(text_styles))))
    out = []
    for font in named:
        wanted = {font.lower(), METRIC_TWINS.get(font.lower(), font.lower())}
        found = _font_family(fc_match, font)
        if found is None:
            return []
        families = {name.strip().lower() for name in found.split(",")}
        if not wanted & families:
            twin = METRIC_TWINS.get(font.lower())
            fix = (f"install {twin.title()} (e.g. apt-get install {TWIN_PACKAGES[twin]})" if twin
                   else f"install {font}")
            out.append(f"the PDF uses {found.split(',')[0] or 'another font'} instead of "
                       f"{font}, which is not installed: lines and pages break differently than "
                       f"in Word; {fix}")
    return out


@functools.cache
def _font_family(fc_match: str, font: str) -> str | None:
    """The family fontconfig gives for `font`, asked once per process (a batch converts
    the same styles hundreds of times); None if fontconfig cannot be asked."""
    try:
        return subprocess.run([fc_match, "-f", "%{family}", font], capture_output=True,
                              timeout=10, check=False).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired):
        return None


def docx_to_pdf(docx: bytes, warn: Callable[[str], None] | None = None) -> bytes:
    """Convert .docx bytes to PDF bytes; a clear error when LibreOffice is missing, a
    warning (through `warn`) for each font it would have to replace."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(
            "PDF needs LibreOffice, which is not installed: install it "
            "(e.g. apt-get install libreoffice-writer-nogui) or leave pdf out of -f")
    if not has_writer(soffice):
        raise ConversionError(
            "PDF needs LibreOffice Writer, which is not installed (only other parts of "
            "LibreOffice are): install it (e.g. apt-get install libreoffice-writer-nogui) "
            "or leave pdf out of -f")
    for message in missing_fonts(docx) if warn else ():
        if message not in _WARNED:  # once per process: a batch would repeat it per client
            _WARNED.add(message)
            warn(message)
    with tempfile.TemporaryDirectory(prefix="playbook-pdf-") as work:
        folder = Path(work)
        source, target = folder / "playbook.docx", folder / "playbook.pdf"
        source.write_bytes(docx)
        profile = folder / "lo-profile"
        env = f"-env:UserInstallation={profile.as_uri()}"
        # A new profile is filled in on first start; then the macro can go in it.
        _run([soffice, env, "--headless", "--terminate_after_init"])
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        result = None
        if module.parent.is_dir():
            module.write_text(MACRO, encoding="utf-8")
            result = _run([soffice, env, "--headless", "--invisible",
                           f'macro:///Standard.Module1.ToPdf("{source}","{target}")'])
        if not target.is_file():  # no macro support: a plain conversion still gives a PDF
            result = _run([soffice, env, "--headless", "--convert-to", "pdf", "--outdir",
                           str(folder), str(source)])
        if not target.is_file():
            detail = (result.stderr or result.stdout).decode(errors="replace").strip() \
                if result else ""
            raise ConversionError(f"LibreOffice could not convert the document: "
                                  f"{detail.splitlines()[-1] if detail else 'no output'}")
        return target.read_bytes()
