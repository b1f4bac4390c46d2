"""Cold-start artefacts shipped with the package, for the built-in templates only.

A first run (or any run with an empty or disabled cache) would otherwise parse every
knowledge file (PyYAML, about 100 KB) and compile every Jinja template, which together
cost more than the rest of a one-profile command. `tools/make_prebuilt.py` writes:

- `prebuilt/knowledge.json`: each built-in knowledge file's parsed data;
- `prebuilt/knowledge-merged.json`: all of them as `load_knowledge` reads them (texts
  flattened to their codes), for a run that uses the built-in files alone, and the
  same as marshal data for the Python that made the artefacts
  (`knowledge-merged.<cache tag>.marshal`);
- `prebuilt/templates.json`: the Python source Jinja generates for each built-in
  template (Python source, not bytecode, so it suits every supported Python);
- `prebuilt/templates.<cache tag>.marshal`: that source compiled by the Python that
  made the artefacts (`cpython-311`...), as a .pyc holds it: that Python skips even
  the compiling (67 million instructions, most of a first run's extra work); any other
  Python compiles the source above;
- `prebuilt/help.txt`: `playbook --help` as click writes it in 80 columns, printed by
  the script's entry point (`playbook.entry`) without importing click;
- `prebuilt/docx.json`: the Word writer's prepared parts for the built-in reference
  and the default look (no brand), which would otherwise need lxml on a first run.

Each entry carries a checksum of the file or template source it came from, and is
used only while that source is unchanged (an edited checkout falls back to parsing
and compiling as usual); the templates' code also only for the same Jinja2 version
and environment class. A test checks the committed files are up to date. A user's
`--templates` folder never uses them: it keeps the cache next to the knowledge cache.
"""

from __future__ import annotations

import json
import marshal
import sys
import zlib
from functools import cache
from importlib.util import MAGIC_NUMBER
from pathlib import Path
from types import CodeType
from typing import Any

FOLDER = Path(__file__).resolve().parent / "prebuilt"
KNOWLEDGE = FOLDER / "knowledge.json"
KNOWLEDGE_MERGED = FOLDER / "knowledge-merged.json"  # all of them, read and flattened
# the same for this Python (marshal reads it in half the time): magic number, then data
KNOWLEDGE_MERGED_CODE = FOLDER / f"knowledge-merged.{sys.implementation.cache_tag}.marshal"
TEMPLATES = FOLDER / "templates.json"
# the templates' code for this Python: its bytecode's magic number, then marshal data
TEMPLATE_CODE = FOLDER / f"templates.{sys.implementation.cache_tag}.marshal"
DOCX = FOLDER / "docx.json"  # the Word writer's prepared built-in reference
HELP = FOLDER / "help.txt"  # `playbook --help` as click writes it (read by playbook.entry)
FORMAT = 1
MISSING = object()


def checksum(data: bytes) -> str:
    """Size and two checksums (zlib is loaded already; hashlib would cost start-up)."""
    return f"{len(data)}-{zlib.crc32(data):08x}-{zlib.adler32(data):08x}"


@cache
def _load(path: Path) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
        return data if data.get("format") == FORMAT else {}
    except (OSError, ValueError, AttributeError):
        return {}


def knowledge_data(path: Path, builtin: Path) -> Any:
    """The parsed data of built-in knowledge file `path`, or MISSING if it is not a
    built-in file or has changed since the artefact was made. Fresh objects each call."""
    try:
        name = path.resolve().relative_to(builtin.resolve()).as_posix()
    except ValueError:
        return MISSING
    entry = _load(KNOWLEDGE).get("files", {}).get(name)
    if entry is None:
        return MISSING
    try:
        if checksum(path.read_bytes()) != entry["source"]:
            return MISSING
        return json.loads(entry["data"])
    except (OSError, KeyError, TypeError, ValueError):
        return MISSING


