"""Hypothesis strategies: random valid profiles, and hostile mutations of them.

Valid profiles are generated from the schema itself (`playbook.schema.fields_of`), so
a new field is fuzzed without touching this file.
"""

from __future__ import annotations

import datetime
import functools
import typing

from hypothesis import strategies as st

from playbook.knowledge import load_knowledge
from playbook.paths import search_path
from playbook.profile import Profile
from playbook.schema import FieldInfo, fields_of

# Text from every plane, with right-to-left scripts, emoji, combining marks and
# control characters; surrogates are added separately (JSON can carry them).
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=("Cs",)), max_size=60)
SHOUTY = st.sampled_from(["*bold*", "_x_", "# Title", "| a | b |", "<script>alert(1)</script>",
                          "`code`", "1. first", "- item", "[link](http://x)", "&amp;", "\\",
                          "---", "> quote", "\u202eevil\u202c", "שלום", "مرحبا", "🥐🚂", "\x00",
                          "\x07\x1b[31m", "\ufeff", "a\u0301", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\ud800"])


def text_for(info: FieldInfo) -> st.SearchStrategy[str]:
    limit = info.meta.get("max_len") or 200
    base = st.one_of(ANY_TEXT, SHOUTY.filter(lambda s: s != "\ud800"),
                     st.lists(SHOUTY.filter(lambda s: s != "\ud800"), max_size=4).map(" ".join))
    base = base.map(lambda s: s[:limit])
    if info.required:  # must keep something visible after cleaning
        return st.tuples(st.sampled_from("ABCÉ日🥐Ω"), base).map(lambda t: (t[0] + t[1])[:limit])
    return base


@functools.cache
def builtin_choices() -> dict:
    return load_knowledge(search_path()).profile_choices


def value_for(info: FieldInfo, platforms: list[str]) -> st.SearchStrategy:
    kind, meta = info.kind, info.meta
    if kind == "str":
        if meta.get("choices") == "platforms":
            return st.sampled_from(platforms)
        if meta.get("choices"):  # sectors, regions: the built-in taxonomy's ids
            return st.sampled_from(sorted(builtin_choices()[meta["choices"]]))
        return text_for(info)
    if kind == "int":
        return st.integers(int(meta.get("minimum") or 0), int(min(meta.get("maximum") or 10**6,
                                                                  10**9)))
    if kind == "number":
        return st.one_of(st.integers(0, 10**6), st.floats(0, 10**6, allow_nan=False))
    if kind == "bool":
        return st.booleans()
    if kind == "date":
        return st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31)).map(str)
    if kind == "enum":
        return st.sampled_from(list(info.values))
    if kind == "list":
        assert info.item is not None
        item = value_for(info.item, platforms)
        if info.item.kind == "enum":
            return st.lists(item, unique=True)
        return st.lists(item, max_size=min(info.meta.get("max_items") or 5, 5))
    if kind == "object":
        return object_for(typing.cast(type, info.cls), platforms)
    raise AssertionError(kind)


def object_for(cls: type, platforms: list[str]) -> st.SearchStrategy[dict]:
    required = {i.name: value_for(i, platforms) for i in fields_of(cls) if i.required}
    optional = {i.name: value_for(i, platforms) for i in fields_of(cls) if not i.required}
    return st.fixed_dictionaries(required, optional=optional)


def valid_profiles(platforms: list[str]) -> st.SearchStrategy[dict]:
    """Plain profile data that must validate: every field optional but company.name."""
    return object_for(Profile, platforms)


# -- hostile mutations ----------------------------------------------------------

JUNK = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
              st.floats(allow_nan=True, allow_infinity=True), ANY_TEXT, SHOUTY,
              st.text(max_size=5).map(lambda s: s * 20_000)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(ANY_TEXT, children, max_size=3)),
    max_leaves=8)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, prefix + (index,))


def _set(data, path, value):
    if not path:
        return value
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def _delete(data, path):
    if not path:
        return data
    target = data
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return data


@st.composite
def mutated_profiles(draw, platforms: list[str]):
    """A valid profile with one to three hostile changes."""
    data = draw(valid_profiles(platforms))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["junk", "delete", "unknown_key", "deep", "wrong_enum"]))
        if action == "junk":
            data = _set(data, path, draw(JUNK))
        elif action == "delete":
            data = _delete(data, path)
        elif action == "unknown_key" and isinstance(_get(data, path), dict):
            _get(data, path)[draw(ANY_TEXT)] = draw(JUNK)
        elif action == "deep":
            depth = draw(st.integers(20, 200))
            data = _set(data, path, _nest(depth))
        elif action == "wrong_enum":
            data = _set(data, path, draw(st.sampled_from(["b2cc", "linkdin", "Marketing ", "x" * 50,
                                                          "HIGH", "yes", "oui"])))
    return data


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _nest(depth: int):
    value: object = "bottom"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


# -- Markdown, as the templates (and a consultant's own) may write it ------------------

