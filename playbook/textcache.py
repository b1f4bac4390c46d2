"""A cache of parsed knowledge files, so a one-profile command starts fast.

Parsing the knowledge files (about 100 KB of YAML) costs 30 to 50 ms, a quarter of
`playbook explain`'s start-up; reading the same data back as JSON costs about 2 ms.
Each file's parsed data is kept in the user's cache folder with the file's size and
modification time, and used only while they match: an edited file is parsed again.
The cache holds data only (JSON, never code), and any problem with it (no home
folder, a read-only disk, a damaged entry) just means parsing as usual.

`PLAYBOOK_CACHE_DIR` chooses the folder (default `$XDG_CACHE_HOME/playbook`, else
`~/.cache/playbook`); set it to an empty value to turn the cache off.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = 1  # bump when the cached layout changes


def cache_folder() -> Path | None:
    chosen = os.environ.get("PLAYBOOK_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "playbook"


def cached_parse(path: Path, parse: Callable[[Path], Any]) -> Any:
    """`parse(path)`, or the data it gave last time if the file has not changed."""
    folder = cache_folder()
    try:
        stat = path.stat()
    except OSError:
        return parse(path)  # let the parser report the problem
    if folder is None:
        return parse(path)
    # The entry's name comes from the file's path (two checksums: zlib is already
    # loaded, hashlib would add 3 ms to start-up); the stamp inside decides validity.
    name = str(path.resolve()).encode("utf-8")
    key = f"{zlib.crc32(name):08x}{zlib.adler32(name):08x}"
    entry = folder / f"{key}.json"
    stamp = [FORMAT, stat.st_size, stat.st_mtime_ns]
    try:
        with open(entry, encoding="utf-8") as stream:
            cached = json.load(stream)
        if cached.get("stamp") == stamp:
            return cached["data"]
    except (OSError, ValueError, AttributeError):
        pass
    data = parse(path)
    try:
        if json.loads(json.dumps(data)) != data:
            return data  # not plain JSON data (e.g. a date): not cached
        folder.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"stamp": stamp, "data": data}), encoding="utf-8")
        os.replace(temporary, entry)
    except (OSError, TypeError, ValueError):
        pass
    return data
