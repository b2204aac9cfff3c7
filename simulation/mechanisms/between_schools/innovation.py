"""Innovation: the only source of new knowledge, and a risky one.

Encodes Berwick's growing-the-top strand: schools "develop and engage with research and
innovation so that they are constantly re-defining what outstanding practice looks like",
and "ultimately, these schools will have to learn how to handle innovation so that it
benefits, rather than detracts". Each step a school attempts an innovation with a rate set
by its released innovation days (plus a small base rate and a boost from research
networks). The outcome is a change to its experts' practice, drawn from
``N(step_mean, step_sd)``: often negative. The school judges the outcome with noise that its
knowledge-management capacity halves, and adopts what looks good. An adopted gain above the
current best practice moves the frontier.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context
from simulation.state.segments import of_types



@mechanism(reads={"links": "a active b ptype", "plan": "innovation_days"})
def attempt_rate(ctx: Context) -> np.ndarray:
    cfg, sc = ctx.cfg.innovation, ctx.schools
    days = ctx.plan.innovation_days / ctx.dt
    rate = cfg.base_rate + cfg.max_attempts * days / (days + cfg.half_days)
    links = ctx.links
    rows = links.live()
    rows = rows[of_types(links.ptype[rows], (PT.network, PT.trio, PT.peer_review))]
    networked = np.zeros(sc.n, dtype=bool)
    networked[links.a[rows]] = True
    networked[links.b[rows]] = True
    return rate + cfg.network_boost * cfg.base_rate * networked


@mechanism(
    reads={"staff": "expert", "schools": "km_capacity", "links": "a active b ptype", "plan": "innovation_days"},
    writes={"staff": "knowledge", "tally": "innovations_adopted innovations_harmful"}
)
def innovate(ctx: Context) -> None:
    cfg, sc = ctx.cfg.innovation, ctx.schools
    p = 1 - np.exp(-attempt_rate(ctx) * ctx.dt)
    trying = np.flatnonzero(ctx.rng.random(sc.n) < p)
    if trying.size == 0:
        return
    outcome = ctx.rng.normal(cfg.step_mean, cfg.step_sd, trying.size)
    noise = cfg.evaluation_noise * (1 - cfg.capacity_noise_reduction * sc.km_capacity[trying])
    adopted = outcome + ctx.rng.normal(0, 1, trying.size) * noise > 0
    ctx.tally.innovations_adopted += int(adopted.sum())
    ctx.tally.innovations_harmful += int((outcome[adopted] < 0).sum())
    _adopt(ctx, trying[adopted], outcome[adopted])


def _adopt(ctx: Context, schools: np.ndarray, change: np.ndarray) -> None:
    """A good innovation is new practice beyond the school's best: the innovator holds it and
    the school's experts take up part of it. A bad one makes the experts' practice worse."""
    st = ctx.staff
    adopt_kernel(st.knowledge, st.expert, ctx.schools.start, schools, change, ctx.cfg.innovation.expert_uptake)


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def adopt_kernel(knowledge, expert, start, schools, change, expert_uptake):
    """innovation._adopt: for a gain, the school's most knowledgeable post (the first of equals)
    holds the new practice and its experts move ``expert_uptake`` of the way to it; for a
    loss, every expert's practice falls by it."""
    for i in range(schools.size):
        lo, hi = start[schools[i]], start[schools[i] + 1]
        delta = change[i]
        if delta > 0:
            innovator = lo
            for p in range(lo + 1, hi):
                if knowledge[p] > knowledge[innovator]:
                    innovator = p
            new_practice = knowledge[innovator] + delta
            for p in range(lo, hi):
                if expert[p]:
                    knowledge[p] += expert_uptake * (new_practice - knowledge[p])
            knowledge[innovator] = new_practice
        else:
            for p in range(lo, hi):
                if expert[p]:
                    knowledge[p] += delta
