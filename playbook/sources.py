"""Read a YAML, TOML or JSON file into plain data, safely, with a line for each field.

Safety first, because profiles come from questionnaires and copy-paste: a size limit,
YAML loaded with the safe loader (no object tags) and a bound on the values an alias
may expand to (the "billion laughs"), duplicate keys reported instead of silently
merged, nesting depth bounded. Every failure is an `InputError` naming the file, and
the line and column when the format gives them.

`read_data()` returns `(data, lines)`: `lines` maps a field path such as
`("presence", "networks", 0, "platform")` to its `(line, column)`, so validation errors
can point at the line to fix.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .bounded import SpecialFile, TooLarge, read_at_most
from .errors import InputError, Problem

MAX_BYTES = 2 * 1024 * 1024  # a profile is a page of answers; 2 MB is already absurd
MAX_VALUES = 20_000  # values after alias expansion; a real profile has about a hundred
MAX_DEPTH = 32  # a profile nests four levels deep
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}

Lines = dict[tuple, tuple[int, int]]


def format_of(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def read_bytes(path: Path, error: type[InputError], max_bytes: int, too_large: str) -> bytes:
    """The file's bytes, read with a bound (see `playbook.bounded`), or an error a user
    can act on (see `reading_errors`)."""
    with reading_errors(str(path), error, max_bytes, too_large):
        return read_at_most(path, max_bytes)


@contextmanager
def reading_errors(source: str, error: type[InputError], max_bytes: int,
                   too_large: str) -> Iterator[None]:
    """Opening or reading an input file, its failures as errors a user can act on:
    missing, a folder, a device or a pipe, over `max_bytes` (`too_large` says what to
    do then), unreadable. One place for profiles, sheets and the sheet reader's stream."""
    try:
        yield
    except FileNotFoundError:
        raise error.single(source, "file not found; check the path") from None
    except IsADirectoryError:
        raise error.single(source, "is a folder, not a file") from None
    except SpecialFile as exc:
        raise error.single(source, special_file_message(exc)) from None
    except TooLarge as exc:
        raise error.single(source, f"file is too large ({exc.size:,} bytes, at most "
                           f"{max_bytes:,}); {too_large}") from None
    except OSError as exc:
        raise error.single(source, f"cannot read the file: {exc.strerror or exc}") from None


def read_text(path: Path, error: type[InputError] = InputError, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or an error a user can act on (missing, too big, not UTF-8, a
    device or a pipe)."""
    source = str(path)
    raw = read_bytes(path, error, max_bytes, f"is it really {error.kind}?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error.single(source, "is not UTF-8 text; save it as UTF-8", line=line) from None
    return text


def special_file_message(exc: SpecialFile) -> str:
    return f"is {exc.kind}, not a regular file; give the file itself"


def read_data(path: Path, error: type[InputError] = InputError) -> tuple[Any, Lines]:
    """Parse a YAML/TOML/JSON file into plain data and a field-path -> line map."""
    kind = format_of(path)
    if kind is None:
        raise error.single(str(path), f"unknown file type '{path.suffix}'; "
                           "use .yaml, .yml, .toml or .json")
    text = read_text(path, error)
    return parse_text(text, kind, str(path), error)


def parse_text(text: str, kind: str, source: str,
               error: type[InputError] = InputError) -> tuple[Any, Lines]:
    if not text.strip():
        raise error.single(source, f"the file is empty; {error.starter}")
    parser = {"yaml": _parse_yaml, "toml": _parse_toml, "json": _parse_json}[kind]
    try:
        data, lines = parser(text, source, error)
    except RecursionError:
        raise _too_deep(source, error) from None
    except InputError:
        # Parsers add nesting limits of their own from one release to the next (libyaml's
        # 1,000 levels arrived in PyYAML 6.0.4), each with its own wording: whenever a
        # parse fails, a file nested past our limit gets our documented message instead.
        if _nests_too_deeply(text, kind):
            raise _too_deep(source, error) from None
        raise
    if kind != "yaml" and _depth(data) > MAX_DEPTH:  # YAML is checked while parsing
        raise _too_deep(source, error)
    return data, lines


def _too_deep(source: str, error: type[InputError], **where) -> InputError:
    return error.single(source, f"is nested too deeply (at most {MAX_DEPTH} levels)", **where)


def _nests_too_deeply(text: str, kind: str) -> bool:
    """Whether `text` nests past MAX_DEPTH, read without the format's own parser (which
    may have refused it for that very reason): brackets and braces outside quoted
    strings, and for YAML the events of PyYAML's pure-Python parser, which is iterative
    and has no limit of its own."""
    depth = 0
    for token in re.finditer(_NESTING_TOKEN, text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth = max(depth - 1, 0)
    if kind != "yaml":
        return False
    import yaml

    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return True
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return False


# Quoted strings (JSON/TOML double quotes, YAML/TOML single quotes) and the brackets
# outside them; a quote left open runs to the end of its line. This module's patterns
# are kept as text and compiled on first use (`re` caches them): only a file that fails
# to parse, or a TOML or JSON one, needs them, and compiling costs a one-shot command.
_NESTING_TOKEN = r'"(?:[^"\\\n]|\\.)*"?|\'[^\'\n]*\'?|[\[\]{}]'


def _depth(data: Any) -> int:
    """How deeply lists and mappings nest, without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in
                             (value.values() if isinstance(value, dict) else value))
    return deepest


