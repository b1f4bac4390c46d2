"""Output files: safe names, no overwriting a consultant's edits, atomic writes.

Names are slugs of the company name (ASCII letters, digits and dashes, at most 80
characters, never a Windows reserved name), so no profile can write outside the
output folder. Every file is written to a temporary file in the same folder and then
moved into place: an interrupted run leaves complete files or none. A new file is
moved in with a hard link, which fails if the name exists (`create_new`): checking
first and renaming after would let two runs, or a file made in between, be replaced.
Temporary files carry the host and process that made them, so the next run removes
those a killed run left (`remove_stale_temporaries`).
"""

from __future__ import annotations

import errno
import os
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError

MAX_SLUG = 80
MAX_SLUG_BYTES = 120
# Separators: every ASCII character but lower-case letters and digits (slugify keeps
# non-ASCII letters, digits and marks). Written as the ASCII ranges, not as the
# complement of [0-9a-z\u0080-\U0010ffff]: compiling that large class costs 30 million
# instructions at start-up (tests/test_outputs.py checks both match the same characters).
_SEPARATORS = re.compile(r"[\x00-/:-`{-\x7f]+")
# Unicode letters in names where the file system encodes them (every current one)
_UNICODE_NAMES = sys.getfilesystemencoding().lower().replace("-", "") == "utf8"
# mkstemp makes private (0600) files; outputs get the usual permissions instead, so
# colleagues or a web server can read them. Read once: setting the umask is global.
_UMASK = os.umask(0o022)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
             *(f"lpt{i}" for i in range(10))}


def slugify(text: str, fallback: str = "playbook") -> str:
    """'Boulangerie Müller & Fils' -> 'boulangerie-muller-fils'; 'Αθηνά Café' ->
    'αθηνά-cafe'; '🥐 Croissants' -> 'croissant-croissants'.

    Latin letters lose their accents (as before, so existing names stay); letters and
    digits of other scripts are kept as they are (every current file system takes
    them); symbols such as emoji are written by their Unicode name; anything else
    separates words. At most 80 characters and 120 bytes, so the hidden temporary
    name stays within the 255 bytes a file name may have.
    """
    pieces: list[str] = []
    after_letter = False  # a combining mark belongs to the letter kept before it
    for char in unicodedata.normalize("NFC", text):
        category = unicodedata.category(char)
        folded = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if folded:
            pieces.append(folded.lower())
            after_letter = False
        elif _UNICODE_NAMES and (category[0] in "LN" or (category[0] == "M" and after_letter)):
            pieces.append(char.lower())
            after_letter = True
        elif category == "So":
            pieces.append(f" {unicodedata.name(char, '').lower()} ")
            after_letter = False
        else:
            pieces.append(" ")
            after_letter = False
    slug = _SEPARATORS.sub("-", unicodedata.normalize("NFC", "".join(pieces))).strip("-")
    slug = slug[:MAX_SLUG]
    while len(slug.encode("utf-8")) > MAX_SLUG_BYTES:
        slug = slug[:-1]
    slug = slug.strip("-")
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


def check_writable(folder: Path) -> None:
    """Fail once, before any rendering, if files cannot be made in `folder` (read-only,
    no permission, full): not once per profile after each one's work."""
    try:
        _unlink(_temporary(Path(folder) / "write-test", b""))
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write: {_describe(exc)}") from None


def check_free(paths: Iterable[Path], force: bool) -> None:
    """Refuse to overwrite existing outputs without --force: they may hold edits."""
    if force:
        return
    existing = [p for p in paths if p.exists()]
    if existing:
        names = ", ".join(str(p) for p in existing)
        raise OutputError(f"{names}: already exists; it may hold edits. Use --force to "
                          "overwrite, or choose another folder with -o")


def _host_tag() -> str:
    # platform.node() is the host name socket.gethostname() gives (uname's node name),
    # and platform is loaded already (click imports it): socket would cost start-up
    import platform

    return re.sub(r"[^A-Za-z0-9-]+", "-", platform.node())[:40] or "host"


_TEMPORARY = r"^\.(?P<name>.+)\.(?P<host>[A-Za-z0-9-]+)-(?P<pid>\d+)\.[^.]+\.tmp$"
STALE_AFTER = 24 * 3600  # a temporary of another machine (a shared folder) this old is dead


class FileExists(OutputError):
    """`create_new` found the name taken: by a file the user has, or another run."""


def open_temporary(path: Path) -> tuple[BinaryIO, str]:
    """A new hidden file next to `path`, open for writing; its name says who made it
    (host and process), so a run killed before `place` leaves one the next removes."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{_host_tag()}-{os.getpid()}.",
                                         suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, FILE_MODE)
        return os.fdopen(handle, "wb"), temporary
    except BaseException:
        os.close(handle)
        _unlink(temporary)
        raise


def _temporary(path: Path, data: bytes) -> str:
    """A complete temporary copy of `data` next to `path`."""
    stream, temporary = open_temporary(path)
    try:
        with stream:
            stream.write(data)
    except BaseException:
        _unlink(temporary)
        raise
    return temporary


def _unlink(path: str | Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def describe_os_error(exc: OSError) -> str:
    return _describe(exc)


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename (replaces `path`:
    only for --force and for files this run made)."""
    try:
        temporary = _temporary(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_describe(exc)}") from None
    place(temporary, path, replace=True)


def create_new(path: Path, data: bytes) -> None:
    """Write `data` to `path`, which must not exist: the complete file appears at once
    or not at all, and an existing file (even one made a moment ago by another run)
    is never replaced. Raises FileExists if the name is taken."""
    try:
        temporary = _temporary(path, data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_describe(exc)}") from None
    place(temporary, path, replace=False)


def place(temporary: str, path: Path, replace: bool) -> None:
    """Move a complete temporary file to `path`: replacing what is there, or (replace
    False) with a hard link, which fails if the name exists. The temporary is gone
    afterwards, whatever happens."""
    try:
        if replace:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)  # fails if `path` exists, atomically
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                 errno.EMLINK, errno.ENOSYS):
                raise
            _move_without_links(temporary, path)  # a file system without hard links
    except FileExistsError:
        raise FileExists(f"{path}: already exists; it may hold edits. Use --force to "
                         "overwrite, or choose another folder with -o") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {_describe(exc)}") from None
    finally:
        _unlink(temporary)


def _move_without_links(temporary: str, path: Path) -> None:
    """Where hard links are refused (FAT, some network shares): Windows' rename never
    replaces; elsewhere the name is claimed exclusively first, then filled by rename."""
    if os.name == "nt":
        os.rename(temporary, path)  # raises FileExistsError if taken
        return
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    os.replace(temporary, path)


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporary files that runs killed mid-write (kill -9, power loss)
    left in `folder`: those of this machine whose process is gone, and any older
    than a day. Returns how many were removed."""
    host, removed = _host_tag(), 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        # compiled on the first name that may match (`re` caches it): a folder without
        # temporaries spares a one-shot command compiling it
        found = name.endswith(".tmp") and re.match(_TEMPORARY, name)
        if not found:
            continue
        path = Path(folder) / name
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            continue
        pid = int(found.group("pid"))
        mine = found.group("host") == host
        if age > STALE_AFTER or (mine and pid != os.getpid() and not _alive(pid)):
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        return True  # left to the age rule
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
