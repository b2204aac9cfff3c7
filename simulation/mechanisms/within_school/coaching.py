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
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import clip01, posts_of, school_sum, segments_of, top_per_school


@mechanism()
def coaches_needed(ctx: Context) -> np.ndarray:
    return np.maximum(1, np.round(ctx.cfg.coaching.coach_share * ctx.schools.n_staff)).astype(np.int64)


@mechanism(reads={"staff": "coach trained"})
def full_cost(ctx: Context) -> np.ndarray:
    """Staff days per term each school needs for coaching at the configured intensity."""
    cfg, st, sc = ctx.cfg.coaching, ctx.staff, ctx.schools
    trained_coaches = school_sum(st.coach & st.trained, sc.start)
    untrained = np.maximum(coaches_needed(ctx) - trained_coaches, 0)
    mentees = sc.n_staff - coaches_needed(ctx)
    return cfg.coaching_time * ctx.dt * mentees + cfg.coach_training_days * untrained


@mechanism(reads={"staff": "knowledge shallow"}, writes={"staff": "coach"})
def identify_coaches(ctx: Context, schools: np.ndarray) -> None:
    """Pick each school's coaches from noisy outcome data: the relatively better staff."""
    st, sc, cfg = ctx.staff, ctx.schools, ctx.cfg.coaching
    schools = np.unique(schools)
    posts = posts_of(schools, sc.start)
    signal = st.knowledge[posts] + st.shallow[posts] + ctx.rng.normal(0, cfg.identification_noise, posts.size)
    chosen = np.empty(posts.size, dtype=bool)
    top_per_school(signal, segments_of(schools, sc.start), coaches_needed(ctx)[schools], chosen)
    # A trained coach who is no longer chosen keeps the training but stops coaching.
    st.coach[posts] = chosen


@mechanism(
    reads={"staff": "shallow", "schools": "km_floor leadership", "plan": "coaching_days"},
    writes={"staff": "coach knowledge trained", "schools": "km_capacity", "plan": "coaching_intensity",
            "tally": "coaching_gain"}
)
def coach(ctx: Context) -> None:
    """Coaches coach mentees in every school that has coaching days this term."""
    st, sc = ctx.staff, ctx.schools
    days = ctx.plan.coaching_days
    active = np.flatnonzero(days > 0)
    if active.size:
        needs_identification = active[(school_sum(st.coach, sc.start)[active] == 0) | ctx.clock.new_year]
        if needs_identification.size:
            identify_coaches(ctx, needs_identification)
        posts = posts_of(active, sc.start)
        days = _train_coaches(ctx, days, posts)
        _coach_mentees(ctx, days, active)
    _update_km(ctx, days)


def _per_school(ctx: Context, posts: np.ndarray, values: np.ndarray) -> np.ndarray:
    return np.bincount(ctx.staff.school[posts], weights=values, minlength=ctx.schools.n)


def _train_coaches(ctx: Context, days: np.ndarray, posts: np.ndarray) -> np.ndarray:
    """Coaching days go first to training the school's untrained coaches."""
    st, cfg = ctx.staff, ctx.cfg.coaching
    untrained = st.coach[posts] & ~st.trained[posts]
    need = _per_school(ctx, posts, untrained) * cfg.coach_training_days
    share = np.divide(days, need, out=np.ones_like(days), where=need > 0).clip(0, 1)
    trained_now = untrained & (ctx.rng.random(posts.size) < share[st.school[posts]])
    st.trained[posts[trained_now]] = True
    return np.maximum(days - need, 0.0)


def _coach_mentees(ctx: Context, days: np.ndarray, schools: np.ndarray) -> None:
    """Each mentee moves toward the mean knowledge of the school's coaches by
    ``coaching_efficiency * dt * intensity * coach skill * (leadership_base + leadership)`` of the gap, where
    intensity = d / (d + coaching_half_days) for d coaching days per mentee and year; leadership
    makes coaching a priority."""
    st, sc, cfg = ctx.staff, ctx.schools, ctx.cfg.coaching
    intensity, gain = np.zeros(sc.n), np.empty(int(sc.n_staff[schools].sum()))
    coach_mentees_kernel(st.knowledge, st.coach, st.trained, sc.start, schools, days, ctx.dt, cfg.coaching_half_days,
                         cfg.untrained_skill, cfg.coaching_efficiency, cfg.leadership_base, sc.leadership, intensity,
                         gain)
    ctx.tally.coaching_gain += float(gain.sum())
    ctx.plan.coaching_intensity = intensity


def _update_km(ctx: Context, days: np.ndarray) -> None:
    """Knowledge-management capacity grows with coaching practice and decays without it."""
    sc, cfg = ctx.schools, ctx.cfg.coaching
    intensity = ctx.plan.coaching_intensity
    growth = cfg.km_growth * ctx.dt * intensity * sc.leadership * (1 - sc.km_capacity)
    decay = cfg.km_decay * ctx.dt * (sc.km_capacity - sc.km_floor).clip(min=0) * (1 - intensity)
    sc.km_capacity = np.clip(sc.km_capacity + growth - decay, 0.0, 1.0)


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def coach_mentees_kernel(knowledge, coach, trained, start, schools, days, dt, half_days, untrained_skill, efficiency,
                         leadership_base, leadership, intensity_out, gain_out):
    """coaching._coach_mentees for the posts of ``schools`` (in that order): per school the
    coaches' mean knowledge and skill and the days per mentee give a rate; every mentee moves
    that share of the gap to the coaches' mean. Writes each post's gain into ``gain_out`` and
    the school's coaching intensity into ``intensity_out`` (0 where no days are left)."""
    q = 0
    for i in range(schools.size):
        s = schools[i]
        lo, hi = start[s], start[s + 1]
        n_coaches, skill, coach_knowledge = 0, 0.0, 0.0
        for p in range(lo, hi):
            if coach[p]:
                n_coaches += 1
                skill += 1.0 if trained[p] else untrained_skill
                coach_knowledge += knowledge[p]
        n_mentees = (hi - lo) - n_coaches
        days_per_mentee_year = days[s] / dt / max(n_mentees, 1)
        intensity = days_per_mentee_year / (days_per_mentee_year + half_days)
        coach_knowledge /= max(n_coaches, 1)
        rate = clip01(efficiency * dt * intensity * (skill / max(n_coaches, 1)) * (leadership_base + leadership[s]))
        intensity_out[s] = intensity if days[s] > 0 else 0.0
        for p in range(lo, hi):
            gain = 0.0 if coach[p] else max(coach_knowledge - knowledge[p], 0.0) * rate
            knowledge[p] += gain
            gain_out[q] = gain
            q += 1
