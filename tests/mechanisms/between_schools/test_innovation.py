"""simulation.mechanisms.between_schools.innovation: attempt rates, adoption of good and bad innovations, the frontier."""

import numpy as np
import pytest

from simulation.mechanisms.between_schools import innovation
from simulation.mechanisms.within_school import knowledge
from simulation.params.schema import PartnershipType as PT


def test_attempts_rise_with_innovation_days_and_saturate(small_model):
    m = small_model()
    cfg = m.cfg.innovation
    days_per_year = np.array([0, 10, 20, 40, 80, 160, 1e6])
    m.plan.innovation_days[: days_per_year.size] = days_per_year * m.dt
    rate = innovation.attempt_rate(m.ctx)[: days_per_year.size]
    expected = cfg.base_rate + cfg.max_attempts * days_per_year / (days_per_year + cfg.half_days)
    np.testing.assert_allclose(rate, expected)
    assert rate[0] == pytest.approx(cfg.base_rate)
    assert np.all(np.diff(rate) > 0)
    assert rate[-1] == pytest.approx(cfg.base_rate + cfg.max_attempts, rel=1e-3)  # saturates
    per_day = np.diff(rate) / np.diff(days_per_year)
    assert np.all(np.diff(per_day) < 0)  # each extra day buys less


def test_research_network_adds_attempts(small_model):
    m = small_model()
    m.links.add(np.array([0]), np.array([1]), int(PT.trio), depth=0.5, high_leverage=np.array([True]),
                facilitated=True, brokered=True, start_quality=np.zeros(1))
    rate = innovation.attempt_rate(m.ctx)
    base = m.cfg.innovation.base_rate
    np.testing.assert_allclose(rate[:2], base * (1 + m.cfg.innovation.network_boost))
    np.testing.assert_allclose(rate[2:], base)


def _school_of_frontier(m):
    return int(m.staff.school[np.argmax(m.staff.knowledge)])


def test_good_innovation_lifts_innovator_above_school_best(small_model):
    m = small_model()
    s = _school_of_frontier(m)
    posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
    best = m.staff.knowledge[posts].max()
    innovator = posts[np.argmax(m.staff.knowledge[posts])]
    innovation._adopt(m.ctx, np.array([s]), np.array([0.05]))
    assert m.staff.knowledge[innovator] == pytest.approx(best + 0.05)


def test_good_innovation_moves_frontier_only_via_update_frontier(small_model):
    m = small_model()
    f0 = m.frontier
    s = _school_of_frontier(m)
    innovation._adopt(m.ctx, np.array([s]), np.array([0.05]))
    assert m.frontier == f0  # adoption itself leaves the frontier alone
    knowledge.update_frontier(m.ctx)
    assert m.frontier == pytest.approx(f0 + 0.05)


def test_experts_take_up_part_of_a_good_innovation(small_model):
    m = small_model()
    s = 3
    posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
    k0 = m.staff.knowledge.copy()
    new_practice = k0[posts].max() + 0.05
    innovation._adopt(m.ctx, np.array([s]), np.array([0.05]))
    innovator = posts[np.argmax(k0[posts])]
    experts = np.setdiff1d(posts[m.staff.expert[posts]], [innovator])
    np.testing.assert_allclose(m.staff.knowledge[experts],
                               k0[experts] + m.cfg.innovation.expert_uptake * (new_practice - k0[experts]))
    rest = posts[~m.staff.expert[posts] & (posts != innovator)]
    np.testing.assert_array_equal(m.staff.knowledge[rest], k0[rest])


def test_bad_innovation_lowers_experts_knowledge(small_model):
    m = small_model()
    s = 3
    posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
    experts = posts[m.staff.expert[posts]]
    k0 = m.staff.knowledge.copy()
    f0 = m.frontier
    innovation._adopt(m.ctx, np.array([s]), np.array([-0.04]))
    np.testing.assert_allclose(m.staff.knowledge[experts], k0[experts] - 0.04)
    others = np.setdiff1d(np.arange(m.staff.n), experts)
    np.testing.assert_array_equal(m.staff.knowledge[others], k0[others])
    assert m.frontier == f0


def test_perfect_evaluation_adopts_only_good_innovations(small_model):
    m = small_model(evaluation_noise=0.0, max_attempts=20.0)
    m.plan.innovation_days[:] = 1e6
    for _ in range(10):
        innovation.innovate(m.ctx)
    assert m.tally.innovations_adopted > 50 and m.tally.innovations_harmful == 0


def test_noisy_evaluation_sometimes_adopts_harmful_innovations(small_model):
    m = small_model(evaluation_noise=0.2, max_attempts=20.0)
    m.plan.innovation_days[:] = 1e6
    for _ in range(10):
        innovation.innovate(m.ctx)
    assert 0 < m.tally.innovations_harmful < m.tally.innovations_adopted


def test_no_days_and_no_base_rate_means_no_innovation(small_model):
    m = small_model(base_rate=0.0)
    k0 = m.staff.knowledge.copy()
    for _ in range(30):
        innovation.innovate(m.ctx)
    assert m.tally.innovations_adopted == 0
    np.testing.assert_array_equal(m.staff.knowledge, k0)
