"""Side by side: the chosen strategies on the same schools, one colour per strategy everywhere.

The convergence diagram (mean attainment against the gap between the top and bottom schools,
each strategy's path drawn live), the gap over time, any measure of the metric registry over time
(one line per strategy, the same scales), and a table of where each strategy stands now.
Colours and labels are the registry's (simulation.strategies.STRATEGIES), the measures' units and
meanings the metric registry's (simulation.measures.registry.METRICS).
"""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from simulation.measures.registry import METRICS
from simulation.viz.charts import (
    CHART_HEIGHT,
    REGIONAL_SERIES,
    CHART_WIDTH,
    PERCENT_TIP,
    VegaChart,
    percent_axis,
    _records,
    _template,
    has_regions,
    with_years,
    year_encoding,
    years_shown,
)
from simulation.viz.choices import MEASURES, MEASURES_SHOWN, STRATEGY_COLOURS, STRATEGY_LABELS, measure_title
from simulation.viz.classroom import Classroom

GRID = {"display": "grid", "grid-template-columns": "repeat(auto-fill, minmax(340px, 1fr))", "gap": "8px",
        "width": "100%"}
GAP_TITLE = "Gap: P90 school minus P10 school"


def _colour(classroom: Classroom) -> alt.Color:
    names = classroom.strategies
    return alt.Color("strategy:N", title="Strategy", scale=alt.Scale(
        domain=[STRATEGY_LABELS[s] for s in names], range=[STRATEGY_COLOURS[s] for s in names]),
        legend=alt.Legend(orient="bottom", columns=2, labelLimit=300))


def series(classroom: Classroom, columns: list[str]) -> pd.DataFrame:
    """Each system's time series (the given metric columns plus the gap in points), one row per strategy and term."""
    return classroom.series()[["year", "term", "strategy", *[c for c in columns if c != "gap"], "gap"]]


# --- the convergence diagram ---------------------------------------------------------------------

def convergence_data(classroom: Classroom) -> pd.DataFrame:
    """Each strategy's path: the mean and the gap averaged over the last school year's terms, so that a
    term's noise in 40 schools does not hide the direction."""
    data = series(classroom, ["mean_attainment"]).copy()
    per_year = max(1, round(1 / classroom.first.dt))
    smooth = data.groupby("strategy", sort=False)[["mean_attainment", "gap"]].transform(
        lambda s: s.rolling(per_year, min_periods=1).mean())
    data["mean_attainment"], data["gap"] = smooth["mean_attainment"].round(4), smooth["gap"].round(2)
    return data


def convergence_chart(classroom: Classroom) -> alt.LayerChart:
    data = convergence_data(classroom)
    x = alt.X("gap:Q", title=f"{GAP_TITLE} (percentage points)", scale=alt.Scale(zero=False))
    y = alt.Y("mean_attainment:Q", title="Mean: pupils reaching the benchmark", scale=alt.Scale(zero=False),
              axis=percent_axis())
    tooltip = [alt.Tooltip("strategy:N"), alt.Tooltip("term:N"),
               alt.Tooltip("mean_attainment:Q", title="mean", format=PERCENT_TIP),
               alt.Tooltip("gap:Q", title="gap (points)", format=".1f")]
    path = alt.Chart(data).mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=12)).encode(
        x=x, y=y, color=_colour(classroom), order="year:Q", tooltip=tooltip)
    now = alt.Chart(data).mark_point(size=140, filled=True, opacity=1, stroke="black", strokeWidth=1).encode(
        x=x, y=y, color=_colour(classroom), tooltip=tooltip)
    start = alt.Chart(data).mark_point(size=160, shape="diamond", filled=True, color="black").encode(x=x, y=y)
    return alt.layer(path, now, start).properties(
        width=CHART_WIDTH, height=CHART_WIDTH - 40,
        title=alt.Title("Convergence: the mean against the gap", subtitle=[
            "Up: more pupils reach the benchmark. Left: a narrower gap.",
            "Upwards convergence: up and to the left. Diamond: the start.",
            "Each point: the average of the last school year's terms."]))


def convergence_spec(classroom: Classroom) -> dict:
    data = convergence_data(classroom)
    template = _template(("convergence", tuple(classroom.strategies)), lambda: convergence_chart(classroom))
    last = data.groupby("strategy", sort=False).tail(1)
    layers = [dict(layer) for layer in template["layer"]]
    layers[0]["data"] = {"values": _records(data)}
    layers[1]["data"] = {"values": _records(last)}
    layers[2]["data"] = {"values": _records(data.head(1))}
    return {**template, "layer": layers}


# --- one measure over time, one line per strategy --------------------------------------------------

def in_points(column: str) -> bool:
    """Whether the measure is a difference of two shares (a registry share named ``*_gap``), drawn in
    percentage points like the P90-P10 gap rather than as a percentage."""
    return column != "gap" and column.endswith("_gap") and METRICS[column].is_share


def _unit(column: str) -> tuple[str, bool]:
    """The axis title's unit and whether the values are shares (shown as percentages)."""
    if column == "gap" or in_points(column):
        return "percentage points", False
    metric = METRICS[column]
    return ("" if metric.is_share else metric.unit), metric.is_share


def measure_chart(classroom: Classroom, column: str, title: str, subtitle: str) -> alt.Chart:
    unit, share = _unit(column)
    data = series(classroom, [c for c in (column,) if c != "gap"])
    axis = percent_axis() if share else alt.Axis()
    y_title = f"{title} ({unit})" if unit else title
    return alt.Chart(data).mark_line(strokeWidth=2).encode(
        x=year_encoding(),
        y=alt.Y(f"{column}:Q", title=y_title, scale=alt.Scale(zero=False), axis=axis),
        color=_colour(classroom),
        tooltip=[alt.Tooltip("strategy:N"), alt.Tooltip("term:N"),
                 alt.Tooltip(f"{column}:Q", title=title, format=PERCENT_TIP if share else ".2f")],
    ).properties(width=CHART_WIDTH, height=CHART_HEIGHT, title=alt.Title(title, subtitle=subtitle))


