"""The Markdown tree (`mdtree`) holds exactly what the CommonMark parser (pulldown-cmark,
through pyromark) reads: on every sample playbook and on the tricky corners of
CommonMark, the tree's blocks and styled runs equal a flat reading of the parser's own
events; and the tool's markers, front matter, task items, images and raw HTML become
what docs/markdown-dialect.md says."""

from __future__ import annotations

import io
import re

import docx
import pyromark
import pytest
from conftest import SAMPLES

from playbook import mdtree
from playbook.build import Builder
from playbook.docx_writer import DocxWriter
from playbook.mdtree import BOLD, CODE, ITALIC

BUILDER = Builder()


def reference_events(markdown: str) -> list[tuple]:
    """The parser's own events, read flat: block starts and ends, and each block's
    inline content as styled text runs (a task box written back as "[x] ")."""
    events: list[tuple] = []
    runs: list[tuple[str, int]] = []
    bold = italic = 0
    in_code = in_html = in_image = in_meta = False
    code: list[str] = []

    def add(text: str, flags: int) -> None:
        flags |= (BOLD if bold else 0) | (ITALIC if italic else 0)
        if runs and runs[-1][1] == flags:
            runs[-1] = (runs[-1][0] + text, flags)
        elif text:
            runs.append((text, flags))

    def flush() -> None:
        if runs:
            events.append(("text", tuple(runs)))
            runs.clear()

    clean = mdtree.xml_safe(markdown)  # as the tree's parse does first
    for event in pyromark.events(clean, options=mdtree.OPTIONS):
        if isinstance(event, str):
            if event == "SoftBreak":
                add(" ", 0)
            elif event == "HardBreak":
                add("\n", 0)
            elif event == "Rule":
                flush()
                events.append(("rule",))
            continue
        ((kind, value),) = event.items()
        name = value if isinstance(value, str) else next(iter(value)) if isinstance(value, dict) else None
        if kind == "Text":
            if in_code:
                code.append(value)
            elif not (in_html or in_meta):
                add(value, 0)
        elif kind == "Code":
            add(value, CODE)
        elif kind == "InlineHtml":
            if not value.startswith("<!--"):
                add(value, 0)
        elif kind == "TaskListMarker":
            add("[x] " if value else "[ ] ", 0)
        elif kind == "Start":
            if name == "Emphasis":
                italic += 1
            elif name == "Strong":
                bold += 1
            elif name == "Image":
                in_image = True
            elif name in ("Link",):
                pass
            else:
                flush()
                if name == "Heading":
                    events.append(("heading", int(value["Heading"]["level"][1])))
                elif name == "List":
                    events.append(("list", value["List"] is not None))
                elif name == "BlockQuote":
                    events.append(("quote",))
                elif name == "Table":
                    events.append(("table",))
                elif name in ("TableHead", "TableRow"):
                    events.append(("row",))
                elif name == "CodeBlock":
                    in_code, code = True, []
                elif name == "HtmlBlock":
                    in_html = True
                elif name == "MetadataBlock":
                    in_meta = True
        elif kind == "End":
            if name == "Emphasis":
                italic -= 1
            elif name == "Strong":
                bold -= 1
            elif name == "Image":
                in_image = False
            elif name == "Link":
                pass
            else:
                flush()
                if name == "List":
                    events.append(("end list",))
                elif name == "BlockQuote":
                    events.append(("end quote",))
                elif name == "CodeBlock":
                    text = "".join(code)
                    events.append(("code", text[:-1] if text.endswith("\n") else text))
                    in_code = False
                elif name == "HtmlBlock":
                    in_html = False
                elif name == "MetadataBlock":
                    in_meta = False
    flush()
    assert not in_image
    return events


def our_events(markdown: str) -> list[tuple]:
    """The tree, read flat the same way (raw HTML blocks, which the tree keeps as
    literal text, are left out as the reference leaves them out)."""
    events: list[tuple] = []

    def runs(items, box: str = "") -> tuple:
        out: list[tuple[str, int]] = [(box, 0)] if box else []
        for run in items:
            text = "\n" if run.line_break else run.text
            if out and out[-1][1] == run.flags:
                out[-1] = (out[-1][0] + text, run.flags)
            elif text:
                out.append((text, run.flags))
        return tuple(out)

    def walk(blocks, box: str = ""):
        for block in blocks:
            if isinstance(block, mdtree.Heading):
                events.append(("heading", block.level))
                if block.runs or box:
                    events.append(("text", runs(block.runs, box)))
            elif isinstance(block, mdtree.Paragraph):
                if block.runs or box:
                    events.append(("text", runs(block.runs, box)))
            elif isinstance(block, mdtree.ListBlock):
                events.append(("list", block.ordered))
                for item in block.items:
                    item_box = "" if item.checked is None else "[x] " if item.checked else "[ ] "
                    if item_box and (not item.blocks or not isinstance(
                            item.blocks[0], mdtree.Paragraph | mdtree.Heading)):
                        events.append(("text", ((item_box, 0),)))
                        walk(item.blocks)
                    else:
                        walk(item.blocks[:1], item_box)
                        walk(item.blocks[1:])
                events.append(("end list",))
            elif isinstance(block, mdtree.Quote):
                events.append(("quote",))
                walk(block.blocks)
                events.append(("end quote",))
            elif isinstance(block, mdtree.Table):
                events.append(("table",))
                for row in [block.header] + block.rows:
                    events.append(("row",))
                    for cell in row:
                        if cell:
                            events.append(("text", runs(cell)))
            elif isinstance(block, mdtree.CodeBlock):
                events.append(("code", block.text))
            elif isinstance(block, mdtree.Rule):
                events.append(("rule",))
            box = ""

    walk(mdtree.parse(markdown).blocks)
    return events


