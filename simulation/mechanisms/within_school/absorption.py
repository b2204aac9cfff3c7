"""Absorptive capacity, the "overwhelmed" effect, and shallow versus deep knowledge.

Encodes Berwick: schools at the lowest end "will need to focus on their internal knowledge
management systems first. If they start by taking on external knowledge they will quickly
become overwhelmed and improvements won't be sustainable"; and Chhatwal's warning against
"drag and drop" copying of visible features without understanding. External knowledge a
school takes in is split by its knowledge-management capacity (``km``): the share ``km``
becomes deep knowledge, the rest is shallow. Below ``overwhelm_threshold`` the school takes
in less in the first place (it is overwhelmed). Shallow knowledge acts on pupils while it
lasts but fades at ``shallow_decay`` and is turned into deep knowledge at ``consolidation *
km`` meanwhile: only a school that manages knowledge keeps what it copied.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import clip01, posts_of



@mechanism()
def uptake(ctx: Context, km: np.ndarray) -> np.ndarray:
    """Share of offered external knowledge a school can take in (1 when not overwhelmed)."""
    thr = ctx.cfg.absorption.overwhelm_threshold
    if thr <= 0:
        return np.ones_like(km)
    return np.clip(km / thr, 0.0, 1.0)


@mechanism(reads={"schools": "km_capacity", "plan": "external_gain"}, writes={"staff": "knowledge"})
def misfit(ctx: Context) -> None:
    """What an overwhelmed school takes on beyond its capacity costs it: practice copied without
    fit to its context and the attention it drains lower every teacher's deep knowledge by
    ``overwhelm_harm * (1 - uptake) * gain``, the gain being what partners brought this term."""
    sc, cfg = ctx.schools, ctx.cfg.absorption
    harm = cfg.overwhelm_harm * (1 - uptake(ctx, sc.km_capacity)) * ctx.plan.external_gain
    hit = np.flatnonzero(harm > 0)
    if hit.size:
        posts = posts_of(hit, sc.start)
        ctx.staff.knowledge[posts] -= np.repeat(harm[hit], sc.n_staff[hit])


@mechanism(reads={"schools": "km_capacity"}, writes={"staff": "knowledge shallow"})
def take_in(ctx: Context, gain: np.ndarray) -> None:
    """Add external knowledge gains (one per post): deep in proportion to capacity, the rest shallow.

    The reference form of the rule; the compiled loops of partnership exchange and CPD
    (:mod:`simulation.mechanisms.kernels`) apply it with the same operations, checked against it in the tests."""
    st = ctx.staff
    km = ctx.schools.km_capacity[st.school]
    st.knowledge += km * gain
    np.subtract(1, km, out=km)
    km *= gain
    st.shallow += km


@mechanism(reads={"schools": "km_capacity", "system": "frontier"}, writes={"staff": "knowledge shallow"})
def consolidate(ctx: Context) -> None:
    """Shallow knowledge fades (at ``shallow_decay``) or, in a school that manages knowledge,
    becomes deep (at ``consolidation * km``); knowledge plus shallow stays within the frontier."""
    st, cfg, sc = ctx.staff, ctx.cfg.absorption, ctx.schools
    consolidate_kernel(st.knowledge, st.shallow, sc.start, sc.km_capacity, ctx.system.frontier, ctx.dt,
                        cfg.consolidation, cfg.shallow_decay)


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def consolidate_kernel(knowledge, shallow, start, km, frontier, dt, consolidation, shallow_decay):
    """absorption.consolidate: shallow knowledge becomes deep (at ``consolidation * km``) or fades."""
    faded_share = clip01(shallow_decay * dt)
    for s in range(start.size - 1):
        convert = clip01(km[s] * consolidation * dt)
        for p in range(start[s], start[s + 1]):
            h = shallow[p]
            converted = convert * h
            k = min(knowledge[p] + converted, frontier)
            h -= faded_share * h + converted
            knowledge[p] = k
            shallow[p] = max(min(h, frontier - k), 0.0)
