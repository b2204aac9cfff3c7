"""The browser visualiser: a Mesa SolaraViz page for SchoolSystem.

    make viz        (or: solara run simulation/viz/app.py --host 127.0.0.1 --port 8765 --no-open --production)

The page shows the school network (schools coloured by inspection grade and sized by pupils,
partnerships coloured by type), live charts of attainment, knowledge, grades and school-to-school
support, a plain-language account of the selected strategy and a school detail view. Its
controls are the scenario, the strategy, the seed and the main levers. See docs/visualiser.md.

Layering: this module imports the model; the model core never imports this module.
"""

from __future__ import annotations

import html
import math
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import markdown
import numpy as np
import pandas as pd
import solara
import solara.widgets
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from simulation import ConfigError, SchoolSystem
from simulation.params.loading import load_config
from simulation.params.schema import (
    ENGLAND_FLOOR,
    BrokeringMode,
    FloorStep,
    Grade,
    PartnershipType,
)

# The time series of a long run are larger than Altair's default row limit.
alt.data_transformers.disable_max_rows()
# Set once for the whole process. Solara's FigureAltair switches Altair's global renderer for each
# render (`with alt.renderers.enable("mimetype")`), so two sessions drawing at once used to restore
# each other's renderer and fail with KeyError: 0. This page no longer uses FigureAltair (see
# VegaChart), and with the renderer fixed here any enable/restore pair elsewhere is harmless.
alt.renderers.enable("mimetype")

# --- the choices offered on the page ---------------------------------------------------------

# Scenarios small enough to stay responsive in the browser (england, 22,000 schools, is not).
SCENARIOS = ["teaching", "regional", "growing_the_top_pilot", "london_challenge", "central_south_wales"]
STRATEGIES = ["status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"]
STRATEGY_OWN = "as the strategy says"
BROKERING = [STRATEGY_OWN, *(mode.value for mode in BrokeringMode)]
FLOORS: dict[str, list[FloorStep]] = {
    "England 2002-2015 (rising)": ENGLAND_FLOOR,
    "flat 25%": [FloorStep(1900, 0.25)],
    "no floor": [FloorStep(1900, 0.0)],
}

DEFAULTS: dict[str, Any] = {
    "system": "teaching",
    "strategy": "upwards_convergence",
    "rng": "0",
    "coaching_time": 4.0,
    "days_per_term": 4.0,
    "brokering": STRATEGY_OWN,
    "floor_schedule": "England 2002-2015 (rising)",
    "officer_days_per_school": 0.6,
}

STRATEGY_TEXT = {
    "status_quo": (
        "**Status quo.** Accountability on its own: inspection, floor standards and local-authority "
        "intervention. The discretionary budget (the same number of staff days per school for every "
        "strategy) goes on low-leverage CPD - courses, conferences and documents - spread thinly over "
        "every school. Nobody brokers partnerships: schools pick partners themselves, usually near and "
        "similar ones, and such links rarely change practice."
    ),
    "reducing_disparity": (
        "**Reducing disparity.** Resources go to the weakest schools only: internal coaching (60% of "
        "the budget) and support from strong schools, which release expert staff to work alongside "
        "them (40%). The local authority uses data to match each weakness with a strength, and a "
        "facilitator supports the partnerships. The strongest schools get nothing beyond the status quo."
    ),
    "growing_the_top": (
        "**Growing the top.** Resources go to the strongest schools only: external networks such as "
        "facilitated trios and peer review (60% of the budget) and structured innovation and research "
        "engagement (40%), which push the best practice in the system further. The weakest schools get "
        "nothing beyond the status quo."
    ),
    "upwards_convergence": (
        "**Upwards convergence.** Both strands, staged by each school's readiness: a school first "
        "builds internal coaching until its knowledge-management capacity reaches the readiness "
        "threshold, and only then takes part in external links - support from a stronger school if it "
        "is weak, networks and innovation if it is strong. Strong schools support weak ones, so the top "
        "keeps rising while the bottom catches up. Budget: 35% coaching, 25% school support, 25% "
        "networks, 15% innovation; partnerships are brokered from data, facilitated and peer-reviewed."
    ),
}

