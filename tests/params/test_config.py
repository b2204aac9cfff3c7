"""simulation.params.loading and the schema validation: clear errors, every conf/ combination loads."""

import itertools

import numpy as np

import pytest

from simulation import ConfigError, ModelConfig, SchoolSystem
from simulation.params.loading import available, leaf_paths, load_config, resolve_key
from simulation.params.schema import BrokeringMode, FloorStep, StrategyName, SystemConfig


@pytest.mark.parametrize("override, words", [
    ({"n_schools": 0}, ["system.n_schools", "between 1 and 50000", "got 0"]),
    ({"facilitated_high_leverage": 1.5}, ["partnership.facilitated_high_leverage", "between 0 and 1", "1.5"]),
    ({"leave_rate_first_year": -0.1}, ["staff.leave_rate_first_year", "between 0 and 1"]),
    ({"cycle_years": [5, 4, 2, 0.1]}, ["inspection.cycle_years", "between 0.3 and 10"]),
    ({"internal_coaching": 0.5}, ["internal_coaching", "sum to 1", "1.500"]),
    ({"initial_shares": [0.5, 0.5, 0.5, 0.5]}, ["inspection.initial_shares", "summing to 1"]),
    ({"floor_schedule": [FloorStep(2010, 0.3), FloorStep(2005, 0.4)]}, ["floor_schedule", "strictly increasing",
                                                                         "2010, 2005"]),
    ({"floor_schedule": [FloorStep(2010, 1.3)]}, ["floor_schedule share", "between 0 and 1", "1.3"]),
    ({"foo": 1}, ["unknown parameter", "'foo'"]),
    ({"system__nope": 1}, ["unknown parameter", "system.nope"]),
    ({"initial_mean": 0.5}, ["ambiguous", "moral_capital.initial_mean", "leadership.initial_mean"]),
    ({"n_schools": "many"}, ["system.n_schools", "many"]),
    ({"brokering": "magic"}, ["strategy.brokering", "magic"]),
])
def test_invalid_values_raise_config_error_naming_key_and_range(override, words):
    with pytest.raises(ConfigError) as err:
        load_config("teaching", "status_quo", **override)
    for word in words:
        assert word in str(err.value)


def test_model_raises_the_same_config_error():
    with pytest.raises(ConfigError, match="system.n_schools"):
        SchoolSystem(scenario="teaching", strategy="status_quo", rng=0, n_schools=0)


def test_direct_dataclass_construction_is_validated():
    with pytest.raises(ConfigError, match="system.n_schools"):
        ModelConfig(system=SystemConfig(n_schools=0))


def test_unknown_scenario_and_strategy_list_the_choices():
    with pytest.raises(ConfigError, match="teaching"):
        load_config("atlantis", "status_quo")
    with pytest.raises(ConfigError, match="upwards_convergence"):
        load_config("teaching", "laissez_faire")


@pytest.mark.parametrize("scenario, strategy", list(itertools.product(available("scenario"), available("strategy"))))
def test_every_scenario_and_strategy_loads(scenario, strategy):
    cfg = load_config(scenario, strategy)
    assert cfg.scenario == scenario
    assert cfg.strategy.name == StrategyName(strategy)


def test_conf_holds_the_four_strategies_and_teaching():
    assert set(available("strategy")) == {"status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"}
    assert "teaching" in available("scenario") and "london_challenge" in available("scenario")


def test_scenario_can_fix_brokering_over_strategy():
    cfg = load_config("central_south_wales", "status_quo")
    assert cfg.strategy.brokering == BrokeringMode.school_improvement_groups


def test_overrides_by_leaf_dotted_and_double_underscore_agree():
    a = load_config("teaching", "status_quo", coaching_time=6)
    b = load_config("teaching", "status_quo", **{"coaching.coaching_time": 6})
    c = load_config("teaching", "status_quo", coaching__coaching_time=6)
    assert a.coaching.coaching_time == b.coaching.coaching_time == c.coaching.coaching_time == 6
    assert a == b == c


def test_override_beats_scenario_and_strategy():
    cfg = load_config("london_challenge", "upwards_convergence", n_schools=12, brokering="none")
    assert cfg.system.n_schools == 12 and cfg.strategy.brokering == BrokeringMode.none


def test_defaults_come_from_schema():
    cfg = load_config("teaching", "status_quo")
    assert cfg.staff.knowledge_sd == 0.25 and cfg.steps_per_year == 3


def test_resolve_key_maps_leaves_to_paths():
    assert resolve_key("coaching_time") == "coaching.coaching_time"
    assert resolve_key("strategy__brokering") == "strategy.brokering"
    assert leaf_paths()["initial_mean"] == ["moral_capital.initial_mean", "leadership.initial_mean"]


@pytest.mark.parametrize("scenario, strategy", list(itertools.product(available("scenario"), available("strategy"))))
def test_every_scenario_and_strategy_builds_and_runs(scenario, strategy):
    # n_schools is cut for speed; everything else (start year, phases, regions, brokering) is the scenario's
    m = SchoolSystem(scenario=scenario, strategy=strategy, rng=0, n_schools=60, create_staff_agents=False)
    m.run_years(1)
    assert m.schools.n == 60 and len(m.metrics()) == m.cfg.steps_per_year + 1
    assert m.metrics()["year"].iloc[0] == m.cfg.start_year


@pytest.mark.parametrize("override, fragment", [
    ({"partnership__initial_depth": [0.3, 0.5]}, "partnership.initial_depth must have 8 entries"),
    ({"partnership__depth_cap": [0.1] * 8}, "initial_depth must not exceed partnership.depth_cap"),
    ({"coaching__initial_km_shape": [2.0]}, "coaching.initial_km_shape must be two Beta shape"),
    ({"leadership__lowest": 0.9, "leadership__highest": 0.5}, "leadership.lowest must not exceed"),
    ({"inspection__cycle_jitter": 0.95}, "inspection.cycle_jitter must be between 0 and 0.9"),
])
def test_former_constants_are_checked_like_every_parameter(override, fragment):
    with pytest.raises(ConfigError, match=fragment.replace(".", r"\.")):
        load_config("teaching", "status_quo", **override)


@pytest.mark.parametrize("strategy, override", [
    ("upwards_convergence", {"partnership__terms_per_year": 2}),
    ("status_quo", {"cpd__half_days": 2.0}),
    ("upwards_convergence", {"staff__embedding_rate": 0.0}),
    ("upwards_convergence", {"partnership__similarity_scale": 1.0}),
])
def test_former_constants_change_behaviour(strategy, override):
    """Parameters that were module constants act: changing one changes a run."""
    runs = []
    for kw in ({}, override):
        model = SchoolSystem(rng=1, strategy=strategy, **kw)
        model.run_years(3)
        runs.append(model.staff.knowledge.copy())
    assert not np.array_equal(*runs), override
