"""simulation.mechanisms.between_schools.formalisation: federations, multi-academy trusts, clusters,
and the partnership forms every type of the spectrum is made by."""

import numpy as np
import pytest

from simulation import SchoolSystem
from simulation.mechanisms.accountability import academies
from simulation.mechanisms.between_schools import formalisation, moral_capital, partnerships
from simulation.params.enums import Grade
from simulation.params.schema import PartnershipType as PT


def _pairs(m, improved: np.ndarray, age=5.0, ptype=PT.collaborative):
    """Clear the links and pair school 2i with 2i+1; pair i improved (the partner's estimate rose) or not."""
    m.links.end(m.links.live())
    n = improved.size
    a, b = 2 * np.arange(n), 2 * np.arange(n) + 1
    sc = m.schools
    sc.grade[:] = Grade.good
    start = sc.estimate[b] + np.where(improved, -0.1, 0.1)
    rows = m.links.add(a, b, int(ptype), depth=0.3, high_leverage=np.zeros(n, dtype=bool), facilitated=False,
                       brokered=False, start_quality=start)
    m.links.age[rows] = age
    return rows


def test_mature_successful_pairs_federate_at_the_configured_rate_and_others_do_not(small_model):
    m = small_model(n_schools=800, federation_rate=0.5, federation_after_years=3.0)
    improved = np.arange(400) < 300
    rows = _pairs(m, improved)
    for _ in range(m.cfg.steps_per_year):  # one year
        formalisation.federate(m.ctx)
    federated = m.links.ptype[rows] == PT.federation
    share = federated[improved].mean()
    assert 0.4 < share < 0.6  # 300 pairs, expected 0.5 a year
    assert not federated[~improved].any()  # no success, no federation
    assert np.all(m.links.depth[rows[federated]] >= m.cfg.partnership.initial_depth[int(PT.federation)])
    assert m.links.high_leverage[rows[federated]].all() and not m.links.funded[rows[federated]].any()


def test_young_partnerships_and_weak_partners_do_not_federate(small_model):
    m = small_model(n_schools=200, federation_rate=1.0, federation_after_years=3.0)
    rows = _pairs(m, np.ones(100, dtype=bool), age=2.0)  # too young
    formalisation.federate(m.ctx)
    assert not (m.links.ptype[rows] == PT.federation).any()
    m.links.age[rows] = 5.0
    m.schools.grade[m.links.a[rows]] = Grade.requires_improvement  # the other school is not good
    formalisation.federate(m.ctx)
    assert not (m.links.ptype[rows] == PT.federation).any()


def test_a_school_joins_at_most_one_federation(small_model):
    m = small_model(n_schools=40, federation_rate=1.0, federation_after_years=0.0)
    m.links.end(m.links.live())
    m.schools.grade[:] = Grade.good
    a, b = np.array([0, 0, 1]), np.array([1, 2, 2])  # a triangle
    m.links.add(a, b, int(PT.collaborative), depth=0.3, high_leverage=np.zeros(3, dtype=bool), facilitated=False,
                brokered=False, start_quality=m.schools.estimate[b] - 1)
    formalisation.federate(m.ctx)
    live = m.links.live()
    assert (m.links.ptype[live] == PT.federation).sum() == 1


def test_federations_deepen_beyond_a_collaboratives_cap_and_do_not_lapse(small_model):
    m = small_model(n_schools=40, federation_rate=1.0, dissolution_rate=1.0)
    rows = _pairs(m, np.ones(20, dtype=bool))
    formalisation.federate(m.ctx)
    fed = rows[m.links.ptype[rows] == PT.federation]
    assert fed.size == 20
    before = m.links.depth[fed].copy()
    for _ in range(30):
        partnerships.exchange(m.ctx)
    assert np.all(m.links.depth[fed] > before)
    assert np.all(m.links.depth[fed] > m.cfg.partnership.depth_cap[int(PT.collaborative)])
    other = m.links.add(np.array([0]), np.array([3]), int(PT.collaborative), depth=0.3,
                        high_leverage=np.zeros(1, dtype=bool), facilitated=False, brokered=False,
                        start_quality=np.zeros(1))
    partnerships.lapse(m.ctx)  # dissolution_rate 1: every unpaid, unarranged partnership ends...
    assert not m.links.active[other].any()
    assert m.links.active[fed].all()  # ...but not a federation


def test_a_sponsored_academy_joins_its_sponsors_trust_and_stays_after_the_sponsor_years(small_model):
    m = small_model(persistent_years=2.0, moral_capital__initial_mean=0.99)
    sc = m.schools
    m.links.end(m.links.live())
    sc.moral_capital[:] = 1.0
    sc.grade[:] = Grade.good
    sc.below_floor_years[:] = 0.0
    sc.below_floor_years[4] = 2.0
    academies.convert(m.ctx)
    live = m.links.live()
    sponsor = int(m.links.a[live][m.links.b[live] == 4][0])
    assert sc.trust[sponsor] == sponsor  # founded when it first sponsors
    assert sc.trust[4] == sponsor
    # the sponsor years end: the support link goes, a trust link takes its place
    m.links.until[live] = 0.0
    partnerships.lapse(m.ctx)
    formalisation.organise_trusts(m.ctx)
    live = m.links.live()
    pair = live[((m.links.a[live] == sponsor) & (m.links.b[live] == 4))]
    assert pair.size == 1 and m.links.ptype[pair[0]] == PT.trust
    partnerships.lapse(m.ctx)
    assert m.links.active[pair[0]]


