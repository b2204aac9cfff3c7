"""The Growing the Top pilot: trios of stand-out schools, facilitated, for one year.

Encodes Matthews and Killick (2020): 21 "stand-out" schools, selected by an outstanding
judgement and attainment and progress above average two years running, grouped in seven
trios "taking account of geographical spread" (no near neighbours; one trio spanned 200
miles), each school giving six days a year per leader (three trio visits, three cohort
events), every visit chaired by a trained facilitator. Here: at ``start_after_years`` (or
once two years of results exist, if later) the
``3 * n_trios`` eligible schools with the highest two-year attainment are chosen (all
eligible ones if fewer), spread over trios by their east-west position so that trio
partners are far apart, and linked by facilitated, high-leverage trio partnerships that end
after ``duration_years``. The schools pay with their own days. Whether the trios gain is
left to the partnership mechanisms (``simulation.mechanisms.between_schools.partnerships``).
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.brokering import link
from simulation.mechanisms.declare import mechanism
from simulation.params.schema import Grade
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context


@mechanism(reads={"schools": "grade pupils", "system": "yearly_attainment"})
def eligible(ctx: Context) -> np.ndarray:
    """Outstanding schools above the mean attainment in each of the last two years."""
    sc = ctx.schools
    if len(ctx.system.yearly_attainment) < 2:
        return np.empty(0, dtype=np.int64)
    above = [year > np.average(year, weights=sc.pupils) for year in ctx.system.yearly_attainment[-2:]]
    return np.flatnonzero((sc.grade == Grade.outstanding) & above[0] & above[1])


@mechanism(
    reads={"schools": "estimate grade pupils x", "system": "yearly_attainment"},
    writes={"schools": "pilot", "links": "*", "system": "pilot_started", "tally": "officer_days_used"}
)
def start_pilot(ctx: Context) -> None:
    cfg = ctx.cfg.pilot
    if cfg.n_trios == 0 or ctx.system.pilot_started or ctx.years_elapsed + 1e-9 < cfg.start_after_years:
        return
    if len(ctx.system.yearly_attainment) < 2:
        return  # the selection filters need two years of results: start as soon as they exist
    ctx.system.pilot_started = True
    sc = ctx.schools
    pool = eligible(ctx)
    two_year = sum(ctx.system.yearly_attainment[-2:])
    chosen = pool[np.argsort(-two_year[pool], kind="stable")][: 3 * cfg.n_trios]
    n_trios = chosen.size // 3
    if n_trios == 0:
        return
    chosen = chosen[: 3 * n_trios]
    chosen = chosen[np.argsort(sc.x[chosen], kind="stable")]
    trios = chosen.reshape(3, n_trios).T  # trio i takes the i-th school of each third: far apart
    a = np.concatenate([trios[:, 0], trios[:, 0], trios[:, 1]])
    b = np.concatenate([trios[:, 1], trios[:, 2], trios[:, 2]])
    group = np.tile(np.array([ctx.links.next_group() for _ in range(n_trios)]), 3)
    link(ctx, a, b, PT.trio, brokered=True, facilitated=True, group=group,
         until=ctx.years_elapsed + cfg.duration_years)
    live = ctx.links.live()
    trio_rows = live[np.isin(ctx.links.group[live], group)]
    ctx.links.high_leverage[trio_rows] = True  # structured visits with a facilitator
    sc.pilot[trios.ravel()] = True


@mechanism(reads={"schools": "pilot", "links": "a active b funded ptype"})
def pilot_days(ctx: Context) -> float:
    """Own staff days the pilot schools spend this step: ``days_per_school`` a year for every
    pilot school still in a live trio of the pilot."""
    sc, links = ctx.schools, ctx.links
    if not sc.pilot.any():
        return 0.0
    rows = pilot_links(ctx)
    taking_part = np.zeros(sc.n, dtype=bool)
    taking_part[links.a[rows]] = True
    taking_part[links.b[rows]] = True
    return float(taking_part.sum()) * ctx.cfg.pilot.days_per_school * ctx.dt


@mechanism(reads={"schools": "pilot", "links": "a active b funded ptype"})
def pilot_links(ctx: Context) -> np.ndarray:
    """Live rows of the pilot's trios (self-funded trio links between two pilot schools)."""
    sc, links = ctx.schools, ctx.links
    rows = links.live()
    return rows[(links.ptype[rows] == PT.trio) & ~links.funded[rows] & sc.pilot[links.a[rows]] & sc.pilot[links.b[rows]]]
