"""The Word output, reopened with python-docx: real styles, lists, tables, fields,
cover, header and footer, document properties; the reference document and the brand
change the look; output is deterministic."""

from __future__ import annotations

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import PROFILES, ROOT, SAMPLES, merged
from docx.shared import RGBColor

from playbook.build import Builder
from playbook.cli import main
from playbook.docx_writer import DocxBrand, DocxWriter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BAKERY = PROFILES / "boulangerie-muller.yaml"
BUILDER = Builder()


def render(profile: Path, language: str | None = None) -> tuple[docx.document.Document, str]:
    playbook = BUILDER.build(BUILDER.load(profile), language)
    return docx.Document(io.BytesIO(BUILDER.docx(playbook))), playbook.markdown


def style_names(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def xpath(element, path: str):
    return element.xpath(path)


def png(width: int = 60, height: int = 20) -> bytes:
    """A small solid PNG, made with the standard library."""
    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_a_structured_word_document(profile):
    document, markdown = render(profile)
    names = style_names(document)
    # cover: the title and the client
    assert names[0] == "Title" and names[1] == "Subtitle"
    client = json.loads(markdown.split("client: ", 1)[1].split("\n", 1)[0])
    assert document.paragraphs[1].text == client.replace("'", "\u2019")  # typeset apostrophe
    # headings are Word headings: one Heading 1 per part of the Markdown
    assert names.count("Heading 1") == markdown.count("\n## ")
    assert names.count("Heading 2") == markdown.count("\n### ")
    # lists are real list paragraphs, numbered by Word
    lists = [p for p in document.paragraphs if p.style.name in ("List Bullet", "List Number")]
    assert lists and all(p._p.pPr.numPr is not None for p in lists)
    # tables are real tables in the table style, header row repeated on each page
    assert len(document.tables) == markdown.count("\n|---")
    for table in document.tables:
        assert table.style.name == "Playbook Table"
        assert xpath(table.rows[0]._tr, "./w:trPr/w:tblHeader")
        assert len(table.columns) == len(table.rows[0].cells)
    # bold (and italic, for a company story) are real run properties
    runs = [r for p in document.paragraphs for r in p.runs]
    assert any(r.bold for r in runs)
    assert any(r.italic for r in runs) == ("\n*" in markdown.replace("\n**", ""))


def test_numbered_lists_restart_and_bullets_share_one_definition():
    document, _ = render(BAKERY)
    numbered, bullets = [], set()
    previous = None
    for paragraph in document.paragraphs:
        num = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
        if paragraph.style.name == "List Number" and num is not None:
            if previous != "List Number":
                numbered.append(num.numId.val)
        elif paragraph.style.name == "List Bullet" and num is not None:
            bullets.add(num.numId.val)
        previous = paragraph.style.name
    assert len(numbered) > 3 and len(set(numbered)) == len(numbered)  # each list restarts
    numbering = document.part.numbering_part.element
    for num_id in numbered:
        override = xpath(numbering, f'./w:num[@w:numId="{num_id}"]/w:lvlOverride/w:startOverride')
        assert override and override[0].get(f"{W}val") == "1"
    assert len(bullets) <= 2  # plain bullets and checklist boxes


def test_parts_start_on_a_new_page_and_the_cover_has_no_header():
    document, _ = render(BAKERY)
    parts = [p for p in document.paragraphs if p.style.name == "Heading 1"
             and p.text[:1].isdigit()]
    assert len(parts) == 6  # five parts of DOMAIN.md, then the client's field (issue 13)
    assert all(xpath(p._p, "./w:pPr/w:pageBreakBefore") for p in parts)
    section = document.sections[0]
    assert section.different_first_page_header_footer  # the cover page stays clean


def test_table_of_contents_is_a_field_word_refreshes_on_opening():
    document, _ = render(BAKERY)
    body = document.element.body
    instructions = "".join(xpath(body, ".//w:instrText/text()"))
    assert ' TOC \\o "1-2" \\h' in instructions  # parts and their sections (the nine steps)
    assert xpath(body, './/w:fldChar[@w:fldCharType="begin"][@w:dirty="true"]')
    assert xpath(document.settings.element, './w:updateFields[@w:val="true"]')
    toc = [(p.style.name, p.text.rstrip("\t")) for p in document.paragraphs
           if p.style.name in ("toc 1", "toc 2")]
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name in ("Heading 1", "Heading 2")]
    # every part and section listed, each linked to a bookmark on its heading
    assert toc == [(style.replace("Heading", "toc"), text) for style, text in headings]
    assert any(text.startswith("Step 9") or text.startswith("Étape 9") for _, text in toc)
    anchors = xpath(body, ".//w:hyperlink/@w:anchor")
    bookmarks = xpath(body, ".//w:bookmarkStart/@w:name")
    assert anchors and set(anchors) <= set(bookmarks)


