"""Inspection: grades outstanding / good / requires improvement / inadequate, a rising bar.

Encodes the inspectorate of the brief: schools are inspected on a cycle that is shorter the
weaker the last grade; the judgement sees teaching quality (mean effective staff knowledge)
plus part of the intake context, with noise; special measures are the inadequate schools
without the leadership capacity to improve. The grade boundaries sit on the absolute
knowledge scale and rise by ``bar_rise`` at every framework revision (Berwick: "the Ofsted
framework had been revised several times and the challenge has increased with each
iteration"), so a school that stands still slips. The starting boundaries are set so that
the first judgements reproduce the grade stock of August 2011 (20/50/28/2).
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.accountability.information import read_capacity, take_reading
from simulation.mechanisms.declare import mechanism
from simulation.params.schema import Grade
from simulation.state import Context
from simulation.state.system import Inspections
from simulation.state.segments import school_knowledge


@mechanism(reads={"staff": "knowledge shallow", "schools": "context", "system": "grade_boundaries"})
def judge(ctx: Context, schools: np.ndarray) -> np.ndarray:
    return _grade(ctx, _seen(ctx, schools))


def _seen(ctx: Context, schools: np.ndarray) -> np.ndarray:
    """What an inspection sees: teaching quality, part of the intake context, and noise."""
    cfg = ctx.cfg.inspection
    seen = school_knowledge(ctx.staff, ctx.schools, schools) + cfg.context_bias * ctx.schools.context[schools]
    return seen + ctx.rng.normal(0, cfg.noise, schools.size)


def _grade(ctx: Context, seen: np.ndarray) -> np.ndarray:
    # boundaries are ascending for inadequate|RI, RI|good, good|outstanding
    return 4 - np.searchsorted(ctx.system.grade_boundaries, seen, side="right")


def initial_boundaries(shares: list[float], seen: np.ndarray) -> np.ndarray:
    """Boundaries at which judgements ``seen`` give the grade stock ``shares`` (outstanding first)."""
    _, good, ri, inadequate = shares
    return np.quantile(seen, np.cumsum([inadequate, ri, good]))


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "context km_capacity leadership"},
    writes={"schools": "grade judged next_inspection special_measures estimate estimate_var km_estimate",
            "system": "grade_boundaries", "tally": "inspection_log"}
)
def first_inspections(ctx: Context, known: np.ndarray | None = None) -> None:
    """Every school is judged once; the first boundaries are placed on these judgements, so the
    starting grade stock is the configured one whatever the inspection noise. Where a school's
    latest judgement is ``known`` (1-4; 0 or less where not, e.g. from a schools file) it keeps it."""
    sc = ctx.schools
    everyone = np.arange(sc.n)
    seen = _seen(ctx, everyone)
    ctx.system.grade_boundaries = initial_boundaries(ctx.cfg.inspection.initial_shares, seen)
    grades = _grade(ctx, seen)
    if known is not None:
        grades = np.where(known > 0, known, grades)
    _record(ctx, everyone, grades)
    sc.judged[everyone] = seen
    _log(ctx, everyone, np.zeros(sc.n, dtype=np.int64), seen)
    _publish(ctx, everyone, seen)
    cycle = np.asarray(ctx.cfg.inspection.cycle_years)[sc.grade - 1]
    sc.next_inspection = ctx.rng.random(sc.n) * cycle  # stagger the cycle


@mechanism(
    reads={"staff": "knowledge shallow", "schools": "context km_capacity leadership", "system": "grade_boundaries"},
    writes={"schools": "grade judged next_inspection special_measures estimate estimate_var km_estimate",
            "tally": "inspection_log"}
)
def inspect(ctx: Context) -> None:
    sc = ctx.schools
    due = np.flatnonzero(sc.next_inspection <= ctx.years_elapsed)
    if due.size == 0:
        return
    previous = sc.grade[due].copy()
    seen = _seen(ctx, due)
    _record(ctx, due, _grade(ctx, seen))
    sc.judged[due] = seen
    _log(ctx, due, previous, seen)
    _publish(ctx, due, seen)
    cycle = np.asarray(ctx.cfg.inspection.cycle_years)[sc.grade[due] - 1]
    jitter = ctx.cfg.inspection.cycle_jitter
    sc.next_inspection[due] = ctx.years_elapsed + cycle * ctx.rng.uniform(1 - jitter, 1 + jitter, due.size)


def _log(ctx: Context, schools: np.ndarray, previous: np.ndarray, seen: np.ndarray) -> None:
    sc = ctx.schools
    ctx.tally.inspection_log.append(Inspections(ctx.years_elapsed, schools, previous, sc.grade[schools].copy(), seen,
                                                sc.special_measures[schools].copy(),
                                                np.array(ctx.system.grade_boundaries, dtype=float)))


def _publish(ctx: Context, schools: np.ndarray, seen: np.ndarray) -> None:
    """The report is published: the authority reads what the inspectors saw of teaching, and of
    leadership and management (knowledge-management capacity)."""
    take_reading(ctx, schools, seen, ctx.cfg.inspection.noise)
    read_capacity(ctx, schools)


def _record(ctx: Context, schools: np.ndarray, grades: np.ndarray) -> None:
    """The grade, and special measures: inadequate, and the leadership the inspectors see
    (``leadership_noise``) below ``special_measures_leadership``."""
    sc, cfg = ctx.schools, ctx.cfg.inspection
    sc.grade[schools] = grades
    seen_leadership = sc.leadership[schools] + ctx.rng.normal(0, cfg.leadership_noise, schools.size)
    weak_leadership = seen_leadership < cfg.special_measures_leadership
    sc.special_measures[schools] = (grades == Grade.inadequate) & weak_leadership


@mechanism(reads={"schools": "judged"}, writes={"system": "framework_revisions grade_boundaries"})
def revise_framework(ctx: Context) -> None:
    """Each revision raises the bar - 'outstanding' means more than it did (Berwick) - and is
    partly re-set against what the inspectorate sees: the boundaries move ``relative_weight`` of
    the way from the raised bar to where its latest judgements of every school would give the
    starting grade stock. A purely absolute bar (weight 0) lets the grade stock run away under any
    strategy that raises knowledge, which Ofsted's statistics never showed."""
    cfg = ctx.cfg.inspection
    raised = ctx.system.grade_boundaries + cfg.bar_rise
    relative = initial_boundaries(cfg.initial_shares, ctx.schools.judged)
    ctx.system.grade_boundaries = (1 - cfg.relative_weight) * raised + cfg.relative_weight * relative
    ctx.system.framework_revisions += 1


@mechanism(reads={"tally": "inspection_log"})
def transition_rates(ctx: Context) -> dict[str, float]:
    """Share of outstanding schools no longer outstanding at the next inspection, and share of
    inadequate schools reaching good or better (compare: 55% and 20% in England)."""
    log = ctx.tally.inspection_log
    prev = np.concatenate([r.previous for r in log]) if log else np.array([])
    new = np.concatenate([r.grade for r in log]) if log else np.array([])
    out_prev = prev == Grade.outstanding
    inad_prev = prev == Grade.inadequate
    return {
        "outstanding_lost": float((new[out_prev] != Grade.outstanding).mean()) if out_prev.any() else float("nan"),
        "inadequate_to_good": float((new[inad_prev] <= Grade.good).mean()) if inad_prev.any() else float("nan"),
    }
