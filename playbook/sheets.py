"""Sheets as profile sources: a CSV or XLSX file with one client per row.

The header row names profile fields by their dotted paths (`company.name`,
`staffing.interested_person`, `organization.departments`); each cell is converted
with the profile schema (`playbook.schema.fields_of`), then the row is validated
like a profile file, under a source such as `portfolio.csv:row 4` so every error
points at its row. Conversion is lenient where spreadsheets are (French booleans,
decimal commas, `1 200`, dates as Excel shows them) and never guesses an answer: an
empty cell is unknown, and a cell it cannot read is passed on as text, so validation
reports it with its usual message. The cell syntax is documented in docs/batch.md.

Reading is split from validating: `read_sheet()` runs where the portfolio is
planned (it needs no catalogue), `load_row()` where the row is rendered.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .bounded import open_regular
from .errors import InputError, Problem, ProfileError
from .profile import LoadedProfile, Profile, validate_data
from .schema import FieldInfo, fields_of, suggest
from .sources import read_bytes, reading_errors

SHEET_SUFFIXES = (".csv", ".tsv", ".xlsx", ".xlsm")
MAX_SHEET_BYTES = 64 * 1024 * 1024  # tens of thousands of clients; beyond, it is not a portfolio
NETWORKS = "presence.networks"
LIST_SEPARATOR = ";"
NONE_WORDS = {"none", "aucun", "aucune"}  # a list answered "none", unlike an empty cell
TRUE_WORDS = {"true", "yes", "oui", "vrai", "1", "y", "o"}
FALSE_WORDS = {"false", "no", "non", "faux", "0", "n"}
ACTIVE_WORDS = {"active": True, "actif": True, "inactive": False, "inactif": False}
SPREADSHEET_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!",
                      "#VALEUR!", "#NOM?", "#NUL!", "#NOMBRE!"}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_DAY_FIRST = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)?)([km]?)$", re.IGNORECASE)


@dataclass(frozen=True)
class SheetRow:
    """One client: its profile data as nested dicts, and the cells that could not be read."""

    sheet: str  # the sheet's path, as the user named it
    row: int  # as a spreadsheet numbers it: the header is row 1
    name: str  # the company.name cell ('' when empty), which names the outputs
    data: dict
    problems: tuple[Problem, ...] = ()

    @property
    def source(self) -> str:
        return f"{self.sheet}:row {self.row}"


@dataclass
class Sheet:
    path: str
    rows: list[SheetRow]
    warnings: list[str] = field(default_factory=list)


def is_sheet(path: Path) -> bool:
    return path.suffix.lower() in SHEET_SUFFIXES


# -- the columns a sheet may have ----------------------------------------------

def _leaves(cls: type, prefix: str = "") -> dict[str, FieldInfo]:
    out: dict[str, FieldInfo] = {}
    for info in fields_of(cls):
        path = prefix + info.name
        if info.kind == "object":
            assert info.cls is not None
            out.update(_leaves(info.cls, path + "."))
        else:
            out[path] = info
    return out


def columns() -> dict[str, FieldInfo]:
    """Every column a sheet may have: the profile's fields by dotted path."""
    return _leaves(Profile)


def _sections() -> set[str]:
    return {path.rsplit(".", 1)[0] for path in columns() if "." in path}


# -- reading ----------------------------------------------------------------

def read_sheet(path: Path) -> Sheet:
    """The rows of a CSV or XLSX sheet; an InputError if the sheet as a whole is unusable."""
    warnings, rows = iter_sheet(path)
    return Sheet(str(path), list(rows), warnings)


def iter_sheet(path: Path, names_only: bool = False) -> tuple[list[str], Iterator[SheetRow]]:
    """The sheet's warnings and its rows, converted one at a time as they are taken
    (a batch of 100,000 rows never holds them all: a CSV sheet is read from the file
    a chunk at a time). The header is checked before this returns; a problem further
    down (a damaged workbook) is an InputError raised by the iterator. `names_only`:
    each row's number and company name, no data (how a batch names its outputs, at
    a fraction of the cost)."""
    source = str(path)
    warnings: list[str] = []
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raw = read_bytes(path, InputError, MAX_SHEET_BYTES,
                         "split the portfolio into several sheets")
        records = _xlsx_records(raw, source)
    else:
        records = _csv_records(path, source, path.suffix.lower() == ".tsv", warnings)
    return warnings, _rows(source, records, names_only)