# -- YAML ---------------------------------------------------------------------

_LOADER = None


def _yaml_loader_class():
    """The safe loader (the C one is ten times faster), without YAML 1.1's base-60
    numbers: `employees: 1:20` is the text '1:20' (reported), never 80."""
    global _LOADER
    import yaml

    if _LOADER is None:
        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        numbers = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        loader = type("ProfileLoader", (base,), {})
        loader.yaml_implicit_resolvers = {
            first: [(tag, pattern) for tag, pattern in resolvers if tag not in numbers]
            for first, resolvers in base.yaml_implicit_resolvers.items()}
        patterns = {tag: pattern for resolvers in base.yaml_implicit_resolvers.values()
                    for tag, pattern in resolvers if tag in numbers}
        loader.add_implicit_resolver(numbers[0], _WithoutBase60(patterns[numbers[0]]),
                                     list("-+0123456789"))
        loader.add_implicit_resolver(numbers[1], _WithoutBase60(patterns[numbers[1]]),
                                     list("-+0123456789."))
        _LOADER = loader
    return yaml, _LOADER


class _WithoutBase60:
    """YAML 1.1's int or float pattern without its base-60 form, the only one of its
    forms with a colon. It reuses PyYAML's compiled pattern: compiling our own took a
    one-profile command 2.5 million instructions."""

    def __init__(self, pattern):
        self.pattern = pattern

    def match(self, value: str):
        return None if ":" in value else self.pattern.match(value)


def value_error_message(exc: ValueError | OverflowError) -> str:
    """A parser's ValueError said for a user: a number too long to read, a date that
    does not exist..."""
    text = str(exc)
    if "integer string conversion" in text:
        return f"a number has more than {sys.get_int_max_str_digits():,} digits; no answer needs one"
    return text


def _parse_yaml(text: str, source: str, error: type[InputError]) -> tuple[Any, Lines]:
    yaml, loader_class = _yaml_loader_class()
    try:
        _check_yaml_depth(yaml, loader_class, text, source, error)
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise error.single(source, f"the file is empty: it holds no data; {error.starter}")
            builder = _YamlBuilder(loader, source, error)
            data = builder.build(node, (), 0)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        where = {"line": mark.line + 1, "column": mark.column + 1} if mark else {}
        raise error.single(source, f"invalid YAML: {what}", **where) from None
    except yaml.YAMLError as exc:
        raise error.single(source, f"invalid YAML: {exc}") from None
    if builder.problems:
        raise error(builder.problems)
    return data, builder.lines


