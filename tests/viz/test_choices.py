"""What the page offers (simulation/viz/choices.py) comes from the project's registries."""

from __future__ import annotations

from simulation.params.loading import available
from simulation.params.scenarios import browser_scenarios
from simulation.strategies import STRATEGIES as REGISTRY
from simulation.viz import choices, controls


def test_the_page_offers_exactly_the_registrys_strategies_and_browser_scenarios():
    assert choices.STRATEGIES == list(REGISTRY)
    assert choices.SCENARIOS == browser_scenarios()
    assert "england" not in choices.SCENARIOS  # 22,000 schools: too large for the browser
    # the controls offer the same lists, and the defaults are among them
    assert controls.model_params["strategy"]["values"] == choices.STRATEGIES
    assert controls.model_params["system"]["values"] == choices.SCENARIOS
    assert choices.DEFAULTS["strategy"] in choices.STRATEGIES and choices.DEFAULTS["system"] in choices.SCENARIOS
    assert choices.DEFAULTS["brokering"] in choices.BROKERING and choices.DEFAULTS["floor_schedule"] in choices.FLOORS


def test_strategy_texts_cover_every_strategy():
    assert sorted(choices.STRATEGY_TEXT) == sorted(choices.STRATEGIES) == available("strategy")
    for name, strategy in REGISTRY.items():
        assert choices.STRATEGY_TEXT[name] == f"**{strategy.label}.** {strategy.summary}"
    assert choices.STRATEGY_TEXT["status_quo"].startswith("**Status quo.** Accountability on its own")