def markdown_documents():
    """Random Markdown: every CommonMark construct the templates may use, nested, with
    hostile text; returns (documents, front matters)."""
    hostile = SHOUTY.filter(lambda s: s != "\ud800")
    word = st.one_of(
        st.sampled_from(["plan", "réseau", "LinkedIn", "2026", "a", "x_y", "snake_case", "AT&T",
                         "R&D", "€300", "l'équipe", "«gras»", "🥐", "שלום", "日本"]),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                max_size=8))
    piece = st.one_of(
        word, word, word,
        word.map(lambda w: f"*{w}*"), word.map(lambda w: f"**{w}**"),
        word.map(lambda w: f"_{w}_"), word.map(lambda w: f"__{w}__"),
        word.map(lambda w: f"***{w}***"), word.map(lambda w: f"`{w}`"),
        word.map(lambda w: f"``{w} ` {w}``"),
        st.tuples(word, word).map(lambda t: f"*{t[0]} **{t[1]}***"),
        st.tuples(word, word).map(lambda t: f"**{t[0]} *{t[1]}* {t[0]}**"),
        word.map(lambda w: f"[{w}](https://example.test/{w})"),
        st.sampled_from(["<https://auto.link/x>", "<mail@example.test>", "[broken](", "[x]",
                         "\\*", "\\_", "\\|", "\\#", "\\\\", "\\`", "\\[", "&amp;", "&lt;", "&gt;",
                         "&quot;", "&#39;", "&nbsp;", "&#233;", "&#x1F950;", "&nosuch;", "&",
                         "*", "**", "_", "__", "`", "[", "]", "(", ")", "<", ">", "#", "|",
                         "a * b", "5 * 3", "<b>raw</b>", "<!-- inline -->", "![a picture](logo.png)",
                         "![missing](nowhere.png)", "![web](https://example.test/x.png)"]),
        hostile)
    separator = st.sampled_from([" ", " ", " ", "", "  \n", "\n", "\\\n"])

    @st.composite
    def inline(draw, max_pieces=6):
        pieces = draw(st.lists(piece, min_size=1, max_size=max_pieces))
        text = pieces[0]
        for item in pieces[1:]:
            text += draw(separator) + item
        return text

    one_line = inline().map(lambda s: s.replace("\n", " ").replace("\\ ", " "))
    cell = inline(3).map(lambda s: s.replace("\n", " ").replace("|", "\\|"))

    heading = st.tuples(st.integers(1, 6), one_line, st.booleans()).map(
        lambda t: "#" * t[0] + " " + t[1] + (" " + "#" * t[0] if t[2] else ""))
    setext = st.tuples(one_line, st.sampled_from(["===", "---", "=", "-----"])).map("\n".join)
    paragraph = inline(10)

    @st.composite
    def list_block(draw, depth=0):
        ordered = draw(st.booleans())
        start = draw(st.integers(0, 12)) if ordered else 0
        marker_char = draw(st.sampled_from([".", ")"]) if ordered else st.sampled_from("-*+"))
        loose = draw(st.booleans())
        lines = []
        for index in range(draw(st.integers(1, 4))):
            marker = f"{start + index}{marker_char}" if ordered else marker_char
            task = "" if ordered else draw(st.sampled_from(["", "", "[ ] ", "[x] ", "[X] "]))
            indent = " " * (len(marker) + 1)
            item = [f"{marker} {task}{draw(one_line)}"]
            if draw(st.integers(0, 4)) == 0:
                item.append(indent + draw(one_line))  # lazy or indented continuation
            if depth < 2 and draw(st.integers(0, 3)) == 0:
                nested = draw(list_block(depth + 1))
                item += [indent + line if line else "" for line in nested.split("\n")]
            lines += item + ([""] if loose else [])
        return "\n".join(lines).rstrip("\n")

    quote = st.lists(one_line, min_size=1, max_size=3).map(lambda ls: "\n".join("> " + x for x in ls))

    @st.composite
    def table(draw):
        columns = draw(st.integers(1, 4))
        header = [draw(cell) for _ in range(columns)]
        align = [draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns)]
        rows = [[draw(cell) for _ in range(draw(st.integers(1, columns + 1)))]
                for _ in range(draw(st.integers(0, 4)))]
        pipe = draw(st.booleans())

        def line(cells):
            body = " | ".join(cells)
            return f"| {body} |" if pipe else body

        return "\n".join([line(header), line(align)] + [line(r) for r in rows])

    code = st.one_of(
        st.tuples(st.sampled_from(["```", "~~~", "````"]), one_line).map(
            lambda t: f"{t[0]}\n{t[1]}\n  indented **not bold**\n{t[0]}"),
        one_line.map(lambda s: "    " + s))
    fixed = st.sampled_from(["---", "***", "___", "<!-- pagebreak -->",
                             '<!-- toc title="Contents" -->', '<!-- toc title="Sommaire" levels="2" -->',
                             "<!-- a comment -->", "<!-- a\nmultiline comment -->", "<!-- toc",
                             "<div>html block</div>", ""])
    block = st.one_of(heading, setext, paragraph, paragraph, list_block(), list_block(), quote,
                      table(), code, fixed)

    @st.composite
    def document(draw):
        blocks = draw(st.lists(block, min_size=1, max_size=12))
        text = blocks[0]
        for item in blocks[1:]:
            text += draw(st.sampled_from(["\n\n", "\n\n", "\n\n", "\n", "\n\n\n"])) + item
        if draw(st.booleans()):
            text = draw(front_matter()) + text
        return text

    @st.composite
    def front_matter(draw):
        import json

        values = st.one_of(st.sampled_from(["en", "fr", "2026-11-22", "Page {page} of {pages}"]),
                           ANY_TEXT, hostile)
        keys = draw(st.lists(st.sampled_from(["title", "subtitle", "client", "agency", "author",
                                              "date", "version", "lang", "subject", "keywords",
                                              "contact", "page_label", "other"]), max_size=6))
        lines = [f"{key}: {json.dumps(draw(values))}" for key in keys]
        return "---\n" + "\n".join(lines) + "\n---\n\n"

    return document(), front_matter()
