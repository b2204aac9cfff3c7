"""The page's charts (simulation/viz/charts.py, simulation/viz/network.py): Vega-Lite templates
built once with Altair and filled with each step's data, drawn by the fixed chart widget."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def _without_data(spec: dict) -> dict:
    spec = {k: v for k, v in spec.items() if k not in ("data", "datasets", "title")}
    if "layer" in spec:
        spec["layer"] = [{k: v for k, v in layer.items() if k != "data"} for layer in spec["layer"]]
    return spec


def test_chart_specs_are_templates_filled_with_this_steps_data():
    import altair as alt

    from simulation.viz import charts, network
    from simulation.viz.controls import SchoolSystemViz

    assert alt.renderers.active == "mimetype"  # set once at import, not per render (a race otherwise)
    model = SchoolSystemViz()
    first = network.network_spec(model)
    for _ in range(4):
        model.step()
    spec = network.network_spec(model)
    # the same chart as Altair builds it, with this step's data and title
    assert _without_data(spec) == _without_data(network.network_chart(model).to_dict())
    assert spec["title"]["text"] == f"Schools and partnerships, {model.calendar_year:.1f}" != first["title"]["text"]
    edges, nodes = (layer["data"]["values"] for layer in spec["layer"])
    assert len(nodes) == model.schools.n and len(edges) == model.links.count()
    series = {"p90_attainment": "P90 school", "mean_attainment": "mean"}
    line = charts.line_spec(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1])
    assert _without_data(line) == _without_data(
        charts.line_chart(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1]).to_dict())
    assert len(line["data"]["values"]) == 2 * len(model.metrics())
    hist = charts.histogram_spec(np.array([0.1, 0.2, np.nan]), "school 3")
    assert hist["title"] == "school 3" and len(hist["data"]["values"]) == 3
    json.dumps([spec, line, hist], allow_nan=False)  # plain JSON for the widget
    # the templates themselves carry no data
    assert all("data" not in t and "datasets" not in t for t in charts._TEMPLATES.values())


def test_chart_widget_uses_the_fixed_template():
    from simulation.viz.charts import VegaLiteWidget

    text = Path(VegaLiteWidget.template_file).read_text()
    assert "this.do_plot_debounced.cancel()" in text and "if (!this.$refs.plotElement) return;" in text