def measure_spec(classroom: Classroom, column: str) -> dict:
    """``column`` (a metric of the registry, or 'gap') over time, one line per strategy."""
    if column == "gap":
        title, subtitle = GAP_TITLE, "narrower is more equal"
    else:
        title, subtitle = measure_title(column), _wrap(METRICS[column].description)
    template = _template(("measure", column, tuple(classroom.strategies)),
                         lambda: measure_chart(classroom, column, title, subtitle))
    rows = classroom.records([column])
    if in_points(column):
        rows = [{**r, column: None if r[column] is None else round(100 * r[column], 2)} for r in rows]
    spec = {**template, "data": {"values": rows}}
    if all(r[column] is None for r in rows):
        # Not defined in this system (cold_spot_gap with one region): an empty chart on a fixed scale.
        # Without a domain Vega warns in the console ("Infinite extent") for every redraw.
        encoding = dict(spec["encoding"])
        encoding["y"] = {**encoding["y"], "scale": {**encoding["y"].get("scale", {}), "domain": [0, 1]}}
        spec = {**spec, "encoding": encoding, "data": {"values": []},
                "title": {**template["title"], "subtitle": [*_wrap(METRICS[column].description, most=2),
                                                             "No values in this system."]}}
    return with_years(spec, years_shown(classroom.first))


def default_measures(classroom: Classroom) -> list[str]:
    """The measures shown at first: the three attainment measures, and the regional gaps (those the
    system has values of) where there are several regions."""
    shown = list(MEASURES_SHOWN)
    if has_regions(classroom.first):
        frame = classroom.first.metrics()
        shown += [c for c in REGIONAL_SERIES if c in MEASURES and c in frame and frame[c].notna().any()]
    return shown


def _lines(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line]


def _wrap(text: str, width: int = 60, most: int = 3) -> list[str]:
    """``text`` in lines of about ``width`` characters, at most ``most`` lines: the whole sentences that
    fit (a description is not cut in the middle of a sentence), or the first lines of the first."""
    sentences = [s if s.endswith(".") else f"{s}." for s in text.strip().split(". ") if s]
    kept: list[str] = []
    for sentence in sentences:
        if len(_lines(" ".join([*kept, sentence]), width)) > most:
            break
        kept.append(sentence)
    return _lines(" ".join(kept), width) if kept else _lines(text, width)[:most]


# --- where each strategy stands ------------------------------------------------------------------

TABLE_COLUMNS = ["mean_attainment", "p90_attainment", "p10_attainment", "share_below_floor"]


def standings_html(classroom: Classroom) -> str:
    """A table: each strategy (in its colour) with the main measures now and the change since the start."""
    head = "".join(f"<th>{html.escape(measure_title(c))}</th>" for c in TABLE_COLUMNS)
    rows = []
    table = classroom.records([*TABLE_COLUMNS, "gap"])
    for name in classroom.strategies:
        frame = [r for r in table if r["strategy"] == STRATEGY_LABELS[name]]
        first, last = frame[0], frame[-1]
        cells = []
        for c in TABLE_COLUMNS:
            change = 100 * (last[c] - first[c])
            cells.append(f"<td>{last[c]:.1%} <small>({change:+.1f})</small></td>")
        cells.append(f"<td>{last['gap']:.1f} <small>({last['gap'] - first['gap']:+.1f})</small></td>")
        swatch = (f'<span style="display:inline-block;width:12px;height:12px;border-radius:6px;'
                  f'background:{STRATEGY_COLOURS[name]};margin-right:6px"></span>')
        rows.append(f"<tr><td style='white-space:nowrap'>{swatch}<b>{html.escape(STRATEGY_LABELS[name])}</b></td>"
                    f"{''.join(cells)}</tr>")
    return ("<table class='upconv-standings'><tr><th>Strategy</th>"
            f"{head}<th>Gap (points)</th></tr>{''.join(rows)}</table>"
            "<div><small>Now, and in brackets the change since the start in percentage points.</small></div>")


@solara.component
def SideBySide(classroom: Classroom):
    """The side-by-side tab: the table, the convergence diagram, the gap and the chosen measures."""
    update_counter.get()
    # the measures chosen, per scenario: a scenario with regions starts with its regional gaps shown
    chosen = solara.use_reactive({})
    scenario = classroom.params["system"]
    shown = chosen.value[scenario] if scenario in chosen.value else default_measures(classroom)

    def choose(values: list[str]) -> None:
        chosen.value = {**chosen.value, scenario: list(values)}
    with solara.Column(style={"padding": "4px 8px", "width": "100%"}):
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"<b>{len(classroom.strategies)} strategies on the same {classroom.first.schools.n} schools, "
            f"seed {classroom.first.seed}</b> &middot; now <b>{classroom.now}</b>"), classes=["upconv-now"])
        solara.HTML(tag="div", unsafe_innerHTML=standings_html(classroom), style={"overflow-x": "auto"})
        with solara.Div(style=GRID):
            VegaChart(convergence_spec(classroom))
            VegaChart(measure_spec(classroom, "gap"))
            for column in shown:
                VegaChart(measure_spec(classroom, column))
        solara.SelectMultiple("Measures over time (from the metrics registry)", values=shown,
                              all_values=MEASURES, on_value=choose, dense=True)
