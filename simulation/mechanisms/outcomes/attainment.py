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
from scipy.special import ndtr

from simulation.mechanisms import kernels
from simulation.state.tables import posts_of


def update_attainment(model) -> None:
    """attainment_s = mean over the school's teachers of Phi((k + context_s + cohort_s - benchmark) / sigma)."""
    st, sc = model.staff, model.schools
    away = np.zeros(st.n, dtype=bool)
    away[_released_experts(model)] = True
    entrant = model.entrant_level() if away.any() else 0.0
    cover = model.cfg.partnership.support_release_cost * sc.released
    cohort = model.rng.normal(0, model.cfg.system.cohort_noise, sc.n)
    z = kernels.pupil_scores(st.knowledge, st.shallow, sc.start, sc.context + cohort, model.benchmark,
                             model.pupil_sigma, away, entrant, cover, np.empty(st.n))
    sc.attainment = kernels.segment_mean(ndtr(z, out=z), sc.start)


def _released_experts(model) -> np.ndarray:
    """Posts of the experts of schools that released some to support others this term."""
    st, sc = model.staff, model.schools
    posts = posts_of(np.flatnonzero(sc.released), sc.start)
    return posts[st.expert[posts]]
