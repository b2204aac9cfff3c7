"""External partnerships: knowledge flows between schools, with type, depth and maturity.

Encodes: partnerships cover a spectrum from informal collaboratives to federations, deepen
with age and with harder governance, and "need time to make an impact" (jigsaw note;
federations show impact after 2-4 years: ``maturity = 1 - exp(-age / maturity_years)``).
What flows is the partner's *expert* practice, so two weak schools "have little to give each
other" (no recycling of mediocrity: the gain is a share of the gap to the partner's experts,
zero when the partner is no better). High-leverage activity (coaching, joint practice
development, lesson study, learning walks) transfers fully, low-leverage activity
(conferences, documents, toolkits) only ``low_leverage_factor`` of it (Ainscow 2013).
A trained facilitator adds ``facilitation_gain`` (Growing the Top). What a partnership brings
reaches the staff in contact with the partner (the experts) directly and the rest of the
staff only through the school's internal knowledge management (share ``km``): knowledge
from outside spreads inside a school only where it has the systems to share it (Berwick).
Network, peer-review and trio links also carry research engagement: expert coaches with "networking and research
skills ... locate the latest best practice in the system" (Berwick), a pull toward the
frontier. In a support partnership the strong school's released experts coach the weaker
school; they lose a little teaching time, and they learn in turn ("by helping others you
help yourself", Ainscow 2013): joint practice development moves them toward the frontier.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels
from simulation.mechanisms.within_school.absorption import uptake
from simulation.params.schema import PartnershipType as PT
from simulation.population import expert_knowledge
from simulation.state.tables import of_types

INITIAL_DEPTH = np.array([0.3, 0.5, 0.5, 0.6, 0.6, 0.5, 0.8])
DEPTH_CAP = np.array([0.6, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0])
RESEARCH_TYPES = (PT.network, PT.peer_review, PT.trio)
DIRECTED_TYPES = (PT.support,)


def maturity(model, rows: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-model.links.age[rows] / model.cfg.partnership.maturity_years)


def strength(model, rows: np.ndarray) -> np.ndarray:
    """Share of the gap to the partner's practice closed this step, before the receiver's uptake."""
    cfg, links = model.cfg.partnership, model.links
    leverage = np.where(links.high_leverage[rows], 1.0, cfg.low_leverage_factor)
    facilitation = 1.0 + cfg.facilitation_gain * links.facilitated[rows]
    time = cfg.days_per_term / (cfg.days_per_term + cfg.half_days)  # released days, diminishing returns
    return cfg.transfer_rate * time * model.dt * maturity(model, rows) * links.depth[rows] * leverage * facilitation


def exchange(model) -> None:
    """Knowledge flows along every live partnership for one step."""
    links = model.links
    rows = links.live()
    if rows.size == 0:
        return
    s = strength(model, rows)
    a, b, ptype = links.a[rows], links.b[rows], links.ptype[rows]
    mutual = ~of_types(ptype, DIRECTED_TYPES)
    receiver = np.concatenate([b, a[mutual]])
    source = np.concatenate([a, b[mutual]])
    rate = np.concatenate([s, s[mutual]])
    experts = expert_knowledge(model.staff, model.schools)
    research = np.concatenate([of_types(ptype, RESEARCH_TYPES), of_types(ptype[mutual], RESEARCH_TYPES)])
    target_value = np.where(research, np.maximum(experts[source], _research_target(model, experts[source])),
                            experts[source])
    _take_from_partners(model, receiver, rate, target_value)
    _supporters_learn(model, rows, s)
    _release_experts(model, rows)
    _mature(model, rows)


def _take_from_partners(model, receiver: np.ndarray, rate: np.ndarray, target: np.ndarray) -> None:
    """Each post moves toward each partner's practice in turn, best partner first, so that a
    partner that is no better adds nothing (and takes nothing away from a better one):
    k += rate * reach * max(target - k, 0). Staff in contact with the partner (the experts)
    are reached fully; the rest only as far as the school's internal knowledge management
    carries it to them (``reach = km``), times the school's uptake. The gain is taken in as
    deep (share ``km``) and shallow knowledge (:func:`simulation.mechanisms.within_school.absorption.take_in`)."""
    st, sc = model.staff, model.schools
    order = kernels.by_receiver_best_first(receiver, target, sc.n)
    kernels.partner_gains(st.knowledge, st.shallow, st.expert, sc.start, sc.km_capacity, uptake(model, sc.km_capacity),
                          receiver[order], rate[order], target[order], sc.external_gain)


def _research_target(model, source_experts: np.ndarray) -> np.ndarray:
    reach = model.cfg.partnership.research_reach
    return source_experts + reach * (model.frontier - source_experts)


def _supporters_learn(model, rows: np.ndarray, s: np.ndarray) -> None:
    """A supporter's experts move ``supporter_learning`` times the partnership's strength of
    their gap to the frontier (joint practice development)."""
    links, st = model.links, model.staff
    support = links.ptype[rows] == PT.support
    if not support.any():
        return
    rate = np.bincount(links.a[rows][support], weights=s[support], minlength=model.schools.n)
    rate *= model.cfg.partnership.supporter_learning
    supporters = np.flatnonzero(rate)
    kernels.experts_learn(st.knowledge, st.expert, model.schools.start, supporters, rate[supporters], model.frontier)


def _release_experts(model, rows: np.ndarray) -> None:
    links = model.links
    support = rows[links.ptype[rows] == PT.support]
    model.schools.released += np.bincount(links.a[support], minlength=model.schools.n)


def _mature(model, rows: np.ndarray) -> None:
    links, cfg = model.links, model.cfg.partnership
    links.age[rows] += model.dt
    cap = DEPTH_CAP[links.ptype[rows]]
    links.depth[rows] += cfg.depth_growth * model.dt * (cap - links.depth[rows])


def maturity_by_school(model) -> np.ndarray:
    """Maturity of each school's most mature live partnership (0 when it has none)."""
    links = model.links
    rows = links.live()
    return kernels.max_per_school(links.a[rows], links.b[rows], maturity(model, rows), model.schools.n)


def lapse(model) -> None:
    """Fixed-term partnerships end on time; self-selected ones lapse at a constant rate;
    brokered ones otherwise end only when monitoring finds them idle."""
    links = model.links
    rows = links.live()
    links.end(rows[links.until[rows] <= model.years_elapsed])
    rows = links.live()
    rows = rows[~links.brokered[rows]]
    p = 1 - (1 - model.cfg.partnership.dissolution_rate) ** model.dt
    links.end(rows[model.rng.random(rows.size) < p])
