"""Initialisation: schools, staff and their starting knowledge, calibrated to England 2002.

Encodes the calibration figures of the model brief (section 4): staff knowledge has an SD of
0.25 pupil SD (a one-SD-better teacher raises scores by 0.25 SD); 15% of pupil-score variance
lies between schools; the mean share of pupils reaching the benchmark is 42.1%; staff
experience follows the stationary distribution implied by the leaving hazards (about 10% a
year). Weak intake contexts and weak recruitment go together (``pull`` correlates with
``context``), which is why between-school differences persist. Where each school stands - its
region, local authority and place in km - follows from that starting quality and the advantage of
places (:mod:`simulation.geography`), unless a schools file gives it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import ndtr

from simulation.geography import place_schools
from simulation.mechanisms.outcomes.attainment import lifted
from simulation.params.schema import ModelConfig
from simulation.params.schools_file import read_schools
from simulation.state import SchoolState, StaffState

MIN_PUPILS = 20  # guards: no school is smaller than this, or has fewer staff than MIN_STAFF
MIN_STAFF = 2


def build_schools(cfg: ModelConfig, rng: np.random.Generator) -> SchoolState:
    sc = cfg.system
    n = sc.n_schools
    secondary = rng.random(n) < sc.share_secondary
    mean_pupils = np.where(secondary, sc.pupils_secondary, sc.pupils_primary)
    pupils = np.maximum(MIN_PUPILS, rng.normal(mean_pupils, sc.pupils_sd_share * mean_pupils)).astype(np.int64)
    table = read_schools(sc.schools_file) if sc.schools_file else None
    if table is not None:  # your own schools: their phase and size replace the drawn ones
        secondary, pupils = table.secondary.copy(), table.pupils.copy()
    ratio = np.where(secondary, sc.pupils_per_teacher_secondary, sc.pupils_per_teacher_primary)
    n_staff = np.maximum(MIN_STAFF, np.round(pupils / ratio)).astype(np.int64)
    if table is not None:
        given = ~np.isnan(table.teachers)
        n_staff[given] = np.maximum(MIN_STAFF, np.round(table.teachers[given])).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(n_staff)])

    rho = sc.context_pull_correlation
    sd_pull = cfg.staff.knowledge_sd * np.sqrt(cfg.staff.knowledge_between_share)
    sd_context = _context_sd(sc.between_school_variance, sd_pull, rho)
    z1, z2 = rng.standard_normal(n), rng.standard_normal(n)
    pull = sd_pull * z1
    context = sd_context * (rho * z1 + np.sqrt(1 - rho**2) * z2)
    lc = cfg.leadership
    # Leadership capacity goes partly with the quality of staff a school attracts.
    leadership = np.clip(lc.initial_mean + lc.pull_loading * lc.initial_sd * z1 + rng.normal(0, lc.own_sd_share * lc.initial_sd, n),
                         lc.lowest, lc.highest)
    mc = cfg.moral_capital.initial_mean
    shape = cfg.moral_capital.initial_shape
    moral = rng.beta(shape, shape * (1 - mc) / max(mc, 1e-6), n) if mc > 0 else np.zeros(n)
    km = _capacity_by_stage(rng.beta(*cfg.coaching.initial_km_shape, n), z1 + (leadership - lc.initial_mean) / max(lc.initial_sd, 1e-9),
                            cfg.coaching.initial_km_stage_correlation, rng)  # informal knowledge management before any programme
    if table is not None:  # your own schools stand where they are; the file's authorities are its regions
        region, x, y = table.region.copy(), table.x.copy(), table.y.copy()
        authority = region.copy()
        context = _context_by_disadvantage(context, table.disadvantaged)
    else:
        places = place_schools(cfg, pull + context, rng)
        region, authority, x, y = places.region, places.authority, places.x, places.y
    return SchoolState(
        secondary=secondary, pupils=pupils, n_staff=n_staff, start=start, region=region, authority=authority,
        x=x, y=y, context=context, pull=pull, leadership=leadership,
        km_capacity=km.copy(), km_floor=km, moral_capital=moral,
        grade=np.full(n, 2, dtype=np.int64), judged=np.zeros(n), special_measures=np.zeros(n, dtype=bool),
        next_inspection=np.zeros(n), attainment=np.zeros(n), estimate=np.zeros(n),
        estimate_var=np.full(n, np.inf), km_estimate=np.full(n, _beta_mean(cfg.coaching.initial_km_shape)),
        reviewed_until=np.full(n, -1.0), sig=np.full(n, -1, dtype=np.int64),
        intervened_until=np.full(n, -1.0), asked_until=np.full(n, -1.0), pilot=np.zeros(n, dtype=bool),
        score=np.zeros(n), pressure=np.zeros(n), focus=np.zeros(n), focus_lift=np.zeros(n), below_floor_years=np.zeros(n),
        academy=np.zeros(n, dtype=bool),
    )


def _capacity_by_stage(km: np.ndarray, stage: np.ndarray, rho: float, rng: np.random.Generator) -> np.ndarray:
    """The drawn capacities, handed out so that their rank correlation with the school's stage
    (recruitment pull and leadership) is about ``rho``: the distribution is kept, only who holds
    which value follows the stage (a Gaussian copula on ranks)."""
    stage = (stage - stage.mean()) / max(stage.std(), 1e-12)
    key = rho * stage + np.sqrt(1 - rho**2) * rng.standard_normal(stage.size)
    out = np.empty_like(km)
    out[np.argsort(key, kind="stable")] = np.sort(km)
    return np.clip(out, 0, 1)


def _beta_mean(shape: list[float]) -> float:
    """The authority's prior for a school's knowledge-management capacity before any reading."""
    a, b = shape
    return a / (a + b)


def _context_by_disadvantage(context: np.ndarray, disadvantaged: np.ndarray) -> np.ndarray:
    """Schools whose disadvantaged share is given take the drawn intake contexts in reverse order
    of it: the most disadvantaged intake gets the weakest context. The calibrated distribution of
    contexts is kept; only who gets which is read from the file (an assumption: rank only)."""
    given = np.flatnonzero(~np.isnan(disadvantaged))
    if given.size < 2:
        return context
    out = context.copy()
    out[given[np.argsort(-disadvantaged[given], kind="stable")]] = np.sort(context[given])
    return out


def fit_context_to_attainment(schools: SchoolState, staff: StaffState, benchmark: float, sigma: float,
                              target: np.ndarray, focus_band: float = 0.0, focus_cost: float = 0.0) -> None:
    """Shift the intake context of each school with a given starting attainment (share at the
    benchmark) until its teachers' pupils reach exactly that share (bisection, every school at once),
    counting the pupils each school's ``focus`` lifts over it (attainment.update_attainment's rule)."""
    given = np.flatnonzero(~np.isnan(target))
    if given.size == 0:
        return
    school_of_post = staff.school
    effect = staff.effective()
    weight = (schools.pupils / schools.n_staff)[school_of_post]
    lo, hi = np.full(given.size, -10.0), np.full(given.size, 10.0)
    goal = np.clip(target[given], 1e-4, 1 - 1e-4)
    position = np.full(schools.n, -1)
    position[given] = np.arange(given.size)
    posts = np.flatnonzero(position[school_of_post] >= 0)
    which = position[school_of_post[posts]]
    focus = schools.focus[school_of_post[posts]]
    for _ in range(60):
        mid = (lo + hi) / 2
        z = (effect[posts] + mid[which] - focus_cost * focus - benchmark) / sigma
        share = ndtr(z)
        if focus_band > 0:
            share = share + lifted(z, focus, focus_band, sigma, share)
        reached = np.bincount(which, weights=share * weight[posts], minlength=given.size)
        reached /= np.bincount(which, weights=weight[posts], minlength=given.size)
        too_high = reached > goal
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    schools.context[given] = (lo + hi) / 2


def _context_sd(between: float, sd_pull: float, rho: float) -> float:
    """Context SD so that var(pull + context) equals the between-school variance share."""
    # sd_c^2 + 2 rho sd_p sd_c + sd_p^2 = between, the positive root.
    b = 2 * rho * sd_pull
    c = sd_pull**2 - between
    disc = b * b - 4 * c
    return max(0.0, (-b + np.sqrt(max(disc, 0.0))) / 2)


def stationary_experience(cfg: ModelConfig, rng: np.random.Generator, n: int) -> np.ndarray:
    """Years of experience drawn from the steady state implied by the leaving hazards."""
    st = cfg.staff
    years = np.arange(0, st.career_years)
    hazard = np.where(years < 1, st.leave_rate_first_year, np.where(years < 5, st.leave_rate_early,
                                                                     st.leave_rate_established))
    survival = np.concatenate([[1.0], np.cumprod(1 - hazard)[:-1]])
    weights = survival / survival.sum()
    return rng.choice(years, size=n, p=weights) + rng.random(n)


def experience_profile(cfg: ModelConfig, experience: np.ndarray) -> np.ndarray:
    """Knowledge gained from practice after ``experience`` years (integral of the gain rate)."""
    st = cfg.staff
    return st.experience_gain * st.experience_decay_years * (1 - np.exp(-experience / st.experience_decay_years))


def initial_entrant_level(cfg: ModelConfig, experience: np.ndarray) -> float:
    """Knowledge of a new teacher at the start, relative to the mean teacher (the zero of the scale)."""
    return float(-experience_profile(cfg, experience).mean() + experience_profile(cfg, np.zeros(1))[0])


def build_staff(cfg: ModelConfig, schools: SchoolState, rng: np.random.Generator) -> StaffState:
    st = cfg.staff
    n = int(schools.start[-1])
    school = np.repeat(np.arange(schools.n), schools.n_staff).astype(np.int64)
    experience = stationary_experience(cfg, rng, n)
    sd_within = st.knowledge_sd * np.sqrt(1 - st.knowledge_between_share)
    profile = experience_profile(cfg, experience)
    base = schools.pull[school] + (profile - profile.mean()) + rng.normal(0, sd_within, n)
    base -= base.mean()  # the 2002 baseline teacher is the zero of the absolute scale
    return StaffState(
        school=school, knowledge=base.copy(), base=base, shallow=np.zeros(n), experience=experience,
        coach=np.zeros(n, dtype=bool), trained=np.zeros(n, dtype=bool), expert=np.zeros(n, dtype=bool),
    )


def within_sd(cfg: ModelConfig) -> float:
    """Pupil-level noise SD so that total pupil-score variance is one."""
    st, sc = cfg.staff, cfg.system
    within_staff = st.knowledge_sd**2 * (1 - st.knowledge_between_share)
    return float(np.sqrt(max(1.0 - sc.between_school_variance - within_staff, 0.05)))


def benchmark_for(share: float, staff_effect: np.ndarray, schools: SchoolState, school: np.ndarray,
                  sigma: float, focus_band: float = 0.0, focus_cost: float = 0.0) -> float:
    """The benchmark score at which the pupil-weighted share reaching it equals ``share``, counting the
    pupils each school's ``focus`` lifts over it (attainment.update_attainment's rule, without cohort noise)."""
    focus = schools.focus[school]
    score = staff_effect + schools.context[school] - focus_cost * focus
    pupils_taught = (schools.pupils / schools.n_staff)[school]

    def excess(b: float) -> float:
        z = (score - b) / sigma
        reached = ndtr(z)
        if focus_band > 0:
            reached = reached + lifted(z, focus, focus_band, sigma, reached)
        return float(np.average(reached, weights=pupils_taught)) - share

    return float(brentq(excess, -10.0, 10.0, xtol=1e-12))


__all__ = ["build_schools", "build_staff", "within_sd", "benchmark_for"]
