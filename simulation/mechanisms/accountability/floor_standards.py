"""Floor standards: a schedule over years of the minimum share of pupils at the benchmark.

Encodes the floor standards of the sources as policy states them: "at least 25% of their
pupils achieved 5+ A-C GCSEs", later 30% and 35%, and 40% including English and maths
(Berwick; model brief s.4). ``floor_schedule`` is a list of (year, share) steps; the floor in
force in a year is that of the latest step at or before it (none before the first step).
A school below the floor is flagged for the local authority, feels accountability pressure
(:mod:`~simulation.mechanisms.accountability.pressure`) and, when it stays below for ``persistent_years``,
becomes a sponsored academy (:mod:`~simulation.mechanisms.accountability.academies`).
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.declare import mechanism
from simulation.state import Context


def floor_in(schedule, year: float) -> float:
    share = 0.0
    for step in schedule:
        if step.year <= year:
            share = step.share
    return share


@mechanism(reads={"schools": "attainment"}, writes={"system": "below_floor floor"})
def apply_floor(ctx: Context) -> None:
    ctx.system.floor = floor_in(ctx.cfg.floor_schedule, ctx.calendar_year)
    ctx.system.below_floor = ctx.schools.attainment < ctx.system.floor


@mechanism(reads={"system": "below_floor"}, writes={"schools": "below_floor_years"})
def track_persistence(ctx: Context) -> None:
    """Years each school has been below the floor without a break, from its published results."""
    sc = ctx.schools
    sc.below_floor_years = np.where(ctx.system.below_floor, sc.below_floor_years + ctx.dt, 0.0)
