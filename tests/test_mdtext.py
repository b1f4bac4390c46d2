"""Client text can never change the Markdown's structure: checked with the one CommonMark
parser every writer reads (`mdtree`), on whole playbooks and on single values."""

from __future__ import annotations

import pytest
import yaml
from conftest import TODAY, merged
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook import mdtext, mdtree
from playbook.build import Builder
from playbook.profile import validate_data

HOSTILE = [
    "*Best* _Shop_ **now**",
    "# Heading",
    "## Part",
    "| Col | umn |",
    "<script>alert(1)</script>",
    "<!-- pagebreak -->",
    "`code` and ``more``",
    "1. First",
    "2) Second",
    "- item",
    "+ item",
    "> quote",
    "---",
    "===",
    "[link](http://example.com) ![img](x.png)",
    "<https://example.com>",
    "a\\",
    "&amp; &#42; &copy;",
    "~~strike~~ $math$",
    "    indented code",
    "line one\nline two",
    "[ ] task",
    "{{ d.company }} {% if %}",
]


def structure(markdown: str) -> list[tuple]:
    """The document's shape: its blocks, nested, and in each text what is not plain
    (styles, links, breaks, images)."""
    shape: list[tuple] = []

    def runs(items) -> tuple:
        return tuple((run.flags, run.url, run.line_break, run.image) for run in items
                     if run.flags or run.url or run.line_break or run.image is not None)

    def walk(blocks, level: int) -> None:
        for block in blocks:
            kind = type(block).__name__
            if isinstance(block, mdtree.Heading):
                shape.append((kind, block.level, level, runs(block.runs)))
            elif isinstance(block, mdtree.Paragraph):
                shape.append((kind, level, runs(block.runs)))
            elif isinstance(block, mdtree.ListBlock):
                shape.append((kind, block.ordered, level))
                for item in block.items:
                    shape.append(("ListItem", item.checked, level + 1))
                    walk(item.blocks, level + 2)
            elif isinstance(block, mdtree.Quote):
                shape.append((kind, level))
                walk(block.blocks, level + 1)
            elif isinstance(block, mdtree.Table):
                shape.append((kind, len(block.header), len(block.rows), level,
                              tuple(runs(cell) for row in [block.header] + block.rows for cell in row)))
            else:
                shape.append((kind, level))

    walk(mdtree.parse(markdown).blocks, 0)
    return shape


def split_front_matter(markdown: str) -> tuple[dict, str]:
    assert markdown.startswith("---\n")
    end = markdown.index("\n---\n", 4)
    return yaml.safe_load(markdown[4:end]), markdown[end + 5:]


@pytest.fixture(scope="module")
def builder():
    return Builder()


def playbook_for(builder, text: str, language: str) -> str:
    """A playbook whose free-text fields (not used by the rules) all hold `text`."""
    data = merged({"language": language, "company.name": text, "company.description": text,
                   "company.story": text, "company.region": text, "company.values": [text, "craft"],
                   "document.prepared_by": text})
    loaded = validate_data(data, "hostile.yaml", builder.knowledge.accepted_ids,
                           builder.knowledge.aliases)
    return builder.build(loaded, language, TODAY).markdown


@pytest.fixture(scope="module")
def plain_shapes(builder):
    return {language: structure(split_front_matter(playbook_for(builder, "Plain Name", language))[1])
            for language in ("en", "fr")}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_client_text_keeps_the_playbook_structure(builder, plain_shapes, text):
    for language in ("en", "fr"):
        markdown = playbook_for(builder, text, language)
        meta, body = split_front_matter(markdown)
        assert meta["client"] == " ".join(text.split())  # the exact name, spaces collapsed
        assert structure(body) == plain_shapes[language], (language, text)


def test_multi_paragraph_description_adds_paragraphs_only(builder, plain_shapes):
    markdown = playbook_for(builder, "First *part*.\n\n# Second part\n\n1. third", "en")
    shape = structure(split_front_matter(markdown)[1])
    extra = len(shape) - len(plain_shapes["en"])
    # the description is three paragraphs instead of one: two more paragraphs
    assert extra == 2
    assert set(shape) == set(plain_shapes["en"])  # nothing but paragraphs of text


