"""What the page offers (simulation/viz/choices.py) comes from the project's registries."""

from __future__ import annotations

from simulation.measures.registry import METRICS
from simulation.params.loading import available
from simulation.params.scenarios import browser_scenarios
from simulation.strategies import STRATEGIES as REGISTRY
from simulation.viz import choices, controls


def test_the_page_offers_exactly_the_registrys_strategies_and_browser_scenarios():
    assert choices.STRATEGIES == list(REGISTRY)
    assert choices.SCENARIOS == browser_scenarios()
    assert "england" not in choices.SCENARIOS  # 22,000 schools: too large for the browser
    # the controls offer the same lists, and the defaults are among them
    assert controls.model_params["strategies"]["values"] == choices.STRATEGIES
    assert controls.model_params["system"]["values"] == choices.SCENARIOS
    assert choices.DEFAULTS["strategy"] in choices.STRATEGIES and choices.DEFAULTS["system"] in choices.SCENARIOS
    assert choices.DEFAULTS["brokering"] in choices.BROKERING and choices.DEFAULTS["floor_schedule"] in choices.FLOORS
    # side by side: the registry's strategies, its colours and labels
    assert choices.COMPARE_DEFAULT == list(REGISTRY)[:choices.MAX_COMPARE]
    assert controls.model_params["strategies"]["value"] == choices.COMPARE_DEFAULT
    assert choices.STRATEGY_COLOURS == {n: s.colour for n, s in REGISTRY.items()}
    assert len(set(choices.STRATEGY_COLOURS.values())) == len(REGISTRY)  # one colour per strategy


def test_measures_are_the_metric_registrys():
    # every metric but the clock can be charted; a metric added to the registry appears by itself
    assert choices.MEASURES == [m for m in METRICS if m != "year"]
    assert set(choices.MEASURES_SHOWN) <= set(choices.MEASURES)
    assert choices.measure_title("p90_attainment") == "P90 attainment"
    assert choices.measure_title("mean_attainment") == "Mean attainment"


def test_strategy_texts_cover_every_strategy():
    assert sorted(choices.STRATEGY_TEXT) == sorted(choices.STRATEGIES) == available("strategy")
    for name, strategy in REGISTRY.items():
        assert choices.STRATEGY_TEXT[name] == f"**{strategy.label}.** {strategy.summary}"
    assert choices.STRATEGY_TEXT["status_quo"].startswith("**Status quo.** Accountability on its own")


def test_terms_read_as_school_years_and_terms():
    assert choices.term_label(2002, 0, 1 / 3) == "2002/03 autumn"
    assert choices.term_label(2002, 1, 1 / 3) == "2002/03 spring"
    assert choices.term_label(2002, 5, 1 / 3) == "2003/04 summer"
    assert choices.term_label(1999, 3, 1 / 3) == "2000/01 autumn"
    assert choices.term_label(2002, 3, 0.5) == "2003/04 term 2"  # two terms a year: no season names
    assert choices.term_label(2002, 2, 1.0) == "2004/05 term 1"
