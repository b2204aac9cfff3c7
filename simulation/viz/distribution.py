"""The distribution: every school's attainment now, one row per strategy, coloured by grade, with
the floor standard and a line from where each school started; a click on a school tells its story
(attainment and grade term by term, partnerships, coaches) under every strategy.

The schools are the same under every strategy (same scenario and seed), so school 12 in one row is
school 12 in the others.
"""

from __future__ import annotations

import html

import altair as alt
import numpy as np
import pandas as pd
import solara
from mesa.visualization.utils import update_counter

from simulation.params.schema import Grade
from simulation.viz.charts import (
    CHART_HEIGHT,
    CHART_WIDTH,
    PERCENT_TIP,
    VegaChart,
    percent_axis,
    _records,
    _template,
    with_years,
    year_encoding,
    years_shown,
)
from simulation.viz.choices import (
    GRADE_COLOURS,
    GRADE_NAMES,
    PTYPE_NAMES,
    STRATEGY_COLOURS,
    STRATEGY_LABELS,
    term_label,
)
from simulation.viz.classroom import Classroom

ROW_HEIGHT = 70
STRIP_WIDTH = 480
GOLDEN = 0.6180339887


def strip_data(classroom: Classroom) -> tuple[pd.DataFrame, float]:
    """One row per strategy and school: attainment now and at the start, grade, pupils; and the floor now."""
    frames = []
    for name, model in classroom.systems.items():
        sc = model.schools
        start = classroom.history[name].attainment[0]
        frames.append(pd.DataFrame({
            "strategy": STRATEGY_LABELS[name], "school": np.arange(sc.n),
            "attainment": np.round(sc.attainment, 4), "start": np.round(start, 4),
            "moved": np.round(100 * (sc.attainment - start), 1),
            "grade": [GRADE_NAMES[Grade(int(g))] for g in sc.grade],
            "special_measures": sc.special_measures.astype(bool), "pupils": sc.pupils.astype(int),
            # a fixed spread inside the row so that dots do not hide each other (no random draw)
            "jitter": np.round((np.arange(sc.n) * GOLDEN) % 1.0, 3),
        }))
    floor = float(classroom.first.current_metrics["floor"])
    return pd.concat(frames, ignore_index=True), floor


def strip_chart(classroom: Classroom) -> alt.LayerChart:
    data, floor = strip_data(classroom)
    names = classroom.strategies
    y = alt.Y("strategy:N", title=None, sort=[STRATEGY_LABELS[s] for s in names],
              axis=alt.Axis(labelLimit=150, labelFontWeight="bold"))
    x = alt.X("attainment:Q", title="Pupils reaching the benchmark (school)", scale=alt.Scale(domain=[0, 1]),
              axis=percent_axis())
    offset = alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-0.2, 1.2]))
    moved = alt.Chart(data).mark_rule(color="#9e9e9e", strokeWidth=1).encode(
        x=alt.X("start:Q"), x2="attainment:Q", y=y, yOffset=offset)
    dots = alt.Chart(data).mark_circle(opacity=0.9, stroke="black", strokeWidth=0.4, cursor="pointer").encode(
        x=x, y=y, yOffset=offset,
        color=alt.Color("grade:N", title="Grade", scale=alt.Scale(domain=list(GRADE_NAMES.values()),
                                                                  range=GRADE_COLOURS),
                        legend=alt.Legend(orient="bottom", columns=4)),
        size=alt.Size("pupils:Q", scale=alt.Scale(domain=[0, 2000], range=[25, 260]), legend=None),
        tooltip=[alt.Tooltip("school:Q"), alt.Tooltip("strategy:N"), alt.Tooltip("grade:N"),
                 alt.Tooltip("attainment:Q", title="pupils reaching the benchmark", format=PERCENT_TIP),
                 alt.Tooltip("moved:Q", title="moved since the start (points)", format="+.1f"),
                 alt.Tooltip("pupils:Q")])
    line = alt.Chart(pd.DataFrame({"floor": [floor]})).mark_rule(color="#d73027", strokeDash=[6, 3],
                                                                 strokeWidth=2).encode(x="floor:Q")
    return alt.layer(moved, line, dots).properties(
        width=STRIP_WIDTH, height=alt.Step(ROW_HEIGHT),
        title=alt.Title("Every school now", subtitle=[
            "Dot: a school (size: pupils). Grey line: from where it started.",
            "Red dashes: the floor. Click a school for its story."]))


def strip_spec(classroom: Classroom) -> dict:
    data, floor = strip_data(classroom)
    template = _template(("strip", tuple(classroom.strategies)), lambda: strip_chart(classroom))
    layers = [dict(layer) for layer in template["layer"]]
    layers[0]["data"] = layers[2]["data"] = {"values": _records(data)}
    layers[1]["data"] = {"values": [{"floor": floor}]}
    return {**template, "layer": layers}


# --- one school's story ----------------------------------------------------------------------------