@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_sample_playbooks_tree_holds_what_the_parser_reads(profile, language):
    markdown = BUILDER.build(BUILDER.load(profile), language).markdown
    assert our_events(markdown) == reference_events(markdown)
    assert mdtree.parse(markdown).meta["lang"] == language


CASES = [
    "plain text",
    "**bold** and *italic* and ***both*** and `code`",
    "*a **b** c* then **a *b* c**",
    "foo*bar* and __strong__ and _em_ and snake_case_name",
    "\\*not emphasis\\* \\_nor this\\_ \\# nor \\| this",
    "5 * 3 * 2 = 30 and a * b",
    "**unclosed bold and *unclosed italic",
    "&amp; &lt; &gt; &copy; &#233; &#x41; AT&T R&D &nosuch;",
    "a `` code with ` tick `` b",
    "[a link](https://example.com) and <https://auto.link> and <mail@example.com>",
    "line one  \nline two\\\nline three\nsoft",
    "# Title\n\ntext\n\n## Part\n\n### Section ###\n\n#### Sub",
    "Setext one\n===\n\nSetext two\n---",
    "- one\n- two\n  - nested\n  - nested two\n    1. deep\n- three",
    "1. first\n2. second\n\n   continued paragraph\n3. third",
    "3. starts at three\n4. four",
    "- [ ] open task\n- [x] done task\n- plain",
    "- a\n+ b\n* c",
    "> a quote **with bold**\n> on two lines\n\n> second quote",
    "> quote\nlazy continuation",
    "| A | B |\n|---|:-:|\n| 1 | two \\| pipes |\n| *x* | `y` |",
    "| a | b |\n|---|---|\n| only one cell |",
    "```\ncode block\n  indented\n```",
    "    indented code\n    more",
    "para\n\n---\n\nafter rule",
    "<!-- pagebreak -->\n\ntext\n\n<!-- toc title=\"Contents\" -->\n\n<!-- a\nmultiline comment -->\n\nend",
    "1\\. not a list\n\n\\- not a bullet\n\n\\# not a heading",
    "text with trailing #",
    "- item\n\n- loose item\n\n\n- after two blanks",
    "paragraph\n- list interrupts\n\nparagraph\n2. does not interrupt",
    "*italic*text and text*italic* and _under_score",
    "**bold**: after and (**bold**) and «**gras**»",
    "a ** b ** c",
    "émoji 🥐 **gras é** et *italique ü*",
    "\u202eright-to-left\u202c *mixed* שלום",
    "- item plan\n===",
    "- [ ] # not a heading\n- [ ] > nor a quote",
    "plan\n| a table | after a paragraph |\n| --- | --- |\n| 1 | 2 |",
    "a [`](https://e.t/`) b, and [x ``p ` p`` [`](https://e.t/`) ``` c",
    "# \xa0\n\n## \xa0title\xa0 ##\n\n# \xa0#",
    "a | b\n--- | ---\nc\n-\nd\n\n> quote\n-\n\n> quote\n1.",
    "|\n---\n\n| a |\n| --- |\n|\n| b |",
    "-  \n  under an item that starts blank\n\n1.   \n   same, numbered",
    "-   lazy code `\n  `",
    "10.   a\n    b\n    - lazy text too\n      c\n    > but a quote ends it",
    "10.   a\n    0. lazy\n       b\n       - c\n         d\n    1. ends the lists: code\n       e",
    "10.   a\n    1. lazy\n       b\n       - c\n         d\n    2. ends the lists: code\n       e",
    "[<](https://example.test/<)",
    "**` [`0*](https://example.test/`0*)",
    "\xa0\n===",
    "*a *nested* b*",
    "plan\n\n- plan\n  >0\n  0. plan\n     plan",
    "***0*0***\n===",
    "***a** b* and ***c* d**",
    "plan [\xa00](https://example.test/\xa00)",
    "plan | plan\n--- | ---\n0. plan\n   - plan\n     plan",
    "a | b\n--- | ---\n> quoted | ends the table",
    "> quote plan\n===",
    "- [ ] \x00 plan",
    "- [ ]   two spaces after the box",
    "- a\n  - b\n    1. c\nlazy\n===",
    "- a\n  b\nlazy | text\n--- | ---",
    "a `code\n    across lines` b\n    indented continuation",
    "hard break\\\n     then indented",
    "> plan\n> ``` ` ```",
    "- plan `code\n--- | ---` plan",
    "> quote `code\n===` after",
    "plan | plan\n--- | ---\n\\\\| a \\| b",
    "[\\)](https://example.test/\\))\n===",
    "[a](https://x/((b))c) and [b](x\\ )",
    "- plan\n  - plan\n    plan\n    -   -\n      plan",
    "> - \nlazy after an empty item",
    "- [ ] plan\n  =",
    "- [ ]   -\n  plan",
    "#  #\n\n### ###\n\n# foo #\n\n# foo#\n\n#5 not a heading\n\n#",
    "* plan\n* **\n  plan",
    "- plan\n\n      code in the item\nnot lazy\n===",
]


