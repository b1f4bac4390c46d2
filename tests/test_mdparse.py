"""The fast Markdown parser sees the same structure as markdown-it-py (CommonMark + GFM
tables), on every sample playbook and on the tricky corners of the dialect."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLES
from markdown_it import MarkdownIt

from playbook import mdparse
from playbook.build import Builder
from playbook.mdparse import BOLD, CODE, ITALIC

COMMONMARK = MarkdownIt("commonmark").enable("table")
TASK_BOX = re.compile(r"^\[([ xX])\][ \t]+")
BUILDER = Builder()


def reference_events(markdown: str) -> list[tuple]:
    """markdown-it-py's structure as a flat list of events, with styled text runs."""
    events: list[tuple] = []
    tokens = COMMONMARK.parse(markdown)
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            events.append(("heading", int(token.tag[1])))
        elif kind in ("bullet_list_open", "ordered_list_open"):
            events.append(("list", kind == "ordered_list_open"))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            events.append(("end list",))
        elif kind == "blockquote_open":
            events.append(("quote",))
        elif kind == "blockquote_close":
            events.append(("end quote",))
        elif kind == "table_open":
            events.append(("table",))
        elif kind == "tr_open":
            events.append(("row",))
        elif kind == "inline":
            events.append(("text", tuple(_reference_runs(token.children))))
        elif kind in ("fence", "code_block"):
            events.append(("code", token.content.rstrip("\n")))
        elif kind == "hr":
            events.append(("rule",))
    return _normalised(events)


def _normalised(events: list[tuple]) -> list[tuple]:
    """Empty texts dropped; a task box followed by one space (the parser keeps the box
    as a flag, and the comparison writes it back with one space)."""
    out = []
    for event in events:
        if event == ("text", ()):
            continue
        if event[0] == "text" and TASK_BOX.match(event[1][0][0]):
            first = (TASK_BOX.sub(r"[\1] ", event[1][0][0]), event[1][0][1])
            event = ("text", (first,) + event[1][1:])
        out.append(event)
    return out


def _reference_runs(children) -> list[tuple[str, int]]:
    runs: list[tuple[str, int]] = []
    depth = {BOLD: 0, ITALIC: 0}  # emphasis nests: *a *b* c*
    for child in children:
        flags = sum(flag for flag, count in depth.items() if count)
        text, style = None, flags
        if child.type in ("strong_open", "strong_close"):
            depth[BOLD] += 1 if child.type.endswith("open") else -1
        elif child.type in ("em_open", "em_close"):
            depth[ITALIC] += 1 if child.type.endswith("open") else -1
        elif child.type == "text":
            text = child.content
        elif child.type == "code_inline":
            text, style = child.content, flags | CODE
        elif child.type == "softbreak":
            text = " "
        elif child.type == "hardbreak":
            text = "\n"
        elif child.type in ("link_open", "link_close"):
            continue
        if text:
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + text, style)
            else:
                runs.append((text, style))
    return runs


def our_events(markdown: str) -> list[tuple]:
    events: list[tuple] = []

    def runs(items) -> tuple:
        out: list[tuple[str, int]] = []
        for run in items:
            text = "\n" if run.line_break else run.text
            if out and out[-1][1] == run.flags:
                out[-1] = (out[-1][0] + text, run.flags)
            elif text:
                out.append((text, run.flags))
        return tuple(out)

    def walk(blocks):
        for block in blocks:
            if isinstance(block, mdparse.Heading):
                events.append(("heading", block.level))
                events.append(("text", runs(block.runs)))
            elif isinstance(block, mdparse.Paragraph):
                events.append(("text", runs(block.runs)))
            elif isinstance(block, mdparse.ListBlock):
                events.append(("list", block.ordered))
                for item in block.items:
                    if item.checked is not None:  # markdown-it (commonmark) keeps "[ ] " as text
                        first = item.blocks[0] if item.blocks else mdparse.Paragraph([])
                        box = mdparse.Run("[x] " if item.checked else "[ ] ")
                        first = (mdparse.Heading(first.level, [box] + first.runs)
                                 if isinstance(first, mdparse.Heading)
                                 else mdparse.Paragraph([box] + first.runs))
                        walk([first] + item.blocks[1:])
                    else:
                        walk(item.blocks)
                events.append(("end list",))
            elif isinstance(block, mdparse.Quote):
                events.append(("quote",))
                walk(block.blocks)
                events.append(("end quote",))
            elif isinstance(block, mdparse.Table):
                events.append(("table",))
                for row in [block.header] + block.rows:
                    events.append(("row",))
                    for cell in row:
                        events.append(("text", runs(cell)))
            elif isinstance(block, mdparse.CodeBlock):
                events.append(("code", block.text))
            elif isinstance(block, mdparse.Rule):
                events.append(("rule",))

    walk(mdparse.parse(markdown).blocks)
    return _normalised(events)


