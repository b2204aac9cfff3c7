"""System metrics collected every step (ctx reporters of the Mesa DataCollector).

Attainment metrics are shares of pupils reaching the benchmark, pupil-weighted across
schools: ``mean_attainment``; ``sd_attainment``, ``p10_attainment``, ``p90_attainment``
across schools; ``top_decile_attainment`` (mean of the best 10% of schools). ``frontier``
is the best knowledge anyone holds (pupil SD). Grade shares are of schools; special measures
are a subset of inadequate. ``share_outstanding_supporting`` is the share of outstanding
schools releasing staff to support another school. ``resource_used`` is staff days from the
strategy budget plus officer days, this step.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.formalisation import in_federation
from simulation.mechanisms.between_schools.moral_capital import supporting
from simulation.measures.registry import METRICS
from simulation.state import Context
from simulation.state.segments import mean_knowledge, school_knowledge
from simulation.params.schema import Grade, PartnershipType


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, q * cum[-1])])


def _weighted_sd(values: np.ndarray, weights: np.ndarray) -> float:
    """As ``np.sqrt(np.cov(values, aweights=weights))``, without a BLAS call: a dot product wakes
    OpenBLAS's threads, which then spin on the other core for the rest of the step."""
    if values.size < 2:
        return 0.0
    total = weights.sum()
    deviation = values - np.sum(weights * values) / total
    return float(np.sqrt(np.sum(weights * deviation**2) / (total - np.sum(weights**2) / total)))


def _context_gap(context: np.ndarray, attainment: np.ndarray) -> float:
    """Mean attainment of the fifth of schools with the most favourable intake context minus the least favourable."""
    n = max(1, context.size // 5)
    order = np.argsort(context, kind="stable")
    return float(attainment[order[-n:]].mean() - attainment[order[:n]].mean())


def regional_means(schools) -> np.ndarray:
    """Pupil-weighted mean attainment (published results) of each region."""
    w = schools.pupils.astype(float)
    return (np.bincount(schools.region, weights=schools.attainment * w)
            / np.maximum(np.bincount(schools.region, weights=w), 1e-12))


def _cold_spot_gap(ctx: Context) -> float:
    """Pupil-weighted mean attainment of the schools outside the cold spot minus inside it (NaN
    without a cold spot, i.e. in a one-region system)."""
    sc, cold = ctx.schools, ctx.system.cold_region
    inside = sc.region == cold
    if cold < 0 or inside.all() or not inside.any():
        return float("nan")
    w = sc.pupils.astype(float)
    return float(np.average(sc.attainment[~inside], weights=w[~inside]) - np.average(sc.attainment[inside], weights=w[inside]))


def _jigsaw(ctx: Context) -> dict[str, float]:
    """Federations and multi-academy trusts (:mod:`simulation.mechanisms.between_schools.formalisation`)."""
    sc, links = ctx.schools, ctx.links
    rows = links.live()
    trust = sc.trust[sc.trust >= 0]
    return {"federations": float(np.sum(links.ptype[rows] == PartnershipType.federation)),
            "share_federated": float(in_federation(ctx).mean()),
            "trusts": float(np.sum(np.bincount(trust) >= 2)) if trust.size else 0.0,
            "share_in_trusts": float(trust.size / sc.n)}


def system_metrics(ctx: Context) -> dict[str, float]:
    sc = ctx.schools
    att, w = sc.attainment, sc.pupils.astype(float)
    top_n = max(1, int(np.ceil(0.1 * sc.n)))
    grade_share = np.bincount(sc.grade, minlength=5)[1:] / sc.n
    outstanding = sc.grade == Grade.outstanding
    helping = supporting(ctx)
    return {
        "year": ctx.calendar_year,
        "mean_attainment": float(np.average(att, weights=w)),
        "sd_attainment": _weighted_sd(att, w),
        "p10_attainment": float(np.quantile(att, 0.1)),
        "p90_attainment": float(np.quantile(att, 0.9)),
        "top_decile_attainment": float(np.sort(att)[-top_n:].mean()),
        "mean_score": float(np.average(sc.score, weights=w)),
        "focus_lift": float(np.average(sc.focus_lift, weights=w)),
        "p10_score": float(np.quantile(sc.score, 0.1)),
        "disadvantage_gap": _context_gap(sc.context, att),
        "regional_gap": float(np.ptp(regional_means(ctx.schools))),
        "cold_spot_gap": _cold_spot_gap(ctx),
        "frontier": float(ctx.system.frontier),
        "mean_knowledge": float(mean_knowledge(ctx.staff)),
        "share_outstanding": float(grade_share[0]),
        "share_good": float(grade_share[1]),
        "share_requires_improvement": float(grade_share[2]),
        "share_inadequate": float(grade_share[3]),
        "share_special_measures": float(sc.special_measures.mean()),
        "floor": float(ctx.system.floor),
        "share_below_floor": float(ctx.system.below_floor.mean()),
        "mean_pressure": float(sc.pressure.mean()),
        "academies": float(ctx.tally.academies),
        "leaving_rate": float(ctx.tally.leavers_term / ctx.staff.n / ctx.dt),
        "heads_changed": float(ctx.tally.heads_changed),
        "share_outstanding_supporting": float((outstanding & helping).sum() / max(outstanding.sum(), 1)),
        "mean_moral_capital": float(sc.moral_capital.mean()),
        "mean_km_capacity": float(sc.km_capacity.mean()),
        "mean_leadership": float(sc.leadership.mean()),
        "n_partnerships": float(ctx.links.count()),
        "online_share": float(ctx.links.online[ctx.links.live()].mean()) if ctx.links.count() else 0.0,
        "staff_days_used": float(ctx.tally.staff_days_used),
        "officer_days_used": float(ctx.tally.officer_days_used),
        "central_officer_days": float(ctx.tally.central_officer_days),
        "resource_used": float(ctx.tally.staff_days_used + ctx.tally.officer_days_used),
        "own_staff_days": float(ctx.tally.own_staff_days),
        "total_staff_days": float(ctx.tally.staff_days_used + ctx.tally.own_staff_days),
        "interventions": float(ctx.tally.interventions),
        **_jigsaw(ctx),
    }


def model_reporters() -> dict:
    """One DataCollector reporter per registered metric, reading the step's computed values."""
    return {name: (lambda m, n=name: m.current_metrics[n]) for name in METRICS}


def school_panel(ctx: Context) -> dict[str, np.ndarray]:
    sc = ctx.schools
    return {
        "school": np.arange(sc.n), "attainment": sc.attainment.copy(), "grade": sc.grade.copy(),
        "knowledge": school_knowledge(ctx.staff, ctx.schools), "km_capacity": sc.km_capacity.copy(),
        "moral_capital": sc.moral_capital.copy(), "leadership": sc.leadership.copy(),
        "special_measures": sc.special_measures.copy(), "below_floor": ctx.system.below_floor.copy(),
        "supporting": supporting(ctx), "degree": ctx.links.degree(sc.n),
        "coaching_days": ctx.plan.coaching_days.copy(), "external_gain": ctx.plan.external_gain.copy(),
        "pilot": sc.pilot.copy(), "secondary": sc.secondary.copy(), "pupils": sc.pupils.copy(),
    }