def _check_yaml_depth(yaml, loader_class, text: str, source: str,
                      error: type[InputError]) -> None:
    """Refuse deep nesting from the event stream, before the (recursive) composer
    sees it: libyaml's composer crashes the process on a few thousand levels."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _too_deep(source, error, line=mark.line + 1, column=mark.column + 1)
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            depth -= 1


class _YamlBuilder:
    """Builds plain data from the composed node tree, so that duplicate keys, alias
    bombs and depth are caught with their line, and only safe scalar tags are built."""

    def __init__(self, loader, source: str, error: type[InputError]):
        self.loader = loader
        self.source = source
        self.error = error
        self.lines: Lines = {}
        self.problems: list[Problem] = []
        self.count = 0

    def _fail(self, node, message: str):
        raise self.error.single(self.source, message, line=node.start_mark.line + 1,
                                column=node.start_mark.column + 1)

    def build(self, node, path: tuple, depth: int) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_VALUES:
            self._fail(node, f"holds more than {MAX_VALUES:,} values (are anchors and aliases "
                       "expanding it?); a profile needs far fewer")
        if depth > MAX_DEPTH:
            self._fail(node, f"is nested too deeply (at most {MAX_DEPTH} levels)")
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and \
                node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self._fail(node, f"invalid YAML value: unsupported tag {node.tag!r}")
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, path, depth + 1)
                if isinstance(key, list | dict):
                    self._fail(key_node, "a key must be a plain name, not a list or mapping")
                where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if key in out:
                    self.problems.append(Problem(
                        self.source, _dotted(path + (key,)),
                        f"duplicate key (first given on line {self.lines.get(path + (key,), ('?',))[0]}); "
                        "keep only one", line=where[0], column=where[1]))
                    continue
                self.lines[path + (key,)] = where
                out[key] = self.build(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.lines[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                items.append(self.build(item, path + (index,), depth + 1))
            return items
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:  # an unsafe or unknown tag such as !!python/object
            problem = getattr(exc, "problem", None) or str(exc)
            self._fail(node, f"invalid YAML value: {problem}")
        except (ValueError, OverflowError) as exc:  # 2026-02-30, a 5,000-digit number
            where = {"line": node.start_mark.line + 1, "column": node.start_mark.column + 1}
            if node.tag == "tag:yaml.org,2002:timestamp":
                message = f"expected a date written YYYY-MM-DD, got '{node.value}' ({exc})"
            else:
                message = f"invalid YAML value: {value_error_message(exc)}"
            self.problems.append(Problem(self.source, _dotted(path), message, **where))
            return None


def _dotted(path: tuple) -> str:
    from .schema import format_path

    return format_path(path)


# -- TOML ---------------------------------------------------------------------

_TOML_POSITION = r"\(at line (\d+), column (\d+)\)"
_TOML_TABLE = r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$"
_TOML_KEY = r"^\s*([A-Za-z0-9_\-\.\"' ]+?)\s*="


def _parse_toml(text: str, source: str, error: type[InputError]) -> tuple[Any, Lines]:
    import tomllib  # only for TOML files: a YAML profile's command starts 3 ms sooner

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = {}
        found = re.search(_TOML_POSITION, message)
        if found:
            where = {"line": int(found.group(1)), "column": int(found.group(2))}
            message = message[: found.start()].strip()
        if message.startswith("Cannot overwrite a value"):
            message = "duplicate key (a value is given twice); keep only one"
        raise error.single(source, f"invalid TOML: {message}", **where) from None
    except (ValueError, OverflowError) as exc:  # a 5,000-digit number
        raise error.single(source, f"invalid TOML: {value_error_message(exc)}") from None
    return data, _toml_lines(text)


def _toml_lines(text: str) -> Lines:
    """Best-effort field lines for TOML: table headers and `key =` lines."""
    lines: Lines = {}
    table: tuple = ()
    array_counts: dict[tuple, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(_TOML_TABLE, line)
        if header:
            names = tuple(_toml_key_parts(header.group(2)))
            if header.group(1) == "[[":
                index = array_counts.get(names, 0)
                array_counts[names] = index + 1
                table = names + (index,)
            else:
                table = names
            lines.setdefault(table, (number, 1))
            continue
        key = re.match(_TOML_KEY, line)
        if key:
            lines.setdefault(table + tuple(_toml_key_parts(key.group(1))), (number, 1))
    return lines


def _toml_key_parts(dotted: str) -> list[str]:
    return [part.strip().strip("\"'") for part in dotted.split(".")]


# -- JSON ---------------------------------------------------------------------

_JSON_TOKEN = r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+'


def _parse_json(text: str, source: str, error: type[InputError]) -> tuple[Any, Lines]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise error.single(source, f"invalid JSON: {exc.msg}", line=exc.lineno,
                           column=exc.colno) from None
    except (ValueError, OverflowError) as exc:  # a 5,000-digit number
        raise error.single(source, f"invalid JSON: {value_error_message(exc)}") from None
    lines, problems = _json_lines(text, source)
    if problems:
        raise error(problems)
    return data, lines


def _json_lines(text: str, source: str) -> tuple[Lines, list[Problem]]:
    """Walk the (already valid) JSON tokens to find each field's line and duplicate keys."""
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(newlines, offset)
        start = newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1

    lines: Lines = {}
    problems: list[Problem] = []
    # Each frame: [path, kind, next index or pending key, keys seen]
    stack: list[list] = []
    pending_key = None
    for match in re.finditer(_JSON_TOKEN, text):
        token = match.group()
        if stack and stack[-1][1] == "object" and pending_key is None and token.startswith('"'):
            pending_key = json.loads(token)
            path = stack[-1][0] + (pending_key,)
            if pending_key in stack[-1][3]:
                problems.append(Problem(source, _dotted(path), "duplicate key; keep only one",
                                        *position(match.start())))
            else:
                stack[-1][3].add(pending_key)
                lines[path] = position(match.start())
            continue
        if token in (":", ","):
            continue
        if token in ("}", "]"):
            stack.pop()
            continue
        # a value starts here
        if stack and stack[-1][1] == "object":
            path = stack[-1][0] + (pending_key,)
            pending_key = None
        elif stack:
            path = stack[-1][0] + (stack[-1][2],)
            lines[path] = position(match.start())
            stack[-1][2] += 1
        else:
            path = ()
        if token == "{":
            stack.append([path, "object", None, set()])
        elif token == "[":
            stack.append([path, "array", 0, set()])
    return lines, problems
