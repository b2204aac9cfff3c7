"""The four strategies, as allocations of one discretionary budget across the levers.

Encodes the brief's section 2 and Berwick's two strands. Every strategy spends the same
staff-day budget each step (``budget_days_per_school`` x schools x step length); what
differs is where it goes:

* ``status_quo`` – all on low-leverage CPD for everyone; inspection, floor standards and
  intervention as in every strategy.
* ``reducing_disparity`` – internal coaching and support from strong schools, to the
  weakest schools only.
* ``growing_the_top`` – external networks (trios, peer review) and innovation, to the
  strongest schools only.
* ``upwards_convergence`` – both strands, staged by readiness: a school first builds
  internal coaching until its knowledge-management capacity reaches
  ``readiness_threshold``, then is linked to external knowledge (support if weak,
  networks and innovation if strong), while strong schools release staff to support weak
  ones.

A lever that cannot use its share (no eligible schools, no willing partners, no broker)
passes it to the next; whatever is left goes to low-leverage CPD, so the total spent is
always the budget. Which schools are weakest or strongest is decided from the local
authority's noisy estimate, never from the true state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.mechanisms.between_schools import brokering, partnerships
from simulation.mechanisms.within_school import coaching
from simulation.params.schema import PartnershipType as PT
from simulation.params.schema import StrategyName, Targeting
from simulation.state import Context
from simulation.state.segments import of_types

LEVERS = ("internal_coaching", "school_support", "external_networks", "innovation")
NETWORK_TYPES = (PT.network, PT.trio, PT.peer_review)
SUPPORT_TYPES = (PT.support, PT.sig_pair)  # brokered support: a pair from data, or inside an improvement group


@dataclass(frozen=True)
class Strategy:
    """A compared strategy: its config file ``conf/strategy/<name>.yaml``, how it is named and
    coloured wherever it is shown, and what it does in plain words (the browser page's text)."""

    name: str
    label: str
    colour: str
    summary: str


# The one list of compared strategies, in the order they are shown (config files hold the levers).
STRATEGIES: dict[str, Strategy] = {s.name: s for s in (
    Strategy("status_quo", "Status quo", "#777777",
             "Accountability on its own: inspection, floor standards and local-authority intervention. The "
             "discretionary budget (the same number of staff days per school for every strategy) goes on "
             "low-leverage CPD - courses, conferences and documents - spread thinly over every school. Nobody "
             "brokers partnerships: schools pick partners themselves, usually near and similar ones, and such "
             "links rarely change practice."),
    Strategy("reducing_disparity", "Reducing disparity", "#1f77b4",
             "Resources go to the weakest schools only: internal coaching (60% of the budget) and support from "
             "strong schools, which release expert staff to work alongside them (40%). The local authority uses "
             "data to match each weakness with a strength, and a facilitator supports the partnerships. The "
             "strongest schools get nothing beyond the status quo."),
    Strategy("growing_the_top", "Growing the top", "#ff7f0e",
             "Resources go to the strongest schools only: external networks such as facilitated trios and peer "
             "review (60% of the budget) and structured innovation and research engagement (40%), which push the "
             "best practice in the system further. The weakest schools get nothing beyond the status quo."),
    Strategy("upwards_convergence", "Upwards convergence", "#2ca02c",
             "Both strands, staged by each school's readiness: a school first builds internal coaching until its "
             "knowledge-management capacity reaches the readiness threshold, and only then takes part in external "
             "links - support from a stronger school if it is weak, networks and innovation if it is strong. "
             "Strong schools support weak ones, so the top keeps rising while the bottom catches up. Budget: 35% "
             "coaching, 25% school support, 25% networks, 15% innovation; partnerships are brokered from data, "
             "facilitated and peer-reviewed."),
)}


def budget_per_step(ctx: Context) -> float:
    cfg = ctx.cfg.strategy
    return cfg.budget_days_per_school * ctx.schools.n * ctx.dt


def allocate(ctx: Context) -> dict[str, float]:
    """Spend this step's budget across the levers; returns staff days per lever."""
    cfg = ctx.cfg.strategy
    budget = budget_per_step(ctx)
    spent = {lever: 0.0 for lever in LEVERS}
    carry = 0.0
    for pass_ in range(2):
        for lever in LEVERS:
            share = getattr(cfg, lever)
            if share <= 0:
                continue
            available = (share * budget if pass_ == 0 else 0.0) + carry
            used = SPEND[lever](ctx, available, spent[lever])
            spent[lever] += used
            carry = available - used
    cpd = max(budget - sum(spent.values()), 0.0)
    _spend_cpd(ctx, cpd)
    spent["low_leverage_cpd"] = cpd
    return spent


def _target_count(ctx: Context) -> int:
    return max(1, int(round(ctx.cfg.strategy.target_share * ctx.schools.n)))


def weakest(ctx: Context) -> np.ndarray:
    return ctx.system.estimate_order[: _target_count(ctx)]


def strongest(ctx: Context) -> np.ndarray:
    return ctx.system.estimate_order[::-1][: _target_count(ctx)]


def ready(ctx: Context, schools: np.ndarray) -> np.ndarray:
    """Ready for external links: the authority's latest reading of the school's knowledge-management
    capacity (inspection, review) reaches the threshold - never the true capacity."""
    return ctx.schools.km_estimate[schools] >= ctx.cfg.strategy.readiness_threshold


def coaching_targets(ctx: Context) -> np.ndarray:
    t = ctx.cfg.strategy.targeting
    if t == Targeting.weakest:
        return weakest(ctx)
    if t == Targeting.strongest:
        return strongest(ctx)
    everyone = ctx.system.estimate_order
    if t == Targeting.readiness:
        return everyone[~ready(ctx, everyone)]
    return everyone


def support_receivers(ctx: Context) -> np.ndarray:
    t = ctx.cfg.strategy.targeting
    receivers = weakest(ctx)
    if t == Targeting.readiness:
        receivers = receivers[ready(ctx, receivers)]
    return receivers


def network_members(ctx: Context) -> np.ndarray:
    t = ctx.cfg.strategy.targeting
    members = strongest(ctx) if t != Targeting.all else ctx.system.estimate_order[::-1]
    if t == Targeting.readiness:
        members = members[ready(ctx, members)]
    return members


def _spend_coaching(ctx: Context, days: float, already: float) -> float:
    """Fund coaching school by school in priority order; the last school may get part."""
    targets = coaching_targets(ctx)
    need = np.maximum(coaching.full_cost(ctx)[targets] - ctx.plan.coaching_days[targets], 0.0)
    before = np.cumsum(need) - need  # what the schools ahead in the queue take
    give = np.clip(days - before, 0.0, need)
    ctx.plan.coaching_days[targets] += give
    return float(give.sum())


def _funded_rows(ctx: Context, types) -> np.ndarray:
    links = ctx.links
    rows = links.live()
    return rows[links.funded[rows] & of_types(links.ptype[rows], types)]


def _link_cost(ctx: Context) -> float:
    """Staff days a face-to-face partnership costs per step: both schools' days (an online one costs
    less: :func:`simulation.mechanisms.between_schools.partnerships.link_days`)."""
    return 2 * ctx.cfg.partnership.days_per_term * ctx.cfg.partnership.terms_per_year * ctx.dt


def _room_for(ctx: Context, rows: np.ndarray, budget: float, cost: float, end_excess: bool = True) -> int:
    """How many more partnerships (at the face-to-face cost) the budget pays for beside the funded
    ``rows``; when these already cost more than the budget, the youngest are ended until they fit
    (``end_excess``; a network's links are left to run their course) and the result is 0. Never
    more than the system could hold."""
    used = partnerships.link_days(ctx, rows)
    if used.sum() > budget + 1e-9:
        if not end_excess:
            return 0
        young_first = np.argsort(ctx.links.age[rows], kind="stable")
        left = used.sum() - np.cumsum(used[young_first])  # what stays after ending the youngest k+1
        n_end = int(np.argmax(left <= budget + 1e-9)) + 1
        ctx.links.end(rows[young_first[:n_end]])
        return 0
    most = ctx.schools.n * ctx.cfg.partnership.max_partnerships - rows.size
    spare = max(budget - used.sum(), 0.0)
    return most if spare >= cost * most else int(spare // cost)


def _spend_support(ctx: Context, days: float, already: float) -> float:
    cfg = ctx.cfg.strategy
    cost = _link_cost(ctx)
    if cost <= 0:
        return 0.0  # partnerships without released days achieve nothing: nothing to buy
    rows = _funded_rows(ctx, SUPPORT_TYPES)
    wanted = _room_for(ctx, rows, days + already, cost)
    if wanted > 0:
        receivers = support_receivers(ctx)
        room = brokering.has_room(ctx)
        supported = np.zeros(ctx.schools.n, dtype=bool)
        supported[ctx.links.b[rows]] = True
        receivers = receivers[room[receivers] & ~supported[receivers]][:wanted]
        suppliers = strongest(ctx)
        suppliers = suppliers[room[suppliers] & (ctx.schools.grade[suppliers] <= 2)]
        suppliers = np.setdiff1d(suppliers, receivers)
        brokering.broker_support(ctx, receivers, suppliers, cfg.brokering, cfg.facilitation)
    rows = _funded_rows(ctx, SUPPORT_TYPES)
    return max(0.0, float(partnerships.link_days(ctx, rows).sum()) - already)


def _spend_networks(ctx: Context, days: float, already: float) -> float:
    cfg = ctx.cfg.strategy
    size = ctx.cfg.partnership.network_size
    per_group = size * (size - 1) // 2
    cost = _link_cost(ctx)
    if cost <= 0:
        return 0.0
    rows = _funded_rows(ctx, NETWORK_TYPES)
    groups = _room_for(ctx, rows, days + already, cost, end_excess=False) // per_group
    if groups > 0:
        members = network_members(ctx)
        room = ctx.links.degree(ctx.schools.n) <= ctx.cfg.partnership.max_partnerships - (size - 1)
        in_network = np.zeros(ctx.schools.n, dtype=bool)
        in_network[ctx.links.a[rows]] = True
        in_network[ctx.links.b[rows]] = True
        members = members[room[members] & ~in_network[members]]
        brokering.broker_networks(ctx, members, groups, cfg.brokering, cfg.facilitation)
    rows = _funded_rows(ctx, NETWORK_TYPES)
    if cfg.peer_review and rows.size:
        from simulation.mechanisms.accountability.information import review

        review(ctx, np.unique(np.concatenate([ctx.links.a[rows], ctx.links.b[rows]])))
    return max(0.0, float(partnerships.link_days(ctx, rows).sum()) - already)


def _spend_innovation(ctx: Context, days: float, already: float) -> float:
    targets = network_members(ctx)
    if targets.size == 0 or days <= 0:
        return 0.0
    room = ctx.cfg.innovation.max_days * ctx.dt - ctx.plan.innovation_days[targets]
    give = np.minimum(room.clip(min=0), days / targets.size)
    ctx.plan.innovation_days[targets] += give
    return float(give.sum())


def _spend_cpd(ctx: Context, days: float) -> None:
    sc = ctx.schools
    ctx.plan.cpd_days = days * sc.n_staff / sc.n_staff.sum()


SPEND = {
    "internal_coaching": _spend_coaching,
    "school_support": _spend_support,
    "external_networks": _spend_networks,
    "innovation": _spend_innovation,
}


__all__ = ["allocate", "budget_per_step", "StrategyName", "Strategy", "STRATEGIES"]
