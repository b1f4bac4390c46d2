"""PDF through LibreOffice: every sample converts, with the contents' page numbers
filled in, and its pages pass the page checks (no word broken inside a table cell, no
page holding only a few lines). Skipped where LibreOffice is not installed (CI machines
without it); the page checks also need poppler's pdftotext."""

from __future__ import annotations

import collections
import io
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import PROFILES, ROOT, SAMPLES

from playbook import pdf
from playbook.cli import main

needs_soffice = pytest.mark.skipif(pdf.find_soffice() is None or not pdf.has_writer(pdf.find_soffice()),
                                   reason="LibreOffice Writer (soffice) is not installed")


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="poppler's pdftotext is not installed")

# A page after the contents holding fewer body lines than this (header and footer
# aside), and not opening a section, is a stray end of a part: a table's last row, a
# lone bullet.
MIN_LINES = 8
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")


def words_of(text: str) -> set[str]:
    """Every word of a text, lower case, whole and split at apostrophes and hyphens."""
    words = set()
    for word in _WORD.findall(text.replace("\u2019", "'")):
        words.add(word.lower())
        words.update(part.lower() for part in re.split(r"['-]", word))
    return words


def pdf_pages(document: Path) -> list[str]:
    """The text of each page, in the order LibreOffice wrote it (cell by cell)."""
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(document), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def broken_words(pages: list[str], vocabulary: set[str]) -> list[tuple[int, str]]:
    """Fragments on successive lines that join into a word of the text ("Résea" +
    "u"): a column too narrow for its words."""
    found = []
    for number, page in enumerate(pages, 1):
        tokens = [t.lower() for t in _WORD.findall(page.replace("\u2019", "'"))]
        i = 0
        while i < len(tokens):
            if tokens[i] not in vocabulary:
                joined = tokens[i]
                for j in range(i + 1, min(i + 12, len(tokens))):
                    joined += tokens[j]
                    if len(joined) >= 3 and joined in vocabulary:
                        found.append((number, " / ".join(tokens[i:j + 1])))
                        i = j
                        break
            i += 1
    return found


def short_pages(pages: list[str], headings: set[str] = frozenset(),
                first: int = 3) -> list[tuple[int, list[str]]]:
    """Pages from `first` on with fewer than MIN_LINES lines of body text that do not
    start with a heading: the stray end of a table or a list (a short page that opens
    a section of its own, heading and all, is a whole section, not a stray end). The
    header and footer are the lines repeated on most pages, and the page label."""
    seen = collections.Counter(line.strip() for page in pages
                               for line in set(page.splitlines()) if line.strip())
    furniture = {line for line, count in seen.items() if count >= len(pages) * 0.6}
    label = re.compile(r"^Page \d+ (sur|of) \d+$")
    short = []
    for number, page in enumerate(pages, 1):
        body = [line for line in page.splitlines() if line.strip()
                and line.strip() not in furniture and not label.match(line.strip())]
        opens_a_section = bool(body) and _plain(body[0]) in headings
        if number >= first and len(body) < MIN_LINES and not opens_a_section:
            short.append((number, body))
    return short