def test_a_federation_founding_a_trust_brings_its_partner_in(small_model):
    m = small_model(persistent_years=2.0)
    sc = m.schools
    m.links.end(m.links.live())
    fed = m.links.add(np.array([1]), np.array([2]), int(PT.federation), depth=0.9,
                      high_leverage=np.ones(1, dtype=bool), facilitated=False, brokered=False,
                      start_quality=np.zeros(1))
    formalisation.join_trust(m.ctx, np.array([1]), np.array([7]))
    assert sc.trust[1] == sc.trust[2] == sc.trust[7] == 1
    assert m.links.ptype[fed[0]] == PT.trust and m.links.active[fed[0]]


def test_a_large_trust_organises_in_clusters_of_nearby_schools(small_model):
    m = small_model(n_schools=200, cluster_size=4, max_partnerships=3)
    sc = m.schools
    m.links.end(m.links.live())
    members = np.arange(0, 200, 8)  # 25 schools spread over the map
    founder = int(members[0])
    sc.trust[members], sc.cluster[members] = founder, -1
    sc.cluster[founder] = founder
    formalisation.organise_trusts(m.ctx)
    hubs, counts = np.unique(sc.cluster[members], return_counts=True)
    assert hubs.size >= 7 and counts.max() <= 4
    assert np.all(sc.cluster[hubs] == hubs) and np.all(sc.trust[hubs] == founder)
    x, y, c = sc.x[members], sc.y[members], sc.cluster[members]
    d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
    same = (c[:, None] == c[None, :]) & ~np.eye(members.size, dtype=bool)
    assert d[same].mean() < 0.6 * d[c[:, None] != c[None, :]].mean()  # proximity: clusters are local
    live = m.links.live()
    a, b = m.links.a[live], m.links.b[live]
    assert np.all(m.links.ptype[live] == PT.trust)
    assert np.all(sc.cluster[a] == sc.cluster[b])  # links run within clusters
    assert live.size == members.size - hubs.size  # every member linked to its lead
    assert m.links.degree(sc.n).max() <= 3
    # a newcomer joins the nearest cluster; links across clusters end
    newcomer = 5
    sc.trust[newcomer], sc.cluster[newcomer] = founder, -1
    formalisation.organise_trusts(m.ctx)
    live = m.links.live()
    assert np.all(sc.cluster[m.links.a[live]] == sc.cluster[m.links.b[live]])
    assert sc.cluster[newcomer] in set(sc.cluster[members].tolist()) | {newcomer}


def test_school_improvement_groups_make_sig_pairs_that_count_as_support(small_model):
    m = small_model(strategy="reducing_disparity", brokering="school_improvement_groups", n_schools=80,
                    moral_capital__initial_mean=0.9)  # strong schools agree to support
    m.run_years(2)
    live = m.links.live()
    pairs = live[m.links.ptype[live] == PT.sig_pair]
    assert pairs.size > 0
    assert np.all(m.schools.sig[m.links.a[pairs]] == m.schools.sig[m.links.b[pairs]])
    assert moral_capital.supporting(m.ctx)[m.links.a[pairs]].all()
    assert not (m.links.funded[live] & (m.links.ptype[live] == PT.support)).any()


@pytest.mark.parametrize("peer_review, expected", [(True, PT.peer_review), (False, PT.trio)])
def test_networks_under_peer_review_are_peer_review_partnerships(small_model, peer_review, expected):
    m = small_model(strategy="growing_the_top", peer_review=peer_review, n_schools=80)
    m.run_years(2)
    live = m.links.live()
    funded = live[m.links.funded[live]]
    assert funded.size > 0 and np.all(m.links.ptype[funded] == expected)


def _types_made(years, **kwargs) -> set[int]:
    m = SchoolSystem(rng=0, create_staff_agents=False, **kwargs)
    seen = set()
    for _ in range(int(years * m.cfg.steps_per_year)):
        m.step()
        live = m.links.live()
        seen |= set(np.unique(m.links.ptype[live]).tolist())
    return seen


def test_every_partnership_type_is_made_by_some_mechanism():
    seen = set()
    willing = {"moral_capital__initial_mean": 0.9}  # strong schools agree to support and sponsor
    seen |= _types_made(8, scenario="regional", strategy="status_quo", federation_rate=1.0, federation_after_years=1.0,
                        **willing)
    seen |= _types_made(2, scenario="teaching", strategy="reducing_disparity", brokering="school_improvement_groups",
                        n_schools=80, **willing)
    seen |= _types_made(2, scenario="teaching", strategy="growing_the_top", peer_review=False, network_size=4)
    seen |= _types_made(2, scenario="teaching", strategy="growing_the_top", peer_review=False)
    seen |= _types_made(2, scenario="teaching", strategy="upwards_convergence")
    missing = [t.name for t in PT if int(t) not in seen]
    assert not missing, f"partnership types no mechanism made: {missing}"


@pytest.mark.slow
@pytest.mark.parametrize("strategy", ["status_quo", "upwards_convergence"])
def test_a_30_year_london_challenge_run_creates_federations_and_trusts(strategy):
    m = SchoolSystem(scenario="london_challenge", strategy=strategy, rng=0, create_staff_agents=False)
    m.run_years(30)
    last = m.metrics().iloc[-1]
    assert last.federations > 0 and last.trusts > 0
    assert 0 < last.share_in_trusts < 1 and 0 < last.share_federated < 1
