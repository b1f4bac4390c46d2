"""Client text can never change the Markdown's structure: checked with markdown-it-py,
the CommonMark parser the HTML writer uses, on whole playbooks and on single values."""

from __future__ import annotations

import pytest
import yaml
from conftest import TODAY, merged
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from playbook import mdtext
from playbook.build import Builder
from playbook.profile import validate_data

PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")

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
    """The document's shape: block tokens, and inline tokens other than text."""
    shape = []
    for token in PARSER.parse(markdown):
        if token.type == "inline":
            shape.append(("inline", tuple(child.type for child in token.children
                                          if child.type not in ("text", "text_special"))))
        else:
            shape.append((token.type, token.tag, token.level))
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
    # the description is three paragraphs instead of one: two more paragraphs (3 tokens each)
    assert extra == 6
    assert set(shape) == set(plain_shapes["en"])  # nothing but paragraphs of text


def text_of(tokens) -> str:
    out = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children:
                if child.type in ("text", "text_special"):
                    out.append(child.content)
                elif child.type == "softbreak":
                    out.append("\n")
                else:
                    out.append(f"<{child.type}>")
    return "".join(out)


PIECES = st.sampled_from(list("ab1 \t\n*_#|<>`[]()!&;-+=.~$\\:/") +
                         ["&amp;", "&#65;", "1. ", "- ", "> ", "http://a.b", "<!--", "-->", "    "])


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_escaped_text_reads_back_as_the_same_text(text):
    """`md` and `cell` output parses as plain text equal to the input (spaces collapsed),
    at the start of a line, mid-line and in a table cell."""
    expected = " ".join(text.split())
    escaped = mdtext.inline(text)
    tokens = PARSER.parse(f"Intro {escaped} end\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert text_of(tokens) == f"Intro {expected} end"
    if expected:
        tokens = PARSER.parse(escaped + "\n")
        assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
        assert text_of(tokens) == expected
    tokens = PARSER.parse(f"| a | b |\n|---|---|\n| {mdtext.cell(text)} | x |\n")
    cells = [t for t in tokens if t.type == "inline"]
    assert len(cells) == 4
    assert text_of([cells[2]]) == expected


def test_plain_text_is_left_as_it_is():
    assert mdtext.inline("Boulangerie Muller, 12 employees") == "Boulangerie Muller, 12 employees"
    assert mdtext.inline(None) == "" and mdtext.cell("") == " "
    assert mdtext.inline("*Best* | 1. #1") == "\\*Best\\* \\| 1. #1"
    assert mdtext.inline("1. First") == "1\\. First"
    assert mdtext.inline("# x") == "\\# x"


def test_table_and_code_helpers():
    table = mdtext.table([{"a": "x|y", "b": None}], ["A", "B"], ["a", "b"])
    tokens = PARSER.parse(table)
    assert [t.type for t in tokens].count("td_open") == 2
    assert text_of([t for t in tokens if t.type == "inline"][2:3]) == "x|y"
    assert text_of(PARSER.parse(mdtext.code("a`b") + "\n")) == "<code_inline>"
    assert PARSER.parse(mdtext.code("a`b") + "\n")[1].children[0].content == "a`b"
    assert mdtext.yaml_string('say "hi"\n---') == '"say \\"hi\\"\\n---"'


def test_french_spacing_leaves_the_front_matter_alone():
    text = '---\ntitle: "Qui ?"\n---\n\nQui ? « Nous » : oui !\n'
    assert mdtext.french_spacing(text) == ('---\ntitle: "Qui ?"\n---\n\n'
                                           "Qui\u00a0? «\u00a0Nous\u00a0»\u00a0: oui\u00a0!\n")
