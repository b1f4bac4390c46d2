"""The plan on a page and the pictures: the page itself (a heading on a page of its own,
the decisions table, the network fit as bars, the first 30 days as a checklist with
dates and owners), and the charts (`<!-- chart kind="..." -->` tables) drawn as shaded
cells in Word and HTML exactly where the Markdown holds marks, in the brand's accent."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from conftest import PROFILES, ROOT

from playbook import mdtree
from playbook.brand import load_brand
from playbook.build import Builder
from playbook.colours import tint
from playbook.docx_writer import DEFAULT_CHART_COLOUR, DocxWriter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BUILDER = Builder()
BRANDED = Builder(load_brand(ROOT / "examples" / "brand" / "brand.yaml"))
SAMPLES = [("boulangerie-muller.yaml", "fr"), ("nordwerk-components.json", "en")]
HEADINGS = {"en": ("Your plan on a page", "The first 30 days"),
            "fr": ("Votre plan sur une page", "Les 30 premiers jours")}


def build(name: str, builder: Builder = BUILDER):
    return builder.build(builder.load(PROFILES / name))


def body_blocks(data: bytes):
    """The .docx body's paragraphs and tables, in order, as python-docx objects."""
    document = docx.Document(io.BytesIO(data))
    out = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            out.append(docx.text.paragraph.Paragraph(element, document))
        elif element.tag == f"{W}tbl":
            out.append(docx.table.Table(element, document))
    return out


def charts(markdown: str) -> dict[str, mdtree.Table]:
    return {block.chart: block for block in mdtree.parse(markdown).blocks
            if isinstance(block, mdtree.Table) and block.chart}


def expected_fills(table: mdtree.Table, accent: str) -> list[list[str | None]]:
    """Per body row, the fill each mark cell should have (None: no shading), in order."""
    counts = mdtree.chart_columns(table)
    rows = []
    for row in table.rows:
        fills = []
        for column, count in enumerate(counts):
            marks = mdtree.chart_marks(row[column]) or "" if count else ""
            for index in range(count):
                mark = marks[index] if index < len(marks) else ""
                fills.append(accent if mark in mdtree.FILLED_MARKS and mark
                             else tint(accent, 0.2) if mark else None)
        rows.append(fills)
    return rows


def docx_fills(table, counts: list[int]) -> list[list[str | None]]:
    """Per body row of a Word table, the shading of the cells of its mark columns."""
    text_columns = sum(1 for count in counts if count == 0)
    rows = []
    for tr in table._tbl.findall(f"{W}tr")[1:]:
        cells = tr.findall(f"{W}tc")
        assert len(cells) == text_columns + sum(counts)  # one Word cell a mark
        fills, position = [], 0
        for count in counts:
            if count == 0:
                position += 1
                continue
            for cell in cells[position:position + count]:
                shading = cell.find(f"{W}tcPr/{W}shd")
                fills.append(None if shading is None else shading.get(f"{W}fill"))
            position += count
        rows.append(fills)
    return rows


def word_chart(data: bytes, header: str):
    """The Word table whose first header cell reads `header`."""
    return next(block for block in body_blocks(data) if isinstance(block, docx.table.Table)
                and block._tbl.findall(f"{W}tr")[0].findall(f"{W}tc")[0].xpath("string(.)")
                == header)


def check_word_charts(data: bytes, markdown: str, accent: str) -> int:
    """Every chart of the Markdown is shaded in Word where it has marks and nowhere
    else; returns how many filled cells were checked."""
    checked = 0
    for table in charts(markdown).values():
        header = mdtree.plain_text(table.header[0])
        counts = mdtree.chart_columns(table)
        expected = expected_fills(table, accent)
        assert docx_fills(word_chart(data, header), counts) == expected
        checked += sum(fill == accent for row in expected for fill in row)
    return checked


def html_fills(page: str, header: str) -> list[list[str]]:
    """Per body row of the HTML chart whose first header reads `header`: the state of
    each mark cell ("on", "off" or "")."""
    for table in re.findall(r'<table class="chart">(.*?)</table>', page, re.S):
        if re.search(r"<th[^>]*>(.*?)</th>", table).group(1) != header:
            continue
        body = table.split("<tbody>")[1]
        return [re.findall(r'<td class="mark(?: bar)?(?: (on|off))?">', row)
                for row in body.split("</tr>")[:-1]]
    raise AssertionError(f"no chart headed {header!r}")


