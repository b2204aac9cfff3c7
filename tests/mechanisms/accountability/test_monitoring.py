"""simulation.mechanisms.accountability.monitoring: ending brokered partnerships that show no improvement."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import monitoring
from simulation.params.schema import PartnershipType as PT


def _link(m, a, b, *, age, start_quality, brokered=True):
    rows = m.links.add(np.array([a]), np.array([b]), int(PT.support), depth=0.5, high_leverage=np.array([True]),
                       facilitated=False, brokered=brokered, start_quality=np.array([start_quality]))
    m.links.age[rows] = age
    return rows[0]


def test_idle_mature_links_end_and_improving_ones_stay(small_model):
    m = small_model()
    mature = m.cfg.partnership.maturity_years
    m.schools.estimate[[1, 3]] = [0.0, 0.2]
    idle = _link(m, 0, 1, age=mature, start_quality=0.0)  # no rise since it began
    improving = _link(m, 2, 3, age=mature + 1, start_quality=0.1)
    used = monitoring.monitor(m.ctx, 100.0)
    assert not m.links.active[idle] and m.links.active[improving]
    assert used == pytest.approx(2 * m.cfg.intervention.monitoring_days)
    assert m.tally.partnerships_rebrokered == 1


def test_young_and_self_selected_links_are_not_checked(small_model):
    m = small_model()
    mature = m.cfg.partnership.maturity_years
    m.schools.estimate[[1, 3]] = -1.0  # both receivers got worse
    young = _link(m, 0, 1, age=0.5 * mature, start_quality=0.0)
    unbrokered = _link(m, 2, 3, age=2 * mature, start_quality=0.0, brokered=False)
    assert monitoring.monitor(m.ctx, 100.0) == 0.0
    assert m.links.active[young] and m.links.active[unbrokered]


def test_monitoring_off_keeps_everything(small_model):
    m = small_model(monitoring=False)
    m.schools.estimate[1] = -1.0
    idle = _link(m, 0, 1, age=10.0, start_quality=0.0)
    assert monitoring.monitor(m.ctx, 100.0) == 0.0
    assert m.links.active[idle] and m.tally.partnerships_rebrokered == 0


def test_monitoring_is_limited_by_officer_days(small_model):
    m = small_model()
    m.schools.estimate[:] = -1.0
    rows = [_link(m, 2 * i, 2 * i + 1, age=10.0, start_quality=0.0) for i in range(6)]
    days = m.cfg.intervention.monitoring_days
    used = monitoring.monitor(m.ctx, 2.5 * days)
    assert used == pytest.approx(2 * days)
    assert sum(not m.links.active[r] for r in rows) == 2
