"""A small, deterministic ZIP writer for .docx packages.

A .docx is a ZIP archive. Most of its parts (styles, numbering, theme, logo) are the
same for every playbook of a batch, so they are compressed once (`Member`) and only
copied afterwards; `zipfile` would compress them again for every document. Every
entry carries the same fixed timestamp, so the same parts always give the same bytes
and a re-rendered playbook differs only where its content does.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from typing import NamedTuple

# 1980-01-01 00:00:00, the earliest date a ZIP entry can hold.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1
_DEFLATED = 8
_VERSION = 20  # "2.0": deflate, no ZIP64 (parts are far below 4 GB)


class Member(NamedTuple):
    """One compressed entry, ready to be written into any number of archives."""

    name: bytes
    crc: int
    size: int
    data: bytes


def member(name: str, raw: bytes, level: int = 6) -> Member:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    data = compressor.compress(raw) + compressor.flush()
    return Member(name.encode("utf-8"), zlib.crc32(raw), len(raw), data)


def archive(members: Iterable[Member]) -> bytes:
    """The ZIP archive of `members`, in the order given."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    count = 0
    for entry in members:
        flags = 0x800 if not entry.name.isascii() else 0  # UTF-8 names
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, flags, _DEFLATED, _DOS_TIME,
                             _DOS_DATE, entry.crc, len(entry.data), entry.size,
                             len(entry.name), 0)
        chunks += (header, entry.name, entry.data)
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION, _VERSION, flags,
                                   _DEFLATED, _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data),
                                   entry.size, len(entry.name), 0, 0, 0, 0, 0, offset)
                       + entry.name)
        offset += len(header) + len(entry.name) + len(entry.data)
        count += 1
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(directory), offset, 0)
    return b"".join(chunks) + directory + end
