"""simulation.mechanisms.between_schools.brokering: who partners with whom, under each brokering mode."""

import numpy as np
import pytest

from simulation.mechanisms.between_schools import brokering
from simulation.params.schema import BrokeringMode as BM
from simulation.params.schema import PartnershipType as PT


def _no_links(m):
    return m.links.count() == 0


def test_data_informed_pairs_weakest_seeker_with_strongest_candidate(small_model):
    m = small_model()
    m.schools.estimate[:6] = [-0.3, -0.1, -0.2, 0.5, 0.2, 0.4]
    seekers, candidates = np.array([0, 1, 2]), np.array([3, 4, 5])
    partner = brokering.choose(m.ctx, seekers, candidates, BM.data_informed)
    # weakest (0) gets strongest (3), next weakest (2) next strongest (5), then 1 with 4
    np.testing.assert_array_equal(partner, [3, 4, 5])


def test_choose_uses_each_candidate_once_and_never_the_seeker_itself(small_model):
    m = small_model()
    seekers = np.arange(10)
    candidates = np.arange(5, 15)  # overlaps the seekers
    for mode in (BM.data_informed, BM.self_selected):
        partner = brokering.choose(m.ctx, seekers, candidates, mode)
        paired = partner[partner >= 0]
        assert paired.size == np.unique(paired).size
        assert not np.any(partner == seekers)


def test_none_mode_creates_nothing(small_model):
    m = small_model()
    partner = brokering.choose(m.ctx, np.arange(5), np.arange(5, 10), BM.none)
    np.testing.assert_array_equal(partner, -1)
    assert brokering.broker_networks(m.ctx, np.arange(12), 4, BM.none, facilitated=False) == 0
    m.schools.moral_capital[:] = 1.0
    assert brokering.broker_support(m.ctx, np.arange(5), np.arange(5, 10), BM.none, facilitated=False) == 0
    assert _no_links(m)


def test_self_selection_prefers_a_near_similar_partner(small_model):
    m = small_model()
    sc = m.schools
    sc.x[:3], sc.y[:3] = [20.0, 20.8, 38.0], [20.0, 20.0, 38.0]  # km
    sc.estimate[:3] = [0.0, 0.01, 0.3]  # 1 is near and similar, 2 far and different
    picks = [brokering.choose(m.ctx, np.array([0]), np.array([1, 2]), BM.self_selected)[0] for _ in range(200)]
    assert np.mean(np.array(picks) == 1) > 0.95


def test_self_selection_prefers_near_at_equal_similarity(small_model):
    m = small_model()
    sc = m.schools
    sc.x[:3], sc.y[:3] = [20.0, 24.0, 36.0], [20.0, 20.0, 20.0]  # km: 4 and 16 km away
    sc.estimate[:3] = 0.0
    picks = np.array([brokering.choose(m.ctx, np.array([0]), np.array([1, 2]), BM.self_selected)[0]
                      for _ in range(400)])
    share_near = np.mean(picks == 1)
    expected = 1 / (1 + np.exp(-12.0 / m.cfg.partnership.proximity_scale))  # weights exp(-d/scale)
    assert share_near == pytest.approx(expected, abs=0.06)


def test_self_selection_prefers_similar_at_equal_distance(small_model):
    m = small_model()
    sc = m.schools
    sc.x[:3], sc.y[:3] = [20.0, 24.0, 16.0], [20.0, 20.0, 20.0]  # km
    sc.estimate[:3] = [0.0, 0.02, 0.2]
    picks = np.array([brokering.choose(m.ctx, np.array([0]), np.array([1, 2]), BM.self_selected)[0]
                      for _ in range(2000)])
    assert np.mean(picks == 1) > 0.95  # exact weights give 0.973


def test_self_selection_finds_nobody_beyond_reach_and_each_candidate_once(small_model):
    m = small_model()
    sc = m.schools
    reach = brokering.REACH * m.cfg.partnership.proximity_scale
    sc.x[:4], sc.y[:4] = [0.0, 1.0, 2.0, reach + 50.0], [0.0, 0.0, 0.0, 0.0]
    picks = brokering.choose(m.ctx, np.array([0, 1, 3]), np.array([0, 1, 2, 3]), BM.self_selected)
    assert picks[2] == -1  # school 3 has nobody within reach but itself
    chosen = picks[picks >= 0]
    assert len(set(chosen.tolist())) == chosen.size and 3 not in chosen


def test_assign_sigs_gives_every_school_one_mixed_group(small_model):
    m = small_model(n_schools=120, brokering="school_improvement_groups")
    sc = m.schools
    assert np.all(sc.sig >= 0)
    for g in np.unique(sc.sig):
        members = np.flatnonzero(sc.sig == g)
        assert np.unique(sc.secondary[members]).size == 1  # one phase per group
        phase = np.flatnonzero(sc.secondary == sc.secondary[members[0]])
        median = np.median(sc.estimate[phase])
        # dealt round-robin from the ranking: every group spans weaker and stronger schools
        assert (sc.estimate[members] < median).any() and (sc.estimate[members] > median).any()


