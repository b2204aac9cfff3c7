"""Distance: what the kilometres between two partner schools do to their partnership.

Encodes the jigsaw note's "partnerships are increasingly straddling local authority boundaries,
but proximity remains vital for successful cluster working" and Chhatwal (2020): collaboration
"may be rooted in localities, but not bounded by them ... Digital collaboration is giving us
the means", online events reaching schools "at the end of a poorly-served branch-line".

* Travel eats released days: of a face-to-face partnership day, the return journey
  (``2 d / travel_speed_kmh`` hours of ``working_hours``) is not spent with the partner.
* Near partners deepen faster: a face-to-face partnership deepens at ``1 / (1 + d / near_km)``
  of the rate of next-door schools.
* Online collaboration (when ``online`` is on, for partners over ``online_beyond_km`` apart):
  no travel and ``online_day_share`` of the days, but it deepens at ``online_depth`` of the rate
  and only to ``online_depth`` of the depth a face-to-face partnership can reach.

Every value is an assumption except where docs/parameters.md gives a source; the strength of a
partnership (``partnerships.strength``) and the days it costs (``strategies``, the model's count
of schools' own days) read these rules.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.declare import mechanism
from simulation.state import Context


@mechanism(reads={"schools": "x y"})
def between(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Straight-line distance between schools ``a`` and ``b`` (km)."""
    sc = ctx.schools
    return np.hypot(sc.x[a] - sc.x[b], sc.y[a] - sc.y[b])


@mechanism()
def meets_online(ctx: Context, distance: np.ndarray) -> np.ndarray:
    """Whether partners this far apart collaborate online."""
    cfg = ctx.cfg.distance
    return np.asarray(distance) > cfg.online_beyond_km if cfg.online else np.zeros(np.shape(distance), dtype=bool)


@mechanism(reads={"links": "distance online"})
def contact_share(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Share of each partnership day spent with the partner rather than on the road (1 online)."""
    cfg, links = ctx.cfg.distance, ctx.links
    travel_hours = 2 * links.distance[rows] / cfg.travel_speed_kmh
    face = np.clip(1 - travel_hours / cfg.working_hours, 0.0, 1.0)
    return np.where(links.online[rows], 1.0, face)


@mechanism(reads={"links": "online"})
def day_share(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Staff days a partnership uses, as a share of a face-to-face partnership's ``days_per_term``."""
    return np.where(ctx.links.online[rows], ctx.cfg.distance.online_day_share, 1.0)


@mechanism(reads={"links": "distance online"})
def deepening(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Rate a partnership deepens at, relative to face-to-face partners next door."""
    cfg, links = ctx.cfg.distance, ctx.links
    return np.where(links.online[rows], cfg.online_depth, 1.0 / (1.0 + links.distance[rows] / cfg.near_km))


@mechanism(reads={"links": "online"})
def depth_reach(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Share of its type's depth (start and cap) a partnership can have: less online."""
    return np.where(ctx.links.online[rows], ctx.cfg.distance.online_depth, 1.0)
