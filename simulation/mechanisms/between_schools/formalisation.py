"""The partnership jigsaw: partnerships formalise into federations and multi-academy trusts, and
large trusts organise in clusters of nearby schools.

Encodes the jigsaw note: "partnership working covers a broad spectrum - from informal
collaboratives to federations and multi-academy trusts"; "partnerships are dynamic and evolving
over time" with "a relationship between partnership depth and having more formalised partnership
structures" (the Hargreaves hypothesis); "many schools will be involved in several forms of
collaborative activity at the same time"; "the larger partnerships become ... the more they need
to organise themselves to function at a cluster as well as at a corporate level"; "proximity
remains vital for successful cluster working"; and benefits come "provided that
partnerships/chains are given time to make an impact". Two routes up the spectrum:

* **Federation** (:func:`federate`): a live partnership of two schools at least
  ``federation_after_years`` old that has worked - the partner school's estimated quality has
  risen since it began (what monitoring reads) and the other school is graded good or outstanding
  (published) - federates with probability ``federation_rate`` a year. It keeps its age, becomes
  at least as deep as a new federation and grows to the federation's depth cap, runs
  high-leverage joint practice, is the schools' own (self-funded) and does not lapse. A school is
  in at most one federation; schools in a trust do not federate.
* **Multi-academy trust** (:func:`join_trust`, called when a sponsor takes on a failing school in
  :mod:`simulation.mechanisms.accountability.academies`): a sponsor founds a trust the first time
  it sponsors (its federation partner joins, and their federation becomes a trust link); the
  academy joins the sponsor's trust for good. :func:`organise_trusts`: a trust of up to
  ``cluster_size`` schools is one cluster led by its founder; a larger one splits into clusters
  of nearby schools (cells of the map), each led by its best school by grade, then estimate;
  newcomers join the nearest cluster, and a cluster that outgrows ``cluster_size`` re-splits the
  trust. Every member is linked to its cluster's lead by a trust link (when both have room under
  ``max_partnerships``: governance links are partnerships like the others); trust links across
  clusters end. Schools keep their other partnerships: forms overlap.

Beyond attainment (:func:`record_forms`): each school's form is its most formal live partnership
(none, collaborative, network / peer review / trio, support / improvement-group pair, federation;
trust membership above all), and teachers leaving, new heads, school-years and post-years are
tallied by form, so retention and succession can be reported per form
(:mod:`simulation.measures.forms`). Back-office (budget) savings are left out: the note lists
"budget savings" and "better value for money" without a size.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms.between_schools.brokering import link
from simulation.mechanisms.declare import mechanism
from simulation.params.schema import Grade
from simulation.params.schema import PartnershipType as PT
from simulation.state import Context
from simulation.state.segments import of_types

FORMALISABLE = (PT.collaborative, PT.network, PT.peer_review, PT.trio, PT.support, PT.sig_pair)
FORMS = ("none", "collaborative", "network", "support", "federation", "trust")  # least to most formal
FORM_OF_TYPE = np.array([1, 2, 2, 2, 3, 3, 4, 5], dtype=np.int64)  # by PartnershipType value
TRUST_FORM = FORMS.index("trust")
assert FORM_OF_TYPE.size == len(PT)


@mechanism(
    reads={"schools": "estimate grade n_staff trust x y", "links": "a active age b ptype start_quality",
           "tally": "heads_school leavers_school"},
    writes={"schools": "cluster", "links": "*",
            "tally": "form_heads form_leavers form_post_years form_school_years"}
)
def formalise(ctx: Context) -> None:
    """One step of the jigsaw: federations form, trusts organise, and forms are tallied."""
    federate(ctx)
    organise_trusts(ctx)
    record_forms(ctx)


@mechanism(reads={"links": "a active b ptype"})
def in_federation(ctx: Context) -> np.ndarray:
    """Schools with a live federation."""
    links = ctx.links
    rows = links.live()
    rows = rows[links.ptype[rows] == PT.federation]
    out = np.zeros(ctx.schools.n, dtype=bool)
    out[links.a[rows]] = True
    out[links.b[rows]] = True
    return out


@mechanism(
    reads={"schools": "estimate grade trust", "links": "a active age b ptype start_quality"},
    writes={"links": "brokered depth funded group high_leverage ptype until"}
)
def federate(ctx: Context) -> np.ndarray:
    """Mature, successful partnerships federate at ``federation_rate``; returns the rows federated."""
    cfg, links, sc = ctx.cfg.formalisation, ctx.links, ctx.schools
    if cfg.federation_rate <= 0:
        return np.zeros(0, dtype=np.int64)
    rows = links.live()
    a, b = links.a[rows], links.b[rows]
    free = ~in_federation(ctx) & (sc.trust < 0)
    ready = (of_types(links.ptype[rows], FORMALISABLE) & (links.age[rows] >= cfg.federation_after_years)
             & (sc.estimate[b] - links.start_quality[rows] >= cfg.federation_improvement)
             & (sc.grade[a] <= Grade.good) & free[a] & free[b])
    rows = rows[ready]
    p = 1 - (1 - cfg.federation_rate) ** ctx.dt
    rows = rows[ctx.rng.random(rows.size) < p]
    chosen, taken = [], set()
    for r in rows.tolist():  # one federation per school; few rows a step
        x, y = int(links.a[r]), int(links.b[r])
        if x not in taken and y not in taken:
            chosen.append(r)
            taken.update((x, y))
    rows = np.array(chosen, dtype=np.int64)
    _harden(ctx, rows, PT.federation)
    return rows


def _harden(ctx: Context, rows: np.ndarray, ptype: PT) -> None:
    """Make live partnerships hard governance of ``ptype``: deeper, high-leverage, the schools' own, no end date."""
    links = ctx.links
    links.ptype[rows] = ptype
    links.depth[rows] = np.maximum(links.depth[rows], ctx.cfg.partnership.initial_depth[int(ptype)])
    links.high_leverage[rows] = True
    links.brokered[rows] = False
    links.funded[rows] = False
    links.until[rows] = np.inf
    links.group[rows] = -1


