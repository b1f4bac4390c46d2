"""An operating-system ceiling on the memory a user's template may take.

Linux does not raise MemoryError when a process asks for too much: it hands out
address space and later kills someone (or swaps for minutes). A limit on the address
space (RLIMIT_AS) makes the kernel refuse the allocation instead, so Python raises
MemoryError at once, which the renderer reports as `template-memory`. The limit is the
address space in use when rendering starts plus `MEMORY_BUDGET`, set as the soft
limit for the template's rendering only and put back afterwards (a process may raise
its soft limit again up to the hard one), so the rest of the run is unaffected.

Where it applies: Linux and the BSDs. macOS accepts RLIMIT_AS but does not enforce it,
and Windows has no such limit: there the template bounds of `render.py` (value sizes,
widths, repeats, output size, time) are the protection, as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

MEMORY_BUDGET = 512 * 1024 * 1024  # 512 MiB over what the process uses; a playbook needs MBs

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


def enforced() -> bool:
    """Whether this platform makes the limit real."""
    return resource is not None and hasattr(resource, "RLIMIT_AS") and sys.platform != "darwin" \
        and _address_space() is not None


def _address_space() -> int | None:
    """The bytes of address space this process uses now (Linux: /proc/self/statm)."""
    try:
        with open("/proc/self/statm", "rb") as stream:
            pages = int(stream.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_ceiling(budget: int = MEMORY_BUDGET) -> Iterator[None]:
    """Within the block, allocations past the current use plus `budget` fail with
    MemoryError (where `enforced()`); a lower limit already in force is kept."""
    used = _address_space() if enforced() else None
    if used is None:
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    ceiling = used + budget
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    if soft != resource.RLIM_INFINITY and soft <= ceiling:
        yield  # already stricter
        return
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