def story_data(classroom: Classroom, school: int) -> pd.DataFrame:
    frames = []
    table = classroom.series()
    for name in classroom.strategies:
        h = classroom.history[name].school(school)
        rows = table[table["strategy"] == STRATEGY_LABELS[name]]
        frames.append(pd.DataFrame({
            "strategy": STRATEGY_LABELS[name], "year": rows["year"].to_numpy(), "term": rows["term"].to_numpy(),
            "attainment": np.round(h["attainment"], 4),
            "grade": [GRADE_NAMES[Grade(int(g))] for g in h["grade"]],
            "partnerships": h["partnerships"], "coaches": h["coaches"]}))
    return pd.concat(frames, ignore_index=True)


def story_chart(classroom: Classroom, school: int) -> alt.Chart:
    names = classroom.strategies
    return alt.Chart(story_data(classroom, school)).mark_line(strokeWidth=2, point=alt.OverlayMarkDef(size=14)).encode(
        x=year_encoding(),
        y=alt.Y("attainment:Q", title="Pupils reaching the benchmark", scale=alt.Scale(zero=False),
                axis=percent_axis()),
        color=alt.Color("strategy:N", title="Strategy", scale=alt.Scale(
            domain=[STRATEGY_LABELS[s] for s in names], range=[STRATEGY_COLOURS[s] for s in names]),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=300)),
        tooltip=[alt.Tooltip("strategy:N"), alt.Tooltip("term:N"), alt.Tooltip("grade:N"),
                 alt.Tooltip("attainment:Q", format=PERCENT_TIP), alt.Tooltip("partnerships:Q"),
                 alt.Tooltip("coaches:Q")],
    ).properties(width=CHART_WIDTH, height=CHART_HEIGHT, title="school")


def story_spec(classroom: Classroom, school: int) -> dict:
    template = _template(("story", tuple(classroom.strategies)), lambda: story_chart(classroom, school))
    spec = {**template, "data": {"values": _records(story_data(classroom, school))},
            "title": f"School {school}: pupils reaching the benchmark"}
    return with_years(spec, years_shown(classroom.first))


def grade_changes(classroom: Classroom, name: str, school: int) -> str:
    """'good (2002/03 autumn) → requires improvement (2004/05 spring)': the grade each time it changed."""
    model = classroom.systems[name]
    grades = classroom.history[name].school(school)["grade"]
    start = int(model.cfg.start_year)
    steps = [0, *(int(t) for t in np.flatnonzero(np.diff(grades)) + 1)]
    return " → ".join(f"{GRADE_NAMES[Grade(int(grades[t]))]} ({term_label(start, t, model.dt)})" for t in steps)


def story_html(classroom: Classroom, school: int) -> str:
    parts = []
    for name, model in classroom.systems.items():
        agent = model.school_agents[school]
        h = classroom.history[name].school(school)
        partners = ", ".join(f"school {o} ({PTYPE_NAMES[int(t)]})" for o, t in agent.partners()) or "none now"
        moved = 100 * (h["attainment"][-1] - h["attainment"][0])
        parts.append(
            f"<div style='border-left:4px solid {STRATEGY_COLOURS[name]};padding-left:6px;margin:4px 0'>"
            f"<b>{html.escape(STRATEGY_LABELS[name])}</b>: {h['attainment'][-1]:.1%} of pupils reach the benchmark "
            f"({moved:+.1f} points since the start).<br>Grades: {html.escape(grade_changes(classroom, name, school))}"
            f"{' (special measures now)' if agent.special_measures else ''}.<br>"
            f"Partnerships now: {html.escape(partners)}; terms with a partnership: "
            f"{int((h['partnerships'] > 0).sum())} of {len(h['partnerships'])}.<br>"
            f"Coaches now: {len(agent.coaches())}; most at once: {int(h['coaches'].max())}.</div>")
    first = classroom.first.school_agents[school]
    head = (f"<b>School {school}</b>: {'secondary' if first.secondary else 'primary'}, {first.pupils} pupils. "
            "The same school under each strategy:")
    return head + "".join(parts)


@solara.component
def Distribution(classroom: Classroom):
    """The distribution tab: the strip of schools and the story of the school last clicked (or chosen)."""
    update_counter.get()
    n = classroom.first.schools.n
    school, set_school = solara.use_state(0)
    i = min(max(int(school), 0), n - 1)

    def on_click(datum) -> None:
        if isinstance(datum, dict) and datum.get("school") is not None:
            set_school(int(datum["school"]))

    with solara.Column(style={"padding": "4px 8px", "width": "100%"}):
        with solara.Div(style={"max-width": "100%"}, classes=["upconv-strip"]):
            VegaChart(strip_spec(classroom), on_click=on_click)
        with solara.Div(style={"display": "grid", "grid-template-columns": "repeat(auto-fill, minmax(340px, 1fr))",
                               "gap": "8px", "width": "100%"}):
            VegaChart(story_spec(classroom, i))
            with solara.Column(style={"min-width": "0"}):
                solara.SliderInt("School", value=i, min=0, max=n - 1, on_value=set_school, thumb_label="always")
                solara.HTML(tag="div", unsafe_innerHTML=story_html(classroom, i), classes=["upconv-story"])
