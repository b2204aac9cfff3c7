"""The partnership table: a growable set of links between two schools."""

from __future__ import annotations

import numpy as np

COLUMNS = {
    "a": np.int64, "b": np.int64, "ptype": np.int8, "age": np.float64, "depth": np.float64,
    "high_leverage": np.bool_, "facilitated": np.bool_, "brokered": np.bool_,
    "active": np.bool_, "funded": np.bool_, "until": np.float64, "start_quality": np.float64, "group": np.int64,
    "distance": np.float64, "online": np.bool_,
}


class PartnershipState:
    """A growable table of partnerships between two schools.

    ``a`` and ``b`` are the two schools; for a support partnership ``a`` is the supporter.
    Rows of ended partnerships are reused (``active`` False). ``group`` ties the links of one
    network or trio together (-1 for a pair). ``distance`` is between the two schools (km);
    ``online`` partners meet online rather than face to face.
    """

    __slots__ = (*COLUMNS, "groups_made", "_live")
    COLUMNS = COLUMNS
    LAYOUT = ()

    def __init__(self, capacity: int = 64) -> None:
        for name, dtype in COLUMNS.items():
            setattr(self, name, np.zeros(capacity, dtype=dtype))
        self.group[:] = -1
        self.groups_made = 0
        self._live: np.ndarray | None = None

    @property
    def capacity(self) -> int:
        return self.a.size

    def live(self) -> np.ndarray:
        """The rows of live partnerships (read-only; kept until a link is added or ended, as a
        term asks for them a few dozen times)."""
        active = self.active  # read even when cached: what the rows stand for (mechanism declarations)
        if self._live is None:
            self._live = np.flatnonzero(active)
            self._live.flags.writeable = False
        return self._live

    def count(self) -> int:
        return int(self.active.sum())

    def next_group(self) -> int:
        """A new group id for the links of one network or trio."""
        self.groups_made += 1
        return self.groups_made

    def add(self, a: np.ndarray, b: np.ndarray, ptype: int, *, depth: float, high_leverage: np.ndarray,
            facilitated: bool, brokered: bool, start_quality: np.ndarray, group: np.ndarray | None = None,
            funded: bool = False, until: float = np.inf, distance: np.ndarray | float = 0.0,
            online: np.ndarray | bool = False) -> np.ndarray:
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
        self.distance[rows] = distance
        self.online[rows] = online
        self.active[rows] = True
        self._live = None
        return rows

    def end(self, rows: np.ndarray) -> None:
        self.active[rows] = False
        self._live = None

    def _grow(self, capacity: int) -> None:
        for name, dtype in COLUMNS.items():
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=dtype)
            if name == "group":
                new[:] = -1
            new[: old.size] = old
            setattr(self, name, new)
        self._live = None

    def degree(self, n_schools: int, rows: np.ndarray | None = None) -> np.ndarray:
        rows = self.live() if rows is None else rows
        return (np.bincount(self.a[rows], minlength=n_schools) + np.bincount(self.b[rows], minlength=n_schools))

    def pairs(self) -> set[tuple[int, int]]:
        rows = self.live()
        return {(int(min(x, y)), int(max(x, y))) for x, y in zip(self.a[rows], self.b[rows])}
