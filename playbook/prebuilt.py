"""Cold-start artefacts shipped with the package, for the built-in templates only.

A first run (or any run with an empty or disabled cache) would otherwise parse every
knowledge file (PyYAML, about 100 KB) and compile every Jinja template, which together
cost more than the rest of a one-profile command. `tools/make_prebuilt.py` writes:

- `prebuilt/knowledge.json`: each built-in knowledge file's parsed data;
- `prebuilt/templates.json`: the Python source Jinja generates for each built-in
  template (Python source, not bytecode, so it suits every supported Python);
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
import zlib
from functools import cache
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "prebuilt"
KNOWLEDGE = FOLDER / "knowledge.json"
TEMPLATES = FOLDER / "templates.json"
DOCX = FOLDER / "docx.json"  # the Word writer's prepared built-in reference
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


def docx_prepared(key: str) -> dict[str, Any] | None:
    """The Word writer's prepared parts for the default look, if made from exactly
    what `key` names (the reference's and the writer's sources' checksums)."""
    data = _load(DOCX).get("prepared")
    return data if isinstance(data, dict) and data.get("key") == key else None
