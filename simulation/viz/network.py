"""The map: schools at their place (axes in km), filled by inspection grade and sized by pupils, on
a light shading of their region (or, in a one-region system, their local authority), and live
partnerships as lines coloured by type, dashed where the partners meet online. The cold spot's
region is tinted blue and named in the legend and on the map. Built as a template once per kind of
map (see charts.py) and filled with each step's schools and links.

What the shading shows (``MapLayout.shading``):

* ``regions``: a system of several regions. Each region a tint, ``Region k`` in the legend and at
  the region's centre on the map; the cold spot (``model.system.cold_region``: the scenario's
  remote region, else the region with the lowest results at the start) is ``Region k: cold spot``.
* ``authorities``: one region of several local authorities (london_challenge's boroughs): each
  authority a tint, without a legend (the subtitle says so): the class sees the boroughs' patches.
* ``none``: one region, one authority (teaching): no shading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from simulation import SchoolSystem
from simulation.params.schema import Grade
from simulation.viz.charts import CHART_WIDTH, VegaChart, _records, _template
from simulation.viz.choices import (
    AREA_TINTS,
    COLD_SPOT_TINT,
    GRADE_COLOURS,
    GRADE_NAMES,
    PTYPE_COLOURS,
    PTYPE_NAMES,
    term_label,
)

MEETS = ["face to face", "online"]  # how the partners of a link meet (links.online)
MEETS_DASH = [[1, 0], [5, 3]]  # solid, dashed
WIDE_WIDTH = 560  # px: a map at least 1.5 times as wide as high (the cold spot lies beyond the others)
WIDE = 1.5


@dataclass(frozen=True)
class MapLayout:
    """The map's frame, fixed for a system: its extent in km, its size in px and what the shading shows."""

    x_km: float
    y_km: float
    width: int
    height: int
    shading: str  # "regions", "authorities" or "none"
    areas: tuple[str, ...]  # the shading's labels, in the order of the tints
    tints: tuple[str, ...]
    cold: int  # the cold spot's region, -1 when there is none
    halo: float  # area (px^2) of the tint drawn around each school, about the spacing of the schools

    @property
    def wide(self) -> bool:
        return self.x_km >= WIDE * self.y_km

    @property
    def key(self) -> tuple:
        return (self.x_km, self.y_km, self.width, self.height, self.shading, self.areas, self.tints,
                round(self.halo))


def _extent(values: np.ndarray, at_least: float) -> float:
    """The map's side in km: the geography's width, or the schools' extent (the cold spot lies beyond)."""
    top = float(np.max(values)) if values.size else 0.0
    return float(max(at_least, 10 * math.ceil(top / 10)))