def check_html_charts(page: str, markdown: str) -> None:
    for table in charts(markdown).values():
        states = [["on" if fill == "000000" else "off" if fill else "" for fill in row]
                  for row in expected_fills(table, "000000")]
        assert html_fills(page, mdtree.plain_text(table.header[0])) == states


@pytest.mark.parametrize(("name", "language"), SAMPLES)
def test_the_plan_on_a_page_is_a_page_of_its_own_with_a_dated_checklist(name, language):
    playbook = build(name)
    assert playbook.language == language
    blocks = body_blocks(BUILDER.docx(playbook))
    title, checklist_title = HEADINGS[language]
    start = next(i for i, b in enumerate(blocks) if isinstance(b, docx.text.paragraph.Paragraph)
                 and b.text == title)
    end = next(i for i in range(start + 1, len(blocks))
               if isinstance(blocks[i], docx.text.paragraph.Paragraph)
               and blocks[i].style.name == "Heading 1")
    page = blocks[start:end]
    assert page[0].style.name == "Heading 1"
    breaks = [b._p.find(f"{W}pPr/{W}pageBreakBefore") is not None for b in (blocks[start],
                                                                            blocks[end])]
    assert breaks == [True, True]  # it starts a page, and the next part starts another
    assert not any(isinstance(b, docx.text.paragraph.Paragraph)
                   and b._p.find(f"{W}pPr/{W}pageBreakBefore") is not None for b in page[1:])
    tables = [b for b in page if isinstance(b, docx.table.Table)]
    assert len(tables) == 2  # the decisions, the network fit as bars
    decisions = " ".join(cell.text for row in tables[0].rows for cell in row.cells)
    for network in playbook.report["platforms"]:
        assert network["name"] in decisions
    assert any(b.text == checklist_title and b.style.name == "Heading 2" for b in page
               if isinstance(b, docx.text.paragraph.Paragraph))
    items = [b for b in page if isinstance(b, docx.text.paragraph.Paragraph)
             and b._p.find(f"{W}pPr/{W}numPr") is not None]
    first_steps = [s for s in playbook.report["plan"] if s["first_days"]]
    assert len(items) == len(first_steps) >= 3
    for item, step in zip(items, sorted(first_steps, key=lambda s: s["due"]), strict=True):
        assert item.style.name.startswith("List")  # a real list paragraph
        assert step["due_text"] in item.text and step["owner"] in item.text
    # the list's bullet is the empty box ☐
    numbering = zipfile.ZipFile(io.BytesIO(BUILDER.docx(playbook))).read("word/numbering.xml")
    num_id = items[0]._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    abstract = re.search(rf'<w:num w:numId="{num_id}"><w:abstractNumId w:val="(\d+)"/>'.encode(),
                         numbering).group(1)
    definition = re.search(rb'<w:abstractNum w:abstractNumId="' + abstract + rb'".*?</w:abstractNum>',
                           numbering, re.S).group(0)
    assert "\u2610".encode() in definition


@pytest.mark.parametrize(("name", "language"), SAMPLES)
def test_the_first_30_days_are_dated_from_the_playbook_date(name, language):
    report = build(name).report
    steps = [s for s in report["plan"] if s["first_days"]]
    assert [s["key"] for s in steps] == ["objectives", "audit", "platforms", "measure"]
    assert all(report["date"] < s["due"] for s in steps)
    assert {s["key"]: s["due"] for s in steps}["objectives"] == "2026-12-05"  # 22 Nov + 13 days


