"""The class's model (simulation/viz/classroom.py): the chosen strategies on the same schools, stepping
together; the sidebar's note that a change waits for Reset (simulation/viz/sidebar.py)."""

from __future__ import annotations

import numpy as np

from simulation.viz.choices import COMPARE_DEFAULT, MAX_COMPARE, STRATEGIES
from simulation.viz.classroom import Classroom, choose_strategies
from simulation.viz.sidebar import DEFAULT_PARAMS, pending


def test_strategies_start_on_the_same_schools_and_step_together():
    room = Classroom(strategies=["growing_the_top", "reducing_disparity"], rng="3")
    assert room.strategies == ["reducing_disparity", "growing_the_top"]  # the registry's order
    a, b = (room.systems[s] for s in room.strategies)
    assert a.seed == b.seed == 3 and a.cfg.strategy.name.value == "reducing_disparity"
    assert np.array_equal(a.schools.attainment, b.schools.attainment)
    assert np.array_equal(a.schools.x, b.schools.x) and np.array_equal(a.schools.pupils, b.schools.pupils)
    for _ in range(6):
        room.step()
    assert room.terms == a.term == b.term == 6 and room.now == "2004/05 autumn"
    assert not np.array_equal(a.schools.attainment, b.schools.attainment)  # the strategies differ
    story = room.history["growing_the_top"].school(5)
    assert len(story["attainment"]) == 7 and story["attainment"][-1] == b.schools.attainment[5]
    assert story["coaches"][-1] == len(b.school_agents[5].coaches())
    assert story["partnerships"][-1] == len(b.school_agents[5].partners())


def test_the_same_settings_give_the_same_run():
    one, two = Classroom(strategies=["upwards_convergence"]), Classroom(strategies=["upwards_convergence"])
    for _ in range(3):
        one.step()
        two.step()
    assert one.first.metrics().equals(two.first.metrics())


def test_choice_of_strategies():
    assert choose_strategies(STRATEGIES[::-1][:2]) == (sorted(STRATEGIES[::-1][:2], key=STRATEGIES.index), None)
    assert choose_strategies("status_quo") == (["status_quo"], None)
    names, error = choose_strategies([])
    assert names == COMPARE_DEFAULT and "at least one" in error
    names, error = choose_strategies(["nonsense"])
    assert names == COMPARE_DEFAULT and "nonsense" in error
    if len(STRATEGIES) > MAX_COMPARE:
        names, error = choose_strategies(STRATEGIES)
        assert len(names) == MAX_COMPARE and error


def test_a_bad_input_keeps_each_systems_strategy():
    room = Classroom(strategies=["status_quo", "growing_the_top"], rng="abc", coaching_time=-1.0)
    assert "seed must be a whole number" in room.input_error and "coaching_time" in room.input_error
    assert [m.cfg.strategy.name.value for m in room.systems.values()] == ["status_quo", "growing_the_top"]


def test_pending_changes_are_named_until_reset():
    room = Classroom()
    assert pending(DEFAULT_PARAMS, room.params) == []
    changed = {**DEFAULT_PARAMS, "coaching_time": 6.0, "strategies": ["status_quo"], "rng": " 0 "}
    assert pending(changed, room.params) == ["Strategies", "Coaching time"]  # " 0 " is the same seed
    rebuilt = Classroom(**changed)
    assert pending(changed, rebuilt.params) == []
