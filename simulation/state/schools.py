"""The school table: one row per school. What the local authority plans for a school each term
lives apart, in :mod:`simulation.state.plan`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(slots=True)
class SchoolState:
    secondary: np.ndarray  # bool
    pupils: np.ndarray  # int
    n_staff: np.ndarray  # int
    start: np.ndarray  # int, first post of each school (length n+1)
    region: np.ndarray  # int: a contiguous area of the map (simulation.geography)
    authority: np.ndarray  # int: the local authority, a contiguous part of one region
    x: np.ndarray  # location, km
    y: np.ndarray  # location, km
    context: np.ndarray  # intake context effect on pupil scores, pupil SD
    pull: np.ndarray  # recruitment pull: mean knowledge of the teachers a school attracts
    leadership: np.ndarray  # leadership capacity [0, 1]
    km_capacity: np.ndarray  # internal knowledge-management capacity [0, 1] (organisational + social capital)
    km_floor: np.ndarray  # the capacity a school keeps by habit without any programme
    moral_capital: np.ndarray  # willingness to help other schools [0, 1]
    grade: np.ndarray  # int 1..4 (Grade): the latest inspection judgement
    judged: np.ndarray  # the score of the latest judgement (pupil SD), which the grade was cut from
    special_measures: np.ndarray  # bool
    next_inspection: np.ndarray  # float, model years
    attainment: np.ndarray  # share of pupils reaching the benchmark (published results)
    estimate: np.ndarray  # the local authority's estimate of school quality (accumulated from readings)
    estimate_var: np.ndarray  # its variance (inf before the first reading)
    km_estimate: np.ndarray  # the authority's latest reading of knowledge-management capacity
    reviewed_until: np.ndarray  # float years: peer-review information is fresh until then
    sig: np.ndarray  # int, school improvement group (-1 none)
    intervened_until: np.ndarray  # float years: no new intervention before then
    asked_until: np.ndarray  # float years: a school that declined to support is not asked again before then
    pilot: np.ndarray  # bool: member of a Growing the Top pilot trio
    score: np.ndarray  # mean pupil score relative to the benchmark score (pupil SD): what pupils learn
    pressure: np.ndarray  # accountability pressure felt from published results and grades [0, 1]
    focus: np.ndarray  # share of pupils just below the benchmark lifted over it by focused effort [0, 1]
    focus_lift: np.ndarray  # share of the school's pupils over the benchmark only through focus
    below_floor_years: np.ndarray  # float years below the floor without a break (published results)
    academy: np.ndarray  # bool: a sponsored academy (structural intervention)
    # fields with a default come last; built as "none" when not given (the partnership jigsaw)
    trust: np.ndarray | None = None  # int: the multi-academy trust (its founding sponsor's index; -1 none)
    cluster: np.ndarray | None = None  # int: the hub school of the school's trust cluster (-1 none)

    def __post_init__(self) -> None:
        for name in ("trust", "cluster"):
            if getattr(self, name) is None:
                setattr(self, name, np.full(self.pupils.size, -1, dtype=np.int64))

    LAYOUT = ("start", "n_staff", "n")  # what never changes after construction: free to read, never written

    @property
    def n(self) -> int:
        return self.pupils.size