def _merge_task_boxes(events):
    """markdown-it splits '[ ] **x**' into text runs; merge plain runs for comparison."""
    return events


def body(markdown: str) -> str:
    return markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown


@pytest.mark.parametrize("profile", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_sample_playbooks_parse_like_markdown_it(profile, language):
    markdown = BUILDER.build(BUILDER.load(profile), language).markdown
    ours, reference = our_events(body(markdown)), reference_events(body(markdown))
    assert ours == reference


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
def test_dialect_cases_parse_like_markdown_it(markdown):
    assert our_events(markdown) == reference_events(markdown)


def test_front_matter_is_read_and_not_part_of_the_body():
    document = mdparse.parse('---\ntitle: "Guide \\"x\\""\nlang: fr\n---\n\n# Guide\n')
    assert document.meta == {"title": 'Guide "x"', "lang": "fr"}
    assert [type(b).__name__ for b in document.blocks] == ["Heading"]


def test_markers_become_page_breaks_and_a_table_of_contents():
    blocks = mdparse.parse('a\n\n<!-- pagebreak -->\n\n<!-- toc title="Sommaire" levels="2" -->\n').blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "PageBreak", "Toc"]
    assert blocks[2].title == "Sommaire" and blocks[2].levels == 2


def test_links_keep_their_target():
    runs = mdparse.inline("see [the *guide*](https://x.example/a_b) now")
    assert [(r.text, r.flags, r.url) for r in runs] == [
        ("see ", 0, None), ("the ", 0, "https://x.example/a_b"),
        ("guide", ITALIC, "https://x.example/a_b"), (" now", 0, None)]


def test_backslash_before_two_trailing_spaces_is_text_then_a_hard_break():
    """CommonMark (and GitHub): "\\ " is no escape, so the backslash is text and the two
    spaces make a hard break; markdown-it-py reads a soft break here (bench/fuzz skips it)."""
    runs = mdparse.inline("plan \\  \nnext")
    assert [(r.text, r.line_break) for r in runs] == [
        ("plan \\", False), ("", True), ("next", False)]


def test_numbered_list_start_and_task_state():
    first, second = mdparse.parse("3. c\n4. d\n\n- [x] done\n- [ ] open\n").blocks
    assert first.ordered and first.start == 3 and len(first.items) == 2
    assert [item.checked for item in second.items] == [True, False]


@pytest.mark.parametrize("markdown", [
    ">" * 3000 + " deep quote",
    "\n".join("  " * depth + "- item" for depth in range(2000)),
    "- " * 3000 + "x",
    "[" * 3000 + "a" + "](https://x)" * 3000,
])
def test_hostile_nesting_reads_as_text_instead_of_exhausting_the_stack(markdown):
    import io

    import docx

    from playbook.docx_writer import DocxWriter

    document = mdparse.parse(markdown)  # no RecursionError
    assert document.blocks
    assert docx.Document(io.BytesIO(DocxWriter().render(markdown))).paragraphs