@mechanism(reads={"links": "a active b ptype"},
           writes={"schools": "cluster trust", "links": "brokered depth funded group high_leverage ptype until"})
def join_trust(ctx: Context, sponsors: np.ndarray, academies: np.ndarray) -> None:
    """Each academy joins its sponsor's trust; a sponsor not yet in one founds it (trust id = its
    index), bringing its federation partner in with it."""
    if not ctx.cfg.formalisation.trusts:
        return
    sc, links = ctx.schools, ctx.links
    for s, a in zip(np.asarray(sponsors).tolist(), np.asarray(academies).tolist()):  # few a step
        if sc.trust[s] < 0:
            sc.trust[s], sc.cluster[s] = s, s
            rows = links.live()
            rows = rows[(links.ptype[rows] == PT.federation) & ((links.a[rows] == s) | (links.b[rows] == s))]
            partners = np.where(links.a[rows] == s, links.b[rows], links.a[rows])
            sc.trust[partners], sc.cluster[partners] = s, -1
            _harden(ctx, rows, PT.trust)
        sc.trust[a], sc.cluster[a] = sc.trust[s], -1  # placed in a cluster by organise_trusts


@mechanism(
    reads={"schools": "estimate grade trust x y", "links": "a active b ptype"},
    writes={"schools": "cluster", "links": "*"}
)
def organise_trusts(ctx: Context) -> None:
    """Place trust members in clusters of nearby schools and keep each linked to its cluster's lead."""
    sc = ctx.schools
    member = sc.trust >= 0
    if not member.any():
        return
    for t in np.unique(sc.trust[member & ~_placed(ctx)]).tolist():
        _place(ctx, np.flatnonzero(sc.trust == t), t)
    _wire(ctx)


def _placed(ctx: Context) -> np.ndarray:
    """Members whose cluster lead is a lead of their own trust."""
    sc = ctx.schools
    hub = np.maximum(sc.cluster, 0)
    return (sc.trust >= 0) & (sc.cluster >= 0) & (sc.trust[hub] == sc.trust) & (sc.cluster[hub] == hub)


def _lead(ctx: Context, members: np.ndarray) -> int:
    """The best school of ``members`` by published grade, then the authority's estimate."""
    sc = ctx.schools
    return int(members[np.lexsort((-sc.estimate[members], sc.grade[members]))[0]])


