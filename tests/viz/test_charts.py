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
    nodes, edges = spec["datasets"]["schools"], spec["datasets"]["links"]
    assert [layer["data"] for layer in spec["layer"]] == [{"name": "links"}, {"name": "schools"}]  # no shading
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
    values = room.records([name])
    assert {v["strategy"] for v in values} == {compare.STRATEGY_LABELS[s] for s in room.strategies}
    assert len(values) == len(room.strategies) * 5
    y = spec["encoding"]["y"]
    # shares as percentages on the axis, a difference of shares (*_gap) in percentage points, anything
    # else with its unit in the title
    if compare.in_points(name):
        assert "percentage points" in y["title"] and "format" not in y.get("axis", {})
    else:
        assert (y.get("axis", {}).get("format", "").endswith("%")) == METRICS[name].is_share
    if not METRICS[name].is_share:
        assert METRICS[name].unit in y["title"]
    if all(v[name] is None for v in values):  # not defined here (cold_spot_gap, one region): a fixed scale
        assert y["scale"]["domain"] == [0, 1] and spec["data"]["values"] == []
        assert "No values in this system." in spec["title"]["subtitle"]
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


# --- place: the map's regions, the cold spot, online links, the regional gap ----------------------

@pytest.fixture(scope="module")
def cold_room():
    from simulation.viz.classroom import Classroom

    room = Classroom(system="cold_spots", strategies=["status_quo", "upwards_convergence"])
    for _ in range(6):
        room.step()
    return room


def test_the_map_shows_regions_the_cold_spot_and_online_links(cold_room):
    from simulation.viz import charts, network

    model = cold_room.systems["upwards_convergence"]  # brokers partners across regions: some meet online
    spec = network.network_spec(model)
    json.dumps(spec, allow_nan=False)
    assert _without_data(spec) == _without_data(network.network_chart(model).to_dict()) | {
        "$schema": charts.VEGA_LITE_SCHEMA}
    # layers: the regions' shading, the links, the schools, the regions' names
    assert [layer["data"] for layer in spec["layer"]] == [{"name": n} for n in ("schools", "links", "schools", "labels")]
    nodes, links, labels = (spec["datasets"][n] for n in ("schools", "links", "labels"))
    cold = model.system.cold_region
    assert cold >= 0
    # every school with its region, whether it is in the cold spot, its authority
    assert [n["region"].split(":")[0] for n in nodes] == [f"Region {r + 1}" for r in model.schools.region]
    assert [n["cold_spot"] for n in nodes] == list(model.schools.region == cold)
    assert {n["region"] for n in nodes if n["cold_spot"]} == {f"Region {cold + 1}: cold spot"}
    assert [n["authority"] for n in nodes] == list(model.schools.authority + 1)
    assert [n["x"] for n in nodes] == pytest.approx(list(model.schools.x), abs=0.01)
    # the legend names the regions and the cold spot; the cold spot's name is on the map too
    shading = spec["layer"][0]["encoding"]["color"]
    assert shading["legend"]["title"] == "Region"
    assert shading["scale"]["domain"] == [f"Region {r + 1}" + (": cold spot" if r == cold else "")
                                          for r in range(int(model.schools.region.max()) + 1)]
    assert f"Region {cold + 1}\ncold spot" in [label["label"] for label in labels]
    # online links marked (dashed, with a legend), with their distance
    rows = model.links.live()
    assert [link["online"] for link in links] == list(model.links.online[rows])
    assert [link["meets"] == "online" for link in links] == list(model.links.online[rows])
    assert any(link["online"] for link in links) and any(not link["online"] for link in links)
    dash = spec["layer"][1]["encoding"]["strokeDash"]
    assert dash["scale"] == {"domain": ["face to face", "online"], "range": [[1, 0], [5, 3]]}
    assert dash["legend"]["title"] == "Partners meet"
    assert spec["layer"][1]["encoding"]["color"]["scale"]["domain"] == network.PTYPE_NAMES  # every type a colour
    assert len(network.PTYPE_COLOURS) == len(network.PTYPE_NAMES)
    # axes in km; the remote cold spot makes a wide map, drawn to scale
    x, y = spec["layer"][2]["encoding"]["x"], spec["layer"][2]["encoding"]["y"]
    assert (x["title"], y["title"]) == ("km east", "km north")
    layout = network.map_layout(model)
    assert layout.wide and layout.x_km >= model.schools.x.max() and layout.y_km >= model.schools.y.max()
    assert spec["width"] / spec["height"] == pytest.approx(layout.x_km / layout.y_km, rel=0.02)


@pytest.mark.parametrize("scenario,shading", [("teaching", "none"), ("london_challenge", "authorities")])
def test_the_map_of_a_one_region_system(scenario, shading):
    from simulation import SchoolSystem
    from simulation.viz import network

    model = SchoolSystem(scenario, "status_quo", rng=0)
    layout = network.map_layout(model)
    assert layout.shading == shading and layout.cold == -1 and not layout.wide
    spec = network.network_spec(model)
    json.dumps(spec, allow_nan=False)
    if shading == "authorities":  # the boroughs as patches, without a legend of 33 entries
        assert spec["layer"][0]["encoding"]["color"]["legend"] is None
        assert len(layout.areas) == int(model.schools.authority.max()) + 1
    assert "Region" not in json.dumps(spec["layer"])  # no region legend, no region names
    assert not any(n["cold_spot"] for n in spec["datasets"]["schools"])


def test_the_regional_gap_chart(cold_room, room):
    from simulation.viz import charts, compare

    model = cold_room.first
    assert charts.has_regions(model) and not charts.has_regions(room.first)
    spec = charts.regional_gap_spec(model)
    json.dumps(spec, allow_nan=False)
    assert spec["title"] == charts.REGIONAL_TITLE
    assert spec["encoding"]["y"]["title"] == "gap (percentage points)"
    assert spec["encoding"]["x"]["title"] == "School year"
    assert spec["encoding"]["color"]["scale"]["domain"] == list(charts.REGIONAL_SERIES.values())
    frame = model.metrics()
    values = spec["data"]["values"]
    gap = [v["value"] for v in values if v["series"] == "best region minus worst"]
    assert gap == pytest.approx(list(100 * frame["regional_gap"]), abs=0.01)  # in percentage points
    cold = [v["value"] for v in values if v["series"] == "outside minus inside the cold spot"]
    assert cold == pytest.approx(list(100 * frame["cold_spot_gap"]), abs=0.01)
    # side by side: the regional gaps are shown at first where there are regions, in points
    assert compare.default_measures(cold_room)[-2:] == ["regional_gap", "cold_spot_gap"]
    assert compare.default_measures(room) == compare.MEASURES_SHOWN
    side = compare.measure_spec(cold_room, "regional_gap")
    first = [v for v in side["data"]["values"] if v["strategy"] == "Status quo"]
    assert [v["regional_gap"] for v in first] == pytest.approx(list(100 * frame["regional_gap"]), abs=0.01)
