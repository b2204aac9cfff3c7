"""System-wide state, declared in one place: what the system knows and has set (frontier, floor,
grade boundaries, the authority's ranking, results history), the clock, and the tally of
resources and events a run counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np


@dataclass(slots=True)
class Clock:
    """Model time. Written only by the model's schedule; every mechanism may read it."""

    dt: float  # years per step
    steps_per_year: int
    term: int = 0  # completed steps
    new_year: bool = True  # this step opens a school year

    @property
    def years_elapsed(self) -> float:
        return self.term * self.dt


@dataclass(slots=True)
class SystemState:
    frontier: float  # best knowledge anyone holds (pupil SD); only innovation moves it
    benchmark: float  # pupil score at the benchmark, fixed at the start
    pupil_sigma: float  # pupil-level noise SD
    initial_mean_knowledge: float
    initial_entrant_level: float  # mean knowledge of a new teacher at the start
    floor: float = 0.0  # floor standard in force (share at the benchmark)
    below_floor: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # published: below the floor
    grade_boundaries: np.ndarray = field(default_factory=lambda: np.zeros(3))  # inadequate|RI, RI|good, good|outstanding
    framework_revisions: int = 0
    estimate_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # weakest first, by estimate
    yearly_attainment: list = field(default_factory=list)  # each school's mean attainment of the last two years
    attainment_sum: np.ndarray | None = None  # this school year's attainment so far
    pilot_started: bool = False
    cold_region: int = -1  # the cold spot region (measured against the rest); -1 in a one-region system


class Inspections(NamedTuple):
    """One inspection round: the schools judged at a time, what the inspectors saw and decided."""

    years: float  # model years since the start
    schools: np.ndarray
    previous: np.ndarray  # grade before (0 at the first inspection)
    grade: np.ndarray
    score: np.ndarray  # the judgement score the grade is cut from (pupil SD)
    special_measures: np.ndarray
    boundaries: np.ndarray  # the grade boundaries in force (inadequate|RI, RI|good, good|outstanding)


@dataclass(slots=True)
class Tally:
    """Resources spent and events counted. Staff and officer days are per step (reset by the
    schedule); the rest accumulate over the run."""

    staff_days_used: float = 0.0  # strategy-budget staff days this step
    officer_days_used: float = 0.0  # officer days this step
    officer_carry: float = 0.0  # officer days left over from earlier steps
    own_staff_days: float = 0.0  # schools' own days on partnerships they chose, this step
    spend: dict = field(default_factory=dict)  # budget staff days per lever, this step
    interventions: int = 0
    innovations_adopted: int = 0
    innovations_harmful: int = 0
    partnerships_rebrokered: int = 0
    coaching_gain: float = 0.0
    leavers_total: int = 0
    leavers_term: int = 0  # teachers who left this step
    heads_changed: int = 0
    academies: int = 0  # schools converted to sponsored academies (structural intervention)
    central_officer_days: float = 0.0  # officer days of structural intervention this step (not the authority's)
    inspection_log: list = field(default_factory=list)  # Inspections, one per round
    # beyond attainment, per school this step and per partnership form over the run (formalisation.record_forms)
    leavers_school: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # teachers who left, this step
    heads_school: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # new heads, this step
    form_school_years: np.ndarray = field(default_factory=lambda: np.zeros(0))  # school-years spent in each form
    form_post_years: np.ndarray = field(default_factory=lambda: np.zeros(0))  # staff post-years in each form
    form_leavers: np.ndarray = field(default_factory=lambda: np.zeros(0))  # teachers who left schools of each form
    form_heads: np.ndarray = field(default_factory=lambda: np.zeros(0))  # new heads in schools of each form
