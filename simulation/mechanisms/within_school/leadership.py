"""Leadership capacity: heads come and go, and partnerships grow leaders.

Encodes Ainscow's "leadership has to come from within schools" and his fourth task (does a
school have "the leadership capacity to move their organisations forward"), and the jigsaw
note's partnership benefits "increased cadre of able school leaders" and "succession planning
taken care of". Each year a school gets a new head with probability ``head_turnover``, plus
``pressure.head_risk`` x its accountability pressure (heads' jobs at risk under floors and grades),
drawn from the national distribution; a school with a mature partnership grows its
leadership capacity. Leadership makes coaching a priority, gates special measures, and is
what intervention replaces.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.partnerships import maturity_by_school
from simulation.mechanisms.declare import mechanism
from simulation.state import Context


@mechanism(reads={"schools": "pressure"}, writes={"schools": "leadership", "tally": "heads_changed heads_school"})
def change_heads(ctx: Context) -> None:
    sc, cfg = ctx.schools, ctx.cfg.leadership
    yearly = np.clip(cfg.head_turnover + ctx.cfg.pressure.head_risk * sc.pressure, 0.0, 1.0)
    p = 1 - (1 - yearly) ** ctx.dt
    new = np.flatnonzero(ctx.rng.random(sc.n) < p)
    ctx.tally.heads_changed += new.size
    ctx.tally.heads_school = np.bincount(new, minlength=sc.n)
    sc.leadership[new] = np.clip(ctx.rng.normal(cfg.initial_mean, cfg.initial_sd, new.size), cfg.lowest, cfg.highest)


@mechanism(reads={"links": "a active age b"}, writes={"schools": "leadership"})
def grow_leaders(ctx: Context) -> None:
    sc, cfg = ctx.schools, ctx.cfg.leadership
    mature = maturity_by_school(ctx)
    sc.leadership += cfg.partnership_growth * ctx.dt * mature * (1 - sc.leadership)
