"""simulation.mechanisms.between_schools.distance: travel eats released days, near partners deepen faster,
online collaboration costs less, reaches anywhere and goes less deep."""

import numpy as np
import pytest

from simulation.mechanisms.between_schools import brokering, distance, partnerships
from simulation.params.schema import BrokeringMode as BM
from simulation.params.schema import PartnershipType as PT


def _pair(m, far: float, **kw):
    """Link school 0 with school 1 placed ``far`` km away; returns the row."""
    sc = m.schools
    sc.x[1], sc.y[1] = sc.x[0] + far, sc.y[0]
    return brokering.link(m.ctx, np.array([0]), np.array([1]), PT.collaborative, brokered=False, facilitated=False, **kw)


def test_travel_eats_the_days_of_a_face_to_face_partnership(small_model):
    m = small_model(online=False)
    cfg = m.cfg.distance
    rows = _pair(m, 0.0)
    near = distance.contact_share(m.ctx, rows)[0]
    m.links.end(rows)
    row = _pair(m, 21.0)
    expected = 1 - 2 * 21.0 / (cfg.travel_speed_kmh * cfg.working_hours)
    assert near == 1.0
    assert distance.contact_share(m.ctx, row)[0] == pytest.approx(expected)
    m.links.end(row)
    assert distance.contact_share(m.ctx, _pair(m, 500.0))[0] == 0.0  # a day on the road


def test_a_far_face_to_face_partnership_is_weaker_and_deepens_slower(small_model):
    m = small_model(online=False)
    near = _pair(m, 1.0)
    m.schools.x[2], m.schools.y[2] = m.schools.x[0] + 60, m.schools.y[0]
    far = brokering.link(m.ctx, np.array([0]), np.array([2]), PT.collaborative, brokered=False, facilitated=False)
    rows = np.concatenate([near, far])
    m.links.age[rows] = 2.0
    s = partnerships.strength(m.ctx, rows)
    days = m.cfg.partnership.days_per_term * distance.contact_share(m.ctx, rows)
    time = days / (days + m.cfg.partnership.half_days)
    assert s[1] / s[0] == pytest.approx(time[1] / time[0]) and s[1] < 0.7 * s[0]  # 60 km: 3.4 of 7 hours on the road
    d = distance.deepening(m.ctx, rows)
    assert d[0] == pytest.approx(1 / (1 + 1.0 / m.cfg.distance.near_km)) and d[1] < d[0]


def test_partners_far_apart_meet_online_at_lower_cost_and_depth(small_model):
    m = small_model()
    cfg = m.cfg.distance
    near = _pair(m, cfg.online_beyond_km - 1)
    m.schools.x[2] = m.schools.x[0] + cfg.online_beyond_km + 1
    m.schools.y[2] = m.schools.y[0]
    far = brokering.link(m.ctx, np.array([0]), np.array([2]), PT.collaborative, brokered=False, facilitated=False)
    rows = np.concatenate([near, far])
    assert list(m.links.online[rows]) == [False, True]
    days = partnerships.link_days(m.ctx, rows)
    assert days[1] == pytest.approx(cfg.online_day_share * days[0])
    assert m.links.depth[far][0] == pytest.approx(cfg.online_depth * m.cfg.partnership.initial_depth[PT.collaborative])
    assert distance.contact_share(m.ctx, far)[0] == 1.0  # no travel
    m.links.depth[rows] = 0.0
    for _ in range(600):  # long enough for both to reach their caps
        partnerships._mature(m.ctx, rows)
    cap = m.cfg.partnership.depth_cap[PT.collaborative]
    assert m.links.depth[far][0] <= cfg.online_depth * cap + 1e-12 < m.links.depth[near][0]


def test_without_online_collaboration_far_partners_meet_face_to_face(small_model):
    m = small_model(online=False)
    assert not m.links.online[_pair(m, 300.0)].any()


def test_the_schools_own_days_count_online_partnerships_at_their_lower_cost(small_model):
    m = small_model(self_selection_rate=0.0, spontaneous_support=0.0)
    m.links.end(m.links.live())
    cfg = m.cfg.distance
    _pair(m, cfg.online_beyond_km + 10)
    per_face = 2 * m.cfg.partnership.days_per_term * m.cfg.partnership.terms_per_year * m.dt
    assert m.own_days_this_term() == pytest.approx(cfg.online_day_share * per_face)


@pytest.mark.parametrize("scope, column", [("authority", "authority"), ("region", "region")])
def test_the_broker_pairs_only_within_its_scope(small_model, scope, column):
    m = small_model("reducing_disparity", scenario="cold_spots", brokering_scope=scope)
    m.schools.moral_capital[:] = 1.0
    seekers, candidates = m.system.estimate_order[:40], m.system.estimate_order[::-1][:60]
    partner = brokering.choose(m.ctx, seekers, candidates, BM.data_informed)
    matched = partner >= 0
    assert matched.sum() >= 10
    groups = getattr(m.schools, column)
    assert (groups[seekers[matched]] == groups[partner[matched]]).all()
    national = small_model("reducing_disparity", scenario="cold_spots", brokering_scope="national")
    partner = brokering.choose(national.ctx, seekers, candidates, BM.data_informed)
    assert (groups[seekers[partner >= 0]] != groups[partner[partner >= 0]]).any()
