"""Pupil attainment: the share of a school's pupils reaching the benchmark.

Encodes the brief: attainment is "a % of pupils reaching the benchmark" so that floor
standards can be written as policy writes them, and follows from staff knowledge plus
school context and noise. A pupil's score is their teacher's effective knowledge plus the
school's intake context, plus a cohort effect and pupil noise; the share above the benchmark
score is averaged over the school's teachers (``Phi((k + context + cohort - benchmark) /
sigma)``). Experts released to support another school are partly covered by less expert
staff while away (``support_release_cost``). The benchmark score is fixed at the start so
that 42.1% of pupils reach it (England, 2001/02).
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
    reads={"staff": "expert knowledge shallow", "schools": "context", "plan": "released",
           "system": "benchmark initial_entrant_level initial_mean_knowledge pupil_sigma"},
    writes={"schools": "attainment"}
)
def update_attainment(ctx: Context) -> None:
    """attainment_s = mean over the school's teachers of Phi((k + context_s + cohort_s - benchmark) / sigma)."""
    st, sc = ctx.staff, ctx.schools
    away = np.zeros(st.n, dtype=bool)
    away[_released_experts(ctx)] = True
    entrant = entrant_level(ctx) if away.any() else 0.0
    cover = ctx.cfg.partnership.support_release_cost * ctx.plan.released
    cohort = ctx.rng.normal(0, ctx.cfg.system.cohort_noise, sc.n)
    z = pupil_scores_kernel(st.knowledge, st.shallow, sc.start, sc.context + cohort, ctx.system.benchmark,
                             ctx.system.pupil_sigma, away, entrant, cover, np.empty(st.n))
    sc.attainment = segment_mean(ndtr(z, out=z), sc.start)


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
