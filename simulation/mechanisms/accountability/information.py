"""Knowing the schools: the local authority's estimate of each school's quality.

Encodes Ainscow's first task, "knowing the schools": it "starts with a thorough scrutiny of
statistical data" but "has to go much deeper" through reviews with practitioners from other
schools; and the jigsaw note: knowing a school "is about more than looking at the data".
Data alone is confounded by intake (``inspection.context_bias``) and noisy
(``data_noise``); a recent peer review (quality-assurance review) sees practice with only
``review_noise``. Every brokering and intervention decision uses this estimate, never the
true state.
"""

from __future__ import annotations

import numpy as np

REVIEW_VALID_YEARS = 2.0
REVIEW_OFFICER_DAYS = 2.0


def quality(model) -> np.ndarray:
    """True quality of teaching in each school: mean effective staff knowledge."""
    return model.school_knowledge()


def estimate(model) -> None:
    sc, cfg = model.schools, model.cfg
    reviewed = sc.reviewed_until >= model.years_elapsed
    noise = np.where(reviewed, cfg.information.review_noise, cfg.information.data_noise)
    confound = np.where(reviewed, 0.0, cfg.inspection.context_bias * sc.context)
    sc.estimate = quality(model) + confound + model.rng.normal(0, 1, sc.n) * noise
    model.estimate_order = np.argsort(sc.estimate)  # weakest first; used by every targeting rule


def review(model, schools: np.ndarray) -> None:
    model.schools.reviewed_until[schools] = model.years_elapsed + REVIEW_VALID_YEARS


def review_with_spare_days(model, days: float) -> float:
    """Officers spend days left over on school reviews, least recently reviewed first."""
    sc = model.schools
    n = int(days // REVIEW_OFFICER_DAYS)
    if n <= 0:
        return 0.0
    order = np.argsort(sc.reviewed_until, kind="stable")[:n]
    review(model, order)
    return order.size * REVIEW_OFFICER_DAYS