# Smart punctuation typesets quotes, apostrophes, dashes and ellipses in the outputs:
# the same text, set as a typesetter would.
TYPESET = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def plain(text: str) -> str:
    return text.translate(TYPESET).replace("\u2026", "...").replace("\u2014", "---") \
        .replace("\u2013", "--")


def text_of(blocks) -> str:
    """The plain text of blocks, with code spans marked (a style the text must not get)."""
    out = []
    for block in blocks:
        for run in block.runs if isinstance(block, mdtree.Paragraph) else block:
            out.append(f"<code>{run.text}</code>" if run.flags & mdtree.CODE else
                       "\n" if run.line_break else plain(run.text))
    return "".join(out)


def only_paragraph(markdown: str) -> mdtree.Paragraph:
    blocks = mdtree.parse(markdown).blocks
    assert [type(b) for b in blocks] == [mdtree.Paragraph], blocks
    assert not any(r.flags or r.url or r.line_break or r.image for r in blocks[0].runs)
    return blocks[0]


PIECES = st.sampled_from(list("ab1 \t\n\x85\u2028\u2029*_#|<>`[]()!&;-+=.~$\\:/") +
                         ["&amp;", "&#65;", "1. ", "- ", "> ", "http://a.b", "<!--", "-->", "    "])


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_escaped_text_reads_back_as_the_same_text(text):
    """`md` and `cell` output parses as plain text equal to the input (spaces collapsed),
    at the start of a line, mid-line and in a table cell."""
    expected = " ".join(text.split())
    escaped = mdtext.inline(text)
    assert text_of([only_paragraph(f"Intro {escaped} end\n")]) == f"Intro {expected} end"
    if expected:
        assert text_of([only_paragraph(escaped + "\n")]) == expected
    (table,) = mdtree.parse(f"| a | b |\n|---|---|\n| {mdtext.cell(text)} | x |\n").blocks
    assert isinstance(table, mdtree.Table) and len(table.rows) == 1 and len(table.rows[0]) == 2
    assert text_of([table.rows[0][0]]) == expected


def test_plain_text_is_left_as_it_is():
    assert mdtext.inline("Boulangerie Muller, 12 employees") == "Boulangerie Muller, 12 employees"
    assert mdtext.inline(None) == "" and mdtext.cell("") == " "
    assert mdtext.inline("*Best* | 1. #1") == "\\*Best\\* \\| 1. #1"
    assert mdtext.inline("1. First") == "1\\. First"
    assert mdtext.inline("# x") == "\\# x"
    # line breaks beyond ASCII are whitespace too: collapsed like a newline
    assert [mdtext.inline(f"a{c}b") for c in "\n\x85\u2028\u2029"] == ["a b"] * 4


def test_table_and_code_helpers():
    table = mdtext.table([{"a": "x|y", "b": None}], ["A", "B"], ["a", "b"])
    (parsed,) = mdtree.parse(table).blocks
    assert len(parsed.header) == 2 and [len(row) for row in parsed.rows] == [2]
    assert text_of([parsed.rows[0][0]]) == "x|y"
    (code,) = mdtree.parse(mdtext.code("a`b") + "\n").blocks
    assert [(r.text, r.flags) for r in code.runs] == [("a`b", mdtree.CODE)]
    assert mdtext.yaml_string('say "hi"\n---') == '"say \\"hi\\"\\n---"'


def test_french_spacing_leaves_the_front_matter_alone():
    text = '---\ntitle: "Qui ?"\n---\n\nQui ? « Nous » : oui !\n'
    assert mdtext.french_spacing(text) == ('---\ntitle: "Qui ?"\n---\n\n'
                                           "Qui\u00a0? «\u00a0Nous\u00a0»\u00a0: oui\u00a0!\n")
