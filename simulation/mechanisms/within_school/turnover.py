"""Turnover and recruitment: teachers leave, their posts are filled by new teachers.

Encodes the England figures of the model brief (section 4): about 10% of teachers leave the
state sector a year; about 87% of new teachers are still teaching after one year and 70%
after five. Schools under accountability pressure (below the floor, inadequate or in special measures;
less when graded requires improvement or just above the floor: ``pressure``) lose staff faster, and a mature
partnership improves retention (jigsaw note: "improved staff retention"). Knowledge leaves
with the teacher, which is why gains that live only in people fade and why a school needs
knowledge management to keep them. The post is reused: the new holder takes the row.
New teachers bring the knowledge of initial training, which follows the system's mean
practice in part (``entrant_tracking``), plus the school's recruitment pull.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.between_schools.partnerships import maturity_by_school
from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import mean_knowledge, posts_of, school_mean, segments_of



@mechanism(
    reads={"staff": "experience", "schools": "pressure", "links": "a active age b"}
)
def leaving_hazard(ctx: Context) -> np.ndarray:
    """Annual leaving hazard of every post holder."""
    return _hazard_by_career_stage(ctx)[career_stage(ctx.staff.experience), ctx.staff.school]


def career_stage(experience: np.ndarray) -> np.ndarray:
    """0 in the first year, 1 in years 2-5, 2 when established."""
    return (experience >= 1).view(np.int8) + (experience >= 5).view(np.int8)


def _hazard_by_career_stage(ctx: Context) -> np.ndarray:
    """Annual leaving hazard per career stage (rows) and school (columns)."""
    cfg, sc = ctx.cfg.staff, ctx.schools
    mature = maturity_by_school(ctx)
    school_factor = (1 + ctx.cfg.pressure.staff_turnover * sc.pressure) * (1 - cfg.partnership_retention * mature)
    stage = np.array([cfg.leave_rate_first_year, cfg.leave_rate_early, cfg.leave_rate_established])
    return np.clip(stage[:, None] * school_factor[None, :], 0, 1)


@mechanism(
    reads={"schools": "km_capacity pull pressure", "links": "a active age b",
           "system": "frontier initial_entrant_level initial_mean_knowledge"},
    writes={"staff": "base coach experience expert knowledge shallow trained",
            "tally": "leavers_school leavers_term leavers_total"}
)
def turnover(ctx: Context) -> np.ndarray:
    """Teachers leave and posts are refilled; returns the posts that changed hands."""
    st = ctx.staff
    # a few hundred thousand holders share 3 x n_schools distinct hazards: convert those, then look up
    p_stage = 1 - (1 - _hazard_by_career_stage(ctx)) ** ctx.dt
    leavers = np.flatnonzero(leaving_kernel(st.experience, ctx.schools.start, p_stage, ctx.rng.random(st.n)))
    ctx.tally.leavers_total += leavers.size
    ctx.tally.leavers_term = leavers.size
    ctx.tally.leavers_school = np.bincount(st.school[leavers], minlength=ctx.schools.n)
    recruit(ctx, leavers)
    return leavers


@mechanism(reads={"staff": "knowledge shallow", "system": "initial_entrant_level initial_mean_knowledge"})
def entrant_level(ctx: Context) -> float:
    cfg = ctx.cfg.staff
    system = ctx.system
    drift_of_practice = mean_knowledge(ctx.staff) - system.initial_mean_knowledge
    return system.initial_entrant_level + cfg.entrant_shift + cfg.entrant_tracking * drift_of_practice


@mechanism(
    reads={"schools": "km_capacity pull", "system": "frontier initial_entrant_level initial_mean_knowledge"},
    writes={"staff": "base coach experience expert knowledge shallow trained"}
)
def recruit(ctx: Context, posts: np.ndarray) -> None:
    if posts.size == 0:
        return
    st, cfg, sc = ctx.staff, ctx.cfg.staff, ctx.schools
    sd_within = cfg.knowledge_sd * np.sqrt(1 - cfg.knowledge_between_share)
    k = entrant_level(ctx) + sc.pull[st.school[posts]] + ctx.rng.normal(0, sd_within, posts.size)
    hiring = np.unique(st.school[posts])  # the school's practice as habit, before they join: only where someone joins
    habit = school_mean(st.base[posts_of(hiring, sc.start)], segments_of(hiring, sc.start))
    embedded = habit[np.searchsorted(hiring, st.school[posts])]
    k += cfg.induction * sc.km_capacity[st.school[posts]] * np.maximum(embedded - k, 0.0)
    k = np.minimum(k, ctx.system.frontier)
    st.knowledge[posts] = k
    st.base[posts] = k
    st.shallow[posts] = 0.0
    st.experience[posts] = 0.0
    st.coach[posts] = False
    st.trained[posts] = False
    st.expert[posts] = False


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def leaving_kernel(experience, start, p_stage, u):
    """Whether each post holder leaves: a uniform draw ``u`` below the leaving probability of
    their career stage (first year, years 2-5, established) at their school."""
    out = np.empty(experience.size, dtype=np.bool_)
    for s in range(start.size - 1):
        for p in range(start[s], start[s + 1]):
            stage = (experience[p] >= 1) + (experience[p] >= 5)  # without branches: the stages are mixed
            out[p] = u[p] < p_stage[stage, s]
    return out
