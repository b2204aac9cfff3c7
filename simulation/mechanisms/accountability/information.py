"""Knowing the schools: the local authority's accumulated estimate of each school.

Encodes Ainscow's first task, "knowing the schools": it "starts with a thorough scrutiny of
statistical data" but "has to go much deeper" through reviews with practitioners from other
schools; and the jigsaw note: knowing a school "is about more than looking at the data" and a
co-ordinating role spots schools "starting to slip" earlier than inspection alone.

The authority keeps, per school, an estimate of teaching quality and its variance, and updates
it from every reading it gets (a Kalman filter on a random walk: between readings its
uncertainty grows by ``drift_sd``^2 a year):

* each year's published results: quality + ``inspection.context_bias`` x intake context, with
  ``data_noise`` (data are confounded by intake and noisy);
* each inspection report: what the inspectors saw (the same confound, ``inspection.noise``);
* each peer review (quality-assurance review): quality with ``review_noise`` and no confound.

So information accumulates, and better information (peer review) matters over time. It also
reads each school's knowledge-management capacity at inspections and reviews
(``km_noise``), the reading readiness staging uses. Every decision of the authority uses these
estimates, never the true state (docs/model.md, "What each decision observes").
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import school_knowledge


@mechanism(reads={"staff": "knowledge shallow"})
def quality(ctx: Context) -> np.ndarray:
    """True quality of teaching in each school: mean effective staff knowledge (what readings read)."""
    return school_knowledge(ctx.staff, ctx.schools)


@mechanism(writes={"schools": "estimate estimate_var"})
def take_reading(ctx: Context, schools: np.ndarray, reading: np.ndarray, noise_sd: float) -> None:
    """Update the estimate of ``schools`` with one reading each (variance ``noise_sd``^2)."""
    sc = ctx.schools
    var, r = sc.estimate_var[schools], max(noise_sd**2, 1e-12)
    first = ~np.isfinite(var)  # no reading yet: the reading is the estimate
    var = np.where(first, 0.0, var)
    gain = var / (var + r)
    estimate = sc.estimate[schools]
    sc.estimate[schools] = np.where(first, reading, estimate + gain * (reading - estimate))
    sc.estimate_var[schools] = np.where(first, r, (1 - gain) * var)


@mechanism(writes={"schools": "km_estimate"}, reads={"schools": "km_capacity"})
def read_capacity(ctx: Context, schools: np.ndarray) -> None:
    """A reading of knowledge-management capacity (inspection of leadership and management, or a review)."""
    sc = ctx.schools
    seen = sc.km_capacity[schools] + ctx.rng.normal(0, ctx.cfg.information.km_noise, schools.size)
    sc.km_estimate[schools] = np.clip(seen, 0.0, 1.0)


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "context"},
    writes={"schools": "estimate estimate_var", "system": "estimate_order"}
)
def estimate(ctx: Context) -> None:
    """The term's estimate: uncertainty grows with time unseen; each school year the results are
    published and read. Orders the schools weakest first (every targeting rule uses the order)."""
    sc, cfg = ctx.schools, ctx.cfg
    sc.estimate_var += cfg.information.drift_sd**2 * ctx.dt
    if ctx.clock.new_year:
        everyone = np.arange(sc.n)
        reading = quality(ctx) + cfg.inspection.context_bias * sc.context
        reading += ctx.rng.normal(0, cfg.information.data_noise, sc.n)
        take_reading(ctx, everyone, reading, cfg.information.data_noise)
    ctx.system.estimate_order = np.argsort(sc.estimate, kind="stable")


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "km_capacity"},
    writes={"schools": "estimate estimate_var km_estimate reviewed_until"}
)
def review(ctx: Context, schools: np.ndarray) -> np.ndarray:
    """Peer reviews of ``schools`` whose last review is no longer current; returns those reviewed.
    A review reads teaching quality without the intake confound, and capacity."""
    sc, cfg = ctx.schools, ctx.cfg.information
    due = schools[sc.reviewed_until[schools] < ctx.years_elapsed]
    if due.size == 0:
        return due
    reading = quality(ctx)[due] + ctx.rng.normal(0, cfg.review_noise, due.size)
    take_reading(ctx, due, reading, cfg.review_noise)
    read_capacity(ctx, due)
    sc.reviewed_until[due] = ctx.years_elapsed + cfg.review_valid_years
    return due


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "km_capacity"},
    writes={"schools": "estimate estimate_var km_estimate reviewed_until"}
)
def review_with_spare_days(ctx: Context, days: float) -> float:
    """Officers spend days left over on school reviews, least recently reviewed first."""
    sc = ctx.schools
    per_review = ctx.cfg.information.review_officer_days
    n = int(days // per_review)
    if n <= 0:
        return 0.0
    order = np.argsort(sc.reviewed_until, kind="stable")[:n]
    return review(ctx, order).size * per_review
