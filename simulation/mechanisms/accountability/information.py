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

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import school_knowledge

@mechanism(reads={"staff": "knowledge shallow"})
def quality(ctx: Context) -> np.ndarray:
    """True quality of teaching in each school: mean effective staff knowledge."""
    return school_knowledge(ctx.staff, ctx.schools)


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "context reviewed_until"},
    writes={"schools": "estimate", "system": "estimate_order"}
)
def estimate(ctx: Context) -> None:
    sc, cfg = ctx.schools, ctx.cfg
    reviewed = sc.reviewed_until >= ctx.years_elapsed
    noise = np.where(reviewed, cfg.information.review_noise, cfg.information.data_noise)
    confound = np.where(reviewed, 0.0, cfg.inspection.context_bias * sc.context)
    sc.estimate = quality(ctx) + confound + ctx.rng.normal(0, 1, sc.n) * noise
    ctx.system.estimate_order = np.argsort(sc.estimate)  # weakest first; used by every targeting rule


@mechanism(writes={"schools": "reviewed_until"})
def review(ctx: Context, schools: np.ndarray) -> None:
    ctx.schools.reviewed_until[schools] = ctx.years_elapsed + ctx.cfg.information.review_valid_years


@mechanism(writes={"schools": "reviewed_until"})
def review_with_spare_days(ctx: Context, days: float) -> float:
    """Officers spend days left over on school reviews, least recently reviewed first."""
    sc = ctx.schools
    per_review = ctx.cfg.information.review_officer_days
    n = int(days // per_review)
    if n <= 0:
        return 0.0
    order = np.argsort(sc.reviewed_until, kind="stable")[:n]
    review(ctx, order)
    return order.size * per_review
