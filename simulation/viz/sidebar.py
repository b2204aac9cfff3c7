"""The sidebar: Reset, play and Step (Mesa's ModelController), where the run is, the settings with
their values and units, and a visible note when a changed setting waits for Reset.

Mesa's SolaraViz is not used: its controls card shows internals a class does not need ("Use
Threads", "Render Interval", tabs called "Page 0"); this page keeps Mesa's controller and draws
the rest itself.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from simulation.viz.cards import Text
from simulation.viz.choices import LEVERS_TEXT, STRATEGY_LABELS, STRATEGY_TEXT
from simulation.viz.classroom import Classroom, choose_strategies
from simulation.viz.controls import model_params

DEFAULT_PARAMS: dict[str, Any] = {name: p["value"] for name, p in model_params.items()}


def _normal(name: str, value: Any) -> Any:
    if name == "strategies":
        return tuple(choose_strategies(value)[0])
    if name == "rng":
        return str(value).strip()
    if isinstance(value, int | float):
        return float(value)
    return value


def pending(params: dict[str, Any], built: dict[str, Any]) -> list[str]:
    """The labels of the settings changed since the model was built (they apply on Reset)."""
    return [model_params[k]["label"].split(" (")[0] for k in model_params
            if _normal(k, params.get(k)) != _normal(k, built.get(k))]


def _label(p: dict, value: Any) -> str:
    return f"{value:g} {p['unit']}" if p.get("unit") else str(value)


@solara.component
def Setting(name: str, params: solara.Reactive[dict]):
    """One control from model_params, showing its value (sliders: the number and the unit)."""
    p = model_params[name]
    value = params.value.get(name, p["value"])

    def set_value(v: Any) -> None:
        params.value = {**params.value, name: v}

    kind = p["type"]
    if kind == "SliderFloat":
        with solara.Column(gap="0px", classes=["upconv-setting"]):
            solara.SliderFloat(p["label"], value=float(value), min=p["min"], max=p["max"], step=p["step"],
                               on_value=set_value, thumb_label=False)
            solara.HTML(tag="div", unsafe_innerHTML=f"<b>{_label(p, value)}</b>", classes=["upconv-value"],
                        style={"margin": "-14px 0 6px 0", "font-size": "13px"})
    elif kind == "Select":
        solara.Select(p["label"], value=value, values=p["values"], on_value=set_value, dense=True)
    elif kind == "SelectMultiple":  # the strategies, shown by their labels in their colours
        items = [{"text": STRATEGY_LABELS.get(v, v), "value": v} for v in p["values"]]
        solara.v.Select(label=p["label"], items=items, v_model=list(value), on_v_model=set_value, multiple=True,
                        chips=True, small_chips=True, dense=True, class_="upconv-strategies")
    elif kind == "InputText":
        solara.InputText(p["label"], value=str(value), on_value=set_value)
    else:
        raise ValueError(f"{kind} is not a control this page draws")


@solara.component
def Status(classroom: Classroom):
    """Where the run is: terms since Reset and the school year and term now."""
    update_counter.get()
    with solara.Column(gap="0px"):
        solara.Text(f"Terms run: {classroom.terms}", classes=["upconv-terms"])
        solara.Text(f"Now: {classroom.now}", classes=["upconv-year"])


@solara.component
def Controls(model: solara.Reactive[Classroom], params: solara.Reactive[dict], play_interval: solara.Reactive[int]):
    classroom = model.value
    # Mesa's controller reads these as reactive values: one term per redraw, no worker threads
    render_interval = solara.use_reactive(1)
    use_threads = solara.use_reactive(False)
    changed = pending(params.value, classroom.params)
    if classroom.input_error:
        solara.Error(f"Input not accepted: {classroom.input_error}", dense=True)
    with solara.Card("Run", margin=0, style={"margin-bottom": "8px"}):
        ModelController(model, model_parameters=params, play_interval=play_interval,
                        render_interval=render_interval, use_threads=use_threads)
        Status(classroom)
        if changed:
            solara.Warning(f"Changed: {', '.join(changed)}. Changes apply on Reset; the page still shows the "
                           "settings of the last Reset.", dense=True, classes=["upconv-pending"])
        solara.SliderInt("Pause while playing", value=play_interval.value, min=50, max=1000, step=50,
                         on_value=play_interval.set, thumb_label=False)
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>{play_interval.value} ms</b> between terms",
                    style={"margin": "-14px 0 0 0", "font-size": "13px"})
    with solara.Card("Settings (apply on Reset)", margin=0, style={"margin-bottom": "8px"}):
        for name in model_params:
            Setting(name, params)
    with solara.Card("What the strategies do", margin=0, style={"margin-bottom": "8px"}):
        for name in classroom.strategies:
            solara.Details(STRATEGY_LABELS[name], children=[Text(STRATEGY_TEXT[name])])
        solara.Details("What the settings do", children=[Text(LEVERS_TEXT)])