LEVERS_TEXT = (
    "Change a setting, then press **Reset** to rebuild the model with it.  \n"
    "**Coaching time**: released coaching days per mentee per year.  \n"
    "**Support release**: staff days each school gives a partnership per term.  \n"
    "**Brokering**: how partnerships form - *none*; *self selected* (schools pick near, similar "
    "partners); *data informed* (the local authority matches a weakness with a strength); *school "
    "improvement groups* (mixed groups, pairs brokered inside them).  \n"
    "**Floor standard**: the minimum share of pupils reaching the benchmark.  \n"
    "**Intervention capacity**: local-authority officer days per school per year, for "
    "intervention, brokering and monitoring."
)

GRADE_NAMES = {Grade.outstanding: "outstanding", Grade.good: "good",
               Grade.requires_improvement: "requires improvement", Grade.inadequate: "inadequate"}
GRADE_COLOURS = ["#1a9850", "#91cf60", "#fdae61", "#d73027"]
PTYPE_NAMES = [t.name.replace("_", " ") for t in PartnershipType]
PTYPE_COLOURS = ["#9e9e9e", "#1f77b4", "#17becf", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"]
CHART_WIDTH, CHART_HEIGHT = 380, 210


# --- the model as the page builds it -----------------------------------------------------------

def parse_seed(value: Any) -> int:
    """The seed from the text box: a whole number from 0 up; ConfigError otherwise."""
    text = str(value).strip()
    try:
        seed = int(text)
    except ValueError:
        raise ConfigError(f"seed must be a whole number such as 0 or 42; got {text!r}.") from None
    if not 0 <= seed < 2**63:
        raise ConfigError(f"seed must be between 0 and 2^63 - 1; got {seed}.")
    return seed


class SchoolSystemViz(SchoolSystem):
    """SchoolSystem as the page's controls build it.

    A wrong input never stops the page: the error is kept in ``input_error`` (the page shows it)
    and the model falls back to the seed 0 / the page's default settings. Mesa's Reset passes a
    Mesa ``scenario`` object as well; it is not used (the school scenario is ``system``).
    """

    def __init__(self, system: str = DEFAULTS["system"], strategy: str = DEFAULTS["strategy"],
                 rng: Any = DEFAULTS["rng"], coaching_time: float = DEFAULTS["coaching_time"],
                 days_per_term: float = DEFAULTS["days_per_term"], brokering: str = DEFAULTS["brokering"],
                 floor_schedule: str = DEFAULTS["floor_schedule"],
                 officer_days_per_school: float = DEFAULTS["officer_days_per_school"],
                 scenario: Any = None) -> None:
        errors: list[str] = []
        try:
            seed = parse_seed(rng)
        except ConfigError as exc:
            errors.append(f"{exc} The model below uses seed {DEFAULTS['rng']}.")
            seed = int(DEFAULTS["rng"])
        try:
            cfg = load_config(system, strategy, **self.overrides(coaching_time, days_per_term, brokering,
                                                                   floor_schedule, officer_days_per_school))
        except ConfigError as exc:
            errors.append(f"{exc} The model below uses the page's default settings.")
            cfg = load_config(DEFAULTS["system"], DEFAULTS["strategy"])
            floor_schedule = DEFAULTS["floor_schedule"]
        self.input_error: str | None = " ".join(errors) or None
        self.settings = {"system": cfg.scenario, "strategy": cfg.strategy.name.value, "seed": seed,
                         "floor": floor_schedule}
        super().__init__(config=cfg, rng=seed)

    @staticmethod
    def overrides(coaching_time: Any, days_per_term: Any, brokering: Any, floor_schedule: Any,
                  officer_days_per_school: Any) -> dict[str, Any]:
        if floor_schedule not in FLOORS:
            raise ConfigError(f"floor schedule must be one of {list(FLOORS)}; got {floor_schedule!r}.")
        out: dict[str, Any] = {
            "coaching_time": _number("coaching time", coaching_time),
            "days_per_term": _number("support release", days_per_term),
            "officer_days_per_school": _number("intervention capacity", officer_days_per_school),
            "floor_schedule": FLOORS[floor_schedule],
        }
        if brokering != STRATEGY_OWN:
            if brokering not in BROKERING:
                raise ConfigError(f"brokering must be one of {BROKERING}; got {brokering!r}.")
            out["strategy__brokering"] = brokering
        return out


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number; got {value!r}.") from None


model_params = {
    "system": {"type": "Select", "value": DEFAULTS["system"], "values": SCENARIOS, "label": "Scenario"},
    "strategy": {"type": "Select", "value": DEFAULTS["strategy"], "values": STRATEGIES, "label": "Strategy"},
    "rng": {"type": "InputText", "value": DEFAULTS["rng"], "label": "Random seed"},
    "coaching_time": {"type": "SliderFloat", "value": DEFAULTS["coaching_time"], "min": 0.0, "max": 12.0,
                      "step": 0.5, "label": "Coaching time"},
    "days_per_term": {"type": "SliderFloat", "value": DEFAULTS["days_per_term"], "min": 0.0, "max": 12.0,
                      "step": 0.5, "label": "Support release"},
    "brokering": {"type": "Select", "value": DEFAULTS["brokering"], "values": BROKERING,
                  "label": "Brokering"},
    "floor_schedule": {"type": "Select", "value": DEFAULTS["floor_schedule"], "values": list(FLOORS),
                       "label": "Floor standard"},
    "officer_days_per_school": {"type": "SliderFloat", "value": DEFAULTS["officer_days_per_school"], "min": 0.0,
                                "max": 3.0, "step": 0.1,
                                "label": "Intervention capacity"},
}


# --- components (each is a function of the current model) -----------------------------------------

def Text(md_text: str):
    """Markdown as HTML. (solara.Markdown also loads mermaid from the CDN, which offline is an error.)"""
    text = markdown.markdown(md_text).replace("<strong>", '<strong style="font-weight: 600">')
    return solara.HTML(tag="div", unsafe_innerHTML=text, classes=["upconv-text"])


def _e(value: Any) -> str:
    return html.escape(str(value))


# --- charts: Vega-Lite specs built once with Altair, then filled with each step's data -------------
#
# Building and validating five Altair charts took about 180 ms of server CPU per step. Each chart's
# spec is now built with Altair once per process (per kind of chart) as a template without data,
# and each step copies the template and puts in the new data values: a few ms per step.

class VegaLiteWidget(solara.widgets.VegaLite):
    """Solara's VegaLite widget with a fixed template (simulation/viz/vue/vegalite.vue): a chart that
    is unmounted before its debounced redraw no longer raises a page error ('usermeta')."""

    template_file = str(Path(__file__).resolve().parent / "vue" / "vegalite.vue")


@solara.component
def VegaChart(spec: dict):
    """A Vega-Lite spec (a plain dict) drawn in the page; no Altair, no global renderer."""
    return VegaLiteWidget.element(spec=spec)


_TEMPLATES: dict[tuple, dict] = {}
_TEMPLATES_LOCK = threading.Lock()


def _template(key: tuple, build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of ``build()`` without its data, built once per key and process."""
    spec = _TEMPLATES.get(key)
    if spec is None:
        with _TEMPLATES_LOCK:
            spec = _TEMPLATES.get(key)
            if spec is None:
                spec = build().to_dict()
                spec.pop("datasets", None)
                spec.pop("data", None)
                for layer in spec.get("layer", []):
                    layer.pop("data", None)
                _TEMPLATES[key] = spec
    return spec


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (plain Python numbers; NaN as null)."""
    rows = frame.to_dict("records")
    for row in rows:
        for name, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                row[name] = None
    return rows


def _network_data(model: SchoolSystem) -> tuple[pd.DataFrame, pd.DataFrame]:
    sc = model.schools
    grades = [GRADE_NAMES[Grade(int(g))] for g in sc.grade]
    nodes = pd.DataFrame({
        "school": np.arange(sc.n), "x": sc.x, "y": sc.y, "pupils": sc.pupils.astype(int), "grade": grades,
        "special_measures": sc.special_measures.astype(bool),
        "attainment": np.round(sc.attainment, 3),
    })
    rows = model.links.live()
    a, b = model.links.a[rows], model.links.b[rows]
    edges = pd.DataFrame({
        "x": sc.x[a], "y": sc.y[a], "x2": sc.x[b], "y2": sc.y[b],
        "partnership": [PTYPE_NAMES[int(t)] for t in model.links.ptype[rows]],
    })
    return nodes, edges


def _network_title(model: SchoolSystem) -> str:
    return f"Schools and partnerships, {model.calendar_year:.1f}"


def network_spec(model: SchoolSystem) -> dict:
    """The network chart's Vega-Lite spec for the model now (the template plus this step's data)."""
    nodes, edges = _network_data(model)
    template = _template(("network", model.schools.n), lambda: network_chart(model))
    spec = dict(template)
    layers = [dict(layer) for layer in template["layer"]]
    layers[0]["data"], layers[1]["data"] = {"values": _records(edges)}, {"values": _records(nodes)}
    spec["layer"] = layers
    spec["title"] = {**template["title"], "text": _network_title(model)}
    return spec


def network_chart(model: SchoolSystem) -> alt.LayerChart:
    """The network as an Altair chart (the template of network_spec)."""
    sc = model.schools
    nodes, edges = _network_data(model)
    shrink = min(1.0, 40 / sc.n) ** 0.5  # smaller dots for larger systems
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, 1]), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[0, 1]), axis=None)
    links = alt.Chart(edges).mark_rule(strokeWidth=2, opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("partnership:N", scale=alt.Scale(domain=PTYPE_NAMES, range=PTYPE_COLOURS),
                        legend=alt.Legend(title="Partnership", orient="right")),
    )
    schools = alt.Chart(nodes).mark_circle(opacity=0.95, stroke="black").encode(
        x=x, y=y,
        size=alt.Size("pupils:Q", scale=alt.Scale(domain=[0, 2000], range=[20 * shrink, 500 * shrink]), legend=None),
        color=alt.Color("grade:N", scale=alt.Scale(domain=list(GRADE_NAMES.values()), range=GRADE_COLOURS),
                        legend=alt.Legend(title="Grade", orient="right")),
        strokeWidth=alt.condition("datum.special_measures", alt.value(3), alt.value(0.3)),
        tooltip=["school:Q", "grade:N", "special_measures:N", "pupils:Q", "attainment:Q"],
    )
    return (alt.layer(links, schools).resolve_scale(color="independent")
            .properties(width=270, height=270,
                        title=alt.Title(_network_title(model),
                                        subtitle="size: pupils; black ring: special measures"))
            .configure_view(stroke=None))


