"""The browser visualiser: a Mesa SolaraViz page for SchoolSystem.

    make viz        (or: solara run simulation/viz/app.py --host 127.0.0.1 --port 8765 --no-open --production)

The page shows the school network (schools coloured by inspection grade and sized by pupils,
partnerships coloured by type), live charts of attainment, knowledge, grades and school-to-school
support, a plain-language account of the selected strategy and a school detail view. Its
controls are the scenario, the strategy, the seed and the main levers. See docs/visualiser.md.

This file is the thin entry point that Solara serves (Mesa's ``app.py`` convention); the page is
built from the modules next to it:

    choices.py   what the page offers: scenarios, strategies, brokering, floors, defaults, texts
    controls.py  SchoolSystemViz (the model as the controls build it) and Mesa's model_params
    charts.py    the chart widget, the Vega-Lite templates, the time-series charts, the histogram
    network.py   the network of schools and partnerships
    cards.py     the strategy card and the school detail

Layering: the page imports the model; the model core never imports the page.
"""

from __future__ import annotations

import solara
from mesa.visualization import SolaraViz

# Imported here so that `simulation.viz.app` keeps offering the page's names in one place.
from simulation.viz.cards import SchoolDetail, SchoolView, StrategyCard, StrategyView, Text
from simulation.viz.charts import (
    _TEMPLATES,
    CHART_HEIGHT,
    CHART_WIDTH,
    AttainmentView,
    GradesView,
    KnowledgeView,
    SupportView,
    VegaChart,
    VegaLiteWidget,
    histogram_spec,
    line_chart,
    line_spec,
)
from simulation.viz.choices import (
    BROKERING,
    DEFAULTS,
    FLOORS,
    GRADE_COLOURS,
    GRADE_NAMES,
    LEVERS_TEXT,
    PTYPE_COLOURS,
    PTYPE_NAMES,
    SCENARIOS,
    STRATEGIES,
    STRATEGY_OWN,
    STRATEGY_TEXT,
)
from simulation.viz.controls import SchoolSystemViz, model_params, parse_seed
from simulation.viz.network import NetworkView, network_chart, network_spec

__all__ = [
    "BROKERING", "CHART_HEIGHT", "CHART_WIDTH", "COMPONENTS", "DEFAULTS", "FLOORS", "GRADE_COLOURS",
    "GRADE_NAMES", "LEVERS_TEXT", "PTYPE_COLOURS", "PTYPE_NAMES", "SCENARIOS", "STRATEGIES", "STRATEGY_OWN",
    "STRATEGY_TEXT", "_TEMPLATES", "AttainmentView", "GradesView", "KnowledgeView", "NetworkView", "Page",
    "SchoolDetail", "SchoolSystemViz", "SchoolView", "StrategyCard", "StrategyView", "SupportView", "Text",
    "VegaChart", "VegaLiteWidget", "histogram_spec", "line_chart", "line_spec", "model_params",
    "network_chart", "network_spec", "parse_seed",
]

COMPONENTS = [StrategyView, NetworkView, AttainmentView, GradesView, SupportView, KnowledgeView, SchoolView]


@solara.component
def Page():
    # one model per browser session (a module-level model would be shared by every visitor)
    model = solara.use_memo(lambda: solara.reactive(SchoolSystemViz()), [])
    error = getattr(model.value, "input_error", None)
    # The sidebar keeps the same structure whatever the error, otherwise Solara rebuilds Mesa's
    # input widgets, which then show their defaults instead of what the user chose.
    with solara.Sidebar():
        with solara.Column(gap="0px"):
            if error:
                solara.Error(f"Input not accepted: {error}")
        solara.Details("What the levers do", children=[Text(LEVERS_TEXT)])
    SolaraViz(model, components=COMPONENTS, model_params=model_params, play_interval=150,
              name="Upwards convergence in school systems")
