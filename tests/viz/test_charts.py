"""The page's charts (simulation/viz/charts.py, network.py, compare.py, distribution.py): Vega-Lite
templates built once with Altair and filled with each step's data, drawn by the fixed chart widget."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from simulation.measures.registry import METRICS


def _without_data(spec: dict) -> dict:
    spec = {k: v for k, v in spec.items() if k not in ("data", "datasets", "title")}
    if "layer" in spec:
        spec["layer"] = [{k: v for k, v in layer.items() if k != "data"} for layer in spec["layer"]]
    if "encoding" in spec and "x" in spec["encoding"]:  # the time axis is set per step (with_years)
        x = dict(spec["encoding"]["x"])
        x.pop("scale", None)
        x["axis"] = {k: v for k, v in x.get("axis", {}).items() if k != "values"}
        spec["encoding"] = {**spec["encoding"], "x": x}
    return spec


@pytest.fixture(scope="module")
def room():
    from simulation.viz.classroom import Classroom

    room = Classroom()
    for _ in range(4):
        room.step()
    return room


def test_chart_specs_are_templates_filled_with_this_steps_data(room):
    import altair as alt

    from simulation.viz import charts, network

    assert alt.renderers.active == "mimetype"  # set once at import, not per render (a race otherwise)
    model = room.first
    spec = network.network_spec(model)
    # the same chart as Altair builds it, with this step's data and title
    assert _without_data(spec) == _without_data(network.network_chart(model).to_dict()) | {
        "$schema": charts.VEGA_LITE_SCHEMA}
    assert spec["title"]["text"] == "Schools and partnerships, 2003/04 spring"
    edges, nodes = (layer["data"]["values"] for layer in spec["layer"])
    assert len(nodes) == model.schools.n and len(edges) == model.links.count()
    series = {"p90_attainment": "P90 school", "mean_attainment": "mean"}
    line = charts.line_spec(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1], percent=True)
    assert _without_data(line) == _without_data(
        charts.line_chart(model, series, ["#000000", "#111111"], "test chart", "share", [0, 1], True).to_dict()
    ) | {"$schema": charts.VEGA_LITE_SCHEMA}
    assert len(line["data"]["values"]) == 2 * len(model.metrics())
    assert line["data"]["values"][1]["term"] == "2002/03 spring"
    hist = charts.histogram_spec(np.array([0.1, 0.2, np.nan]), "school 3")
    assert hist["title"] == "school 3" and len(hist["data"]["values"]) == 3
    json.dumps([spec, line, hist], allow_nan=False)  # plain JSON for the widget
    # the templates themselves carry no data
    assert all("data" not in t and "datasets" not in t for t in charts._TEMPLATES.values())


def test_every_chart_speaks_the_vega_lite_the_page_loads(room):
    from simulation.viz import charts, compare, distribution, network

    loaded = re.search(r"vega-lite@(\d+)/", Path(charts.VegaLiteWidget.template_file).read_text()).group(1)
    specs = [network.network_spec(room.first), compare.convergence_spec(room), compare.measure_spec(room, "gap"),
             distribution.strip_spec(room), distribution.story_spec(room, 3),
             charts.histogram_spec(np.zeros(3), "h")]
    for spec in specs:  # otherwise vega-embed warns in the console for every chart, every term
        assert spec["$schema"] == f"https://vega.github.io/schema/vega-lite/v{loaded}.json"
    assert all(t["$schema"].endswith(f"/v{loaded}.json") for t in charts._TEMPLATES.values())


def test_time_axes_show_whole_school_years(room):
    from simulation.viz import charts, compare

    spec = compare.measure_spec(room, "mean_attainment")
    x = spec["encoding"]["x"]
    start = room.first.cfg.start_year
    assert x["scale"]["domain"] == [start, start + 10]  # a fixed span: the axis does not rescale each term
    assert x["axis"]["values"] == list(range(start, start + 11)) and all(isinstance(v, int) for v in x["axis"]["values"])
    later = charts.with_years(spec, (2002, 2031))
    assert later["encoding"]["x"]["axis"]["values"] == list(range(2002, 2032, 5))
    assert "2002/03" in "".join(v["term"] for v in spec["data"]["values"])


@pytest.mark.parametrize("name", [m for m in METRICS if m != "year"])
def test_every_registry_metric_can_be_charted_side_by_side(room, name):
    from simulation.viz import compare

    spec = compare.measure_spec(room, name)
    json.dumps(spec, allow_nan=False)
    values = spec["data"]["values"]
    assert {v["strategy"] for v in values} == {compare.STRATEGY_LABELS[s] for s in room.strategies}
    assert len(values) == len(room.strategies) * 5
    y = spec["encoding"]["y"]
    # shares as percentages on the axis, anything else with its unit in the title
    assert (y.get("axis", {}).get("format", "").endswith("%")) == METRICS[name].is_share
    if not METRICS[name].is_share:
        assert METRICS[name].unit in y["title"]
    colours = spec["encoding"]["color"]["scale"]["range"]
    assert colours == [compare.STRATEGY_COLOURS[s] for s in room.strategies]


def test_convergence_diagram_and_distribution(room):
    from simulation.viz import compare, distribution

    spec = compare.convergence_spec(room)
    path, now, start = (layer["data"]["values"] for layer in spec["layer"])
    assert len(path) == 5 * len(room.strategies) and len(now) == len(room.strategies) and len(start) == 1
    assert {p["strategy"] for p in now} == {compare.STRATEGY_LABELS[s] for s in room.strategies}
    frame = room.first.metrics()
    gap = 100 * (frame["p90_attainment"] - frame["p10_attainment"])
    assert now[0]["gap"] == pytest.approx(gap.iloc[-3:].mean(), abs=0.01)  # a school year's average
    assert start[0]["gap"] == pytest.approx(gap.iloc[0], abs=0.01)

    strip = distribution.strip_spec(room)
    moved, floor, dots = (layer["data"]["values"] for layer in strip["layer"])
    assert len(dots) == room.first.schools.n * len(room.strategies) and moved == dots
    assert floor == [{"floor": room.first.current_metrics["floor"]}]
    first = dots[: room.first.schools.n]
    assert [d["attainment"] for d in first] == pytest.approx(list(room.first.schools.attainment), abs=1e-4)
    assert {d["grade"] for d in dots} <= {"outstanding", "good", "requires improvement", "inadequate"}
    story = distribution.story_spec(room, 7)
    assert story["title"] == "School 7: pupils reaching the benchmark"
    assert len(story["data"]["values"]) == 5 * len(room.strategies)
    text = distribution.story_html(room, 7)
    assert "School 7" in text and all(compare.STRATEGY_LABELS[s] in text for s in room.strategies)


def test_chart_widget_uses_the_fixed_template():
    from simulation.viz.charts import VegaLiteWidget

    text = Path(VegaLiteWidget.template_file).read_text()
    assert "this.do_plot_debounced.cancel()" in text and "if (!this.$refs.plotElement) return;" in text
    assert "this.view.finalize()" in text
