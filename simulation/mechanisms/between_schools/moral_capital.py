"""Moral capital and role modelling.

Encodes Berwick's London case: "in 2002 only 1% of outstanding schools were supporting
underperforming schools. By 2010, this figure had grown to 17%. Over time, outstanding
schools saw their peers' role modelling moral behaviour ... As a result, more outstanding
schools began undertaking their own school-to-school work." A school's moral capital (its
willingness to help other schools) grows with the share of strong schools in its region
that it sees supporting others (role modelling) and with its own supporting; it decays
slowly otherwise. It decides whether a strong school agrees when asked to support, and how
often it offers support unasked. Nothing here sets the share of supporters: it follows from
the requests the strategy makes and the answers schools give.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.partnerships import DIRECTED_TYPES
from simulation.mechanisms.declare import mechanism
from simulation.state import Context
from simulation.state.segments import of_types


@mechanism(reads={"links": "a active ptype"})
def supporting(ctx: Context) -> np.ndarray:
    """Schools currently releasing staff to support another school."""
    links = ctx.links
    rows = links.live()
    rows = rows[of_types(links.ptype[rows], DIRECTED_TYPES)]
    out = np.zeros(ctx.schools.n, dtype=bool)
    out[links.a[rows]] = True
    return out


@mechanism(reads={"schools": "grade region", "links": "a active ptype"}, writes={"schools": "moral_capital"})
def role_model(ctx: Context) -> None:
    sc, cfg, dt = ctx.schools, ctx.cfg.moral_capital, ctx.dt
    strong = sc.grade <= 2
    helping = supporting(ctx)
    n_regions = int(sc.region.max()) + 1
    strong_count = np.bincount(sc.region, weights=strong, minlength=n_regions)
    helping_count = np.bincount(sc.region, weights=strong & helping, minlength=n_regions)
    peer_share = (helping_count / np.maximum(strong_count, 1))[sc.region]
    m = sc.moral_capital
    growth = (cfg.role_modelling * peer_share + cfg.own_support_gain * helping) * (1 - m)
    sc.moral_capital = np.clip(m + dt * (growth - cfg.decay * m), 0.0, 1.0)