def _plain(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def headings_of(markdown: str) -> set[str]:
    return {_plain(line.lstrip("#")) for line in markdown.splitlines()
            if re.match(r"#{1,6} ", line)}


def check_pages(document: Path, markdown: str) -> None:
    pages = pdf_pages(document)
    assert broken_words(pages, words_of(markdown)) == [], document.name
    assert short_pages(pages, headings_of(markdown)) == [], document.name


def check_contents(docx_path: Path, pdf_path: Path) -> list:
    """The .docx's contents carry the page where the PDF shows each heading, Word is not
    asked to update them, and no heading or label ends a page above its text."""
    from test_docx_contents import (
        FOOTER,
        SPACES,
        check_entries_match_headings,
        misplaced,
        page_lines,
        settings_of,
    )

    data = docx_path.read_bytes()
    assert "updateFields" not in settings_of(data)  # Word opens without a prompt
    document = docx.Document(io.BytesIO(data))
    entries = check_entries_match_headings(document)
    assert all(page.isdigit() for *_, page in entries)
    pages = page_lines(pdf_path)
    assert misplaced(entries, pages) == []
    # the check fails on wrong numbers: every entry one page off is caught
    shifted = [(level, text, anchor, str(int(page) + 1)) for level, text, anchor, page in entries]
    assert len(misplaced(shifted, pages)) == len(entries)
    titles = {SPACES.sub(" ", p.text).strip() for p in document.paragraphs
              if p.style.name.startswith("Heading") or p.text.rstrip().endswith(":")}
    # a table cell may read like a heading ("LinkedIn"): a table's last line is no orphan
    titles -= {SPACES.sub(" ", cell.text).strip() for table in document.tables
               for row in table.rows for cell in row.cells}
    ends = [(number, lines[-2]) for number, lines in enumerate(pages, 1)
            if len(lines) > 2 and FOOTER.match(lines[-1]) and lines[-2] in titles]
    assert ends == []
    return entries


def check_plan_on_a_page(pdf_path: Path, profile: Path, language: str,
                         branded: bool = False) -> None:
    """The whole plan on a page, checklist and closing line included, is on one page."""
    from test_charts import BRANDED, BUILDER, HEADINGS

    builder = BRANDED if branded else BUILDER  # the brand's date format
    report = builder.build(builder.load(profile), language).report
    pages = pdf_pages(pdf_path)
    [page] = [p for p in pages if HEADINGS[language][0] in p and "...." not in p]
    closing = {"en": "The other steps follow", "fr": "Les autres étapes suivent"}[language]
    assert closing in page
    due = [step["due_text"] for step in report["plan"] if step["first_days"]]
    assert due and all(date in page for date in due)


def render_pdf(runner, tmp_path: Path, profile: Path, *options: str) -> tuple[Path, str]:
    result = runner.invoke(main, ["render", str(profile), "-o", str(tmp_path),
                                  "-f", "md,docx,pdf", *options])
    assert result.exit_code == 0, result.output
    [document] = tmp_path.glob("*.pdf")
    data = document.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    [markdown] = tmp_path.glob("*.md")
    return document, markdown.read_text(encoding="utf-8")


def language_of(markdown: str) -> str:
    return re.search(r'^lang: "(\w+)"', markdown, re.M).group(1)


@needs_soffice
@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
def test_every_sample_renders_to_pdf_through_libreoffice(runner, tmp_path, profile):
    """One LibreOffice run per sample, every page check on it: the contents' numbers,
    no heading at a page foot, no word broken in a cell, no near-empty page, the plan
    on a page on one page. The bakery's .docx is also opened as a client would open it
    in LibreOffice: the same pages and the same numbers."""
    document, markdown = render_pdf(runner, tmp_path, profile)
    if not shutil.which("pdftotext"):
        return
    [docx_path] = tmp_path.glob("*.docx")
    entries = check_contents(docx_path, document)
    check_pages(document, markdown)
    check_plan_on_a_page(document, profile, language_of(markdown))
    if profile.name == "boulangerie-muller.yaml":
        from test_docx_contents import libreoffice_pdf, misplaced, page_lines

        opened = page_lines(libreoffice_pdf(docx_path, tmp_path / "lo"))
        assert misplaced(entries, opened) == []
        shown = [line for line in opened[1] if re.search(r"\.{4,} ?\d+$", line)]
        assert [line.rsplit(".", 1)[1].strip() for line in shown] == [p for *_, p in entries]


@needs_soffice
@needs_pdftotext
@pytest.mark.parametrize(("name", "language"), [("boulangerie-muller.yaml", "fr"),
                                                ("nordwerk-components.json", "en")])
def test_branded_samples_pass_the_page_checks(runner, tmp_path, name, language):
    document, markdown = render_pdf(runner, tmp_path, PROFILES / name, "--lang", language,
                                    "--brand", str(ROOT / "examples" / "brand" / "brand.yaml"))
    [docx_path] = tmp_path.glob("*.docx")
    check_contents(docx_path, document)
    check_pages(document, markdown)
    check_plan_on_a_page(document, PROFILES / name, language, branded=True)


@needs_soffice
@needs_pdftotext
def test_page_checks_catch_words_broken_in_narrow_columns_and_near_empty_pages(tmp_path):
    """The checks can fail: a table of twelve columns of long words breaks them inside
    cells, and a page break after two lines leaves a near-empty page."""
    from playbook.docx_writer import DocxWriter

    header = "| " + " | ".join(f"Adéquation{n}" for n in range(12)) + " |"
    rule = "|" + "---|" * 12
    row = "| " + " | ".join("Instagrammable" for _ in range(12)) + " |"
    markdown = ("# Title\n\nOne line.\n\n<!-- pagebreak -->\n\nA second page.\n\n"
                "<!-- pagebreak -->\n\nA third page, short.\n\n<!-- pagebreak -->\n\n"
                + "\n".join([header, rule, row]) + "\n")
    document = tmp_path / "narrow.pdf"
    document.write_bytes(pdf.docx_to_pdf(DocxWriter().render(markdown)))
    pages = pdf_pages(document)
    assert broken_words(pages, words_of(markdown))
    assert [number for number, _ in short_pages(pages, headings_of(markdown))] == [3]
    # a short page that opens a section, heading first, is a whole section
    assert short_pages(pages, {"A third page, short."}) == []


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
    # the default reference's Calibri may be missing too (no Carlito): one message each
    (message,) = [m for m in pdf.missing_fonts(data) if "No Such Font Sans" in m]
    assert "instead of No Such Font Sans, which is not installed" in message
    assert "install No Such Font Sans" in message
    twin = subprocess.run(["fc-match", "-f", "%{family}", "Calibri"], capture_output=True,
                          text=True).stdout
    default = pdf.missing_fonts(DocxWriter().render("# x\n"))
    assert default == ([] if "Carlito" in twin or "Calibri" in twin else default)
    if default:
        assert "fonts-crosextra-carlito" in default[0]
