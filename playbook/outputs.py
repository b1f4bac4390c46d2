"""Output files: safe names, no overwriting a consultant's edits, atomic writes.

Names are slugs of the company name (ASCII letters, digits and dashes, at most 80
characters, never a Windows reserved name), so no profile can write outside the
output folder. Every file is written to a temporary file in the same folder and then
renamed: an interrupted run leaves complete files or none.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError

MAX_SLUG = 80
# mkstemp makes private (0600) files; outputs get the usual permissions instead, so
# colleagues or a web server can read them. Read once: setting the umask is global.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def slugify(text: str, fallback: str = "playbook") -> str:
    """'Boulangerie Müller & Fils' -> 'boulangerie-muller-fils'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_SLUG].strip("-")
    if not slug:
        slug = fallback
    if slug in _RESERVED:
        slug = f"{slug}-playbook"
    return slug


def unique_slugs(names: Iterable[str]) -> list[str]:
    """Slugs for several names, disambiguated (-2, -3...) so no two outputs collide.

    Names differing only in case or accents share a slug, so they are numbered too.
    """
    taken: set[str] = set()
    out = []
    for name in names:
        base = slugify(name)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        out.append(slug)
    return out


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the folder is read-only"
    return exc.strerror or str(exc)


def ensure_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; choose another folder with -o")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder: {_describe(exc)}") from None


def check_free(paths: Iterable[Path], force: bool) -> None:
    """Refuse to overwrite existing outputs without --force: they may hold edits."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"{names}: already exists; it may hold edits. Use --force to "
                          "overwrite, or choose another folder with -o")


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename."""
    handle, temporary = None, None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            handle = None
            stream.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_describe(exc)}") from None
    finally:
        if handle is not None:
            os.close(handle)
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
