"""Brokering partnerships: who partners with whom.

Encodes Ainscow's second task of the local authority, "brokering partnerships": matching
"areas of concern" with "human resources that can be drawn on", and the contrast he draws
between partnerships based on "evidence about each other's strengths and weaknesses" and
"cosy relationships that have no impact on outcomes". Modes:

* ``none`` – nobody arranges partnerships; only spontaneous collaboration happens.
* ``self_selected`` – a school picks a near, similar partner (proximity and similarity
  weighted): cosy, often low-leverage, and the best knowledge may be far away.
* ``data_informed`` – the broker pairs the neediest with the strongest available by its
  (noisy) estimate of school quality, regardless of distance ("rooted in localities, not
  bounded by them", Chhatwal 2020).
* ``school_improvement_groups`` – every school is in one mixed group (Central South Wales:
  groups of about 10 primaries or 6 secondaries); pairs and trios are brokered inside the
  group by data, with a trained facilitator per group.

Strong schools agree to support with probability equal to their moral capital.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.mechanisms.between_schools import distance
from simulation.params.schema import BrokeringMode as BM
from simulation.params.schema import BrokeringScope as BS
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context



@mechanism(reads={"links": "a active b"})
def has_room(ctx: Context) -> np.ndarray:
    return ctx.links.degree(ctx.schools.n) < ctx.cfg.partnership.max_partnerships


@mechanism(reads={"schools": "authority region sig"})
def scope_groups(ctx: Context, mode: BM) -> np.ndarray | None:
    """The groups a brokered partner must share with the seeker: the school improvement group in
    that mode, else the brokering scope's authority or region; None when the broker looks nationally."""
    sc = ctx.schools
    if mode == BM.school_improvement_groups:
        return sc.sig
    scope = ctx.cfg.strategy.brokering_scope
    if scope == BS.authority:
        return sc.authority
    if scope == BS.region:
        return sc.region
    return None


@mechanism(reads={"schools": "authority estimate region sig x y"})
def choose(ctx: Context, seekers: np.ndarray, candidates: np.ndarray, mode: BM) -> np.ndarray:
    """A partner for each seeker (or -1), each candidate used at most once."""
    partner = np.full(seekers.size, -1, dtype=np.int64)
    if mode == BM.none or seekers.size == 0 or candidates.size == 0:
        return partner
    est = ctx.schools.estimate
    if mode == BM.self_selected:
        return _self_select(ctx, seekers, candidates)
    # the neediest seeker first takes the strongest free candidate within the brokering scope
    order = np.argsort(est[seekers], kind="stable")
    pool = candidates[np.argsort(-est[candidates], kind="stable")]
    group = scope_groups(ctx, mode)
    same_group = group is not None
    return greedy_match_kernel(seekers, order, pool, group if same_group else ctx.schools.sig, same_group)