def test_assign_sigs_group_sizes_follow_config(small_model):
    m = small_model(n_schools=120, brokering="school_improvement_groups")
    sc, cfg = m.schools, m.cfg.sig
    for secondary, size in ((False, cfg.primary_group_size), (True, cfg.secondary_group_size)):
        groups = np.unique(sc.sig[sc.secondary == secondary])
        n = (sc.secondary == secondary).sum()
        assert groups.size == max(1, round(n / size))


def test_sig_mode_pairs_only_inside_a_group(small_model):
    m = small_model(n_schools=120, brokering="school_improvement_groups")
    seekers = np.argsort(m.schools.estimate)[:30]
    candidates = np.setdiff1d(np.arange(m.schools.n), seekers)
    partner = brokering.choose(m.ctx, seekers, candidates, BM.school_improvement_groups)
    ok = partner >= 0
    assert ok.sum() > 10
    np.testing.assert_array_equal(m.schools.sig[partner[ok]], m.schools.sig[seekers[ok]])


def test_link_respects_max_partnerships(small_model):
    m = small_model(max_partnerships=2)
    rows = brokering.link(m.ctx, np.array([0, 0, 0]), np.array([1, 2, 3]), PT.collaborative, brokered=False,
                          facilitated=False)
    assert rows.size == 2 and m.links.degree(m.schools.n)[0] == 2


def test_link_drops_self_links_and_existing_pairs(small_model):
    m = small_model()
    rows = brokering.link(m.ctx, np.array([0, 3]), np.array([0, 4]), PT.collaborative, brokered=False, facilitated=False)
    assert rows.size == 1 and m.links.pairs() == {(3, 4)}
    again = brokering.link(m.ctx, np.array([4]), np.array([3]), PT.support, brokered=True, facilitated=False)
    assert again.size == 0 and m.links.count() == 1


def test_link_never_creates_duplicate_pairs_within_one_batch(small_model):
    m = small_model()
    # i picking j while j picks i in the same step must still give one partnership
    rows = brokering.link(m.ctx, np.array([0, 1]), np.array([1, 0]), PT.collaborative, brokered=False, facilitated=False)
    assert rows.size == 1


def test_spontaneous_collaboration_respects_max_partnerships_and_no_duplicates(small_model):
    m = small_model(self_selection_rate=1.0, max_partnerships=1)
    brokering.spontaneous_collaboration(m.ctx)  # every school seeks at once: the worst case
    assert m.links.count() == len(m.links.pairs())
    assert m.links.degree(m.schools.n).max() <= 1


def test_brokered_links_cost_officer_days(small_model):
    m = small_model()
    brokering.link(m.ctx, np.array([0, 2]), np.array([1, 3]), PT.support, brokered=True, facilitated=False)
    assert m.tally.officer_days_used == pytest.approx(2 * m.cfg.intervention.brokering_days)
    brokering.link(m.ctx, np.array([4]), np.array([5]), PT.collaborative, brokered=False, facilitated=False)
    assert m.tally.officer_days_used == pytest.approx(2 * m.cfg.intervention.brokering_days)


def test_willing_supporters_follow_moral_capital(small_model):
    m = small_model(n_schools=400)
    everyone = np.arange(m.schools.n)
    m.schools.moral_capital[:] = 0.0
    assert brokering.willing_supporters(m.ctx, everyone).size == 0
    m.schools.asked_until[:] = -1.0  # forget the refusals
    m.schools.moral_capital[:] = 1.0
    np.testing.assert_array_equal(brokering.willing_supporters(m.ctx, everyone), everyone)
    m.schools.moral_capital[:] = 0.5
    assert brokering.willing_supporters(m.ctx, everyone).size / 400 == pytest.approx(0.5, abs=0.08)


def test_schools_that_declined_are_not_asked_again_within_a_year(small_model):
    m = small_model()
    everyone = np.arange(m.schools.n)
    m.schools.moral_capital[:] = 0.0
    brokering.willing_supporters(m.ctx, everyone)
    m.schools.moral_capital[:] = 1.0
    assert brokering.willing_supporters(m.ctx, everyone).size == 0
    m.ctx.clock.term = m.cfg.steps_per_year  # a year later they are asked again
    assert brokering.willing_supporters(m.ctx, everyone).size == m.schools.n


def test_broker_support_links_strong_to_weak_as_supporter(small_model):
    m = small_model()
    m.schools.moral_capital[:] = 1.0
    order = np.argsort(m.schools.estimate)
    weak, strong = order[:5], order[-5:]
    assert brokering.broker_support(m.ctx, weak, strong, BM.data_informed, facilitated=True) == 5
    rows = m.links.live()
    assert set(m.links.a[rows]) == set(strong) and set(m.links.b[rows]) == set(weak)
    assert np.all(m.links.ptype[rows] == PT.support) and m.links.funded[rows].all()
    assert m.links.brokered[rows].all() and m.links.facilitated[rows].all()


def test_broker_networks_forms_complete_groups(small_model):
    m = small_model()
    members = np.argsort(-m.schools.estimate)[:9]
    created = brokering.broker_networks(m.ctx, members, 3, BM.data_informed, facilitated=True)
    assert created == 9  # three trios, three links each
    rows = m.links.live()
    for g in np.unique(m.links.group[rows]):
        in_group = rows[m.links.group[rows] == g]
        assert np.unique(np.concatenate([m.links.a[in_group], m.links.b[in_group]])).size == 3
