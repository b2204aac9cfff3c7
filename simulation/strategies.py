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

from simulation.mechanisms.between_schools import brokering
from simulation.mechanisms.within_school import coaching
from simulation.params.schema import PartnershipType as PT
from simulation.params.schema import StrategyName, Targeting
from simulation.state.tables import of_types

LEVERS = ("internal_coaching", "school_support", "external_networks", "innovation")
NETWORK_TYPES = (PT.network, PT.trio, PT.peer_review)


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


def budget_per_step(model) -> float:
    cfg = model.cfg.strategy
    return cfg.budget_days_per_school * model.schools.n * model.dt


def allocate(model) -> dict[str, float]:
    """Spend this step's budget across the levers; returns staff days per lever."""
    cfg = model.cfg.strategy
    budget = budget_per_step(model)
    model.schools.reset_plan()
    spent = {lever: 0.0 for lever in LEVERS}
    carry = 0.0
    for pass_ in range(2):
        for lever in LEVERS:
            share = getattr(cfg, lever)
            if share <= 0:
                continue
            available = (share * budget if pass_ == 0 else 0.0) + carry
            used = SPEND[lever](model, available, spent[lever])
            spent[lever] += used
            carry = available - used
    cpd = max(budget - sum(spent.values()), 0.0)
    _spend_cpd(model, cpd)
    spent["low_leverage_cpd"] = cpd
    return spent


def _target_count(model) -> int:
    return max(1, int(round(model.cfg.strategy.target_share * model.schools.n)))


def weakest(model) -> np.ndarray:
    return model.estimate_order[: _target_count(model)]


def strongest(model) -> np.ndarray:
    return model.estimate_order[::-1][: _target_count(model)]


def ready(model, schools: np.ndarray) -> np.ndarray:
    return model.schools.km_capacity[schools] >= model.cfg.strategy.readiness_threshold


def coaching_targets(model) -> np.ndarray:
    t = model.cfg.strategy.targeting
    if t == Targeting.weakest:
        return weakest(model)
    if t == Targeting.strongest:
        return strongest(model)
    everyone = model.estimate_order
    if t == Targeting.readiness:
        return everyone[~ready(model, everyone)]
    return everyone


def support_receivers(model) -> np.ndarray:
    t = model.cfg.strategy.targeting
    receivers = weakest(model)
    if t == Targeting.readiness:
        receivers = receivers[ready(model, receivers)]
    return receivers


def network_members(model) -> np.ndarray:
    t = model.cfg.strategy.targeting
    members = strongest(model) if t != Targeting.all else model.estimate_order[::-1]
    if t == Targeting.readiness:
        members = members[ready(model, members)]
    return members


def _spend_coaching(model, days: float, already: float) -> float:
    """Fund coaching school by school in priority order; the last school may get part."""
    targets = coaching_targets(model)
    sc = model.schools
    need = np.maximum(coaching.full_cost(model)[targets] - sc.coaching_days[targets], 0.0)
    before = np.cumsum(need) - need  # what the schools ahead in the queue take
    give = np.clip(days - before, 0.0, need)
    sc.coaching_days[targets] += give
    return float(give.sum())


def _funded_rows(model, types) -> np.ndarray:
    links = model.links
    rows = links.live()
    return rows[links.funded[rows] & of_types(links.ptype[rows], types)]


TERMS_PER_YEAR = 3


def _link_cost(model) -> float:
    """Staff days one partnership costs per step: both schools' days."""
    return 2 * model.cfg.partnership.days_per_term * TERMS_PER_YEAR * model.dt


def _affordable(model, days: float, cost: float) -> int:
    """How many partnerships the days pay for (never more than the system could hold)."""
    most = model.schools.n * model.cfg.partnership.max_partnerships
    return most if days >= cost * most else int(days // cost)


def _spend_support(model, days: float, already: float) -> float:
    cfg = model.cfg.strategy
    cost = _link_cost(model)
    if cost <= 0:
        return 0.0  # partnerships without released days achieve nothing: nothing to buy
    affordable = _affordable(model, days + already, cost)
    rows = _funded_rows(model, (PT.support,))
    wanted = affordable - rows.size
    if wanted > 0:
        receivers = support_receivers(model)
        room = brokering.has_room(model)
        supported = np.zeros(model.schools.n, dtype=bool)
        supported[model.links.b[rows]] = True
        receivers = receivers[room[receivers] & ~supported[receivers]][:wanted]
        suppliers = strongest(model)
        suppliers = suppliers[room[suppliers] & (model.schools.grade[suppliers] <= 2)]
        suppliers = np.setdiff1d(suppliers, receivers)
        brokering.broker_support(model, receivers, suppliers, cfg.brokering, cfg.facilitation)
    elif wanted < 0:
        model.links.end(rows[np.argsort(model.links.age[rows])][: -wanted])
    n = _funded_rows(model, (PT.support,)).size
    return max(0.0, n * cost - already)


def _spend_networks(model, days: float, already: float) -> float:
    cfg = model.cfg.strategy
    size = model.cfg.partnership.network_size
    per_group = size * (size - 1) // 2
    cost = _link_cost(model)
    if cost <= 0:
        return 0.0
    affordable = _affordable(model, days + already, cost)
    rows = _funded_rows(model, NETWORK_TYPES)
    groups = (affordable - rows.size) // per_group
    if groups > 0:
        members = network_members(model)
        room = model.links.degree(model.schools.n) <= model.cfg.partnership.max_partnerships - (size - 1)
        in_network = np.zeros(model.schools.n, dtype=bool)
        in_network[model.links.a[rows]] = True
        in_network[model.links.b[rows]] = True
        members = members[room[members] & ~in_network[members]]
        brokering.broker_networks(model, members, groups, cfg.brokering, cfg.facilitation)
    rows = _funded_rows(model, NETWORK_TYPES)
    if cfg.peer_review and rows.size:
        from simulation.mechanisms.accountability.information import review

        review(model, np.unique(np.concatenate([model.links.a[rows], model.links.b[rows]])))
    return max(0.0, rows.size * cost - already)


def _spend_innovation(model, days: float, already: float) -> float:
    targets = network_members(model)
    if targets.size == 0 or days <= 0:
        return 0.0
    room = model.cfg.innovation.max_days * model.dt - model.schools.innovation_days[targets]
    give = np.minimum(room.clip(min=0), days / targets.size)
    model.schools.innovation_days[targets] += give
    return float(give.sum())


def _spend_cpd(model, days: float) -> None:
    sc = model.schools
    sc.cpd_days = days * sc.n_staff / sc.n_staff.sum()


SPEND = {
    "internal_coaching": _spend_coaching,
    "school_support": _spend_support,
    "external_networks": _spend_networks,
    "innovation": _spend_innovation,
}


__all__ = ["allocate", "budget_per_step", "StrategyName", "Strategy", "STRATEGIES"]
