"""simulation.mechanisms.accountability.academies and floor persistence: structural intervention."""

import numpy as np

from simulation.mechanisms.accountability import academies, floor_standards
from simulation.params.enums import Grade
from simulation.params.schema import PartnershipType as PT


def test_years_below_floor_count_up_and_reset(small_model):
    m = small_model()
    below = np.zeros(m.schools.n, dtype=bool)
    below[:3] = True
    m.schools.below_floor_years[:] = 0.0
    for _ in range(4):
        m.system.below_floor = below
        floor_standards.track_persistence(m.ctx)
    np.testing.assert_allclose(m.schools.below_floor_years[:3], 4 * m.dt)
    assert np.all(m.schools.below_floor_years[3:] == 0)
    below[0] = False
    floor_standards.track_persistence(m.ctx)
    assert m.schools.below_floor_years[0] == 0.0 and m.schools.below_floor_years[1] > 4 * m.dt


def test_persistently_below_floor_schools_become_sponsored_academies(small_model):
    m = small_model(persistent_years=2.0, moral_capital__initial_mean=0.99)
    sc = m.schools
    sc.moral_capital[:] = 1.0
    sc.grade[:] = Grade.good
    sc.below_floor_years[:] = 0.0
    sc.below_floor_years[[4, 7]] = [2.0, 1.5]  # only school 4 is due
    sc.leadership[4] = 0.05
    days_before = m.tally.officer_days_used
    converted = academies.convert(m.ctx)
    np.testing.assert_array_equal(converted, [4])
    assert sc.academy[4] and not sc.academy[7]
    assert sc.leadership[4] > 0.05
    live = m.links.live()
    sponsored = live[(m.links.b[live] == 4) & (m.links.ptype[live] == int(PT.support))]
    assert sponsored.size == 1
    assert m.links.until[sponsored[0]] == m.ctx.years_elapsed + m.cfg.pressure.academy_sponsor_years
    assert m.tally.academies == 1
    central = m.cfg.pressure.conversion_officer_days + m.cfg.intervention.brokering_days
    assert m.tally.central_officer_days == central
    assert m.tally.officer_days_used - days_before == central
    # an academy is not converted again
    np.testing.assert_array_equal(academies.convert(m.ctx), [])


def test_structural_intervention_can_be_switched_off(small_model):
    m = small_model(structural_intervention=False)
    m.schools.below_floor_years[:] = 10.0
    assert academies.convert(m.ctx).size == 0 and not m.schools.academy.any()


def test_a_steeper_floor_changes_behaviour_through_pressure_focus_and_academies():
    """Raising the floor is a lever: over eight years a steep schedule puts more schools under pressure, lifts more
    pupils over the benchmark by focus and makes more academies than a flat floor, on the same seed."""
    from simulation import SchoolSystem
    from simulation.params.schema import FloorStep

    flat = [FloorStep(2002, 0.25)]
    steep = [FloorStep(2002, 0.25), FloorStep(2004, 0.35), FloorStep(2006, 0.45)]
    out = {}
    for name, schedule in (("flat", flat), ("steep", steep)):
        m = SchoolSystem(scenario="regional", strategy="status_quo", rng=3, floor_schedule=schedule)
        m.run_years(8)
        df = m.metrics()
        out[name] = (df.mean_pressure.iloc[6:].mean(), df.focus_lift.iloc[6:].mean(), df.academies.iloc[-1])
    assert out["steep"][0] > out["flat"][0]
    assert out["steep"][1] > out["flat"][1]
    assert out["steep"][2] > out["flat"][2]