def _line_data(frame: pd.DataFrame, series: dict[str, str]) -> pd.DataFrame:
    long = (frame[["year", *series]].rename(columns=series)
            .melt("year", var_name="series", value_name="value"))
    long["value"] = long["value"].astype(float).round(4)
    return long


def line_spec(model: SchoolSystem, series: dict[str, str], colours: list[str], title: str, y_title: str,
              y_domain: list[float] | None = None) -> dict:
    """The Vega-Lite spec of line_chart for the model now (the template plus this step's data)."""
    frame = model.metrics()
    key = ("line", title, len(frame) < 3)  # the title names the chart; < 3 rows draws points
    template = _template(key, lambda: line_chart(model, series, colours, title, y_title, y_domain))
    return {**template, "data": {"values": _records(_line_data(frame, series))}}


def line_chart(model: SchoolSystem, series: dict[str, str], colours: list[str], title: str, y_title: str,
               y_domain: list[float] | None = None) -> alt.Chart:
    """Lines of model-level metrics (DataCollector columns) against the calendar year."""
    frame = model.metrics()
    long = _line_data(frame, series)
    scale = alt.Scale(domain=y_domain) if y_domain else alt.Scale(zero=False)
    line = alt.Chart(long).mark_line(strokeWidth=2, point=bool(len(frame) < 3))  # one point draws no line
    return (line.encode(
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False)),
        y=alt.Y("value:Q", title=y_title, scale=scale),
        color=alt.Color("series:N", scale=alt.Scale(domain=list(series.values()), range=colours),
                        legend=alt.Legend(orient="bottom", title=None, columns=2, labelLimit=320)),
        tooltip=[alt.Tooltip("year:Q", format=".2f"), "series:N", "value:Q"],
    ).properties(width=CHART_WIDTH, height=CHART_HEIGHT, title=title))