def knowledge_merged(files: list[Path], builtin: Path) -> tuple[dict, dict, dict] | None:
    """What `knowledge.read_knowledge_files(files, builtin)` gives (its top-level entries
    limited to `knowledge.STRUCTURE_KEYS`), if `files` are exactly the built-in files the
    artefact was made from, unchanged; None otherwise. Fresh objects each call."""
    try:
        # each file's folder resolved once (the files' contents are checked below)
        root = builtin.resolve()
        folders = {folder: folder.resolve().relative_to(root)
                   for folder in {path.parent for path in files}}
        named = {(folders[path.parent] / path.name).as_posix(): path for path in files}
        if len(named) != len(files):
            return None
        data = _read_marshal(KNOWLEDGE_MERGED_CODE)  # read each time: fresh objects
        if not data:  # another Python: the same data as JSON, twice as long to read
            with open(KNOWLEDGE_MERGED, encoding="utf-8") as stream:
                data = json.load(stream)
        sources = data["sources"]
        if data.get("format") != FORMAT or named.keys() != sources.keys():
            return None
        for name, path in named.items():
            if checksum(path.read_bytes()) != sources[name]:
                return None
        defined_in = {key: str(named[name]) for key, name in data["defined_in"].items()}
        return data["raw"], defined_in, data["messages"]
    except (OSError, KeyError, TypeError, ValueError, AttributeError):
        return None


def template_code(name: str, source: str, environment: str, jinja_version: str) -> str | None:
    """The Python source Jinja generates for built-in template `name` with this
    `source`, in an environment of class `environment`; None if not prebuilt."""
    data = _load(TEMPLATES)
    if data.get("jinja2") != jinja_version or data.get("environment") != environment:
        return None
    entry = data.get("templates", {}).get(name)
    if entry is None or entry.get("source") != checksum(source.encode("utf-8")):
        return None
    return entry.get("code")


def _read_marshal(path: Path) -> dict[str, Any]:
    """A marshal artefact made by this Python, or {}."""
    try:
        data = path.read_bytes()
        # the magic number first, as in a .pyc: another Python's data is never unmarshalled
        if not data.startswith(MAGIC_NUMBER):
            return {}
        loaded = marshal.loads(data[len(MAGIC_NUMBER):])
        return loaded if isinstance(loaded, dict) and loaded.get("format") == FORMAT else {}
    except (OSError, ValueError, EOFError, TypeError):
        return {}


@cache
def _load_code() -> dict[str, Any]:
    return _read_marshal(TEMPLATE_CODE)


def template_bytecode_ships(environment: str, jinja_version: str) -> bool:
    """Whether the built-in templates' code ships compiled for this Python, this Jinja2
    and this environment class (then no bytecode cache is worth reading)."""
    data = _load_code()
    return data.get("jinja2") == jinja_version and data.get("environment") == environment


def template_bytecode(name: str, source: str, environment: str, jinja_version: str,
                      filename: str) -> CodeType | None:
    """The compiled code of built-in template `name` with this `source` (as
    `template_code`), located in `filename`; None if not prebuilt for this Python."""
    data = _load_code()
    if data.get("jinja2") != jinja_version or data.get("environment") != environment:
        return None
    entry = data.get("templates", {}).get(name)
    if entry is None or entry[0] != checksum(source.encode("utf-8")):
        return None
    return _located(entry[1], filename)


def _located(code: CodeType, filename: str) -> CodeType:
    """The code and the functions it defines with `filename`, as compiling the template
    here would give (tracebacks name the template by it)."""
    consts = tuple(_located(c, filename) if isinstance(c, CodeType) else c
                   for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def docx_prepared(key: str) -> dict[str, Any] | None:
    """The Word writer's prepared parts for the default look, if made from exactly
    what `key` names (the reference's and the writer's sources' checksums)."""
    data = _load(DOCX).get("prepared")
    return data if isinstance(data, dict) and data.get("key") == key else None