def test_footer_numbers_pages_in_the_document_language_and_properties_are_set():
    document, _ = render(BAKERY)  # a French profile
    footer = document.sections[0].footer
    fields = xpath(footer._element, ".//w:fldSimple/@w:instr")
    assert [f.strip() for f in fields] == ["PAGE", "NUMPAGES"]
    assert "sur" in footer.paragraphs[0].text
    properties = document.core_properties
    assert properties.language == "fr-FR"
    assert properties.title.startswith("Guide de présence") and "Boulangerie Muller" in properties.title
    assert properties.created.year == 2026  # the profile's document date, not today
    languages = xpath(document.styles.element, "./w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert languages == ["fr-FR"]  # spell-check in French
    english, _ = render(BAKERY, "en")
    assert "of" in english.sections[0].footer.paragraphs[0].text
    assert english.core_properties.language == "en-GB"


def test_same_markdown_gives_the_same_bytes():
    playbook = BUILDER.build(BUILDER.load(BAKERY))
    first = BUILDER.docx(playbook)
    assert first == BUILDER.docx(playbook) == Builder().docx(playbook)
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert package.testzip() is None


def test_client_text_never_changes_the_structure(tmp_path, runner):
    name = "*Best* | #1 <Shop> & `Co` 1. _x_"
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps(merged({"company.name": name,
                                          "company.description": "# not a heading\n- not a list"})),
                       encoding="utf-8")
    document, _ = render(profile)
    assert document.paragraphs[1].text == name
    reference, _ = render(PROFILES / "garage-dupont.yaml", "en")
    assert style_names(document).count("Heading 1") == style_names(reference).count("Heading 1")
    assert any(p.text == "# not a heading - not a list" for p in document.paragraphs)


def test_text_word_cannot_store_is_removed():
    writer = DocxWriter()
    data = writer.render("# Ti\x01tle\x0b\n\nText \x1f with \ufffe controls\n")
    document = docx.Document(io.BytesIO(data))
    assert [p.text for p in document.paragraphs] == ["Title", "Text  with  controls"]


@pytest.mark.parametrize("front_matter", [
    'title: "\\u001f"', 'page_label: "\\u0000 {page}"', 'lang: "\\u001f"', 'client: "\\ud800"',
    'lang: "fr\\"><x"'])
def test_front_matter_escapes_cannot_break_the_package(front_matter):
    """Front matter values are JSON strings: an escape can spell a character XML forbids."""
    data = DocxWriter().render(f"---\n{front_matter}\n---\n\n# T\n\n<!-- pagebreak -->\n\n## A\n")
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "T"
    assert document.core_properties.language == "en-GB"
    section = document.sections[0]
    assert section.header.paragraphs and section.footer.paragraphs  # both parts parse


def test_markdown_features_become_word_features():
    markdown = (
        "## Part\n\n"
        "Text with a [link](https://example.com), `code`, **bold** and *italic*.\n\n"
        "- one\n  - nested\n    - deeper\n\n"
        "1. first\n2. second\n\n"
        "- [ ] open\n- [x] done\n\n"
        "> A callout\n\n"
        "```\nsome code\n```\n\n"
        "| Left | Right |\n|---|--:|\n| a | 1 |\n")
    document = docx.Document(io.BytesIO(DocxWriter().render(markdown)))
    names = style_names(document)
    assert names == ["Heading 1", "Normal", "List Bullet", "List Bullet 2", "List Bullet 3",
                     "List Number", "List Number", "List Bullet", "List Bullet", "Quote",
                     "Source Code"]
    assert document.paragraphs[1].hyperlinks[0].address == "https://example.com"
    code = [r for r in document.paragraphs[1].runs if r.text == "code"][0]
    assert code.style.name == "Verbatim Char"
    levels = [p._p.pPr.numPr.ilvl.val for p in document.paragraphs[2:5]]
    assert levels == [0, 1, 2]
    boxes = {p._p.pPr.numPr.numId.val for p in document.paragraphs[7:9]}
    assert len(boxes) == 2  # an empty box and a ticked box
    cell = document.tables[0].rows[1].cells[1].paragraphs[0]
    assert cell.alignment is not None and cell.alignment.name == "RIGHT"


# -- the reference document and the brand ---------------------------------------

REFERENCE = ROOT / "templates" / "reference.docx"


def test_shipped_reference_document_is_up_to_date():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_reference", ROOT / "tools" /
                                                  "make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fresh = zipfile.ZipFile(io.BytesIO(module.build()))
    shipped = zipfile.ZipFile(REFERENCE)
    assert sorted(fresh.namelist()) == sorted(shipped.namelist())
    for name in fresh.namelist():
        assert fresh.read(name) == shipped.read(name), (
            f"{name} differs: run python tools/make_reference_docx.py")


