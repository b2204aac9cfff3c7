"""Only what can be known: every decision reads observations (published results, inspection
judgements, reviews, the authority's accumulated estimates), never the hidden true state. A
decision must not change when the hidden state changes but every observation stays the same."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import SchoolSystem
from simulation.mechanisms.accountability import intervention, monitoring
from simulation.mechanisms.between_schools import pilot
from simulation.state import FIELDS
from simulation.strategies import allocate

HIDDEN_SCHOOL = ("km_capacity", "leadership", "context", "pull", "km_floor")


def _pair(strategy: str, **kw):
    a = SchoolSystem(scenario="regional", strategy=strategy, rng=5, **kw)
    b = SchoolSystem(scenario="regional", strategy=strategy, rng=5, **kw)
    for m in (a, b):
        m.run_years(3)
    rng = np.random.default_rng(99)
    b.staff.knowledge += rng.normal(0, 0.2, b.staff.n)  # the truth moves, nothing observed does
    b.staff.shallow[:] = rng.random(b.staff.n) * 0.05
    for name in HIDDEN_SCHOOL:
        values = getattr(b.schools, name)
        values[:] = rng.permutation(values)
    b.rng.bit_generator.state = a.rng.bit_generator.state
    return a, b


def _decisions(m) -> dict:
    plan = {f: getattr(m.plan, f).copy() for f in ("coaching_days", "cpd_days", "innovation_days")}
    links = {c: getattr(m.links, c).copy() for c in ("a", "b", "ptype", "active", "funded", "brokered")}
    return {**plan, **links}


@pytest.mark.parametrize("strategy", ["reducing_disparity", "growing_the_top", "upwards_convergence"])
def test_the_budget_goes_where_the_observations_say(strategy):
    a, b = _pair(strategy)
    for m in (a, b):
        m.plan.reset()
        m.tally.spend = allocate(m.ctx)
    da, db = _decisions(a), _decisions(b)
    for key in da:
        np.testing.assert_array_equal(da[key], db[key], err_msg=key)
    assert a.tally.spend == b.tally.spend


def test_intervention_and_monitoring_and_pilot_read_observations_only():
    a, b = _pair("upwards_convergence", n_trios=3)
    np.testing.assert_array_equal(intervention.candidates(a.ctx), intervention.candidates(b.ctx))
    np.testing.assert_array_equal(pilot.eligible(a.ctx), pilot.eligible(b.ctx))
    a.links.age[:] = b.links.age[:] = 5.0  # every partnership due for monitoring
    assert monitoring.monitor(a.ctx, 1e6) == monitoring.monitor(b.ctx, 1e6)
    np.testing.assert_array_equal(a.links.active, b.links.active)


def test_readiness_staging_reads_the_estimate_not_the_true_capacity():
    a, b = _pair("upwards_convergence")
    assert not np.array_equal(a.schools.km_capacity, b.schools.km_capacity)
    np.testing.assert_array_equal(a.schools.km_estimate, b.schools.km_estimate)


def test_the_estimate_accumulates_and_reviews_sharpen_it():
    m = SchoolSystem(scenario="regional", strategy="status_quo", rng=1)
    var0 = m.schools.estimate_var.copy()
    m.run_years(4)
    assert (m.schools.estimate_var < var0).mean() > 0.5  # readings accumulate: less uncertain than one reading
    assert "estimate_var" in FIELDS["schools"] and "km_estimate" in FIELDS["schools"]


def test_accountability_pressure_and_academy_orders_read_observations_only():
    """A school feels pressure from its published results and grade; the academy order follows the published
    years below the floor and picks a sponsor by grade and the authority's estimate."""
    from simulation.mechanisms.accountability import academies, pressure
    a, b = _pair("status_quo")
    for m in (a, b):
        pressure.feel_pressure(m.ctx)
        m.schools.below_floor_years[:3] = 5.0  # three schools due
    np.testing.assert_array_equal(a.schools.pressure, b.schools.pressure)
    np.testing.assert_array_equal(a.schools.focus, b.schools.focus)
    np.testing.assert_array_equal(academies.convert(a.ctx), academies.convert(b.ctx))
    np.testing.assert_array_equal(a.links.a, b.links.a)
    np.testing.assert_array_equal(a.links.b, b.links.b)
