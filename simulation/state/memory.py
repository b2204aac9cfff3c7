"""Keep freed memory for reuse (glibc), so staff-sized temporaries do not cost page faults."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

# glibc mallopt parameters (malloc.h)
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
MMAP_THRESHOLD = 32 * 2**20  # glibc's maximum: staff-sized arrays (4 MB at England scale) stay below it
TRIM_THRESHOLD = 512 * 2**20
TOP_PAD = 64 * 2**20


@functools.cache
def reuse_freed_memory() -> bool:
    """Let glibc reuse freed staff-sized arrays instead of returning them to the system.

    A step creates and frees a few hundred temporary arrays of one value per staff post. By
    default glibc serves each from fresh ``mmap`` pages and unmaps it when freed, so every
    temporary costs page faults (a quarter of an England run's time, measured). Raising the
    mmap and trim thresholds keeps them in the heap; peak memory is unchanged. Process-wide
    and done once; a no-op where the C library is not glibc. Returns whether it applied.
    """
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return False
    settings = ((M_MMAP_THRESHOLD, MMAP_THRESHOLD), (M_TRIM_THRESHOLD, TRIM_THRESHOLD), (M_TOP_PAD, TOP_PAD))
    return all(mallopt(param, value) == 1 for param, value in settings)