def NetworkView(model: SchoolSystem):
    return VegaChart(network_spec(model))


def AttainmentView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"p90_attainment": "P90 school", "mean_attainment": "mean (pupil-weighted)",
                "p10_attainment": "P10 school", "floor": "floor standard"},
        ["#1a9850", "#000000", "#d73027", "#9e9e9e"],
        "Attainment: share of pupils reaching the benchmark", "share of pupils", [0, 1]))


def KnowledgeView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"frontier": "frontier (best practice anywhere)", "mean_knowledge": "mean of all staff"},
        ["#9467bd", "#000000"], "Teaching knowledge: the frontier and the system", "pupil SD"))


def GradesView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"share_outstanding": "outstanding", "share_special_measures": "in special measures",
                "share_below_floor": "below the floor"},
        ["#1a9850", "#000000", "#d73027"], "Grades: share of schools", "share of schools", [0, 1]))


def SupportView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"share_outstanding_supporting": "outstanding schools supporting others",
                "mean_moral_capital": "moral capital (willingness to help, mean)"},
        ["#ff7f0e", "#8c564b"], "School-to-school support", "share", [0, 1]))


@solara.component
def StrategyCard(model: SchoolSystem):
    """The selected strategy in plain language, the settings in force, and any input error."""
    update_counter.get()  # redraw after every step (the model object itself stays the same)
    with solara.Column(style={"padding": "4px 12px", "overflow": "auto", "height": "100%"}):
        if getattr(model, "input_error", None):
            solara.Error(f"Input not accepted: {model.input_error}", classes=["upconv-input-error"])
        strategy = model.cfg.strategy
        Text(STRATEGY_TEXT.get(strategy.name.value, strategy.name.value))
        settings = getattr(model, "settings", {})
        Text(
            f"Scenario **{_e(model.cfg.scenario)}** ({model.schools.n} schools, {model.staff.n} staff), seed "
            f"**{settings.get('seed', model.seed)}**, year **{model.calendar_year:.1f}**.  \n"
            f"Levers: coaching {model.cfg.coaching.coaching_time:g} days per mentee per year; support release "
            f"{model.cfg.partnership.days_per_term:g} staff days per term; brokering "
            f"*{strategy.brokering.value.replace('_', ' ')}*; floor *{_e(settings.get('floor', '?'))}* (now "
            f"{model.floor:.0%}); intervention capacity {model.cfg.intervention.officer_days_per_school:g} "
            f"officer days per school per year.  \n"
            f"Now: {model.links.count()} partnerships, mean attainment {model.current_metrics['mean_attainment']:.1%}."
        )


