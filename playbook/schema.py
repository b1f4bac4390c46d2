"""Validate plain data (parsed YAML, TOML or JSON) into frozen records.

A small, declarative validator: the records in `profile.py` and `brand.py` are the
schema. Their type hints say what each field holds (str, int, float, bool, a Literal
of allowed values, a list, a nested record, each optional), and `field(metadata=...)`
built with `spec()` adds bounds and documentation. Validation collects every problem
before stopping, names the field path and the line, and suggests a close match for a
misspelt key or value. The same declarations produce the JSON Schema for editors.

Why not pydantic: importing it and building these models costs about 170 ms here,
which alone breaks the `explain` start-up budget (200 ms); what we need fits below.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, Union

from .errors import Problem
from .records import Record, fields, replace

Path = tuple  # a field path: ("organization", "departments", 1)

# Characters XML 1.0 cannot store (so Word cannot either), lone surrogates, and C1
# controls, which no one types on purpose. In two classes: the one beyond Latin-1
# costs 4 million instructions to compile, so it is compiled (and cached by `re`) only
# for a text that has a character from U+D800 up.
_FORBIDDEN_LATIN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_FORBIDDEN_HIGH = "[\ud800-\udfff\ufffe\uffff]"


def spec(
    doc: str = "",
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    max_len: int | None = None,
    max_items: int | None = None,
    choices: str | None = None,
    example: Any = None,
    default: Any = None,
    multiline: bool = False,
) -> Any:
    """A record's field with validation metadata.

    `choices` names a dynamic list of allowed values given at validation time (the
    platform catalogue is data, so its ids are not known to the code).
    """
    meta = {
        "doc": doc,
        "minimum": minimum,
        "maximum": maximum,
        "max_len": max_len,
        "max_items": max_items,
        "choices": choices,
        "example": example,
        "multiline": multiline,
    }
    return dataclasses.field(default=default, metadata=meta)


def required(doc: str = "", **kwargs: Any) -> Any:
    """A field that must be present (no default)."""
    meta = {"doc": doc, "minimum": None, "maximum": None, "max_len": None, "max_items": None,
            "choices": None, "example": None, "multiline": False, **kwargs}
    return dataclasses.field(metadata=meta)


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def suggest(word: str, options: typing.Iterable[str]) -> str:
    """' (did you mean 'x'?)' for a near miss, '' otherwise."""
    if not isinstance(word, str):
        return ""
    import difflib  # only on a mistake: start-up counts

    match = difflib.get_close_matches(word.lower(), list(options), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def clean_text(text: str) -> tuple[str, int]:
    """Remove characters Word cannot store; return the text and how many were removed."""
    cleaned, count = _FORBIDDEN_LATIN.subn("", text)
    if not cleaned.isascii() and max(cleaned) >= "\ud800":
        cleaned, more = re.subn(_FORBIDDEN_HIGH, "", cleaned)
        count += more
    return cleaned, count


_HUGE = 10**18  # past this an int is shown by its size (str() refuses 4,300+ digits)


def huge_number(value: int) -> str:
    digits = int(abs(value).bit_length() * 0.30103) + 1
    return f"a number of about {digits:,} digits"


def _show_number(value: float) -> str:
    return huge_number(value) if isinstance(value, int) and abs(value) >= _HUGE else f"{value:g}"


def _visible(text: str) -> bool:
    """Whether the text shows anything: not only spaces and invisible format
    characters (zero-width space and joiners, byte order marks...)."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


