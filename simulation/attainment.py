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

from .state import posts_of


def update_attainment(model) -> None:
    st, sc = model.staff, model.schools
    k = st.effective()
    away = _released_experts(model)
    if away.size:
        cover = model.cfg.partnership.support_release_cost * sc.released[st.school[away]]
        k[away] -= cover * np.maximum(k[away] - model.entrant_level(), 0.0)
    cohort = model.rng.normal(0, model.cfg.system.cohort_noise, sc.n)
    z = (sc.context + cohort)[st.school]
    z += k
    z -= model.benchmark
    z /= model.pupil_sigma
    sc.attainment = np.bincount(st.school, weights=ndtr(z, out=z), minlength=sc.n) / sc.n_staff


def _released_experts(model) -> np.ndarray:
    """Posts of the experts of schools that released some to support others this term."""
    st, sc = model.staff, model.schools
    posts = posts_of(np.flatnonzero(sc.released), sc.start)
    return posts[st.expert[posts]]
