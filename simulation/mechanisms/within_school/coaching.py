"""Internal coaching: identify relatively better staff, train them as coaches, release time.

Encodes Berwick's three learning questions for reducing disparity: *identify* "the
individuals achieving relatively higher outcomes for pupils" from performance information
(noisy: ``identification_noise``), make them *capable of sharing* "by providing coaching
training" (an untrained coach has only ``untrained_skill`` of a trained one's effect), and
ensure *others learn from them* "by ensuring that there is time allocated for regular
coaching" (released days per mentee, with diminishing returns). Leadership makes coaching a
priority ("this process will not be effective unless it becomes a key priority"). Coaching
builds the school's knowledge-management capacity, which in turn lets it absorb external
knowledge later. Size calibrated to the coaching meta-analysis (+0.18 pupil SD, about half at
scale; model brief s.4): see ``simulation.checks.calibration.coaching_effect``.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels
from simulation.state.tables import posts_of, school_sum, segments_of


def coaches_needed(model) -> np.ndarray:
    return np.maximum(1, np.round(model.cfg.coaching.coach_share * model.schools.n_staff)).astype(np.int64)


def full_cost(model) -> np.ndarray:
    """Staff days per term each school needs for coaching at the configured intensity."""
    cfg, st, sc = model.cfg.coaching, model.staff, model.schools
    trained_coaches = school_sum(st.coach & st.trained, sc.start)
    untrained = np.maximum(coaches_needed(model) - trained_coaches, 0)
    mentees = sc.n_staff - coaches_needed(model)
    return cfg.coaching_time * model.dt * mentees + cfg.coach_training_days * untrained


def identify_coaches(model, schools: np.ndarray) -> None:
    """Pick each school's coaches from noisy outcome data: the relatively better staff."""
    st, sc, cfg = model.staff, model.schools, model.cfg.coaching
    schools = np.unique(schools)
    posts = posts_of(schools, sc.start)
    signal = st.knowledge[posts] + st.shallow[posts] + model.rng.normal(0, cfg.identification_noise, posts.size)
    chosen = np.empty(posts.size, dtype=bool)
    kernels.top_per_school(signal, segments_of(schools, sc.start), coaches_needed(model)[schools], chosen)
    # A trained coach who is no longer chosen keeps the training but stops coaching.
    st.coach[posts] = chosen


def coach(model) -> None:
    """Coaches coach mentees in every school that has coaching days this term."""
    st, sc = model.staff, model.schools
    days = sc.coaching_days
    active = np.flatnonzero(days > 0)
    if active.size:
        needs_identification = active[(school_sum(st.coach, sc.start)[active] == 0) | model.new_year]
        if needs_identification.size:
            identify_coaches(model, needs_identification)
        posts = posts_of(active, sc.start)
        days = _train_coaches(model, days, posts)
        _coach_mentees(model, days, active)
    _update_km(model, days)


def _per_school(model, posts: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(model.staff.school[posts], weights=values, minlength=model.schools.n)


def _train_coaches(model, days: np.ndarray, posts: np.ndarray) -> np.ndarray:
    """Coaching days go first to training the school's untrained coaches."""
    st, cfg = model.staff, model.cfg.coaching
    untrained = st.coach[posts] & ~st.trained[posts]
    need = _per_school(model, posts, untrained) * cfg.coach_training_days
    share = np.divide(days, need, out=np.ones_like(days), where=need > 0).clip(0, 1)
    trained_now = untrained & (model.rng.random(posts.size) < share[st.school[posts]])
    st.trained[posts[trained_now]] = True
    return np.maximum(days - need, 0.0)


def _coach_mentees(model, days: np.ndarray, schools: np.ndarray) -> None:
    """Each mentee moves toward the mean knowledge of the school's coaches by
    ``coaching_efficiency * dt * intensity * coach skill * (0.5 + leadership)`` of the gap, where
    intensity = d / (d + coaching_half_days) for d coaching days per mentee and year; leadership
    makes coaching a priority."""
    st, sc, cfg = model.staff, model.schools, model.cfg.coaching
    intensity, gain = np.zeros(sc.n), np.empty(int(sc.n_staff[schools].sum()))
    kernels.coach_mentees(st.knowledge, st.coach, st.trained, sc.start, schools, days, model.dt, cfg.coaching_half_days,
                          cfg.untrained_skill, cfg.coaching_efficiency, sc.leadership, intensity, gain)
    model.coaching_gain += float(gain.sum())
    sc.coaching_intensity = intensity


def _update_km(model, days: np.ndarray) -> None:
    """Knowledge-management capacity grows with coaching practice and decays without it."""
    sc, cfg = model.schools, model.cfg.coaching
    intensity = sc.coaching_intensity
    growth = cfg.km_growth * model.dt * intensity * sc.leadership * (1 - sc.km_capacity)
    decay = cfg.km_decay * model.dt * (sc.km_capacity - sc.km_floor).clip(min=0) * (1 - intensity)
    sc.km_capacity = np.clip(sc.km_capacity + growth - decay, 0.0, 1.0)
