"""Hypothesis strategies: random valid profiles, and hostile mutations of them.

Valid profiles are generated from the schema itself (`playbook.schema.fields_of`), so
a new field is fuzzed without touching this file.
"""

from __future__ import annotations

import datetime
import typing

from hypothesis import strategies as st

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


def value_for(info: FieldInfo, platforms: list[str]) -> st.SearchStrategy:
    kind, meta = info.kind, info.meta
    if kind == "str":
        if meta.get("choices") == "platforms":
            return st.sampled_from(platforms)
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