@solara.component
def SchoolDetail(model: SchoolSystem):
    """One school: its staff knowledge, coaches and partners."""
    update_counter.get()
    index, set_index = solara.use_state(0)
    n = model.schools.n
    i = min(max(int(index), 0), n - 1)
    agent = model.school_agents[i]
    knowledge = agent.staff_knowledge()
    partners = agent.partners()
    with solara.Column(style={"padding": "4px 12px", "overflow": "auto", "height": "100%"}):
        solara.SliderInt("School", value=i, min=0, max=n - 1, on_value=set_index)
        grade = GRADE_NAMES[agent.grade] + (" (special measures)" if agent.special_measures else "")
        Text(
            f"**School {i}**: {'secondary' if agent.secondary else 'primary'}, {agent.pupils} pupils, "
            f"{grade}; attainment {agent.attainment:.1%}.  \n"
            f"{len(knowledge)} staff, {len(agent.coaches())} coaches; knowledge-management capacity "
            f"{agent.km_capacity:.2f}, leadership {agent.leadership:.2f}, moral capital {agent.moral_capital:.2f}.  \n"
            "Partners: " + (", ".join(f"school {o} ({t.name.replace('_', ' ')})" for o, t in partners) or "none")
        )
        VegaChart(histogram_spec(knowledge, f"Staff knowledge in school {i}"))


def histogram_spec(knowledge: np.ndarray, title: str) -> dict:
    """A histogram of staff knowledge (binned in the browser by Vega-Lite)."""
    template = _template(("histogram",), lambda: alt.Chart(pd.DataFrame({"knowledge": [0.0]})).mark_bar().encode(
        x=alt.X("knowledge:Q", bin=alt.Bin(maxbins=15), title="staff knowledge (pupil SD)"),
        y=alt.Y("count():Q", title="staff"),
    ).properties(width=CHART_WIDTH - 40, height=130, title="histogram"))
    values = [{"knowledge": round(float(k), 3) if math.isfinite(k) else None} for k in knowledge]
    return {**template, "data": {"values": values}, "title": title}


def StrategyView(model: SchoolSystem):
    return StrategyCard(model)


def SchoolView(model: SchoolSystem):
    return SchoolDetail(model)


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