# Byte patterns of text encodings without a byte order mark: a header row is ASCII
# (field names), so every character of the first one has zero bytes around it.
_UNMARKED = ((b"\x00\x00\x00", 1, "utf-32-le"), (b"\x00\x00\x00", 0, "utf-32-be"),
             (b"\x00", 1, "utf-16-le"), (b"\x00", 0, "utf-16-be"))
_MARKS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
          (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CHUNK = 64 * 1024  # bytes read at a time: the sheet is never held whole
_TOO_LARGE = "split the portfolio into several sheets"


def _open_sheet(path: Path, source: str) -> BinaryIO:
    """The sheet opened for reading, if it is a regular file within MAX_SHEET_BYTES (the
    same errors as a profile file's)."""
    with reading_errors(source, InputError, MAX_SHEET_BYTES, _TOO_LARGE):
        stream, size = open_regular(path)
    if size > MAX_SHEET_BYTES:
        stream.close()
        raise _too_large(source, size)
    return stream


def _too_large(source: str, size: int) -> InputError:
    return InputError.single(source, f"file is too large ({size:,} bytes, at most "
                             f"{MAX_SHEET_BYTES:,}); {_TOO_LARGE}")


class _NotText(Exception):
    """The bytes are not text in the encoding tried; `line` is where it failed."""

    def __init__(self, line: int):
        self.line = line
        super().__init__(line)


def _text_chunks(path: Path, source: str, encoding: str) -> Iterator[str]:
    """The sheet's text, decoded a chunk at a time (never the whole file in memory);
    _NotText where a byte does not decode, an InputError for a NUL character or a
    file that grew past the limit."""
    import codecs

    decoder = codecs.getincrementaldecoder(encoding)()
    total = lines = 0
    with _open_sheet(path, source) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            total += len(chunk)
            if total > MAX_SHEET_BYTES:  # it grew since it was opened
                raise _too_large(source, total)
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # exc.object is the bytes held back from the last chunk and this one
                raise _NotText(lines + exc.object[:exc.start].count(b"\n") + 1) from None
            if "\x00" in text:
                raise InputError.single(source, "holds NUL characters: it is not a text "
                                        "sheet; save it as CSV UTF-8")
            if text:
                lines += text.count("\n")
                yield text
            if not chunk:
                return


def _encoding(path: Path, source: str, warnings: list[str]) -> str:
    """UTF-8 (with or without Excel's BOM), UTF-16 or UTF-32 (with a BOM, as Excel's
    "Unicode text" has, or without), else Windows-1252, which French Excel writes for
    plain "CSV", with a warning. The whole file is decoded once to choose, a chunk at
    a time, so a bad byte on the last row is reported before any row is used."""
    with _open_sheet(path, source) as stream:
        head = stream.read(4)
    encoding = next((name for mark, name in _MARKS if head.startswith(mark)), None)
    for zeros, start, name in _UNMARKED:
        if encoding is None and len(head) == 4 and head[start:start + len(zeros)] == zeros and (
                name.startswith("utf-16") or head[3 * (1 - start)] != 0):
            encoding = name
    failed = 0  # the line of the byte UTF-8 could not read
    for tried in ([encoding] if encoding else ["utf-8-sig", "cp1252"]):
        try:
            for _ in _text_chunks(path, source, tried):
                pass
        except _NotText as exc:
            if tried == "cp1252":
                raise InputError.single(source, "is not UTF-8 text; save it as UTF-8",
                                        line=failed) from None
            if tried != "utf-8-sig":
                raise InputError.single(source, "is not UTF-8 text; save it as UTF-8") from None
            failed = exc.line
            continue
        if tried == "cp1252":
            warnings.append(f"{source}: is not UTF-8; read as Windows-1252 (Excel's plain CSV); "
                            "save it as \"CSV UTF-8\" to be sure accents are right")
        return tried
    raise AssertionError("unreachable")


def _csv_records(path: Path, source: str, tab_first: bool,
                 warnings: list[str]) -> Iterator[tuple[int, list]]:
    encoding = _encoding(path, source, warnings)
    lines = _lines(_text_chunks(path, source, encoding), source)
    first = next(lines, "")
    hint = re.fullmatch(r"\s*sep=([,;\t|])\s*", first)  # Excel's own delimiter line
    if hint:
        delimiter = hint.group(1)
    else:
        delimiter = sniff_delimiter(first.rstrip("\r\n"), tab_first=tab_first)
        lines = itertools.chain([first], lines) if first else lines
    # csv's 128 KB cap on a cell would fail a whole sheet for one long note; the file
    # itself is already bounded (MAX_SHEET_BYTES)
    if csv.field_size_limit() < MAX_SHEET_BYTES:
        csv.field_size_limit(MAX_SHEET_BYTES)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    return _csv_rows(reader, source)


_LINE_END = re.compile(r"\r\n|\r|\n")


def _lines(chunks: Iterator[str], source: str) -> Iterator[str]:
    """The text's lines with their endings (\\n, \\r\\n or a lone \\r), one at a time,
    from chunks of text that may cut a line anywhere."""
    pending: list[str] = []
    try:
        for text in chunks:
            if pending and pending[-1].endswith("\r") and not text.startswith("\n"):
                yield "".join(pending)  # a lone \r ended the last chunk's line
                pending.clear()
            start = 0
            for end in _LINE_END.finditer(text):
                stop = end.end()
                if stop == len(text) and text.endswith("\r"):
                    break  # the \n of a \r\n may begin the next chunk
                pending.append(text[start:stop])
                yield "".join(pending)
                pending.clear()
                start = stop
            if start < len(text):
                pending.append(text[start:])
    except _NotText:  # it decoded once: the file changed since
        raise InputError.single(source, "is not UTF-8 text; save it as UTF-8 (was it "
                                "changed during the batch?)") from None
    if pending:
        yield "".join(pending)


def _csv_rows(reader, source: str) -> Iterator[tuple[int, list]]:
    number = 0
    while True:
        try:
            record = next(reader, None)
        except csv.Error as exc:
            raise InputError.single(source, f"invalid CSV: {exc}", line=reader.line_num) from None
        if record is None:
            return
        number += 1
        yield number, record


def sniff_delimiter(header: str, tab_first: bool = False) -> str:
    """The delimiter of a sheet, from its header line.

    Headers are field paths, which hold no comma, semicolon or tab, so whichever of
    them the header line holds most is the delimiter (French Excel writes `;`).
    """
    candidates = ["\t", ",", ";"] if tab_first else [",", ";", "\t"]
    counts = {c: header.count(c) for c in candidates}
    best = max(candidates, key=lambda c: counts[c])  # first in order on a tie
    return best if counts[best] else candidates[0]


MAX_WORKBOOK_EXPANDED = 512 * 1024 * 1024  # the parts of a workbook, uncompressed


def _workbook_error(source: str, reason: str) -> InputError:
    return InputError.single(source, f"cannot read the workbook ({reason}); save it from "
                             "Excel or LibreOffice as .xlsx, or as CSV UTF-8")


def _check_workbook(raw: bytes, source: str) -> None:
    """Refuse, before openpyxl parses anything, a workbook whose parts expand past a
    bound (a zip bomb) or declare a DTD (entities: workbooks never have one)."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            infos = package.infolist()
            expanded = sum(info.file_size for info in infos)
            if expanded > MAX_WORKBOOK_EXPANDED:
                raise _workbook_error(source, f"its parts expand to {expanded:,} bytes, more "
                                      f"than {MAX_WORKBOOK_EXPANDED:,}")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    with package.open(info) as part:
                        head = part.read(2048)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _workbook_error(source, f"{info.filename} declares a DTD, which "
                                              "a workbook never has")
    except InputError:
        raise
    except Exception as exc:  # a damaged zip: zipfile, zlib or CRC errors
        raise _workbook_error(source, str(exc).strip() or type(exc).__name__) from None


def _xlsx_records(raw: bytes, source: str) -> Iterator[tuple[int, list]]:
    """Rows of the workbook's first sheet (openpyxl, imported only for workbooks), read
    as they are needed: a bad header is reported before the rest is parsed, and a part
    damaged further on is this sheet's error, never a crash of the batch."""
    _check_workbook(raw, source)
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a corrupt or foreign file: zip, XML or openpyxl errors
        raise _workbook_error(source, str(exc).strip() or type(exc).__name__) from None
    try:
        if not workbook.worksheets:
            return
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        number = 0
        while True:
            try:
                values = next(rows, None)
            except Exception as exc:  # a part cut short, bad XML further down the sheet
                raise _workbook_error(source, str(exc).strip() or type(exc).__name__) from None
            if values is None:
                return
            number += 1
            values = list(values)
            while values and values[-1] is None:  # rows come padded to the widest one
                values.pop()
            yield number, values
    finally:
        workbook.close()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _rows(source: str, records: Iterable[tuple[int, list]],
          names_only: bool = False) -> Iterator[SheetRow]:
    """Check the header now, then convert each non-blank row below it as it is taken."""
    records = iter(records)
    for _, header in records:
        if not all(_blank(v) for v in header):
            break
    else:
        raise InputError.single(source, "the sheet is empty; its first row must name the "
                                "profile fields (company.name, ...), one client per row below")
    fields = _header_fields(source, header)
    if names_only:
        fields = [column if column and column[1] == "company.name" else None
                  for column in fields]
    return (_convert_row(source, number, fields, values) for number, values in records
            if not all(_blank(v) for v in values))


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _header_fields(source: str, header: list) -> list[tuple[int, str, FieldInfo] | None]:
    """(index, path, field) for each column, None for ignored ones; every problem at once."""
    known = columns()
    sections = _sections()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    fields: list[tuple[int, str, FieldInfo] | None] = []
    for index, cell in enumerate(header):
        name = "" if cell is None else str(cell).strip()
        where = f"column {_column_letter(index)}"
        if not name or name.startswith("#"):  # blank or a note column: the agency's own
            fields.append(None)
            continue
        path = name.lower()
        if path in sections:
            options = ", ".join(p for p in known if p.startswith(path + "."))
            problems.append(Problem(source, message=f"{where} '{name}': is a section, not a "
                                    f"field; name one of its fields: {options}"))
        elif path not in known:
            problems.append(Problem(source, message=f"{where} '{name}': unknown column"
                                    f"{suggest(path, known)}; columns are profile fields such "
                                    "as company.name or staffing.trained (see docs/batch.md); "
                                    "start a note column's name with #"))
        elif path in seen:
            problems.append(Problem(source, message=f"{where} '{name}': the same field as column "
                                    f"{_column_letter(seen[path])}; keep only one"))
        else:
            seen[path] = index
            fields.append((index, path, known[path]))
            continue
        fields.append(None)
    if not problems and "company.name" not in seen:
        problems.append(Problem(source, message="no company.name column; every row needs the "
                                "company's name (it also names the output files)"))
    if problems:
        raise InputError(problems)
    return fields


# -- cells ------------------------------------------------------------------

def _convert_row(source: str, number: int, fields, values: list) -> SheetRow:
    data: dict = {"company": {}}  # so a row without a name fails on company.name
    problems: list[Problem] = []
    row_source = f"{source}:row {number}"
    if len(values) > len(fields):
        # in a CSV, a cell holding the delimiter but no quotes spills into the next cells
        problems.append(Problem(row_source, message=f"has more cells than the header has "
                                f"columns ({len(fields)}): a value under no header, or in a "
                                "CSV a cell holding the delimiter without quotes around it"))
    for column in fields:
        if column is None:
            continue
        index, path, info = column
        value = values[index] if index < len(values) else None
        if _blank(value):
            continue  # an empty cell is an unknown answer: the field is left out
        if isinstance(value, str):
            value = value.strip()
            if value in SPREADSHEET_ERRORS:
                problems.append(Problem(row_source, path, f"holds the spreadsheet error {value}; "
                                        "fix the formula or empty the cell"))
                continue
        if path == NETWORKS:
            converted, messages = parse_networks(value)
            problems += [Problem(row_source, path, m) for m in messages]
        else:
            converted = convert_cell(info, value)
        target = data
        *parents, leaf = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = converted
    name = data["company"].get("name")
    name = str(name).strip() if name is not None and not isinstance(name, bool) else ""
    return SheetRow(source, number, name, data, tuple(problems))


def convert_cell(info: FieldInfo, value: Any) -> Any:
    """A cell as the schema wants it; what cannot be read is returned as it is, for
    validation to report with its usual message."""
    kind = info.kind
    if kind == "list":
        assert info.item is not None
        if not isinstance(value, str):
            return [convert_cell(info.item, value)]
        if value.lower() in NONE_WORDS:
            return []
        separators = "[;,]" if info.item.kind == "enum" else LIST_SEPARATOR  # words hold no comma
        return [convert_cell(info.item, item.strip()) for item in re.split(separators, value)
                if item.strip()]
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if isinstance(value, int | float) and value in (0, 1):
            word = str(int(value))
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        return value
    if kind in ("int", "number"):
        return parse_number(value) if isinstance(value, str) else value
    if kind == "date":
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, str):
            day_first = _DAY_FIRST.match(value)
            if day_first:  # as French Excel shows dates: 22/11/2026
                day, month, year = map(int, day_first.groups())
                try:
                    return datetime.date(year, month, day)
                except ValueError:
                    return value
        return value
    if kind == "str" and not isinstance(value, str | bool):
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # a name typed as a number: 1664, not 1664.0
        if isinstance(value, datetime.datetime | datetime.date):
            return value.isoformat()[:10]
        return str(value)
    return value