def map_layout(model: SchoolSystem) -> MapLayout:
    sc = model.schools
    width_km = float(model.cfg.geography.width_km)
    x_km, y_km = _extent(np.asarray(sc.x), width_km), _extent(np.asarray(sc.y), width_km)
    if x_km >= WIDE * y_km:
        width, height = WIDE_WIDTH, round(WIDE_WIDTH * y_km / x_km)
    else:
        height = CHART_WIDTH + 50
        width = round(height * x_km / y_km)
    n_regions = int(np.max(sc.region)) + 1 if sc.n else 1
    n_authorities = int(np.max(sc.authority)) + 1 if sc.n else 1
    cold = int(getattr(model.system, "cold_region", -1)) if n_regions > 1 else -1
    if n_regions > 1:
        shading = "regions"
        areas = tuple(f"Region {r + 1}: cold spot" if r == cold else f"Region {r + 1}" for r in range(n_regions))
        others = iter(AREA_TINTS * (1 + n_regions // len(AREA_TINTS)))
        tints = tuple(COLD_SPOT_TINT if r == cold else next(others) for r in range(n_regions))
    elif n_authorities > 1:
        shading = "authorities"
        areas = tuple(f"Authority {a + 1}" for a in range(n_authorities))
        tints = tuple(AREA_TINTS[a % len(AREA_TINTS)] for a in range(n_authorities))
    else:
        shading, areas, tints = "none", (), ()
    spacing_px = width_km / math.sqrt(max(sc.n, 1)) * width / x_km  # schools' typical spacing on the map
    return MapLayout(x_km=x_km, y_km=y_km, width=width, height=height, shading=shading, areas=areas, tints=tints,
                     cold=cold, halo=float(round((2.2 * spacing_px) ** 2)))


def _network_data(model: SchoolSystem, layout: MapLayout) -> dict[str, pd.DataFrame]:
    """The map's data: ``schools`` (one row each), ``links`` (live partnerships) and ``labels`` (the regions' names)."""
    sc = model.schools
    region = np.asarray(sc.region).astype(int)
    authority = np.asarray(sc.authority).astype(int)
    area = region if layout.shading == "regions" else authority
    names = list(layout.areas)
    nodes = pd.DataFrame({
        "school": np.arange(sc.n), "x": np.round(sc.x, 2), "y": np.round(sc.y, 2),
        "pupils": sc.pupils.astype(int), "grade": [GRADE_NAMES[Grade(int(g))] for g in sc.grade],
        "special_measures": sc.special_measures.astype(bool),
        "attainment": np.round(sc.attainment, 3),
        "region": [f"Region {r + 1}" + (": cold spot" if r == layout.cold else "") for r in region],
        "cold_spot": region == layout.cold,
        "authority": authority + 1,
        "area": [names[a] for a in area] if names else "",
    })
    rows = model.links.live()
    a, b = model.links.a[rows], model.links.b[rows]
    online = np.asarray(getattr(model.links, "online", np.zeros(model.links.a.size, dtype=bool)))[rows]
    distance = np.asarray(getattr(model.links, "distance", np.zeros(model.links.a.size)))[rows]
    edges = pd.DataFrame({
        "x": np.round(sc.x[a], 2), "y": np.round(sc.y[a], 2), "x2": np.round(sc.x[b], 2), "y2": np.round(sc.y[b], 2),
        "partnership": [PTYPE_NAMES[int(t)] for t in model.links.ptype[rows]],
        "online": online.astype(bool), "meets": [MEETS[int(o)] for o in online],
        "distance": np.round(distance, 1),
    })
    labels = pd.DataFrame(columns=["x", "y", "label"])
    if layout.shading == "regions":
        labels = pd.DataFrame([{"x": round(float(np.mean(sc.x[region == r])), 1),
                                "y": round(float(np.mean(sc.y[region == r])), 1),
                                "label": names[r].replace(": ", "\n")} for r in range(len(names)) if np.any(region == r)])
    return {"schools": nodes, "links": edges, "labels": labels}


def _network_title(model: SchoolSystem) -> str:
    return f"Schools and partnerships, {term_label(int(model.cfg.start_year), model.term, model.dt)}"


def _subtitle(layout: MapLayout) -> list[str]:
    shading = {"regions": "shading: region", "authorities": "shading: local authority (one region)",
               "none": "one region, one local authority"}[layout.shading]
    return [f"fill: grade; size: pupils; black ring: special measures; {shading}",
            "lines: partnerships (colour: type; dashed: the partners meet online)"]


def _layer_names(layout: MapLayout) -> list[str]:
    """The dataset each layer of the map draws, in order (network_chart builds the same layers)."""
    names = ["links", "schools"]
    if layout.shading != "none":
        names = ["schools", *names]  # the shading under everything
    if layout.shading == "regions":
        names.append("labels")
    return names


def network_spec(model: SchoolSystem) -> dict:
    """The map's Vega-Lite spec for the model now (the template plus this step's data)."""
    layout = map_layout(model)
    data = _network_data(model, layout)
    template = _template(("network", layout.key), lambda: network_chart(model))
    layers = [{**layer, "data": {"name": name}} for layer, name in zip(template["layer"], _layer_names(layout),
                                                                        strict=True)]
    return {**template, "layer": layers, "datasets": {name: _records(frame) for name, frame in data.items()},
            "title": {**template["title"], "text": _network_title(model)}}


def network_chart(model: SchoolSystem) -> alt.LayerChart:
    """The map as an Altair chart (the template of network_spec)."""
    layout = map_layout(model)
    data = _network_data(model, layout)
    sc = model.schools
    orient = "bottom" if layout.wide else "right"
    shrink = min(1.0, 40 / max(sc.n, 1)) ** 0.5  # smaller dots for larger systems
    x = alt.X("x:Q", title="km east", scale=alt.Scale(domain=[0, layout.x_km], nice=False),
              axis=alt.Axis(tickMinStep=1, tickCount=8, grid=False))
    y = alt.Y("y:Q", title="km north", scale=alt.Scale(domain=[0, layout.y_km], nice=False),
              axis=alt.Axis(tickMinStep=1, grid=False))
    layers = []
    if layout.shading != "none":
        legend = (alt.Legend(title="Region", orient=orient, columns=1, labelLimit=200)
                  if layout.shading == "regions" else None)
        layers.append(alt.Chart(data["schools"]).mark_circle(opacity=1, size=layout.halo, clip=True).encode(
            x=x, y=y, color=alt.Color("area:N", scale=alt.Scale(domain=list(layout.areas), range=list(layout.tints)),
                                      legend=legend)))
    layers.append(alt.Chart(data["links"]).mark_rule(strokeWidth=2, opacity=0.8).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        color=alt.Color("partnership:N", scale=alt.Scale(domain=PTYPE_NAMES, range=PTYPE_COLOURS),
                        legend=alt.Legend(title="Partnership", orient=orient, columns=2 if layout.wide else 1,
                                          direction="vertical")),
        strokeDash=alt.StrokeDash("meets:N", scale=alt.Scale(domain=MEETS, range=MEETS_DASH),
                                  legend=alt.Legend(title="Partners meet", orient=orient, direction="vertical",
                                                    symbolType="stroke", symbolStrokeWidth=2)),
        tooltip=[alt.Tooltip("partnership:N"), alt.Tooltip("meets:N", title="partners meet"),
                 alt.Tooltip("distance:Q", title="distance (km)", format=".0f")],
    ))
    tooltip = [alt.Tooltip("school:Q"), alt.Tooltip("grade:N"), alt.Tooltip("special_measures:N"),
               alt.Tooltip("pupils:Q"), alt.Tooltip("attainment:Q", format=".1%", title="pupils reaching the benchmark"),
               alt.Tooltip("region:N"), alt.Tooltip("authority:Q", title="local authority")]
    layers.append(alt.Chart(data["schools"]).mark_circle(opacity=0.95, stroke="black").encode(
        x=x, y=y,
        size=alt.Size("pupils:Q", scale=alt.Scale(domain=[0, 2000], range=[20 * shrink, 500 * shrink]), legend=None),
        color=alt.Color("grade:N", scale=alt.Scale(domain=list(GRADE_NAMES.values()), range=GRADE_COLOURS),
                        legend=alt.Legend(title="Grade", orient=orient, columns=1, direction="vertical")),
        strokeWidth=alt.condition("datum.special_measures", alt.value(3), alt.value(0.3)),
        tooltip=tooltip if layout.shading != "none" else tooltip[:5],
    ))
    if layout.shading == "regions":
        layers.append(alt.Chart(data["labels"]).mark_text(fontSize=13, fontWeight="bold", color="#08306b",
                                                           baseline="middle", lineBreak="\n").encode(x=x, y=y, text="label:N"))
    return (alt.layer(*layers).resolve_scale(color="independent")
            .properties(width=layout.width, height=layout.height,
                        title=alt.Title(_network_title(model), subtitle=_subtitle(layout)))
            .configure_view(stroke=None))


def NetworkView(model: SchoolSystem):
    return VegaChart(network_spec(model))
