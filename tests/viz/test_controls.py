"""The model as the page's controls build it (simulation/viz/controls.py)."""

from __future__ import annotations

import pytest

from simulation import ConfigError
from simulation.viz.controls import SchoolSystemViz, parse_seed


def test_bad_input_falls_back_with_a_message():
    model = SchoolSystemViz(rng="abc")
    assert "seed must be a whole number" in model.input_error
    assert model.seed == 0 and model.schools.n == 40
    model = SchoolSystemViz(rng=" 7 ", coaching_time=-1.0)
    assert "coaching_time" in model.input_error and model.seed == 7
    model = SchoolSystemViz(system="regional", strategy="status_quo", rng="3", brokering="data_informed",
                            floor_schedule="flat 25%", days_per_term=8.0, officer_days_per_school=1.5)
    assert model.input_error is None
    assert model.cfg.strategy.brokering.value == "data_informed" and model.cfg.partnership.days_per_term == 8.0
    model.step()
    assert model.current_metrics["floor"] == 0.25 and model.time == 1.0


def test_parse_seed():
    assert parse_seed(" 42 ") == 42
    for bad in ("abc", "-1", str(2**63), "1.5"):
        with pytest.raises(ConfigError):
            parse_seed(bad)
