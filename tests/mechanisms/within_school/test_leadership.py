"""simulation.mechanisms.within_school.leadership: head turnover and leadership grown by partnerships."""

import numpy as np
import pytest

from simulation.mechanisms.within_school import leadership
from simulation.params.schema import PartnershipType as PT


def test_heads_change_at_configured_rate(small_model):
    m = small_model(n_schools=400)
    m.schools.pressure[:] = 0.0
    cfg = m.cfg.leadership
    p = 1 - (1 - cfg.head_turnover) ** m.dt
    changed, calls = 0, 60
    for _ in range(calls):
        before = m.schools.leadership.copy()
        leadership.change_heads(m.ctx)
        changed += (m.schools.leadership != before).sum()
    n = calls * m.schools.n
    assert changed / n == pytest.approx(p, abs=4 * np.sqrt(p * (1 - p) / n))


def test_pressure_puts_heads_jobs_at_risk(small_model):
    m = small_model(n_schools=400)
    pressed = np.arange(m.schools.n) % 2 == 0
    m.schools.pressure[:] = np.where(pressed, 1.0, 0.0)
    changed = np.zeros(m.schools.n)
    for _ in range(60):
        before = m.schools.leadership.copy()
        leadership.change_heads(m.ctx)
        changed += m.schools.leadership != before
    yearly = m.cfg.leadership.head_turnover + np.array([0.0, m.cfg.pressure.head_risk])
    p = 1 - (1 - yearly) ** m.dt
    for group, rate in ((~pressed, p[0]), (pressed, p[1])):
        n = 60 * group.sum()
        assert changed[group].sum() / n == pytest.approx(rate, abs=4 * np.sqrt(rate * (1 - rate) / n))


def test_new_heads_come_from_national_distribution(small_model):
    m = small_model(n_schools=400, head_turnover=1.0)
    m.schools.pressure[:] = 0.0
    leadership.change_heads(m.ctx)  # everyone gets a new head
    lead = m.schools.leadership
    assert lead.min() >= 0.05 and lead.max() <= 0.95
    assert lead.mean() == pytest.approx(m.cfg.leadership.initial_mean, abs=0.02)
    assert lead.std() == pytest.approx(m.cfg.leadership.initial_sd, rel=0.15)


def test_mature_partnership_grows_leadership(small_model):
    m = small_model()
    m.links.add(np.array([0]), np.array([1]), int(PT.collaborative), depth=0.5, high_leverage=np.array([True]),
                facilitated=False, brokered=False, start_quality=np.zeros(1))
    m.links.age[0] = 2.0
    mat = 1 - np.exp(-2.0 / m.cfg.partnership.maturity_years)
    before = m.schools.leadership.copy()
    leadership.grow_leaders(m.ctx)
    growth = m.cfg.leadership.partnership_growth * m.dt * mat * (1 - before[:2])
    np.testing.assert_allclose(m.schools.leadership[:2], before[:2] + growth)
    assert np.all(growth > 0)
    np.testing.assert_array_equal(m.schools.leadership[2:], before[2:])


def test_leadership_stays_below_one(small_model):
    m = small_model(partnership_growth=5.0)
    m.links.add(np.array([0]), np.array([1]), int(PT.federation), depth=1.0, high_leverage=np.array([True]),
                facilitated=False, brokered=False, start_quality=np.zeros(1))
    m.links.age[0] = 100.0
    for _ in range(100):
        leadership.grow_leaders(m.ctx)
    assert m.schools.leadership.max() <= 1.0