def describe(value: Any) -> str:
    """A short, safe rendering of a user's value for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int) and abs(value) >= _HUGE:
        return huge_number(value)
    text = repr(value) if isinstance(value, str) else str(value)
    text, _ = clean_text(text)
    return text if len(text) <= 40 else text[:37] + "..."


class FieldInfo(Record):
    """One field of a schema: its name, kind and limits."""

    name: str
    kind: str  # "str" | "int" | "number" | "bool" | "date" | "enum" | "list" | "object"
    required: bool
    meta: dict
    values: tuple = ()  # for "enum"
    item: FieldInfo | None = None  # for "list"
    cls: type | None = None  # for "object"


def _unwrap_optional(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
        if set(args) == {int, float}:
            return float
    return hint


def _field_info(name: str, hint: Any, required_: bool, meta: dict) -> FieldInfo:
    hint = _unwrap_optional(hint)
    origin = typing.get_origin(hint)
    if origin is Literal:
        return FieldInfo(name, "enum", required_, meta, values=typing.get_args(hint))
    if origin in (list, tuple):  # tuple[X, ...]: lists are stored as tuples, frozen
        item_hint = typing.get_args(hint)[0]
        return FieldInfo(name, "list", required_, meta, item=_field_info(name, item_hint, True, meta))
    if isinstance(hint, type) and issubclass(hint, Record):
        return FieldInfo(name, "object", required_, meta, cls=hint)
    kinds = {str: "str", int: "int", float: "number", bool: "bool", datetime.date: "date"}
    if hint in kinds:
        return FieldInfo(name, kinds[hint], required_, meta)
    raise TypeError(f"unsupported schema type for {name}: {hint!r}")


@cache
def fields_of(cls: type) -> tuple[FieldInfo, ...]:
    """The schema of a record, computed once."""
    # the declared annotations, unless postponed (strings): typing.get_type_hints walks
    # every class of the record and evaluates them, a third of a profile's validation
    hints = {f.name: f.type for f in fields(cls)}
    if any(isinstance(hint, str) for hint in hints.values()):
        hints = typing.get_type_hints(cls)
    out = []
    for f in fields(cls):
        is_required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        out.append(_field_info(f.name, hints[f.name], is_required, dict(f.metadata)))
    return tuple(out)


class Validator:
    """Turns plain data into a record, collecting problems and warnings.

    `lines` maps a field path to its (line, column) in the source, when the format
    gives one; `choices` gives dynamic allowed values by name, with `aliases`
    mapping accepted spellings (`twitter`) to canonical ones (`x`).
    """

    def __init__(
        self,
        source: str,
        lines: dict[Path, tuple[int, int]] | None = None,
        choices: dict[str, typing.Collection[str]] | None = None,
        aliases: dict[str, dict[str, str]] | None = None,
    ):
        self.source = source
        self.lines = lines or {}
        self.choices = choices or {}
        self.aliases = aliases or {}
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    # -- reporting ---------------------------------------------------------
    def _where(self, path: Path) -> dict:
        probe = tuple(path)
        while probe:
            if probe in self.lines:
                line, column = self.lines[probe]
                return {"line": line, "column": column}
            probe = probe[:-1]
        return {}

    def error(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.source, format_path(path), message, **self._where(path)))

    def warn(self, path: Path, message: str) -> None:
        self.warnings.append(Problem(self.source, format_path(path), message, **self._where(path)))

    # -- validation --------------------------------------------------------
    def build(self, cls: type, data: Any, path: Path = ()) -> Any:
        """Validate `data` as `cls`; return the instance, or None if it has problems."""
        if not isinstance(data, dict):
            self.error(path, f"expected a mapping of fields, got {describe(data)}")
            return None
        infos = {info.name: info for info in fields_of(cls)}
        values: dict[str, Any] = {}
        failed = False
        for key, raw in data.items():
            key_path = path + (key,)
            if not isinstance(key, str) or key not in infos:
                self.error(key_path, f"unknown field{suggest(str(key), infos)}; "
                           f"expected one of: {', '.join(infos)}")
                failed = True
                continue
            ok, value = self._value(infos[key], raw, key_path)
            if ok:
                values[key] = value
            else:
                failed = True
        for info in infos.values():
            if info.required and info.name not in data:
                self.error(path + (info.name,), "is required but missing")
                failed = True
        if failed:
            return None
        return cls(**values)

    def _value(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if raw is None:
            if info.required:
                self.error(path, "is required but empty")
                return False, None
            return True, None  # an empty answer is an unknown answer
        check: Callable[[FieldInfo, Any, Path], tuple[bool, Any]] = getattr(self, "_" + info.kind)
        return check(info, raw, path)

    def _str(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            self.error(path, f"expected text, got {describe(raw)}"
                       + ("; put it in quotes" if isinstance(raw, bool) else ""))
            return False, None
        text, removed = clean_text(str(raw))
        if removed:
            self.warn(path, f"removed {removed} control character(s) that Word cannot store")
        if not info.meta.get("multiline"):
            text = " ".join(text.split())
        else:
            text = text.strip()
        max_len = info.meta.get("max_len")
        if max_len and len(text) > max_len:
            self.error(path, f"is too long ({len(text)} characters, at most {max_len}); shorten it")
            return False, None
        if info.required and not _visible(text):  # zero-width characters alone show nothing
            self.error(path, "must not be empty")
            return False, None
        choices_name = info.meta.get("choices")
        if choices_name and choices_name in self.choices:  # given by the caller
            return self._choice(text, self.choices.get(choices_name, ()),
                                self.aliases.get(choices_name, {}), path)
        return True, text

    def _choice(self, text: str, allowed: typing.Collection[str], aliases: dict[str, str],
                path: Path) -> tuple[bool, Any]:
        key = text.strip().lower()
        if key in aliases:
            return True, aliases[key]
        if key in allowed:
            return True, key
        self.error(path, f"unknown value {describe(text)}{suggest(key, list(allowed) + list(aliases))}; "
                   f"expected one of: {', '.join(sorted(allowed))}")
        return False, None

    def _enum(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, str) and raw.strip().lower() in info.values:
            return True, raw.strip().lower()
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            self.error(path, f"expected one of: {', '.join(map(str, info.values))}; got {describe(raw)}")
            return False, None
        if raw in info.values:
            return True, raw
        self.error(path, f"unknown value {describe(raw)}{suggest(str(raw), map(str, info.values))}; "
                   f"expected one of: {', '.join(map(str, info.values))}")
        return False, None

    def _bool(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, bool):
            return True, raw
        self.error(path, f"expected true or false, got {describe(raw)}; "
                   "leave it out if the answer is unknown")
        return False, None

    def _date(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, datetime.datetime):
            return True, raw.date()
        if isinstance(raw, datetime.date):
            return True, raw
        if isinstance(raw, str):
            try:
                return True, datetime.date.fromisoformat(raw.strip())
            except ValueError:
                pass
        self.error(path, f"expected a date written YYYY-MM-DD, got {describe(raw)}")
        return False, None

    def _number_in_range(self, info: FieldInfo, value: float, path: Path) -> bool:
        low, high = info.meta.get("minimum"), info.meta.get("maximum")
        if low is not None and value < low:
            self.error(path, f"must be at least {low:g}, got {_show_number(value)}")
            return False
        if high is not None and value > high:
            self.error(path, f"must be at most {high:g}, got {_show_number(value)}")
            return False
        return True

    def _int(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, bool) or not isinstance(raw, int):
            self.error(path, f"expected a whole number, got {describe(raw)}")
            return False, None
        return self._number_in_range(info, raw, path), raw

    def _number(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw or raw in (
                float("inf"), float("-inf")):
            self.error(path, f"expected a number, got {describe(raw)}")
            return False, None
        return self._number_in_range(info, raw, path), raw

    def _list(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        if not isinstance(raw, list):
            if isinstance(raw, str | int | float) and info.item and info.item.kind != "object":
                raw = [raw]  # a single value where a list is expected: accept it as a list of one
            else:
                self.error(path, f"expected a list, got {describe(raw)}")
                return False, None
        max_items = info.meta.get("max_items")
        if max_items and len(raw) > max_items:
            self.error(path, f"has {len(raw)} entries, at most {max_items} are allowed")
            return False, None
        items, ok = [], True
        assert info.item is not None
        for index, element in enumerate(raw):
            if element is None:
                self.error(path + (index,), "is empty; remove it or give a value")
                ok = False
                continue
            good, value = self._value(info.item, element, path + (index,))
            ok = ok and good
            if good and value not in items:  # a repeated value adds nothing
                items.append(value)
        return ok, tuple(items)

    def _object(self, info: FieldInfo, raw: Any, path: Path) -> tuple[bool, Any]:
        assert info.cls is not None
        value = self.build(info.cls, raw, path)
        return value is not None, value


def json_schema(cls: type, title: str = "", choices: dict[str, typing.Collection[str]] | None = None) -> dict:
    """The JSON Schema (draft 2020-12) of a record schema, for editors."""

    def one(info: FieldInfo) -> dict:
        meta = info.meta
        out: dict[str, Any] = {}
        if meta.get("doc"):
            out["description"] = meta["doc"]
        if info.kind == "str":
            out["type"] = ["string", "number"] if not meta.get("choices") else "string"
            if meta.get("max_len"):
                out["maxLength"] = meta["max_len"]
            if meta.get("choices") and choices and meta["choices"] in choices:
                out["enum"] = sorted(choices[meta["choices"]])
        elif info.kind in ("int", "number"):
            out["type"] = "integer" if info.kind == "int" else "number"
            if meta.get("minimum") is not None:
                out["minimum"] = meta["minimum"]
            if meta.get("maximum") is not None:
                out["maximum"] = meta["maximum"]
        elif info.kind == "bool":
            out["type"] = "boolean"
        elif info.kind == "date":
            out["type"] = "string"
            out["format"] = "date"
        elif info.kind == "enum":
            out["enum"] = list(info.values)
        elif info.kind == "list":
            assert info.item is not None
            item = one(replace(info.item, meta={**info.item.meta, "doc": ""}))
            item.pop("description", None)
            out["type"] = "array"
            out["items"] = item
            if meta.get("max_items"):
                out["maxItems"] = meta["max_items"]
        elif info.kind == "object":
            assert info.cls is not None
            out.update(obj(info.cls))
        if not info.required and "type" in out and info.kind != "object":
            kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = kinds + ["null"]
        return out

    def obj(klass: type) -> dict:
        infos = fields_of(klass)
        schema: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {i.name: one(i) for i in infos},
        }
        needed = [i.name for i in infos if i.required]
        if needed:
            schema["required"] = needed
        return schema

    root = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    if title:
        root["title"] = title
    root.update(obj(cls))
    return root
