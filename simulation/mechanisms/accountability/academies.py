"""Structural intervention: schools persistently below the floor become sponsored academies.

Encodes England's structural response to floors: from 2002 sponsored academies replaced schools with
persistently low results, and from 2010 academy orders followed persistent failure against the floor
standard, with new leadership and a sponsor - usually a strong school or trust - that runs the school for
years (Eyles & Machin 2019, JEEA: sponsored academy conversion; the sources' jigsaw note: "a sponsor
taking on a failing school"). Decided nationally on what is published: ``persistent_years`` below the
floor without a break (``below_floor_years``). The sponsor is the strongest good or outstanding school
(by grade, then the authority's estimate) with room that is willing (its own moral capital); it
supports the academy for ``academy_sponsor_years``. Each conversion costs ``conversion_officer_days`` of
central officers' time - counted with the officer days, not taken from the authority's budget - and
the sponsor's released staff days are counted every term the link runs (``own_staff_days``). The academy
joins the sponsor's multi-academy trust for good (:mod:`simulation.mechanisms.between_schools.formalisation`).
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.brokering import has_room, link, willing_supporters
from simulation.mechanisms.between_schools.formalisation import join_trust
from simulation.mechanisms.declare import mechanism
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context


@mechanism(reads={"schools": "academy below_floor_years"})
def due(ctx: Context) -> np.ndarray:
    """Schools below the floor for ``persistent_years`` that are not academies yet, longest first."""
    sc, cfg = ctx.schools, ctx.cfg.pressure
    idx = np.flatnonzero(~sc.academy & (sc.below_floor_years >= cfg.persistent_years - 1e-9))
    return idx[np.argsort(-sc.below_floor_years[idx], kind="stable")]


@mechanism(
    reads={"schools": "academy below_floor_years estimate grade moral_capital sig x y"},
    writes={"schools": "academy asked_until cluster intervened_until leadership trust", "links": "*",
            "tally": "academies central_officer_days officer_days_used"}
)
def convert(ctx: Context) -> np.ndarray:
    """Convert the schools due: new leadership and, where a willing strong school has room, a sponsor."""
    cfg, sc = ctx.cfg.pressure, ctx.schools
    ctx.tally.central_officer_days = 0.0
    if not cfg.structural_intervention:
        return np.zeros(0, dtype=np.int64)
    targets = due(ctx)
    if targets.size == 0:
        return targets
    after = ctx.cfg.intervention
    new_leadership = np.clip(ctx.rng.normal(after.leadership_after, after.leadership_after_sd, targets.size),
                             ctx.cfg.leadership.lowest, ctx.cfg.leadership.highest)
    sc.leadership[targets] = np.maximum(sc.leadership[targets], new_leadership)
    sc.academy[targets] = True
    sc.intervened_until[targets] = np.maximum(sc.intervened_until[targets], ctx.years_elapsed + after.cooldown_years)
    sponsors = np.flatnonzero(has_room(ctx) & (sc.grade <= 2) & ~np.isin(np.arange(sc.n), targets))
    sponsors = sponsors[np.lexsort((-sc.estimate[sponsors], sc.grade[sponsors]))]
    sponsors = willing_supporters(ctx, sponsors)[: targets.size]
    n = min(sponsors.size, targets.size)
    brokered = 0
    if n:  # link() books its brokering days with the officer days; they are central here
        made = link(ctx, sponsors[:n], targets[:n], PT.support, brokered=True, facilitated=False,
                    until=ctx.years_elapsed + cfg.academy_sponsor_years)
        brokered = made.size
        join_trust(ctx, ctx.links.a[made], ctx.links.b[made])  # and joins the sponsor's multi-academy trust
    ctx.tally.academies += targets.size
    ctx.tally.officer_days_used += targets.size * cfg.conversion_officer_days
    ctx.tally.central_officer_days = (targets.size * cfg.conversion_officer_days
                                      + brokered * ctx.cfg.intervention.brokering_days)
    return targets