@pytest.mark.parametrize("markdown", CASES)
def test_commonmark_corners_tree_holds_what_the_parser_reads(markdown):
    assert our_events(markdown) == reference_events(markdown)


def test_front_matter_is_read_and_not_part_of_the_body():
    document = mdtree.parse('---\ntitle: "Guide \\"x\\""\nlang: fr\n---\n\n# Guide\n')
    assert document.meta == {"title": 'Guide "x"', "lang": "fr"}
    assert [type(b).__name__ for b in document.blocks] == ["Heading"]


def test_markers_become_page_breaks_and_a_table_of_contents():
    blocks = mdtree.parse('a\n\n<!-- pagebreak -->\n\n<!-- toc title="Sommaire" levels="2" -->\n'
                          "\n<!-- a note to the editor -->\n\n<!-- toc levels=\"9\" -->\n").blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "PageBreak", "Toc", "Toc"]
    assert blocks[2].title == "Sommaire" and blocks[2].levels == 2
    assert blocks[3].levels == 1  # out of range: the default


def test_raw_html_is_literal_text_and_comments_are_dropped():
    blocks = mdtree.parse("<div>\n*raw*\n</div>\n\na <b>b</b> <!-- note --> c\n").blocks
    assert [mdtree.plain_text(b.runs) for b in blocks] == ["<div>\n*raw*\n</div>", "a <b>b</b>  c"]


def test_links_keep_their_target():
    (paragraph,) = mdtree.parse("see [the *guide*](https://x.example/a_b) now").blocks
    assert [(r.text, r.flags, r.url) for r in paragraph.runs] == [
        ("see ", 0, None), ("the ", 0, "https://x.example/a_b"),
        ("guide", ITALIC, "https://x.example/a_b"), (" now", 0, None)]


def test_images_are_runs_with_their_address_and_description():
    (paragraph,) = mdtree.parse("before ![the *plan*](pictures/plan.png \"t\") after").blocks
    assert [(r.text, r.image) for r in paragraph.runs] == [
        ("before ", None), ("the plan", "pictures/plan.png"), (" after", None)]


def test_numbered_list_start_and_task_state():
    first, second = mdtree.parse("3. c\n4. d\n\n- [x] done\n- [ ] open\n").blocks
    assert first.ordered and first.start == 3 and len(first.items) == 2
    assert [item.checked for item in second.items] == [True, False]


def test_forbidden_characters_are_removed_before_parsing():
    (paragraph,) = mdtree.parse("a\x00b\x0bc\ud800d").blocks
    assert mdtree.plain_text(paragraph.runs) == "abcd"


@pytest.mark.parametrize("high", ["", "\ufffe", "\uffff", "\ud800", "\udfff", "\ud83d\ude00"])
def test_xml_safe_removes_exactly_what_xml_cannot_hold(high):
    # every code point XML 1.0 refuses below U+0100 and around the high ones, with a
    # forbidden character beyond Latin-1 or none (which takes the quick path)
    text = "".join(map(chr, range(0x100))) + "\ud7ff\ue000\ufffd\U0001f600" + high + "\u2028z"
    forbidden = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"
    assert mdtree.xml_safe(text) == re.sub(forbidden, "", text)


@pytest.mark.parametrize("markdown", [
    ">" * 3000 + " deep quote",
    "\n".join("  " * depth + "- item" for depth in range(2000)),
    "- " * 3000 + "x",
    "[" * 3000 + "a" + "](https://x)" * 3000,
])
def test_hostile_nesting_is_flattened_instead_of_exhausting_the_stack(markdown):
    document = mdtree.parse(markdown)
    depth, stack = 0, [(block, 1) for block in document.blocks]
    while stack:
        block, level = stack.pop()
        depth = max(depth, level)
        inner = (block.blocks if isinstance(block, mdtree.Quote | mdtree.ListItem)
                 else block.items if isinstance(block, mdtree.ListBlock) else [])
        stack.extend((child, level + 1) for child in inner)
    assert depth <= 2 * mdtree.MAX_NESTING + 1
    assert docx.Document(io.BytesIO(DocxWriter().render(markdown))).paragraphs
