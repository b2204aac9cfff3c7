"""Per-school views of staff arrays. Staff posts are contiguous per school
(``start[s]:start[s+1]``), so per-school sums are ``np.add.reduceat`` or one compiled loop."""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.params.schema import PartnershipType


def of_types(ptype: np.ndarray, types) -> np.ndarray:
    """Whether each partnership type is one of ``types`` (a table lookup: ``np.isin`` costs more)."""
    table = np.zeros(len(PartnershipType), dtype=bool)
    table[list(types)] = True
    return table[ptype]


def posts_of(schools: np.ndarray, start: np.ndarray) -> np.ndarray:
    """All staff posts of the given schools (posts are contiguous per school)."""
    sizes = start[schools + 1] - start[schools]
    offsets = np.repeat(start[schools] - (np.cumsum(sizes) - sizes), sizes)
    return np.arange(int(sizes.sum())) + offsets


def segments_of(schools: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Where each school's posts begin in ``posts_of(schools, start)`` (plus the end)."""
    return np.concatenate([[0], np.cumsum(start[schools + 1] - start[schools])])


def school_sum(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Sum of a staff array per school (posts are contiguous per school)."""
    if values.dtype == np.bool_:
        return segment_count(values, start)  # reduceat on bools would compute a logical or
    return np.add.reduceat(values, start[:-1]) if values.size else np.zeros(start.size - 1)


def school_mean(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    return school_sum(values, start) / np.diff(start)


def school_knowledge(staff, schools, which: np.ndarray | None = None) -> np.ndarray:
    """Mean effective knowledge of every school's staff, or of the schools ``which`` only."""
    if which is None:
        return school_mean(staff.effective(), schools.start)
    posts = posts_of(which, schools.start)
    return school_mean(staff.knowledge[posts] + staff.shallow[posts], segments_of(which, schools.start))


def mean_knowledge(staff) -> float:
    return float(staff.effective().mean())


@njit(cache=True)
def segment_mean(values, start):
    """Mean of ``values`` over each school's posts, summed in post order (as ``np.bincount``)."""
    out = np.empty(start.size - 1)
    for s in range(start.size - 1):
        total = 0.0
        for p in range(start[s], start[s + 1]):
            total += values[p]
        out[s] = total / (start[s + 1] - start[s])
    return out


@njit(cache=True)
def segment_count(flags, start):
    """Number of set flags over each school's posts."""
    out = np.zeros(start.size - 1, dtype=np.int64)
    for s in range(start.size - 1):
        count = 0
        for p in range(start[s], start[s + 1]):
            count += flags[p]
        out[s] = count
    return out


@njit(cache=True)
def top_per_school(values, start, count, out):
    """Mark the ``count[s]`` largest values of each school (ties: the earlier post first).
    One pass per school keeping its current top posts in order, as a school has a few
    dozen posts and a handful of experts."""
    top = np.empty(max(count.max(), 1), dtype=np.int64)
    for s in range(start.size - 1):
        lo, hi = start[s], start[s + 1]
        out[lo:hi] = False
        c = min(count[s], hi - lo)
        if c <= 0:
            continue
        filled = 0
        lowest = -np.inf  # the smallest value in a full top list
        for p in range(lo, hi):
            v = values[p]
            if filled == c and not v > lowest:
                continue
            i = min(filled, c - 1)  # slot to fill, then move up past smaller values
            while i > 0 and v > values[top[i - 1]]:
                top[i] = top[i - 1]
                i -= 1
            top[i] = p
            filled = min(filled + 1, c)
            lowest = values[top[c - 1]] if filled == c else -np.inf
        for i in range(filled):
            out[top[i]] = True


@njit(cache=True)
def clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)
