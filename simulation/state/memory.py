"""Refuse a system too large for this machine before allocating it; keep freed memory for reuse.

Measured peak resident memory is about 500-700 bytes per staff post (arrays, temporaries of
a step, data collection) plus the Mesa agents when they are created (about 530 bytes each,
env notes). The estimate below is deliberately on the high side; a scenario whose estimate
exceeds the memory available now (``MemAvailable`` in /proc/meminfo) is refused with one
sentence, so nothing is half-built.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from pathlib import Path

from simulation.params.schema import ConfigError, ModelConfig

BYTES_PER_POST = 1200
BYTES_PER_AGENT = 600
BYTES_PER_SCHOOL = 4000
BASE_BYTES = 250 * 2**20  # Python, NumPy, Mesa, pandas


def expected_staff(cfg: ModelConfig) -> int:
    sc = cfg.system
    per_school = ((1 - sc.share_secondary) * sc.pupils_primary / sc.pupils_per_teacher_primary
                  + sc.share_secondary * sc.pupils_secondary / sc.pupils_per_teacher_secondary)
    return int(sc.n_schools * max(per_school, 2))


def estimate_bytes(cfg: ModelConfig, staff_agents: bool) -> int:
    staff = expected_staff(cfg)
    per_post = BYTES_PER_POST + (BYTES_PER_AGENT if staff_agents else 0)
    return BASE_BYTES + staff * per_post + cfg.system.n_schools * BYTES_PER_SCHOOL


def available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def check_memory(cfg: ModelConfig, staff_agents: bool) -> None:
    need, have = estimate_bytes(cfg, staff_agents), available_bytes()
    if have is not None and need > have:
        raise ConfigError(
            f"system.n_schools={cfg.system.n_schools} (about {expected_staff(cfg):,} staff) needs an estimated "
            f"{need / 2**30:.1f} GiB of memory but only {have / 2**30:.1f} GiB is available; use fewer schools.")


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
