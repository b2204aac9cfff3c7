"""Turnover and recruitment: teachers leave, their posts are filled by new teachers.

Encodes the England figures of the model brief (section 4): about 10% of teachers leave the
state sector a year; about 87% of new teachers are still teaching after one year and 70%
after five. Schools below the floor or in special measures lose staff faster, and a mature
partnership improves retention (jigsaw note: "improved staff retention"). Knowledge leaves
with the teacher, which is why gains that live only in people fade and why a school needs
knowledge management to keep them. The post is reused: the new holder takes the row.
New teachers bring the knowledge of initial training, which follows the system's mean
practice in part (``entrant_tracking``), plus the school's recruitment pull.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels


def leaving_hazard(model) -> np.ndarray:
    """Annual leaving hazard of every post holder."""
    return _hazard_by_career_stage(model)[career_stage(model.staff.experience), model.staff.school]


def career_stage(experience: np.ndarray) -> np.ndarray:
    """0 in the first year, 1 in years 2-5, 2 when established."""
    return (experience >= 1).view(np.int8) + (experience >= 5).view(np.int8)


def _hazard_by_career_stage(model) -> np.ndarray:
    """Annual leaving hazard per career stage (rows) and school (columns)."""
    cfg, sc = model.cfg.staff, model.schools
    struggling = (sc.special_measures | model.below_floor).astype(float)
    mature = model.partnership_maturity_by_school()
    school_factor = (1 + cfg.weak_school_turnover * struggling) * (1 - cfg.partnership_retention * mature)
    stage = np.array([cfg.leave_rate_first_year, cfg.leave_rate_early, cfg.leave_rate_established])
    return np.clip(stage[:, None] * school_factor[None, :], 0, 1)


def turnover(model) -> np.ndarray:
    """Teachers leave and posts are refilled; returns the posts that changed hands."""
    st = model.staff
    # a few hundred thousand holders share 3 x n_schools distinct hazards: convert those, then look up
    p_stage = 1 - (1 - _hazard_by_career_stage(model)) ** model.dt
    leavers = np.flatnonzero(kernels.leaving(st.experience, model.schools.start, p_stage, model.rng.random(st.n)))
    model.leavers_total += leavers.size
    recruit(model, leavers)
    return leavers


def entrant_level(model) -> float:
    cfg = model.cfg.staff
    return model.initial_entrant_level + cfg.entrant_shift + cfg.entrant_tracking * (model.mean_knowledge() - model.initial_mean_knowledge)


def recruit(model, posts: np.ndarray) -> None:
    if posts.size == 0:
        return
    st, cfg, sc = model.staff, model.cfg.staff, model.schools
    sd_within = cfg.knowledge_sd * np.sqrt(1 - cfg.knowledge_between_share)
    k = entrant_level(model) + sc.pull[st.school[posts]] + model.rng.normal(0, sd_within, posts.size)
    k = np.minimum(k, model.frontier)
    st.knowledge[posts] = k
    st.base[posts] = k
    st.shallow[posts] = 0.0
    st.experience[posts] = 0.0
    st.coach[posts] = False
    st.trained[posts] = False
    st.expert[posts] = False