def _place(ctx: Context, members: np.ndarray, trust: int) -> None:
    sc, size = ctx.schools, ctx.cfg.formalisation.cluster_size
    placed = _placed(ctx)[members]
    hubs = np.unique(sc.cluster[members[placed]])
    if hubs.size == 0:
        if members.size > size:
            _split(ctx, members)
        else:
            sc.cluster[members] = trust if sc.trust[trust] == trust else _lead(ctx, members)
        return
    new = members[~placed]
    d = np.hypot(sc.x[new, None] - sc.x[hubs][None, :], sc.y[new, None] - sc.y[hubs][None, :])
    sc.cluster[new] = hubs[np.argmin(d, axis=1)]
    if np.unique(sc.cluster[members], return_counts=True)[1].max() > size:
        _split(ctx, members)


def _split(ctx: Context, members: np.ndarray) -> None:
    """Cells of nearby schools: columns by x, each cut by y into clusters of at most ``cluster_size``."""
    sc, size = ctx.schools, ctx.cfg.formalisation.cluster_size
    n_cells = -(-members.size // size)
    columns = np.array_split(members[np.argsort(sc.x[members], kind="stable")], int(np.ceil(np.sqrt(n_cells))))
    for column in columns:
        column = column[np.argsort(sc.y[column], kind="stable")]
        for cell in np.array_split(column, -(-column.size // size)):
            sc.cluster[cell] = _lead(ctx, cell)


def _wire(ctx: Context) -> None:
    """Trust links run within clusters: those across clusters end; each member without a link to
    its cluster's lead gets one (where both have room)."""
    sc, links, n = ctx.schools, ctx.links, ctx.schools.n
    rows = links.live()
    trust_rows = rows[links.ptype[rows] == PT.trust]
    a, b = links.a[trust_rows], links.b[trust_rows]
    links.end(trust_rows[(sc.trust[a] < 0) | (sc.trust[a] != sc.trust[b]) | (sc.cluster[a] != sc.cluster[b])])
    members = np.flatnonzero((sc.trust >= 0) & (sc.cluster >= 0) & (sc.cluster != np.arange(n)))
    if members.size == 0:
        return
    hubs = sc.cluster[members]
    rows = links.live()
    existing = np.minimum(links.a[rows], links.b[rows]) * n + np.maximum(links.a[rows], links.b[rows])
    need = ~np.isin(np.minimum(members, hubs) * n + np.maximum(members, hubs), existing)
    made = link(ctx, hubs[need], members[need], PT.trust, brokered=False, facilitated=False)
    links.high_leverage[made] = True  # one approach to pedagogy across the trust


@mechanism(reads={"schools": "trust", "links": "a active b ptype"})
def school_forms(ctx: Context) -> np.ndarray:
    """Each school's most formal partnership, an index into ``FORMS`` (trust membership above all)."""
    links, sc = ctx.links, ctx.schools
    rows = links.live()
    form = np.zeros(sc.n, dtype=np.int64)
    f = FORM_OF_TYPE[links.ptype[rows]]
    np.maximum.at(form, links.a[rows], f)
    np.maximum.at(form, links.b[rows], f)
    form[sc.trust >= 0] = TRUST_FORM
    return form


@mechanism(
    reads={"schools": "trust", "links": "a active b ptype", "tally": "heads_school leavers_school"},
    writes={"tally": "form_heads form_leavers form_post_years form_school_years"}
)
def record_forms(ctx: Context) -> None:
    """Tally this step's school-years, post-years, leavers and new heads by each school's form."""
    tally, k = ctx.tally, len(FORMS)
    if tally.form_school_years.size != k:
        tally.form_school_years, tally.form_post_years = np.zeros(k), np.zeros(k)
        tally.form_leavers, tally.form_heads = np.zeros(k), np.zeros(k)
    form = school_forms(ctx)
    tally.form_school_years += np.bincount(form, minlength=k) * ctx.dt
    tally.form_post_years += np.bincount(form, weights=ctx.schools.n_staff, minlength=k) * ctx.dt
    if tally.leavers_school.size == form.size:
        tally.form_leavers += np.bincount(form, weights=tally.leavers_school, minlength=k)
    if tally.heads_school.size == form.size:
        tally.form_heads += np.bincount(form, weights=tally.heads_school, minlength=k)
