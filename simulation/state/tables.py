"""Array state of staff, schools and partnerships.

Staff and partnerships live in NumPy arrays so that a step is a handful of vectorised
operations whatever the size of the system; Mesa agents are thin views onto rows. Staff
posts are contiguous per school (``school_start[s]:school_start[s+1]``) so per-school sums
are ``np.add.reduceat`` / ``bincount`` calls, and a post is reused when its holder leaves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.mechanisms import kernels
from simulation.params.schema import PartnershipType


@dataclass
class StaffState:
    school: np.ndarray  # int32, sorted: the school a post belongs to
    knowledge: np.ndarray  # deep knowledge, pupil SD (absolute scale)
    base: np.ndarray  # knowledge kept without refreshment (talent + experience + embedded practice)
    shallow: np.ndarray  # copied, not yet embedded knowledge ("drag and drop"); decays
    experience: np.ndarray  # years in teaching
    coach: np.ndarray  # bool: identified as a coach
    trained: np.ndarray  # bool: has had coach training
    expert: np.ndarray  # bool: among the school's experts shared with partners

    @property
    def n(self) -> int:
        return self.knowledge.size

    def effective(self) -> np.ndarray:
        """Knowledge as it acts on pupils this term: deep plus what is still remembered of shallow."""
        return self.knowledge + self.shallow


@dataclass
class SchoolState:
    secondary: np.ndarray  # bool
    pupils: np.ndarray  # int
    n_staff: np.ndarray  # int
    start: np.ndarray  # int, first post of each school (length n+1)
    region: np.ndarray  # int
    x: np.ndarray  # location on the unit square
    y: np.ndarray
    context: np.ndarray  # intake context effect on pupil scores, pupil SD
    pull: np.ndarray  # recruitment pull: mean knowledge of the teachers a school attracts
    leadership: np.ndarray  # leadership capacity [0, 1]
    km_capacity: np.ndarray  # internal knowledge-management capacity [0, 1] (organisational + social capital)
    km_floor: np.ndarray  # the capacity a school keeps by habit without any programme
    moral_capital: np.ndarray  # willingness to help other schools [0, 1]
    grade: np.ndarray  # int 1..4 (Grade)
    special_measures: np.ndarray  # bool
    next_inspection: np.ndarray  # float, model years
    attainment: np.ndarray  # share of pupils reaching the benchmark
    estimate: np.ndarray  # the local authority's estimate of school quality
    reviewed_until: np.ndarray  # float years: peer-review information is fresh until then
    sig: np.ndarray  # int, school improvement group (-1 none)
    intervened_until: np.ndarray  # float years: no new intervention before then
    asked_until: np.ndarray  # float years: a school that declined to support is not asked again before then
    pilot: np.ndarray  # bool: member of a Growing the Top pilot trio
    # Per-term plan, set by the strategy allocation
    coaching_days: np.ndarray = field(default=None)  # type: ignore[assignment]
    cpd_days: np.ndarray = field(default=None)  # type: ignore[assignment]
    innovation_days: np.ndarray = field(default=None)  # type: ignore[assignment]
    external_gain: np.ndarray = field(default=None)  # type: ignore[assignment]
    coaching_intensity: np.ndarray = field(default=None)  # type: ignore[assignment]
    released: np.ndarray = field(default=None)  # type: ignore[assignment]

    @property
    def n(self) -> int:
        return self.pupils.size

    def reset_plan(self) -> None:
        zeros = np.zeros(self.n)
        self.coaching_days = zeros.copy()
        self.cpd_days = zeros.copy()
        self.innovation_days = zeros.copy()
        self.external_gain = zeros.copy()
        self.coaching_intensity = zeros.copy()
        self.released = zeros.copy()


class PartnershipState:
    """A growable table of partnerships between two schools.

    ``a`` and ``b`` are the two schools; for a support partnership ``a`` is the supporter.
    Rows of ended partnerships are reused (``active`` False).
    """

    COLUMNS = {
        "a": np.int64, "b": np.int64, "ptype": np.int8, "age": np.float64, "depth": np.float64,
        "high_leverage": np.bool_, "facilitated": np.bool_, "brokered": np.bool_,
        "active": np.bool_, "funded": np.bool_, "until": np.float64, "start_quality": np.float64, "group": np.int64,
    }

    def __init__(self, capacity: int = 64) -> None:
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        self.group[:] = -1

    @property
    def capacity(self) -> int:
        return self.a.size

    def live(self) -> np.ndarray:
        return np.flatnonzero(self.active)

    def count(self) -> int:
        return int(self.active.sum())

    def add(self, a: np.ndarray, b: np.ndarray, ptype: int, *, depth: float, high_leverage: np.ndarray,
            facilitated: bool, brokered: bool, start_quality: np.ndarray, group: np.ndarray | None = None,
            funded: bool = False, until: float = np.inf) -> np.ndarray:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        n = a.size
        if n == 0:
            return np.empty(0, dtype=np.int64)
        free = np.flatnonzero(~self.active)
        if free.size < n:
            self._grow(self.capacity + max(n, self.capacity))
            free = np.flatnonzero(~self.active)
        rows = free[:n]
        self.a[rows], self.b[rows] = a, b
        self.ptype[rows] = ptype
        self.age[rows] = 0.0
        self.depth[rows] = depth
        self.high_leverage[rows] = high_leverage
        self.facilitated[rows] = facilitated
        self.brokered[rows] = brokered
        self.funded[rows] = funded
        self.until[rows] = until
        self.start_quality[rows] = start_quality
        self.group[rows] = -1 if group is None else group
        self.active[rows] = True
        return rows

    def end(self, rows: np.ndarray) -> None:
        self.active[rows] = False

    def _grow(self, capacity: int) -> None:
        for name, dtype in self.COLUMNS.items():
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=dtype)
            if name == "group":
                new[:] = -1
            new[: old.size] = old
            setattr(self, name, new)

    def degree(self, n_schools: int, rows: np.ndarray | None = None) -> np.ndarray:
        rows = self.live() if rows is None else rows
        return (np.bincount(self.a[rows], minlength=n_schools) + np.bincount(self.b[rows], minlength=n_schools))

    def pairs(self) -> set[tuple[int, int]]:
        rows = self.live()
        return {(int(min(x, y)), int(max(x, y))) for x, y in zip(self.a[rows], self.b[rows])}


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
        return kernels.segment_count(values, start)  # reduceat on bools would compute a logical or
    return np.add.reduceat(values, start[:-1]) if values.size else np.zeros(start.size - 1)


def school_mean(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    return school_sum(values, start) / np.diff(start)
