"""Pupil attainment: the share of a school's pupils reaching the benchmark.

Encodes the brief: attainment is "a % of pupils reaching the benchmark" so that floor
standards can be written as policy writes them, and follows from staff knowledge plus
school context and noise. A pupil's score is their teacher's effective knowledge plus the
school's intake context, plus a cohort effect and pupil noise; the share above the benchmark
score is averaged over the school's teachers (``Phi((k + context + cohort - benchmark) /
sigma)``). Experts released to support another school are partly covered by less expert
staff while away (``support_release_cost``). The benchmark score is fixed at the start so
that 42.1% of pupils reach it (England, 2001/02).

Two outcomes, because accountability can move one without the other (issue "Floor standards and
accountability as levers with consequences"): the **benchmark share** (what policy measures) and the
**mean score**, the school's mean pupil score relative to the benchmark score in pupil SD (what pupils
learn). A school's focus on pupils near the benchmark (:mod:`~simulation.mechanisms.accountability.pressure`)
lifts a share ``focus_s`` of the pupils within ``focus_band`` below it over the benchmark - the share rises,
the mean score does not - and costs every pupil ``focus_cost`` x focus_s:
share = Phi(z) + focus_s (Phi(z + band / sigma) - Phi(z)), with z the pupils' standardised score after the cost.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from scipy.special import ndtr

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import posts_of, segment_mean
from simulation.mechanisms.within_school.turnover import entrant_level


@mechanism(
    reads={"staff": "expert knowledge school shallow", "schools": "context focus", "plan": "released",
           "system": "benchmark initial_entrant_level initial_mean_knowledge pupil_sigma"},
    writes={"schools": "attainment focus_lift score"}
)
def update_attainment(ctx: Context, cohort: np.ndarray | None = None) -> np.ndarray:
    """attainment_s = mean over the school's teachers of Phi((k + context_s + cohort_s - cost_s - benchmark) / sigma),
    plus what focus lifts over the benchmark; score_s = sigma x the mean of the same standardised scores.
    Returns the cohort effects drawn (or given: the same cohort published again, as at initialisation)."""
    st, sc = ctx.staff, ctx.schools
    away = np.zeros(st.n, dtype=bool)
    away[_released_experts(ctx)] = True
    entrant = entrant_level(ctx) if away.any() else 0.0
    cover = ctx.cfg.partnership.support_release_cost * ctx.plan.released
    if cohort is None:
        cohort = ctx.rng.normal(0, ctx.cfg.system.cohort_noise, sc.n)
    sigma, pressure = ctx.system.pupil_sigma, ctx.cfg.pressure
    shift = sc.context + cohort - pressure.focus_cost * sc.focus
    z = pupil_scores_kernel(st.knowledge, st.shallow, sc.start, shift, ctx.system.benchmark,
                             sigma, away, entrant, cover, np.empty(st.n))
    sc.score = sigma * segment_mean(z, sc.start)
    share = ndtr(z)
    sc.focus_lift = np.zeros(sc.n)
    if sc.focus.any():
        sc.focus_lift = segment_mean(lifted(z, sc.focus[st.school], pressure.focus_band, sigma, share), sc.start)
    sc.attainment = segment_mean(share, sc.start) + sc.focus_lift
    return cohort


def lifted(z: np.ndarray, focus: np.ndarray, band: float, sigma: float, reached: np.ndarray) -> np.ndarray:
    """Share of pupils at standardised score ``z`` (``reached`` = Phi(z)) that focus puts over the benchmark:
    ``focus`` of those within ``band`` (pupil SD) below it."""
    return focus * (ndtr(z + band / sigma) - reached)


def _released_experts(ctx: Context) -> np.ndarray:
    """Posts of the experts of schools that released some to support others this term."""
    st, sc = ctx.staff, ctx.schools
    posts = posts_of(np.flatnonzero(ctx.plan.released), sc.start)
    return posts[st.expert[posts]]


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def pupil_scores_kernel(knowledge, shallow, start, shift, benchmark, sigma, away, entrant, cover, out):
    """(k + shift_s - benchmark) / sigma for every post: the teacher's pupils' mean score in
    pupil-noise units; ``away`` marks experts released to support, covered at ``cover``
    (per school) of their lead over a new teacher."""
    for s in range(start.size - 1):
        for p in range(start[s], start[s + 1]):
            k = knowledge[p] + shallow[p]
            if away[p]:
                k -= cover[s] * max(k - entrant, 0.0)
            out[p] = ((shift[s] + k) - benchmark) / sigma
    return out
