"""PDF output through LibreOffice, when it is installed (`soffice --headless`).

The contents need page numbers, which only a layout gives. With `renumber` (the
writer's .docx for given pages, see DocxWriter.render's toc_pages), a small LibreOffice
Basic macro first opens the .docx and notes the page of each heading's bookmark
(`_Toc…`, the targets of the contents' PAGEREF fields); the .docx is written again with
those numbers, and the macro opens that one, checks the headings are still on the same
pages and exports the PDF. So the PDF is LibreOffice's page for page view of the very
.docx delivered, whose contents show the same numbers in Word (no update prompt) and
LibreOffice. Letting LibreOffice update the contents itself instead would lay the pages
out again only in part: a heading kept with its paragraph could stay alone at a page
bottom. Without `renumber` the macro updates the contents before the export.

The macro lives in a private LibreOffice profile made for the conversion, which also
lets conversions run side by side (LibreOffice refuses to run twice on one profile).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .docx_writer import DocxWriter
from .errors import ConversionError

TIMEOUT_SECONDS = 180
PAGE_LINE = re.compile(r"(_Toc\d{8}) (\d+)")


RENUMBER_TRIES = 3


@dataclass
class Conversion:
    pdf: bytes
    docx: bytes  # the .docx the PDF shows
    pages: dict[str, int] = field(default_factory=dict)  # heading bookmark -> its page


MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" \
script:language="StarBasic">
Function OpenHidden(path As String)
  Dim load(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = &quot;Hidden&quot;
  load(0).Value = True
  OpenHidden = StarDesktop.loadComponentFromURL(ConvertToURL(path), &quot;_blank&quot;, 0, load())
End Function

Sub WritePages(document, listing As String)
  cursor = document.getCurrentController().getViewCursor()
  rem LibreOffice lays pages out lazily: going to the last page lays out all of them
  rem first, else a page number can be an estimate that the export later changes
  cursor.jumpToLastPage()
  marks = document.getBookmarks()
  names = marks.getElementNames()
  Open listing For Output As #1
  For i = 0 To UBound(names)
    If Left(names(i), 4) = &quot;_Toc&quot; Then
      cursor.gotoRange(marks.getByName(names(i)).getAnchor().getStart(), False)
      Print #1, names(i) &amp; &quot; &quot; &amp; cursor.getPage()
    End If
  Next
  Close #1
End Sub

Sub NoteHeadingPages(source As String, listing As String)
  document = OpenHidden(source)
  WritePages(document, listing)
  document.close(True)
End Sub

Sub NumberedPdf(source As String, listing As String, numbered As String, plain As String, _
                target As String, check As String)
  rem One LibreOffice start for both layouts (starting costs more than laying out):
  rem the pages of the headings go to `listing`; playbook then writes the .docx again
  rem with those numbers in its contents, as `numbered` (or, if it cannot, the same
  rem .docx as `plain`, for LibreOffice to number), and that one becomes the PDF.
  document = OpenHidden(source)
  WritePages(document, listing &amp; &quot;.part&quot;)
  document.close(True)
  Name listing &amp; &quot;.part&quot; As listing
  waited = 0
  Do While Not FileExists(numbered) And Not FileExists(plain) And waited &lt; 60000
    Wait 20
    waited = waited + 20
  Loop
  If FileExists(numbered) Then
    ToPdf(numbered, target, check, False)
  ElseIf FileExists(plain) Then
    ToPdf(plain, target, check, True)
  End If
End Sub

Sub ToPdf(source As String, target As String, listing As String, update As Boolean)
  document = OpenHidden(source)
  If update Then
    indexes = document.getDocumentIndexes()
    For i = 0 To indexes.getCount() - 1
      indexes.getByIndex(i).update()
    Next
  End If
  Dim store(0) As New com.sun.star.beans.PropertyValue
  store(0).Name = &quot;FilterName&quot;
  store(0).Value = &quot;writer_pdf_Export&quot;
  document.storeToURL(ConvertToURL(target), store())
  rem the pages as exported: the export has laid out every page
  WritePages(document, listing)
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
    return convert(docx, warn).pdf


def convert(docx: bytes, warn: Callable[[str], None] | None = None,
            renumber: Callable[[dict[str, int]], bytes] | None = None) -> Conversion:
    """The PDF of .docx bytes, and the .docx it shows: with `renumber`, the one whose
    contents carry the PDF's page numbers (see the module's docstring)."""
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
        pages = folder / "pages.txt"
        source.write_bytes(docx)
        profile = folder / "lo-profile"
        env = f"-env:UserInstallation={profile.as_uri()}"

        def macro(call: str) -> subprocess.CompletedProcess:
            return _run([soffice, env, "--headless", "--invisible",
                         f"macro:///Standard.Module1.{call}"])

        # A new profile is filled in on first start; then the macro can go in it.
        _run([soffice, env, "--headless", "--terminate_after_init"])
        module = profile / "user" / "basic" / "Standard" / "Module1.xba"
        result, written = None, {}
        if module.parent.is_dir():
            module.write_text(MACRO, encoding="utf-8")
            if renumber is None:
                result = macro(f'ToPdf("{source}","{target}","{pages}",True)')
            else:
                docx, written, result = _numbered_pdf(soffice, env, folder, docx, renumber)
        if not target.is_file():  # no macro support: a plain conversion still gives a PDF
            source.write_bytes(docx)
            result = _run([soffice, env, "--headless", "--convert-to", "pdf", "--outdir",
                           str(folder), str(source)])
        if not target.is_file():
            detail = (result.stderr or result.stdout).decode(errors="replace").strip() \
                if result else ""
            raise ConversionError(f"LibreOffice could not convert the document: "
                                  f"{detail.splitlines()[-1] if detail else 'no output'}")
        return Conversion(target.read_bytes(), docx, written)


def _numbered_pdf(soffice: str, env: str, folder: Path, docx: bytes,
                  renumber: Callable[[dict[str, int]], bytes]
                  ) -> tuple[bytes, dict[str, int], subprocess.CompletedProcess | None]:
    """The PDF (as folder/playbook.pdf) of the .docx renumbered with the pages of its
    own layout; returns that .docx, the numbers written in it ({} if none) and how
    LibreOffice ended. See NumberedPdf in the macro."""
    source, target = folder / "playbook.docx", folder / "playbook.pdf"
    listing, check = folder / "pages.txt", folder / "check.txt"
    numbered, plain = folder / "numbered.docx", folder / "plain.docx"
    call = (f'macro:///Standard.Module1.NumberedPdf("{source}","{listing}","{numbered}",'
            f'"{plain}","{target}","{check}")')
    written: dict[str, int] = {}
    try:
        process = subprocess.Popen([soffice, env, "--headless", "--invisible", call],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   start_new_session=True)
    except OSError as exc:
        raise ConversionError(f"LibreOffice could not start: {exc.strerror or exc}") from None
    try:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        while not listing.is_file() and process.poll() is None:
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(call, TIMEOUT_SECONDS)
            time.sleep(0.02)
        laid = _read_pages(listing)
        if listing.parent.is_dir() and process.poll() is None:
            if laid and set(DocxWriter.toc_bookmarks(docx)) <= set(laid):
                docx, written = renumber(laid), laid
            # the complete file appears at once: the macro may be looking for it
            (folder / "next.tmp").write_bytes(docx)
            (folder / "next.tmp").replace(numbered if written else plain)
        stdout, stderr = process.communicate(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _stop(process)
        raise ConversionError(f"LibreOffice did not finish within {TIMEOUT_SECONDS} s") from None
    except BaseException:
        _stop(process)
        raise
    result = subprocess.CompletedProcess(call, process.returncode, stdout, stderr)
    laid = _read_pages(check)
    if written and laid and laid != written and target.is_file():
        # a number moved a heading (rare: an entry's line grew): number them again
        for _ in range(RENUMBER_TRIES):
            docx, written = renumber(laid), laid
            source.write_bytes(docx)
            result = _run([soffice, env, "--headless", "--invisible",
                           f'macro:///Standard.Module1.ToPdf("{source}","{target}",'
                           f'"{check}",False)'])
            laid = _read_pages(check)
            if not laid or laid == written:
                break
    return docx, written, result


def _stop(process: subprocess.Popen) -> None:
    """End LibreOffice and what it started (soffice runs soffice.bin under it)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # Windows: no process groups
        process.kill()
    process.wait()


def _read_pages(path: Path) -> dict[str, int]:
    """What the macro wrote: each heading bookmark's page ({} if it wrote nothing)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        path.unlink()
    except OSError:
        return {}
    return {name: int(page) for name, page in PAGE_LINE.findall(text)}