def test_reference_styles_shape_the_output(tmp_path, runner):
    reference = docx.Document(str(REFERENCE))
    reference.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    reference.styles["Normal"].font.name = "Georgia"
    from docx.oxml import OxmlElement

    lang = OxmlElement("w:lang")
    lang.set(f"{W}val", "en-US")  # as Word's own Normal often says
    reference.styles["Normal"].element.get_or_add_rPr().append(lang)
    path = tmp_path / "mine.docx"
    reference.save(str(path))
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(out), "-f", "docx",
                                  "--reference-doc", str(path)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "boulangerie-muller.docx"))
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    assert document.styles["Normal"].font.name == "Georgia"
    languages = set(xpath(document.styles.element, ".//w:lang/@w:val"))
    assert languages == {"fr-FR"}  # the profile's language wins, so spell-check works


def test_missing_styles_fall_back_to_built_in_ones_with_a_warning(tmp_path, runner):
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))  # python-docx's own template: no Cover Text, Compact...
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(out), "-f", "docx",
                                  "--reference-doc", str(plain)])
    assert result.exit_code == 0, result.output
    assert "playbook: warning: " in result.output and "'Cover Text'" in result.output
    assert "using the built-in one" in result.output
    document = docx.Document(str(out / "boulangerie-muller.docx"))
    names = style_names(document)
    assert "Cover Text" in names and "Heading 1" in names
    assert document.tables[0].style.name == "Playbook Table"


def test_headings_numbered_by_the_reference_lose_their_written_numbers(tmp_path):
    reference = docx.Document(str(REFERENCE))
    heading = reference.styles["Heading 1"].element
    ppr = heading.get_or_add_pPr()
    ppr._insert_numPr(ppr._new_numPr())
    ppr.numPr.get_or_add_numId().val = 2
    ppr.numPr.get_or_add_ilvl().val = 0
    path = tmp_path / "numbered.docx"
    reference.save(str(path))
    playbook = BUILDER.build(BUILDER.load(BAKERY))
    document = docx.Document(io.BytesIO(DocxWriter(path).render(playbook.markdown)))
    parts = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert "Qui anime votre présence sociale" in parts
    assert not any(text[:1].isdigit() for text in parts)


def test_a_reference_with_its_own_header_and_footer_keeps_them(tmp_path):
    reference = docx.Document(str(REFERENCE))
    reference.sections[0].header.paragraphs[0].text = "Atelier Nord - confidential"
    reference.sections[0].footer.paragraphs[0].text = "Our own footer"
    path = tmp_path / "with-header.docx"
    reference.save(str(path))
    data = DocxWriter(path).render("---\ntitle: \"T\"\n---\n\n# T\n\n<!-- pagebreak -->\n\n## A\n")
    document = docx.Document(io.BytesIO(data))
    assert document.sections[0].header.paragraphs[0].text == "Atelier Nord - confidential"
    assert document.sections[0].footer.paragraphs[0].text == "Our own footer"
    assert not any(name.startswith("word/playbook-") for name in zipfile.ZipFile(
        io.BytesIO(data)).namelist())


def test_brand_sets_logo_colours_fonts_footer_and_author(tmp_path, runner):
    (tmp_path / "logo.png").write_bytes(png())
    brand = tmp_path / "brand.yaml"
    brand.write_text("agency: Atelier Nord\nlogo: logo.png\nprimary_color: '#7A1F5C'\n"
                     "accent_color: '#E07A1F'\nheading_font: Georgia\nbody_font: Verdana\n"
                     "footer_text: Atelier Nord - Lille\n", encoding="utf-8")
    out = tmp_path / "out"
    adviser = PROFILES / "cabinet-lefevre-patrimoine.toml"  # prepared by Claire Martin
    result = runner.invoke(main, ["render", str(adviser), "-o", str(out), "-f", "docx",
                                  "--brand", str(brand)])
    assert result.exit_code == 0, result.output
    [path] = out.glob("*.docx")
    document = docx.Document(str(path))
    header = document.sections[0].header._element
    assert xpath(header, ".//a:blip/@r:embed")  # the logo in the header
    assert xpath(document.element.body, ".//a:blip/@r:embed")  # and on the cover
    assert document.sections[0].footer.paragraphs[0].text.startswith("Atelier Nord - Lille")
    assert document.core_properties.author == "Atelier Nord"  # the deliverable is the agency's
    assert document.core_properties.last_modified_by == "Claire Martin"  # who prepared it
    styles = document.styles
    assert styles["Heading 1"].font.color.rgb == RGBColor(0x7A, 0x1F, 0x5C)
    assert styles["Heading 1"].font.name == "Georgia"
    fonts = xpath(styles.element, "./w:docDefaults/w:rPrDefault/w:rPr/w:rFonts/@w:ascii")
    assert fonts == ["Verdana"]
    fill = xpath(styles.element, './w:style[w:name/@w:val="Playbook Table"]/'
                                 'w:tblStylePr[@w:type="firstRow"]/w:tcPr/w:shd/@w:fill')
    assert fill == ["E07A1F"]