@pytest.mark.parametrize(("name", "language"), SAMPLES)
@pytest.mark.parametrize("branded", [False, True], ids=["default", "brand"])
def test_charts_are_shaded_in_word_and_html_where_the_markdown_has_marks(name, language,
                                                                         branded):
    builder = BRANDED if branded else BUILDER
    playbook = build(name, builder)
    found = charts(playbook.markdown)
    assert set(found) == {"timeline", "bars"}
    # the timeline: nine steps, nine periods; step 6 runs from month 3 on
    timeline = found["timeline"]
    assert len(timeline.rows) == 9 and mdtree.chart_columns(timeline)[2:] == [1] * 9
    assert [mdtree.chart_marks(c) for c in timeline.rows[5][2:]] == [""] * 5 + ["\u25a0"] * 4
    # the bars: ten cells a network, as many filled as its fit in tenths
    bars = found["bars"]
    assert [len(mdtree.chart_marks(row[2])) for row in bars.rows] == [10] * len(bars.rows)
    for row, network in zip(bars.rows, playbook.report["platforms"], strict=True):
        assert mdtree.chart_marks(row[2]).count("\u2588") == round(network["score"] * 10)
    accent = "E0A526" if branded else DEFAULT_CHART_COLOUR
    assert check_word_charts(builder.docx(playbook), playbook.markdown, accent) >= 20
    check_html_charts(builder.html(playbook).decode("utf-8"), playbook.markdown)
    assert (f"background: #{accent.lower()}" if branded else "td.on") \
        in builder.html(playbook).decode("utf-8").lower()


def test_the_checks_fail_on_a_chart_without_its_shading():
    """A mutation: the same document with the charts' shading removed (or moved) fails."""
    playbook = build("nordwerk-components.json")
    data = BUILDER.docx(playbook)

    def mutate(change) -> bytes:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "word/document.xml":
                    content = change(content.decode("utf-8")).encode("utf-8")
                target.writestr(item, content)
        return out.getvalue()

    check_word_charts(data, playbook.markdown, DEFAULT_CHART_COLOUR)
    unshaded = mutate(lambda xml: re.sub(r'<w:shd w:val="clear" w:color="auto" w:fill="'
                                         + DEFAULT_CHART_COLOUR + '"/>', "", xml))
    with pytest.raises(AssertionError):
        check_word_charts(unshaded, playbook.markdown, DEFAULT_CHART_COLOUR)
    grey = mutate(lambda xml: xml.replace(f'w:fill="{DEFAULT_CHART_COLOUR}"', 'w:fill="808080"'))
    with pytest.raises(AssertionError):
        check_word_charts(grey, playbook.markdown, DEFAULT_CHART_COLOUR)
    page = BUILDER.html(playbook).decode("utf-8")
    with pytest.raises(AssertionError):
        check_html_charts(page.replace('class="mark on"', 'class="mark"'), playbook.markdown)


def test_a_chart_marker_applies_only_to_the_table_right_below():
    table = "| a | b |\n|---|---|\n| x | \u25a0 |\n"
    charted = mdtree.parse('<!-- chart kind="timeline" -->\n' + table).blocks
    assert [getattr(b, "chart", None) for b in charted] == ["timeline"]
    after_text = mdtree.parse('<!-- chart kind="timeline" -->\n\ntext\n\n' + table).blocks
    assert [getattr(b, "chart", None) for b in after_text] == [None, None]
    assert mdtree.chart_columns(after_text[1]) == [0, 0]  # a plain table: marks are text
    assert mdtree.parse(table).blocks[0].chart is None


def test_a_chart_cell_holding_text_keeps_its_column_as_text():
    table = mdtree.parse('<!-- chart kind="bars" -->\n| a | b | c |\n|---|---|---|\n'
                         '| x | \u2588\u2588\u2591 | \u2588 |\n| y | \u2588 | note |\n').blocks[0]
    assert mdtree.chart_columns(table) == [0, 3, 0]
    data = DocxWriter().render('<!-- chart kind="bars" -->\n| a | b | c |\n|---|---|---|\n'
                               '| x | \u2588\u2588\u2591 | \u2588 |\n| y | \u2588 | note |\n')
    [word] = [b for b in body_blocks(data) if isinstance(b, docx.table.Table)]
    fills = docx_fills(word, [0, 3, 0])
    assert fills == [[DEFAULT_CHART_COLOUR, DEFAULT_CHART_COLOUR, tint(DEFAULT_CHART_COLOUR, 0.2)],
                     [DEFAULT_CHART_COLOUR, None, None]]
    header = word._tbl.findall(f"{W}tr")[0].findall(f"{W}tc")
    assert header[1].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "3"
