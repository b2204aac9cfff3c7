"""Intervention where progress remains a concern, limited by officer capacity.

Encodes Ainscow's fourth task: officers decide "whether an individual school has, in fact,
got the leadership capacity to move their organisations forward, even with the support they
are receiving"; where not, they "use their powers of intervention" (new leadership, a
sponsor, a forced partnership). Candidates are schools in special measures, then schools
below the floor that are not good, weakest first by the authority's estimate. Each
intervention costs ``days_per_intervention`` officer days spread over a year, so capacity
limits how many schools are reached; an intervened school is not intervened again for three years. The
school gets new leadership (capacity drawn around ``leadership_after``) and, where a strong
school has room and agrees (moral capital), a sponsor who supports it for two years.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.brokering import has_room, link, willing_supporters
from simulation.mechanisms.declare import mechanism
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context

@mechanism(reads={"schools": "estimate grade intervened_until special_measures", "system": "below_floor"})
def candidates(ctx: Context) -> np.ndarray:
    sc = ctx.schools
    failing = sc.special_measures | (ctx.system.below_floor & (sc.grade >= 3))
    eligible = (sc.intervened_until < ctx.years_elapsed) & failing
    idx = np.flatnonzero(eligible)
    # special measures first, then weakest estimate first
    return idx[np.lexsort((sc.estimate[idx], ~sc.special_measures[idx]))]


@mechanism(reads={"schools": "intervened_until"})
def ongoing_cost(ctx: Context) -> float:
    """Officer days this step for interventions still running (each lasts a year)."""
    sc, cfg = ctx.schools, ctx.cfg.intervention
    running = sc.intervened_until - cfg.cooldown_years + cfg.engagement_years > ctx.years_elapsed
    return float(running.sum()) * cfg.days_per_intervention * ctx.dt / cfg.engagement_years


@mechanism(
    reads={"schools": "estimate grade moral_capital sig special_measures x y",
           "system": "below_floor estimate_order"},
    writes={"schools": "asked_until intervened_until leadership", "links": "*",
            "tally": "interventions officer_days_used"}
)
def intervene(ctx: Context, officer_days: float) -> float:
    """Keep running interventions going and start new ones while officer days allow; returns days used."""
    cfg, sc = ctx.cfg.intervention, ctx.schools
    ongoing = ongoing_cost(ctx)
    per_step = cfg.days_per_intervention * ctx.dt / cfg.engagement_years
    n = max(int((officer_days - ongoing) // per_step), 0)
    targets = candidates(ctx)[:n]
    if targets.size == 0:
        return min(ongoing, officer_days)
    new_leadership = np.clip(ctx.rng.normal(cfg.leadership_after, cfg.leadership_after_sd, targets.size),
                             ctx.cfg.leadership.lowest, ctx.cfg.leadership.highest)
    sc.leadership[targets] = np.maximum(sc.leadership[targets], new_leadership)
    sc.intervened_until[targets] = ctx.years_elapsed + cfg.cooldown_years
    _sponsor(ctx, targets)
    ctx.tally.interventions += targets.size
    return ongoing + targets.size * per_step


def _sponsor(ctx: Context, targets: np.ndarray) -> None:
    sc = ctx.schools
    room = has_room(ctx)
    sponsors = np.flatnonzero(room & (sc.grade <= 2))
    sponsors = willing_supporters(ctx, sponsors[np.argsort(-sc.estimate[sponsors], kind="stable")])[: targets.size]
    n = min(sponsors.size, targets.size)
    if n:
        link(ctx, sponsors[:n], targets[:n], PT.support, brokered=True, facilitated=False,
             until=ctx.years_elapsed + ctx.cfg.intervention.sponsor_years)