def _self_select(ctx: Context, seekers: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Each seeker in turn picks a free candidate other than itself with weight
    exp(-distance/proximity_scale) * exp(-|estimate difference|/similarity_scale): near and similar,
    i.e. "cosy"; an earlier seeker's pick is no longer free. Candidates further than ``REACH``
    distance scales (weight below e^-8 of one next door) are not considered, so a remote school
    with nobody near finds no partner. Exact sampling over the candidates within reach, found
    through a grid of cells ``REACH`` scales wide (:func:`self_select_kernel`)."""
    partner = np.full(seekers.size, -1, dtype=np.int64)
    if seekers.size == 0 or candidates.size == 0:
        return partner
    sc, cfg = ctx.schools, ctx.cfg.partnership
    reach = REACH * cfg.proximity_scale
    side = reach / CELLS  # grid cells a fraction of the reach: few candidates out of reach are looked at
    x0, y0 = min(sc.x[candidates].min(), sc.x[seekers].min()), min(sc.y[candidates].min(), sc.y[seekers].min())
    cx = ((sc.x[candidates] - x0) // side).astype(np.int64)
    cy = ((sc.y[candidates] - y0) // side).astype(np.int64)
    nx, ny = int(cx.max()) + 1, int(cy.max()) + 1
    cell = cx * ny + cy
    order = np.argsort(cell, kind="stable")
    first = np.searchsorted(cell[order], np.arange(nx * ny + 1))
    pool = candidates[order]
    u = ctx.rng.random(seekers.size)
    return self_select_kernel(seekers, sc.x[seekers], sc.y[seekers], sc.estimate[seekers], pool, sc.x[pool],
                              sc.y[pool], sc.estimate[pool], first, nx, ny, x0, y0, side, CELLS, reach,
                              cfg.proximity_scale, cfg.similarity_scale, u)


REACH = 8.0  # distance scales within which self-selected partners are looked for (weight e^-8 at the edge)
CELLS = 4  # grid cells per reach (the search scans 2 * CELLS + 1 cells each way)


@mechanism()
def leverage_draw(ctx: Context, n: int, facilitated: bool) -> np.ndarray:
    """Whether each new partnership runs high-leverage activity: a facilitator structures the work
    (Growing the Top); who arranged the link does not matter in itself (Ainscow 2013: what matters
    is evidence about each other's strengths and the activity, not the label)."""
    cfg = ctx.cfg.partnership
    p = cfg.facilitated_high_leverage if facilitated else cfg.high_leverage
    return ctx.rng.random(n) < p


@mechanism(reads={"schools": "estimate x y"}, writes={"links": "*", "tally": "officer_days_used"})
def link(ctx: Context, a: np.ndarray, b: np.ndarray, ptype: PT, *, brokered: bool, facilitated: bool,
         group: np.ndarray | None = None, funded: bool = False, until: float = np.inf) -> np.ndarray:
    """Create partnerships ``a``-``b`` (``a`` supports ``b`` for support links); partners far apart
    meet online when online collaboration is on, and start less deep."""
    keep = _admissible(ctx, a, b)
    a, b = a[keep], b[keep]
    group = group[keep] if group is not None else None
    if brokered:
        ctx.tally.officer_days_used += ctx.cfg.intervention.brokering_days * a.size
    km = distance.between(ctx, a, b)
    online = distance.meets_online(ctx, km)
    depth = ctx.cfg.partnership.initial_depth[int(ptype)] * np.where(online, ctx.cfg.distance.online_depth, 1.0)
    return ctx.links.add(
        a, b, int(ptype), depth=depth,
        high_leverage=leverage_draw(ctx, a.size, facilitated), facilitated=facilitated,
        brokered=brokered, start_quality=ctx.schools.estimate[b], group=group, funded=funded,
        until=until, distance=km, online=online)




def _admissible(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Which proposed links to create: no self-links, no pair twice (also within the batch),
    and nobody beyond ``max_partnerships``."""
    links, n = ctx.links, ctx.schools.n
    rows = links.live()
    degree = links.degree(n, rows)
    proposed = np.zeros(n, dtype=bool)
    proposed[a[a >= 0]] = True
    near = rows[proposed[links.a[rows]] | proposed[links.b[rows]]]  # only these can duplicate a proposal
    keys = np.minimum(a, b) * n + np.maximum(a, b)
    candidate = (a >= 0) & (b >= 0) & (a != b)
    limit = ctx.cfg.partnership.max_partnerships
    keep = np.zeros(a.size, dtype=bool)
    # pairs already linked count as seen: a set, as proposals per step are few (np.isin costs more)
    seen: set[int] = set((np.minimum(links.a[near], links.b[near]) * n + np.maximum(links.a[near], links.b[near])).tolist())
    for i in np.flatnonzero(candidate).tolist():
        x, y, key = int(a[i]), int(b[i]), int(keys[i])
        if key in seen or degree[x] >= limit or degree[y] >= limit:
            continue
        keep[i] = True
        seen.add(key)
        degree[x] += 1
        degree[y] += 1
    return keep


@mechanism(reads={"schools": "moral_capital"}, writes={"schools": "asked_until"})
def willing_supporters(ctx: Context, candidates: np.ndarray) -> np.ndarray:
    """Strong schools asked to support agree with probability equal to their moral capital."""
    sc = ctx.schools
    candidates = candidates[sc.asked_until[candidates] <= ctx.years_elapsed]
    agree = ctx.rng.random(candidates.size) < sc.moral_capital[candidates]
    sc.asked_until[candidates[~agree]] = ctx.years_elapsed + ctx.cfg.partnership.ask_interval_years
    return candidates[agree]


@mechanism(
    reads={"schools": "authority estimate moral_capital region sig x y"},
    writes={"schools": "asked_until", "links": "*", "tally": "officer_days_used"}
)
def broker_support(ctx: Context, receivers: np.ndarray, suppliers: np.ndarray, mode: BM, facilitated: bool) -> int:
    """Ask strong schools to support weaker ones; returns the partnerships created (budget-funded)."""
    willing = willing_supporters(ctx, suppliers)
    partner = choose(ctx, receivers, willing, mode)
    ptype = PT.sig_pair if mode == BM.school_improvement_groups else PT.support  # a pair inside a group
    rows = link(ctx, partner, receivers, ptype, brokered=mode != BM.self_selected, facilitated=facilitated,
                funded=True)
    return rows.size


def _chunks(members: np.ndarray, size: int) -> list[np.ndarray]:
    """Consecutive groups of ``size`` (a last group of at least two kept)."""
    return [members[g : g + size] for g in range(0, members.size, size) if members[g : g + size].size >= 2]


@mechanism(
    reads={"schools": "authority estimate region sig x y"},
    writes={"links": "*", "tally": "officer_days_used"}
)
def broker_networks(ctx: Context, members: np.ndarray, n_groups: int, mode: BM, facilitated: bool) -> int:
    """Form ``n_groups`` networks (trios by default) among ``members``; returns links created."""
    size = ctx.cfg.partnership.network_size
    if mode == BM.none or members.size < 2 or n_groups <= 0:
        return 0
    sc = ctx.schools
    scope = scope_groups(ctx, mode)
    members = members[: n_groups * size]  # the strategy's priority order
    if mode == BM.self_selected:
        # nearby schools group together: bands of the self-selection distance scale, then north to south
        band = np.floor(sc.x[members] / ctx.cfg.partnership.proximity_scale)
        members = members[np.lexsort((sc.y[members], band))]
        chunks = _chunks(members, size)
    else:
        # similar levels (data) or one improvement group, within the brokering scope; nationally
        # regardless of distance (Growing the Top trios spanned 200 miles)
        key = np.zeros(members.size, dtype=np.int64) if scope is None else scope[members]
        members = members[np.lexsort((-sc.estimate[members], key))]
        key = np.zeros(members.size, dtype=np.int64) if scope is None else scope[members]
        chunks = [c for k in np.unique(key) for c in _chunks(members[key == k], size)]
    a_list, b_list, g_list = [], [], []
    for group in chunks:
        gid = ctx.links.next_group()
        for i in range(group.size):
            for j in range(i + 1, group.size):
                a_list.append(group[i]), b_list.append(group[j]), g_list.append(gid)
    ptype = PT.peer_review if ctx.cfg.strategy.peer_review else PT.trio if size == 3 else PT.network
    rows = link(ctx, np.array(a_list, dtype=np.int64), np.array(b_list, dtype=np.int64), ptype,
                brokered=mode != BM.self_selected, facilitated=facilitated, group=np.array(g_list, dtype=np.int64),
                funded=True)
    return rows.size


@mechanism(
    reads={"schools": "estimate sig x y"},
    writes={"links": "*"}
)
def spontaneous_collaboration(ctx: Context) -> None:
    """Schools form self-selected collaboratives at a low rate and pay for them themselves."""
    cfg = ctx.cfg.partnership
    p = 1 - (1 - cfg.self_selection_rate) ** ctx.dt
    room = has_room(ctx)
    seekers = np.flatnonzero(room & (ctx.rng.random(ctx.schools.n) < p))
    partner = _self_select(ctx, seekers, np.flatnonzero(room))
    link(ctx, seekers, partner, PT.collaborative, brokered=False, facilitated=False)


@mechanism(
    reads={"schools": "estimate grade moral_capital sig x y"},
    writes={"links": "*"}
)
def spontaneous_support(ctx: Context) -> None:
    """Willing outstanding schools offer support unasked, to a weaker school nearby."""
    sc, mc = ctx.schools, ctx.cfg.moral_capital
    p = 1 - (1 - mc.spontaneous_support * sc.moral_capital) ** ctx.dt
    room = has_room(ctx)
    offering = np.flatnonzero((sc.grade == 1) & room & (ctx.rng.random(sc.n) < p))
    if offering.size == 0:
        return
    weak = np.flatnonzero((sc.grade >= 3) & room)
    receivers = _self_select(ctx, offering, weak)
    link(ctx, offering, receivers, PT.support, brokered=False, facilitated=False)


@mechanism(reads={"schools": "estimate secondary"}, writes={"schools": "sig"})
def assign_sigs(ctx: Context) -> None:
    """Mixed school improvement groups: each phase sorted by estimate and dealt round-robin."""
    sc, cfg = ctx.schools, ctx.cfg.sig
    next_id = 0
    for secondary, size in ((False, cfg.primary_group_size), (True, cfg.secondary_group_size)):
        idx = np.flatnonzero(sc.secondary == secondary)
        if idx.size == 0:
            continue
        n_groups = max(1, int(round(idx.size / size)))
        idx = idx[np.argsort(sc.estimate[idx], kind="stable")]
        sc.sig[idx] = next_id + np.arange(idx.size) % n_groups
        next_id += n_groups


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def greedy_match_kernel(seekers, order, pool, group, same_group):
    """Seekers in ``order`` each take the first unused school of ``pool`` that is not
    themselves (and, with ``same_group``, is in their group); -1 when none is left."""
    partner = np.full(seekers.size, -1, dtype=np.int64)
    used = np.zeros(pool.size, dtype=np.bool_)
    first_free = 0
    for i in order:
        while first_free < pool.size and used[first_free]:
            first_free += 1
        for j in range(first_free, pool.size):
            if used[j] or pool[j] == seekers[i] or (same_group and group[pool[j]] != group[seekers[i]]):
                continue
            partner[i] = pool[j]
            used[j] = True
            break
    return partner


@njit(cache=True)
def self_select_kernel(seekers, sx, sy, se, pool, px, py, pe, first, nx, ny, x0, y0, side, cells, reach, scale,
                       similarity, u):
    """Seekers in order each draw one free school of ``pool`` (sorted by grid cell of width ``side``,
    cells from ``first``; ``px, py, pe`` its places and estimates) within ``reach`` km, other than
    themselves, with weight exp(-d/scale - |Δestimate|/similarity) by inverse CDF on ``u``; the pick
    is then taken. -1 when nobody is within reach."""
    partner = np.full(seekers.size, -1, dtype=np.int64)
    taken = np.zeros(pool.size, dtype=np.bool_)
    logw = np.empty(pool.size)
    which = np.empty(pool.size, dtype=np.int64)
    reach2 = reach * reach
    for i in range(seekers.size):
        s = seekers[i]
        gx = int((sx[i] - x0) // side)
        gy = int((sy[i] - y0) // side)
        n = 0
        best = -np.inf
        for ix in range(max(gx - cells, 0), min(gx + cells + 1, nx)):
            for iy in range(max(gy - cells, 0), min(gy + cells + 1, ny)):
                c = ix * ny + iy
                for j in range(first[c], first[c + 1]):
                    d2 = (px[j] - sx[i]) ** 2 + (py[j] - sy[i]) ** 2
                    if d2 > reach2 or taken[j] or pool[j] == s:
                        continue
                    w = -np.sqrt(d2) / scale - abs(pe[j] - se[i]) / similarity
                    logw[n] = w
                    which[n] = j
                    n += 1
                    if w > best:
                        best = w
        if n == 0:
            continue
        total = 0.0
        for k in range(n):
            logw[k] = np.exp(logw[k] - best)
            total += logw[k]
        target = u[i] * total
        k = 0
        acc = logw[0]
        while acc < target and k < n - 1:
            k += 1
            acc += logw[k]
        partner[i] = pool[which[k]]
        taken[which[k]] = True
    return partner