def test_a_file_that_is_not_a_word_document_is_a_clear_error(tmp_path, runner):
    bad = tmp_path / "bad.docx"
    bad.write_text("not a zip", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(BAKERY), "-o", str(out), "-f", "docx",
                                  "--reference-doc", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: cannot open as a Word document" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() or list(out.iterdir()) == []


def test_writer_with_no_brand_has_no_logo_part():
    data = DocxWriter(None, DocxBrand()).render("# T\n")
    assert not any("media" in name for name in zipfile.ZipFile(io.BytesIO(data)).namelist())


def test_a_template_picture_is_in_the_word_document_and_the_html_page(tmp_path, runner):
    """`![description](path)` in a consultant's template: the picture, from the templates
    folder, in Word (an inline shape at most the text width) and embedded in the HTML;
    an address outside the templates folders shows its description instead."""
    folder = tmp_path / "t"
    (folder / "pictures").mkdir(parents=True)
    (folder / "pictures" / "plan.png").write_bytes(png(4000, 1000))  # wider than the page
    (tmp_path / "outside.png").write_bytes(png())
    (folder / "en").mkdir()
    (folder / "en" / "summary.md.j2").write_text(
        "## Summary\n\n![Our method](pictures/plan.png)\n\n![Not ours](../outside.png)\n\n"
        "| Step | Picture |\n|---|---|\n| one | ![small](pictures/plan.png) |\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(PROFILES / "studio-nomad.yaml"), "-o", str(out),
                                  "-f", "docx,html", "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out / "studio-nomad.docx"))
    shapes = document.inline_shapes
    assert len(shapes) == 2  # the paragraph's and the table cell's
    section = document.sections[0]
    assert shapes[0].width <= section.page_width - section.left_margin - section.right_margin
    assert abs(shapes[0].width / shapes[0].height - 4) < 0.01  # proportions kept
    (cell,) = [c for t in document.tables for c in t.rows[-1].cells if c._tc.xpath(".//w:drawing")]
    assert shapes[1].width < cell.width  # in a table, at most its column's width
    assert any("Not ours" in p.text for p in document.paragraphs)
    with zipfile.ZipFile(out / "studio-nomad.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/playbook-image")]
    assert media == ["word/media/playbook-image-1.png"]  # stored once, used twice
    html = (out / "studio-nomad.html").read_text(encoding="utf-8")
    assert html.count('<img src="data:image/png;base64,') == 2 and 'alt="Our method"' in html
    assert "Not ours" in html and "outside.png" not in html


def test_short_words_never_break_in_narrow_columns_and_lead_ins_stay_with_what_follows():
    markdown = ("## Part\n\nIndicators:\n\n- one\n- two\n- three\n\n"
                "| Rang | Réseau | Adéquation | Pourquoi |\n|---|---|---|---|\n"
                "| 1 | Instagram | 100 % | " + "Une longue explication de la recommandation. " * 6
                + "|\n| 2 | Facebook | 80 % | Court. |\n")
    document = docx.Document(io.BytesIO(DocxWriter().render(markdown)))
    (table,) = document.tables
    widths = [int(cell.width.twips) for cell in table.rows[0].cells]
    for column, word in enumerate(["Rang", "Instagram", "Adéquation"]):
        assert widths[column] >= len(word) * 140 + 260, (word, widths)
    assert widths[3] > max(widths[:3])  # the long text still gets the most room
    lead_in = next(p for p in document.paragraphs if p.text == "Indicators:")
    assert lead_in.paragraph_format.keep_with_next
    items = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    assert [p.paragraph_format.keep_with_next for p in items] == [True, True, None]


def test_a_short_table_is_kept_on_one_page_and_a_long_one_may_break():
    """Every row of a short table is kept with the next (Word's way of keeping a table
    together), so no page holds only its last row; a long table breaks between rows,
    its header row always kept with the first."""
    def table_of(rows: int):
        markdown = "| Goal | Target |\n|---|---|\n" + "".join(
            f"| Goal {n} | {n} a month |\n" for n in range(rows))
        (table,) = docx.Document(io.BytesIO(DocxWriter().render(markdown))).tables
        return [bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next)
                for row in table.rows]

    assert table_of(3) == [True, True, True, False]
    assert table_of(20) == [True] + [False] * 20