def parse_number(text: str) -> Any:
    """'1 200' -> 1200, '1200,50' -> 1200.5, '300 €' -> 300; the text if it is no number."""
    cleaned = _SPACES.sub("", text).removesuffix("€").removesuffix("EUR")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")  # a decimal comma
    for kind in (int, float):
        try:
            value = kind(cleaned)
        except ValueError:
            continue
        return value if value == value and value not in (float("inf"), float("-inf")) else text
    return text


def _count(text: str) -> int | None:
    """A follower count: '800', '1 200', '12k', '1,5M'."""
    found = _COUNT.match(_SPACES.sub("", text))
    if not found:
        return None
    number = float(found.group(1).replace(",", "."))
    scale = {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2).lower()]
    return round(number * scale)


def parse_networks(cell: Any) -> tuple[list[dict], list[str]]:
    """`facebook:800; linkedin:120:inactive; x:@maison_duval` -> presence.networks.

    Each entry is a platform id, then optional parts separated by `:` in any order:
    a follower count, active or inactive, and last a handle (starting with @) or a
    web address (which may hold colons). `none` means no accounts.
    """
    text = str(cell).strip()
    if text.lower() in NONE_WORDS:
        return [], []
    networks, problems = [], []
    for entry in (e.strip() for e in text.split(LIST_SEPARATOR)):
        if not entry:
            continue
        platform, *parts = [p.strip() for p in entry.split(":")]
        network: dict[str, Any] = {"platform": platform}
        for position, part in enumerate(parts):
            if not part:
                continue
            count = _count(part)
            if count is not None and "followers" not in network:
                network["followers"] = count
            elif part.lower() in ACTIVE_WORDS and "active" not in network:
                network["active"] = ACTIVE_WORDS[part.lower()]
            elif part.startswith("@") or "/" in part or "." in part or _URL.match(
                    ":".join(parts[position:])):
                network["handle"] = ":".join(parts[position:])  # a web address holds colons
                break
            else:
                problems.append(f"'{part}' in '{entry}' is not a follower count, active or "
                                "inactive, or a handle (@name or a web address); write "
                                "platform:followers:active:@handle, e.g. linkedin:120:inactive")
        networks.append(network)
    return networks, problems


# -- validating -------------------------------------------------------------

def load_row(row: SheetRow, catalogue) -> LoadedProfile:
    """Validate a row as a profile; a ProfileError lists every problem of the row."""
    problems = list(row.problems)
    try:
        loaded = validate_data(row.data, row.source, catalogue.accepted_ids, catalogue.aliases,
                               choices=getattr(catalogue, "profile_choices", None))
    except ProfileError as exc:
        problems += exc.problems
        loaded = None
    if problems:
        raise ProfileError(problems)
    assert loaded is not None
    return loaded
