"""Accountability pressure: how floor standards, league tables and grades change what schools do.

Encodes the responses to accountability that the England record shows and the sources name among
the levers: floors and league tables "pulled effort toward pupils near the benchmark" and shaped
which qualifications pupils were entered for (educational triage: Gillborn & Youdell 2000; pupils near
the C/D threshold gained most under league tables: Burgess, Propper, Slater & Wilson 2005; equivalent
qualifications: Wolf 2011), and they put heads' jobs at risk. A school feels pressure only from what it
can see of itself - its published results against the floor in force and its latest inspection grade:
1 below the floor, inadequate or in special measures; ``requires_improvement`` when so graded;
``near_floor`` when its results are less than ``near_floor_margin`` above the floor. League tables
press on every school (``league_tables``) but only toward focus, not jobs.

Focus lifts a share (``focus`` x the pressure) of the pupils within ``focus_band`` below the benchmark
over it - the benchmark share rises without teaching knowledge rising - and costs every pupil
``focus_cost`` x focus in mean score (effort and curriculum narrowed). Its costs in staff and heads are
in :mod:`~simulation.mechanisms.within_school.turnover` and :mod:`~simulation.mechanisms.within_school.leadership`.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.declare import mechanism
from simulation.params.enums import Grade
from simulation.state import Context


@mechanism(reads={"schools": "attainment grade special_measures", "system": "below_floor floor"},
           writes={"schools": "focus pressure"})
def feel_pressure(ctx: Context) -> None:
    """pressure_s from the school's published results and grade; focus_s = focus x max(pressure_s, league_tables)."""
    cfg, sc, system = ctx.cfg.pressure, ctx.schools, ctx.system
    full = system.below_floor | sc.special_measures | (sc.grade == Grade.inadequate)
    near = (system.floor > 0) & ~system.below_floor & (sc.attainment < system.floor + cfg.near_floor_margin)
    pressure = np.where(full, 1.0, 0.0)
    pressure = np.maximum(pressure, cfg.requires_improvement * (sc.grade == Grade.requires_improvement))
    sc.pressure = np.maximum(pressure, cfg.near_floor * near)
    sc.focus = cfg.focus * np.maximum(sc.pressure, cfg.league_tables)
