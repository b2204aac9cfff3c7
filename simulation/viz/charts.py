"""The page's charts: Vega-Lite specs built once with Altair, then filled with each step's data.

Building and validating five Altair charts took about 180 ms of server CPU per step. Each chart's
spec is now built with Altair once per process (per kind of chart) as a template without data,
and each step copies the template and puts in the new data values: a few ms per step.

This module holds the chart widget (VegaChart), the template cache, the time-series charts and
their views, and the staff-knowledge histogram. The network chart is in network.py.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import solara
import solara.widgets

from simulation import SchoolSystem
from simulation.viz.choices import LESSON_YEARS, term_label

# The time series of a long run are larger than Altair's default row limit.
alt.data_transformers.disable_max_rows()
# Set once for the whole process. Solara's FigureAltair switches Altair's global renderer for each
# render (`with alt.renderers.enable("mimetype")`), so two sessions drawing at once used to restore
# each other's renderer and fail with KeyError: 0. This page no longer uses FigureAltair (see
# VegaChart), and with the renderer fixed here any enable/restore pair elsewhere is harmless.
alt.renderers.enable("mimetype")

CHART_WIDTH, CHART_HEIGHT = 250, 160

VUE_TEMPLATE = Path(__file__).resolve().parent / "vue" / "vegalite.vue"
# The Vega-Lite the page loads (the widget's template asks for vega-lite@<major>). Altair 6 writes
# v6 specs; vega-embed warns in the console for every chart whose $schema is not that major.
VEGA_LITE_MAJOR = int(re.search(r"vega-lite@(\d+)", VUE_TEMPLATE.read_text()).group(1))
VEGA_LITE_SCHEMA = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE_MAJOR}.json"
PERCENT, PERCENT_TIP = ".1~%", ".1%"  # "43%", "43.5%": never two equal labels


def percent_axis() -> alt.Axis:
    """An axis of shares shown as whole percentages, a tick at least every percentage point."""
    return alt.Axis(format=PERCENT, tickMinStep=0.01)


class VegaLiteWidget(solara.widgets.VegaLite):
    """Solara's VegaLite widget with a fixed template (simulation/viz/vue/vegalite.vue): a chart that
    is unmounted before its debounced redraw no longer raises a page error ('usermeta'), and the
    previous view is finalised when a new spec is drawn."""

    template_file = str(VUE_TEMPLATE)


@solara.component
def VegaChart(spec: dict, on_click: Callable[[Any], None] | None = None):
    """A Vega-Lite spec (a plain dict) drawn in the page; no Altair, no global renderer. ``on_click``
    receives the clicked mark's data row (a dict), or None for a click on no mark."""
    return VegaLiteWidget.element(spec=spec, on_click=on_click, listen_to_click=on_click is not None)


_TEMPLATES: dict[tuple, dict] = {}
_TEMPLATES_LOCK = threading.Lock()


