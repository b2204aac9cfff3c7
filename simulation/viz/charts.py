"""The page's charts: Vega-Lite specs built once with Altair, then filled with each step's data.

Building and validating five Altair charts took about 180 ms of server CPU per step. Each chart's
spec is now built with Altair once per process (per kind of chart) as a template without data,
and each step copies the template and puts in the new data values: a few ms per step.

This module holds the chart widget (VegaChart), the template cache, the time-series charts and
their views, and the staff-knowledge histogram. The network chart is in network.py.
"""

from __future__ import annotations

import math
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

# The time series of a long run are larger than Altair's default row limit.
alt.data_transformers.disable_max_rows()
# Set once for the whole process. Solara's FigureAltair switches Altair's global renderer for each
# render (`with alt.renderers.enable("mimetype")`), so two sessions drawing at once used to restore
# each other's renderer and fail with KeyError: 0. This page no longer uses FigureAltair (see
# VegaChart), and with the renderer fixed here any enable/restore pair elsewhere is harmless.
alt.renderers.enable("mimetype")

CHART_WIDTH, CHART_HEIGHT = 380, 210


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


# --- time series of model-level metrics ----------------------------------------------------------

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


# --- one school's staff ------------------------------------------------------------------------

def histogram_spec(knowledge: np.ndarray, title: str) -> dict:
    """A histogram of staff knowledge (binned in the browser by Vega-Lite)."""
    template = _template(("histogram",), lambda: alt.Chart(pd.DataFrame({"knowledge": [0.0]})).mark_bar().encode(
        x=alt.X("knowledge:Q", bin=alt.Bin(maxbins=15), title="staff knowledge (pupil SD)"),
        y=alt.Y("count():Q", title="staff"),
    ).properties(width=CHART_WIDTH - 40, height=130, title="histogram"))
    values = [{"knowledge": round(float(k), 3) if math.isfinite(k) else None} for k in knowledge]
    return {**template, "data": {"values": values}, "title": title}
