"""simulation.mechanisms.accountability.pressure: who feels accountability pressure, and how much focus follows."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import pressure
from simulation.params.enums import Grade


def _set(m, attainment, grade, floor=0.3, special=None):
    sc = m.schools
    n = len(attainment)
    sc.attainment[:n] = attainment
    sc.grade[:n] = grade
    sc.special_measures[:] = False if special is None else special
    m.system.floor = floor
    m.system.below_floor = sc.attainment < floor


def test_pressure_follows_published_results_and_grades(small_model):
    m = small_model(near_floor_margin=0.05, near_floor=0.5, requires_improvement=0.4)
    # below floor | near floor | good, well above | requires improvement | inadequate well above the floor
    _set(m, [0.25, 0.33, 0.6, 0.6, 0.6], [2, 2, 2, 3, 4])
    m.schools.attainment[5:] = 0.6
    m.schools.grade[5:] = Grade.good
    m.system.below_floor = m.schools.attainment < m.system.floor
    pressure.feel_pressure(m.ctx)
    np.testing.assert_allclose(m.schools.pressure[:5], [1.0, 0.5, 0.0, 0.4, 1.0])


def test_focus_is_focus_times_pressure_with_league_tables_as_its_floor(small_model):
    m = small_model(focus=0.3, league_tables=0.2)
    _set(m, [0.25, 0.6], [2, 2])
    m.schools.attainment[2:] = 0.6
    m.schools.grade[2:] = Grade.good
    m.system.below_floor = m.schools.attainment < m.system.floor
    pressure.feel_pressure(m.ctx)
    assert m.schools.focus[0] == pytest.approx(0.3)
    assert m.schools.focus[1] == pytest.approx(0.3 * 0.2)  # league tables press on every school
    assert m.schools.pressure[1] == 0.0  # ... toward focus, not jobs


def test_no_floor_no_near_floor_pressure(small_model):
    m = small_model()
    _set(m, [0.01], [2], floor=0.0)
    m.schools.grade[:] = Grade.good
    m.schools.attainment[:] = 0.01
    m.system.below_floor = np.zeros(m.schools.n, dtype=bool)
    pressure.feel_pressure(m.ctx)
    assert np.all(m.schools.pressure == 0.0)


def test_a_higher_floor_puts_more_schools_under_pressure(small_model):
    """The floor is a lever: raising it raises pressure and focus through this mechanism."""
    m = small_model(n_schools=200)
    felt = []
    for floor in (0.25, 0.40):
        m.system.floor = floor
        m.system.below_floor = m.schools.attainment < floor
        pressure.feel_pressure(m.ctx)
        felt.append((m.schools.pressure.mean(), m.schools.focus.mean()))
    assert felt[1][0] > felt[0][0] and felt[1][1] > felt[0][1]
