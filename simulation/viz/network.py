"""The network view: schools at their place on the map, coloured by inspection grade and sized by
pupils, and live partnerships as lines coloured by type. Built as a template once (see charts.py)
and filled with each step's schools and links."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from simulation import SchoolSystem
from simulation.params.schema import Grade
from simulation.viz.charts import CHART_WIDTH, VegaChart, _records, _template
from simulation.viz.choices import GRADE_COLOURS, GRADE_NAMES, PTYPE_COLOURS, PTYPE_NAMES, term_label


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
    return f"Schools and partnerships, {term_label(int(model.cfg.start_year), model.term, model.dt)}"


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
                        legend=alt.Legend(title="Partnership", orient="bottom", columns=2, direction="vertical")),
    )
    schools = alt.Chart(nodes).mark_circle(opacity=0.95, stroke="black").encode(
        x=x, y=y,
        size=alt.Size("pupils:Q", scale=alt.Scale(domain=[0, 2000], range=[20 * shrink, 500 * shrink]), legend=None),
        color=alt.Color("grade:N", scale=alt.Scale(domain=list(GRADE_NAMES.values()), range=GRADE_COLOURS),
                        legend=alt.Legend(title="Grade", orient="bottom", columns=1, direction="vertical")),
        strokeWidth=alt.condition("datum.special_measures", alt.value(3), alt.value(0.3)),
        tooltip=["school:Q", "grade:N", "special_measures:N", "pupils:Q",
                 alt.Tooltip("attainment:Q", format=".1%", title="pupils reaching the benchmark")],
    )
    return (alt.layer(links, schools).resolve_scale(color="independent")
            .properties(width=CHART_WIDTH, height=CHART_WIDTH,
                        title=alt.Title(_network_title(model),
                                        subtitle="size: pupils; black ring: special measures"))
            .configure_view(stroke=None))


def NetworkView(model: SchoolSystem):
    return VegaChart(network_spec(model))
