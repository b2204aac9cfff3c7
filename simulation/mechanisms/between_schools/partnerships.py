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
from numba import njit

from simulation.mechanisms.between_schools import distance
from simulation.mechanisms.declare import mechanism
from simulation.mechanisms.within_school.absorption import uptake
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context
from simulation.state.segments import clip01, of_types, top_per_school

RESEARCH_TYPES = (PT.network, PT.peer_review, PT.trio)
DIRECTED_TYPES = (PT.support, PT.sig_pair)  # one school supports the other with released experts
GOVERNANCE_TYPES = (PT.federation, PT.trust)  # hard governance: these do not lapse


@mechanism(reads={"links": "age"})
def maturity(ctx: Context, rows: np.ndarray) -> np.ndarray:
    return 1.0 - np.exp(-ctx.links.age[rows] / ctx.cfg.partnership.maturity_years)


@mechanism(reads={"links": "age depth distance facilitated high_leverage online"})
def strength(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Share of the gap to the partner's practice closed this step, before the receiver's uptake."""
    cfg, links = ctx.cfg.partnership, ctx.links
    leverage = np.where(links.high_leverage[rows], 1.0, cfg.low_leverage_factor)
    facilitation = 1.0 + cfg.facilitation_gain * links.facilitated[rows]
    # days with the partner (travel eats a face-to-face day; online uses fewer), diminishing returns
    days = cfg.days_per_term * distance.day_share(ctx, rows) * distance.contact_share(ctx, rows)
    time = days / (days + cfg.half_days)
    return cfg.transfer_rate * time * ctx.dt * maturity(ctx, rows) * links.depth[rows] * leverage * facilitation


@mechanism(
    reads={"staff": "expert", "schools": "km_capacity",
           "links": "a active b distance facilitated high_leverage online ptype",
           "system": "frontier"},
    writes={"staff": "knowledge shallow", "links": "age depth", "plan": "external_gain released"}
)
def exchange(ctx: Context) -> None:
    """Knowledge flows along every live partnership for one step."""
    links = ctx.links
    rows = links.live()
    if rows.size == 0:
        return
    s = strength(ctx, rows)
    a, b, ptype = links.a[rows], links.b[rows], links.ptype[rows]
    mutual = ~of_types(ptype, DIRECTED_TYPES)
    receiver = np.concatenate([b, a[mutual]])
    source = np.concatenate([a, b[mutual]])
    rate = np.concatenate([s, s[mutual]])
    experts = expert_knowledge(ctx)
    research = np.concatenate([of_types(ptype, RESEARCH_TYPES), of_types(ptype[mutual], RESEARCH_TYPES)])
    target_value = np.where(research, np.maximum(experts[source], _research_target(ctx, experts[source])),
                            experts[source])
    _take_from_partners(ctx, receiver, rate, target_value)
    _supporters_learn(ctx, rows, s)
    _release_experts(ctx, rows)
    _mature(ctx, rows)


def _take_from_partners(ctx: Context, receiver: np.ndarray, rate: np.ndarray, target: np.ndarray) -> None:
    """Each post moves toward each partner's practice in turn, best partner first, so that a
    partner that is no better adds nothing (and takes nothing away from a better one):
    k += rate * reach * max(target - k, 0). Staff in contact with the partner (the experts)
    are reached fully; the rest only as far as the school's internal knowledge management
    carries it to them (``reach = km``), times the school's uptake. The gain is taken in as
    deep (share ``km``) and shallow knowledge (:func:`simulation.mechanisms.within_school.absorption.take_in`)."""
    st, sc = ctx.staff, ctx.schools
    order = by_receiver_best_first_kernel(receiver, target, sc.n)
    partner_gains_kernel(st.knowledge, st.shallow, st.expert, sc.start, sc.km_capacity, uptake(ctx, sc.km_capacity),
                          receiver[order], rate[order], target[order], ctx.plan.external_gain)


def _research_target(ctx: Context, source_experts: np.ndarray) -> np.ndarray:
    reach = ctx.cfg.partnership.research_reach
    return source_experts + reach * (ctx.system.frontier - source_experts)


def _supporters_learn(ctx: Context, rows: np.ndarray, s: np.ndarray) -> None:
    """A supporter's experts move ``supporter_learning`` times the partnership's strength of
    their gap to the frontier (joint practice development)."""
    links, st = ctx.links, ctx.staff
    support = of_types(links.ptype[rows], DIRECTED_TYPES)
    if not support.any():
        return
    rate = np.bincount(links.a[rows][support], weights=s[support], minlength=ctx.schools.n)
    rate *= ctx.cfg.partnership.supporter_learning
    supporters = np.flatnonzero(rate)
    experts_learn_kernel(st.knowledge, st.expert, ctx.schools.start, supporters, rate[supporters], ctx.system.frontier)


def _release_experts(ctx: Context, rows: np.ndarray) -> None:
    links = ctx.links
    support = rows[of_types(links.ptype[rows], DIRECTED_TYPES)]
    ctx.plan.released += np.bincount(links.a[support], minlength=ctx.schools.n)


def _mature(ctx: Context, rows: np.ndarray) -> None:
    """Partnerships age and deepen toward their type's cap: near face-to-face partners fastest,
    online ones slower and not as deep (:mod:`simulation.mechanisms.between_schools.distance`)."""
    links, cfg = ctx.links, ctx.cfg.partnership
    links.age[rows] += ctx.dt
    cap = np.asarray(cfg.depth_cap)[links.ptype[rows]] * distance.depth_reach(ctx, rows)
    growth = cfg.depth_growth * distance.deepening(ctx, rows)
    links.depth[rows] += growth * ctx.dt * (cap - links.depth[rows])


@mechanism(reads={"links": "active funded"})
def self_funded_rows(ctx: Context) -> np.ndarray:
    """Live partnerships the schools pay for with their own days (not from the strategy's budget):
    self-selected collaboratives, support offered unasked, sponsor links, the pilot's trios."""
    links = ctx.links
    rows = links.live()
    return rows[~links.funded[rows]]


@mechanism(reads={"links": "online"})
def link_days(ctx: Context, rows: np.ndarray) -> np.ndarray:
    """Staff days each partnership uses this step, both schools' ``days_per_term`` together (an
    online partnership ``online_day_share`` of them); travel comes out of these days."""
    cfg = ctx.cfg.partnership
    return 2 * cfg.days_per_term * cfg.terms_per_year * ctx.dt * distance.day_share(ctx, rows)


@mechanism(reads={"links": "a active age b"})
def maturity_by_school(ctx: Context) -> np.ndarray:
    """Maturity of each school's most mature live partnership (0 when it has none)."""
    links = ctx.links
    rows = links.live()
    return max_per_school_kernel(links.a[rows], links.b[rows], maturity(ctx, rows), ctx.schools.n)


@mechanism(reads={"links": "brokered funded ptype until"}, writes={"links": "active"})
def lapse(ctx: Context) -> None:
    """Fixed-term partnerships end on time; partnerships nobody pays for or arranged (schools'
    own collaboratives and unasked support) lapse at a constant rate; those the strategy's budget
    pays for run while it pays, and end early only when monitoring finds them idle. Federations and
    trust links (hard governance) do not lapse (:mod:`simulation.mechanisms.between_schools.formalisation`)."""
    links = ctx.links
    rows = links.live()
    links.end(rows[links.until[rows] <= ctx.years_elapsed])
    rows = links.live()
    rows = rows[~(links.brokered[rows] | links.funded[rows] | of_types(links.ptype[rows], GOVERNANCE_TYPES))]
    p = 1 - (1 - ctx.cfg.partnership.dissolution_rate) ** ctx.dt
    links.end(rows[ctx.rng.random(rows.size) < p])


@mechanism(reads={"staff": "knowledge"}, writes={"staff": "expert"})
def mark_experts(ctx: Context) -> None:
    """The top ``expert_share`` of each school's staff by knowledge (at least one) are its
    experts, the practice it shares with partners (re-marked every school year)."""
    staff, schools = ctx.staff, ctx.schools
    count = np.maximum(1, np.round(ctx.cfg.partnership.expert_share * schools.n_staff)).astype(np.int64)
    top_per_school(staff.knowledge, schools.start, count, staff.expert)


@mechanism(reads={"staff": "expert knowledge"})
def expert_knowledge(ctx: Context) -> np.ndarray:
    """Mean deep knowledge of each school's experts."""
    return expert_mean_kernel(ctx.staff.knowledge, ctx.staff.expert, ctx.schools.start)


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def by_receiver_best_first_kernel(receiver, target, n_schools):
    """Order of the rows grouped by receiving school, each school's best target first (ties in
    row order): ``np.lexsort((-target, receiver))``, as a counting sort, a school having few rows."""
    first = np.zeros(n_schools + 1, dtype=np.int64)
    for i in range(receiver.size):
        first[receiver[i] + 1] += 1
    for s in range(n_schools):
        first[s + 1] += first[s]
    order = np.empty(receiver.size, dtype=np.int64)
    filled = first[:-1].copy()
    for i in range(receiver.size):
        s = receiver[i]
        j = filled[s]
        while j > first[s] and target[order[j - 1]] < target[i]:  # insertion: stable, best first
            order[j] = order[j - 1]
            j -= 1
        order[j] = i
        filled[s] += 1
    return order


@njit(cache=True)
def partner_gains_kernel(knowledge, shallow, expert, start, km, uptake, receiver, rate, target, external_gain):
    """Partnership exchange for the receiving schools (``receiver`` sorted, each school's
    partners best target first): every post moves toward each partner's practice in turn by
    ``rate * reach``; the gain enters as deep (share ``km``) and shallow knowledge."""
    i, n = 0, receiver.size
    while i < n:
        s = receiver[i]
        j_end = i
        while j_end < n and receiver[j_end] == s:
            j_end += 1
        total = 0.0
        for p in range(start[s], start[s + 1]):
            reach = (1.0 if expert[p] else km[s]) * uptake[s]
            k0 = knowledge[p] + shallow[p]
            k = k0
            for j in range(i, j_end):
                k += max(target[j] - k, 0.0) * clip01(rate[j] * reach)
            gain = k - k0
            total += gain
            knowledge[p] += km[s] * gain
            shallow[p] += (1 - km[s]) * gain
        external_gain[s] += total / (start[s + 1] - start[s])
        i = j_end


@njit(cache=True)
def expert_mean_kernel(knowledge, expert, start):
    """Mean deep knowledge of each school's experts (0 where it has none)."""
    out = np.zeros(start.size - 1)
    for s in range(start.size - 1):
        total, count = 0.0, 0
        for p in range(start[s], start[s + 1]):  # without branches: experts are scattered
            total += knowledge[p] * expert[p]
            count += expert[p]
        out[s] = total / max(count, 1)
    return out


@njit(cache=True)
def experts_learn_kernel(knowledge, expert, start, schools, rate, frontier):
    """Experts of ``schools`` move a share ``rate`` (per school) of their gap to the frontier."""
    for i in range(schools.size):
        s = schools[i]
        r = clip01(rate[i])
        for p in range(start[s], start[s + 1]):
            if expert[p]:
                knowledge[p] += max(frontier - knowledge[p], 0.0) * r


@njit(cache=True)
def max_per_school_kernel(a, b, values, n_schools):
    """For each school, the largest value over the rows where it is ``a`` or ``b`` (0 if none)."""
    out = np.zeros(n_schools)
    for i in range(values.size):
        out[a[i]] = max(out[a[i]], values[i])
        out[b[i]] = max(out[b[i]], values[i])
    return out
