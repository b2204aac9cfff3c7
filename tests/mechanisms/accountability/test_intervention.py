"""simulation.mechanisms.accountability.intervention: capacity-limited intervention, targeting, leadership, cooldown."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import intervention
from simulation.params.schema import PartnershipType as PT


def _setup(m, sm=(), weak=()):
    """Schools in special measures ``sm`` and below-floor, requires-improvement schools ``weak``."""
    sc = m.schools
    sc.special_measures[:] = False
    sc.grade[:] = 2
    m.system.below_floor = np.zeros(sc.n, dtype=bool)
    sc.intervened_until[:] = -1.0
    sc.moral_capital[:] = 0.0  # no sponsors unless a test asks for them
    sc.special_measures[list(sm)] = True
    sc.grade[list(sm)] = 4
    sc.grade[list(weak)] = 3
    m.system.below_floor[list(weak)] = True


def _per_step(m):
    return m.cfg.intervention.days_per_intervention * m.dt / m.cfg.intervention.engagement_years


def test_number_of_interventions_is_limited_by_officer_days(small_model):
    m = small_model()
    _setup(m, sm=range(20))
    used = intervention.intervene(m.ctx, 3.5 * _per_step(m))
    assert m.tally.interventions == 3
    assert used == pytest.approx(3 * _per_step(m))
    assert (m.schools.intervened_until > 0).sum() == 3


def test_running_interventions_use_capacity_first(small_model):
    m = small_model()
    _setup(m, sm=range(20))
    intervention.intervene(m.ctx, 3.5 * _per_step(m))
    used = intervention.intervene(m.ctx, 3.5 * _per_step(m))  # the three still run: no room for a fourth
    assert m.tally.interventions == 3
    assert used == pytest.approx(3 * _per_step(m))
    assert intervention.ongoing_cost(m.ctx) == pytest.approx(3 * _per_step(m))


def test_no_officer_days_no_intervention(small_model):
    m = small_model()
    _setup(m, sm=range(5))
    assert intervention.intervene(m.ctx, 0.0) == 0.0 and m.tally.interventions == 0


def test_special_measures_come_first(small_model):
    m = small_model()
    _setup(m, sm=[30, 31, 32], weak=range(10))
    m.schools.estimate[[30, 31, 32]] = 1.0  # look strong on data, still first
    m.schools.estimate[:10] = -1.0
    intervention.intervene(m.ctx, 3.5 * _per_step(m))
    np.testing.assert_array_equal(np.flatnonzero(m.schools.intervened_until > 0), [30, 31, 32])


def test_then_weakest_estimate_first(small_model):
    m = small_model()
    _setup(m, weak=range(10))
    m.schools.estimate[:10] = np.arange(10)[::-1] * 0.1  # school 9 looks weakest
    intervention.intervene(m.ctx, 2.5 * _per_step(m))
    np.testing.assert_array_equal(np.flatnonzero(m.schools.intervened_until > 0), [8, 9])


def test_good_schools_below_floor_are_not_candidates(small_model):
    m = small_model()
    _setup(m)
    m.system.below_floor[:5] = True  # grade 2 (good) but below the floor
    assert intervention.candidates(m.ctx).size == 0


def test_intervention_raises_leadership(small_model):
    m = small_model()
    _setup(m, sm=range(20))
    m.schools.leadership[:] = 0.1
    intervention.intervene(m.ctx, 20.5 * _per_step(m))
    lead = m.schools.leadership
    assert np.all(lead[:20] > 0.1)
    assert lead[:20].mean() == pytest.approx(m.cfg.intervention.leadership_after, abs=0.06)
    np.testing.assert_array_equal(lead[20:], 0.1)


def test_intervention_keeps_strong_leadership(small_model):
    m = small_model()
    _setup(m, sm=range(5))
    m.schools.leadership[:5] = 0.99
    intervention.intervene(m.ctx, 5.5 * _per_step(m))
    np.testing.assert_array_equal(m.schools.leadership[:5], 0.99)  # never replaced by weaker leadership


def test_cooldown_is_respected(small_model):
    m = small_model()
    _setup(m, sm=[0, 1])
    intervention.intervene(m.ctx, 10 * _per_step(m))
    assert m.tally.interventions == 2
    m.ctx.clock.term = 3 * m.cfg.steps_per_year  # three years later: still cooling down
    intervention.intervene(m.ctx, 10 * _per_step(m))
    assert m.tally.interventions == 2
    m.ctx.clock.term += 1  # now past the cooldown
    intervention.intervene(m.ctx, 10 * _per_step(m))
    assert m.tally.interventions == 4


def test_willing_strong_school_sponsors_for_two_years(small_model):
    m = small_model()
    _setup(m, sm=[0])
    m.schools.grade[5] = 1
    m.schools.moral_capital[5] = 1.0
    m.schools.estimate[5] = 9.0
    intervention.intervene(m.ctx, 1.5 * _per_step(m))
    rows = m.links.live()
    assert rows.size == 1
    r = rows[0]
    assert (m.links.a[r], m.links.b[r], m.links.ptype[r]) == (5, 0, PT.support)
    assert m.links.until[r] == pytest.approx(m.years_elapsed + m.cfg.intervention.sponsor_years)


def test_no_sponsor_without_willing_strong_school(small_model):
    m = small_model()
    _setup(m, sm=[0])
    intervention.intervene(m.ctx, 1.5 * _per_step(m))
    assert m.tally.interventions == 1 and m.links.count() == 0
