"""The browser visualiser for a class: strategies side by side on the same schools.

    make viz        (or: solara run simulation/viz/app.py --host 127.0.0.1 --port 8765 --no-open --production)

One to four strategies (the teacher picks) run on the same scenario and seed and step together.
Three tabs: *Side by side* (where each strategy stands, the convergence diagram, the gap and any
measure of the metric registry over time), *Distribution* (every school, coloured by grade, with
the floor; a click tells a school's story) and *One system* (the network of schools and
partnerships and the charts of one strategy). See docs/visualiser.md and docs/teaching.md.

This file is the thin entry point that Solara serves (Mesa's ``app.py`` convention); the page is
built from the modules next to it:

    choices.py       what the page offers: scenarios, strategies, measures, defaults, texts, term names
    controls.py      SchoolSystemViz (one system as the controls build it) and the controls' definitions
    classroom.py     Classroom: the Mesa model of the page, the chosen strategies stepping together
    sidebar.py       Reset/play/Step (Mesa's ModelController), the settings, "changes apply on Reset"
    compare.py       the side-by-side tab
    distribution.py  the distribution tab and a school's story
    charts.py        the chart widget, the Vega-Lite templates, the time axis, one system's charts
    network.py       the network of schools and partnerships
    cards.py         one strategy's card and the school detail

Layering: the page imports the model; the model core never imports the page.
"""

from __future__ import annotations

import warnings

import solara
import solara.lab
from mesa.visualization.utils import update_counter

from simulation.viz.cards import SchoolDetail, SchoolView, StrategyCard, StrategyView, Text
from simulation.viz.charts import (
    _TEMPLATES,
    AttainmentView,
    GradesView,
    KnowledgeView,
    RegionsView,
    SupportView,
    VegaChart,
    VegaLiteWidget,
    has_regions,
)
from simulation.viz.choices import STRATEGIES, STRATEGY_LABELS, STRATEGY_TEXT
from simulation.viz.classroom import Classroom
from simulation.viz.compare import SideBySide
from simulation.viz.controls import SchoolSystemViz, model_params
from simulation.viz.distribution import Distribution
from simulation.viz.network import NetworkView, network_spec
from simulation.viz.sidebar import DEFAULT_PARAMS, Controls

__all__ = ["COMPONENTS", "STRATEGIES", "STRATEGY_TEXT", "TABS", "_TEMPLATES", "AttainmentView", "Classroom",
           "GradesView", "KnowledgeView", "NetworkView", "Page", "RegionsView", "SchoolDetail", "SchoolSystemViz", "SchoolView",
           "StrategyCard", "StrategyView", "SupportView", "Text", "VegaChart", "VegaLiteWidget", "model_params",
           "network_spec"]

# Solara warns on every page load served over plain http that it sets its session cookie with
# SameSite=Lax rather than None (None is only needed inside an iframe, and needs https). Lax is what
# this page wants, so the warning says nothing to act on; it is silenced here, once.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https", category=UserWarning)

TITLE = "Upwards convergence in school systems"
TABS = ["Side by side", "Distribution", "One system"]
# One system's views, in the order of the page (each takes a SchoolSystem). The map comes first and takes
# a whole row; the regional gap is shown where there is more than one region.
COMPONENTS = [NetworkView, StrategyView, AttainmentView, RegionsView, GradesView, SupportView, KnowledgeView,
              SchoolView]
WHOLE_ROW = {NetworkView}


def shows(view, model) -> bool:
    """Whether one system's tab shows ``view`` for ``model`` (no regional gap in a one-region system)."""
    return view is not RegionsView or has_regions(model)

CSS = """
.upconv-standings { border-collapse: collapse; font-size: 14px; }
.upconv-standings th, .upconv-standings td { padding: 2px 8px; text-align: right; }
.upconv-standings th:first-child, .upconv-standings td:first-child { text-align: left; }
.upconv-standings tr:nth-child(even) { background: #f5f5f5; }
.upconv-text p { margin-bottom: 6px; }
.upconv-story { font-size: 14px; }
.upconv-cell { min-width: 0; overflow: hidden; }
.upconv-row { grid-column: 1 / -1; }
/* Solara's sidebar is at least 400 px wide: too much of a 1024 px projector screen */
.v-navigation-drawer.solara-content-main { min-width: 310px !important; max-width: 310px !important; }
"""


@solara.component
def OneSystem(classroom: Classroom):
    """One strategy's system in detail: its card, network, charts and school detail."""
    update_counter.get()
    choice, set_choice = solara.use_state(classroom.strategies[-1])
    name = choice if choice in classroom.systems else classroom.strategies[-1]
    model = classroom.systems[name]
    with solara.Column(style={"padding": "4px 8px", "width": "100%"}):
        solara.ToggleButtonsSingle(value=name, on_value=set_choice, dense=True,
                                   style={"flex-wrap": "wrap", "max-width": "100%"}, children=[solara.Button(STRATEGY_LABELS[s], value=s, text=True)
                                             for s in classroom.strategies])
        with solara.Div(style={"display": "grid", "gap": "8px", "width": "100%",
                               "grid-template-columns": "repeat(auto-fill, minmax(340px, 1fr))",
                               "grid-auto-flow": "dense"}):  # the charts fill the row beside the card
            for view in COMPONENTS:
                if shows(view, model):
                    with solara.Div(classes=["upconv-cell", *(["upconv-row"] if view in WHOLE_ROW else [])]):
                        view(model)


@solara.component
def Page():
    # one model per browser session (a module-level model would be shared by every visitor)
    model = solara.use_memo(lambda: solara.reactive(Classroom()), [])
    params = solara.use_memo(lambda: solara.reactive(dict(DEFAULT_PARAMS)), [])
    play_interval = solara.use_memo(lambda: solara.reactive(300), [])
    tab, set_tab = solara.use_state(0)
    classroom = model.value
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar():
        Controls(model, params, play_interval)
    with solara.Column(style={"width": "100%", "padding": "0"}):
        if classroom.input_error:
            solara.Error(f"Input not accepted: {classroom.input_error}", classes=["upconv-input-error"])
        with solara.lab.Tabs(value=tab, on_value=set_tab, lazy=True):
            with solara.lab.Tab(TABS[0]):
                SideBySide(classroom)
            with solara.lab.Tab(TABS[1]):
                Distribution(classroom)
            with solara.lab.Tab(TABS[2]):
                OneSystem(classroom)