def _template(key: tuple, build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of ``build()`` without its data, built once per key and process, with the
    $schema of the Vega-Lite the page loads."""
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
                spec["$schema"] = VEGA_LITE_SCHEMA
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


# --- the time axis: whole school years, a fixed span --------------------------------------------

def years_shown(model: SchoolSystem) -> tuple[int, int]:
    """The span of the time axes: from the start year over at least LESSON_YEARS years, growing by whole years."""
    start = int(model.cfg.start_year)
    return start, max(start + LESSON_YEARS, math.ceil(model.calendar_year - 1e-9))


def year_encoding() -> alt.X:
    """Years as school years ('2004/05') at whole years only (ticks and domain are set per step)."""
    return alt.X("year:Q", title="School year", scale=alt.Scale(domain=[2000, 2010], nice=False),
                 axis=alt.Axis(values=[2000], labelExpr="datum.value + '/' + slice(toString(datum.value + 1), 2)",
                               labelAngle=0, labelOverlap=True))


def with_years(spec: dict, span: tuple[int, int]) -> dict:
    """A copy of ``spec`` whose time axis shows ``span`` with a tick at whole years."""
    start, end = span
    every = 1 if end - start <= 10 else 2 if end - start <= 20 else 5
    encoding = dict(spec["encoding"])
    x = dict(encoding["x"])
    x["scale"] = {**x["scale"], "domain": [start, end]}
    x["axis"] = {**x["axis"], "values": list(range(start, end + 1, every))}
    encoding["x"] = x
    return {**spec, "encoding": encoding}


def term_labels(model: SchoolSystem, n: int) -> list[str]:
    """The labels of the first ``n`` rows of the model's time series ('2002/03 autumn', ...)."""
    return [term_label(int(model.cfg.start_year), i, model.dt) for i in range(n)]


# --- time series of model-level metrics ----------------------------------------------------------

def _line_data(model: SchoolSystem, series: dict[str, str], points: bool = False) -> pd.DataFrame:
    frame = model.metrics()
    wide = frame[["year", *series]].rename(columns=series)
    wide["term"] = term_labels(model, len(frame))
    long = wide.melt(["year", "term"], var_name="series", value_name="value")
    long["value"] = (long["value"].astype(float) * (100 if points else 1)).round(2 if points else 4)
    return long


def line_spec(model: SchoolSystem, series: dict[str, str], colours: list[str], title: str, y_title: str,
              y_domain: list[float] | None = None, percent: bool = False, points: bool = False) -> dict:
    """The Vega-Lite spec of line_chart for the model now (the template plus this step's data)."""
    frame = model.metrics()
    key = ("line", title, tuple(series.values()), len(frame) < 3)  # the title names the chart; < 3 rows draws points
    template = _template(key, lambda: line_chart(model, series, colours, title, y_title, y_domain, percent, points))
    return with_years({**template, "data": {"values": _records(_line_data(model, series, points))}},
                      years_shown(model))


def line_chart(model: SchoolSystem, series: dict[str, str], colours: list[str], title: str, y_title: str,
               y_domain: list[float] | None = None, percent: bool = False, points: bool = False) -> alt.Chart:
    """Lines of model-level metrics (DataCollector columns) against the school year. ``points``: the
    metrics are differences of shares, drawn in percentage points (x 100) on an axis that includes 0."""
    frame = model.metrics()
    long = _line_data(model, series, points)
    scale = alt.Scale(domain=y_domain) if y_domain else alt.Scale(zero=points)
    line = alt.Chart(long).mark_line(strokeWidth=2, point=bool(len(frame) < 3))  # one point draws no line
    fmt = PERCENT_TIP if percent else ".1f" if points else ".3f"
    return (line.encode(
        x=year_encoding(),
        y=alt.Y("value:Q", title=y_title, scale=scale, axis=percent_axis() if percent else alt.Axis()),
        color=alt.Color("series:N", scale=alt.Scale(domain=list(series.values()), range=colours[:len(series)]),
                        legend=alt.Legend(orient="bottom", title=None, columns=1 if points else 2, labelLimit=300)),
        tooltip=[alt.Tooltip("term:N", title="term"), alt.Tooltip("series:N", title="line"),
                 alt.Tooltip("value:Q", title=y_title, format=fmt)],
    ).properties(width=CHART_WIDTH, height=CHART_HEIGHT, title=title))


def AttainmentView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"p90_attainment": "P90 school", "mean_attainment": "mean (pupil-weighted)",
                "p10_attainment": "P10 school", "floor": "floor standard"},
        ["#1a9850", "#000000", "#d73027", "#9e9e9e"],
        "Attainment: pupils reaching the benchmark", "pupils reaching the benchmark", [0, 1], percent=True))


def KnowledgeView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"frontier": "frontier (best practice anywhere)", "mean_knowledge": "mean of all staff"},
        ["#9467bd", "#000000"], "Teaching knowledge: the frontier and the system", "knowledge (pupil SD)"))


def GradesView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"share_outstanding": "outstanding", "share_special_measures": "in special measures",
                "share_below_floor": "below the floor"},
        ["#1a9850", "#000000", "#d73027"], "Grades", "schools", [0, 1], percent=True))


def SupportView(model: SchoolSystem):
    return VegaChart(line_spec(
        model, {"share_outstanding_supporting": "outstanding schools supporting others",
                "mean_moral_capital": "moral capital (willingness to help, 0-1)"},
        ["#ff7f0e", "#8c564b"], "School-to-school support", "share (0-1)", [0, 1]))


# --- place: the gap between regions ------------------------------------------------------------

# The regional gaps of the metric registry, each as a line of the regional gap chart (percentage points).
REGIONAL_SERIES = {"regional_gap": "best region minus worst", "cold_spot_gap": "outside minus inside the cold spot"}
REGIONAL_TITLE = "Regional gap: pupils reaching the benchmark"


def has_regions(model: SchoolSystem) -> bool:
    """Whether the system has more than one region (a one-region system has no regional gap to show)."""
    return model.schools.n > 0 and int(np.max(model.schools.region)) > 0


def regional_gap_spec(model: SchoolSystem) -> dict:
    """The regional gap and, where there is a cold spot, the cold spot's gap over time, in percentage points."""
    frame = model.metrics()
    series = {k: v for k, v in REGIONAL_SERIES.items() if k in frame and frame[k].notna().any()}
    return line_spec(model, series, ["#6a51a3", "#2171b5"], REGIONAL_TITLE, "gap (percentage points)", points=True)


def RegionsView(model: SchoolSystem):
    return VegaChart(regional_gap_spec(model))


# --- one school's staff ------------------------------------------------------------------------

def histogram_spec(knowledge: np.ndarray, title: str) -> dict:
    """A histogram of staff knowledge (binned in the browser by Vega-Lite)."""
    template = _template(("histogram",), lambda: alt.Chart(pd.DataFrame({"knowledge": [0.0]})).mark_bar().encode(
        x=alt.X("knowledge:Q", bin=alt.Bin(maxbins=15), title="staff knowledge (pupil SD)"),
        y=alt.Y("count():Q", title="staff"),
    ).properties(width=CHART_WIDTH - 40, height=120, title="histogram"))
    values = [{"knowledge": round(float(k), 3) if math.isfinite(k) else None} for k in knowledge]
    return {**template, "data": {"values": values}, "title": title}
