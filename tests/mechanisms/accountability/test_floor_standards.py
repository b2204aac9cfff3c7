"""simulation.mechanisms.accountability.floor_standards: the floor in force in a year and the schools below it."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import floor_standards
from simulation.params.schema import ENGLAND_FLOOR, FloorStep


@pytest.mark.parametrize("year, share", [
    (1990, 0.0),  # before the first step: no floor
    (2001.9, 0.0),
    (2002, 0.25),  # a step applies from its own year
    (2007.99, 0.25),
    (2008, 0.30),
    (2011.5, 0.35),
    (2012, 0.40),
    (2030, 0.40),  # the last step stays in force
])
def test_floor_in_picks_latest_step_at_or_before_year(year, share):
    assert floor_standards.floor_in(ENGLAND_FLOOR, year) == share


def test_floor_in_empty_schedule_is_no_floor():
    assert floor_standards.floor_in([], 2010) == 0.0


def test_apply_floor_flags_schools_below_floor(small_model):
    m = small_model(start_year=2009)  # floor 30%
    m.schools.attainment[:] = 0.5
    m.schools.attainment[:3] = [0.1, 0.29, 0.30]
    floor_standards.apply_floor(m.ctx)
    assert m.system.floor == 0.30
    np.testing.assert_array_equal(np.flatnonzero(m.system.below_floor), [0, 1])  # at the floor is not below


def test_apply_floor_follows_calendar_year(small_model):
    m = small_model(start_year=2007)
    m.schools.attainment[:] = 0.27
    floor_standards.apply_floor(m.ctx)
    assert m.system.floor == 0.25 and not m.system.below_floor.any()
    m.ctx.clock.term = 3  # 2008: the floor rises to 30%
    floor_standards.apply_floor(m.ctx)
    assert m.system.floor == 0.30 and m.system.below_floor.all()


def test_custom_schedule_from_config(small_model):
    m = small_model(floor_schedule=[FloorStep(2000, 0.1), FloorStep(2003, 0.6)])
    floor_standards.apply_floor(m.ctx)
    assert m.system.floor == 0.1
    m.ctx.clock.term = 3
    floor_standards.apply_floor(m.ctx)
    assert m.system.floor == 0.6
