"""Reading input files with a bound: never more than a limit, never from a special file.

A size checked with `stat` before reading says nothing of what the read returns: a
link to /dev/zero has size 0 and never ends, a named pipe (FIFO) blocks the open
until someone writes, and a file may grow in between. So the file is opened first
(non-blocking, so a FIFO cannot hang the open), the *opened* file is checked to be a
regular file, and at most `limit + 1` bytes are read. Callers turn the two
exceptions into their own user-facing errors.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


class SpecialFile(Exception):
    """The path is a device, a pipe or a socket, not a file with an end."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


class TooLarge(Exception):
    """The file holds more than the limit; `size` is its size, or at least limit + 1."""

    def __init__(self, size: int):
        self.size = size
        super().__init__(size)


def open_regular(path: str | Path) -> tuple[BinaryIO, int]:
    """The file opened for reading and its size; SpecialFile unless it is a regular file,
    IsADirectoryError for a folder, OSError for the rest."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        if not stat.S_ISREG(info.st_mode):
            kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a file")
            raise SpecialFile(kind)
        if hasattr(os, "set_blocking"):
            os.set_blocking(handle, True)
        stream = os.fdopen(handle, "rb")
    except BaseException:
        os.close(handle)
        raise
    return stream, info.st_size


def read_at_most(path: str | Path, limit: int) -> bytes:
    """The whole file, if it is a regular file of at most `limit` bytes."""
    stream, size = open_regular(path)
    with stream:
        if size > limit:
            raise TooLarge(size)
        # read(limit + 1) would allocate the whole limit at once: read what the file
        # holds, then see whether it grew since it was opened
        data = bytearray(stream.read(size))
        while len(data) <= limit:
            more = stream.read(min(_CHUNK, limit + 1 - len(data)))
            if not more:
                break
            data += more
    if len(data) > limit:
        raise TooLarge(len(data))
    return bytes(data)


_CHUNK = 1024 * 1024
