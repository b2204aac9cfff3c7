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


def update_attainment(model) -> None:
    st, sc = model.staff, model.schools
    k = st.effective()
    released = sc.released[st.school] * st.expert
    if released.any():
        cover = model.cfg.partnership.support_release_cost * released
        k = k - cover * np.maximum(k - model.entrant_level(), 0.0)
    cohort = model.rng.normal(0, model.cfg.system.cohort_noise, sc.n)
    z = (k + (sc.context + cohort)[st.school] - model.benchmark) / model.pupil_sigma
    sc.attainment = np.bincount(st.school, weights=ndtr(z), minlength=sc.n) / sc.n_staff
