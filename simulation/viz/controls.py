"""The page's controls and the model they build: SchoolSystemViz, and the Mesa ``model_params``
that draw the controls in the sidebar.

A wrong input never stops the page; see SchoolSystemViz.
"""

from __future__ import annotations

from typing import Any

from simulation import ConfigError, SchoolSystem, load_config
from simulation.viz.choices import (
    BROKERING,
    COMPARE_DEFAULT,
    DEFAULTS,
    FLOORS,
    SCENARIOS,
    STRATEGIES,
    STRATEGY_OWN,
)


def parse_seed(value: Any) -> int:
    """The seed from the text box: a whole number from 0 up; ConfigError otherwise."""
    text = str(value).strip()
    try:
        seed = int(text)
    except ValueError:
        raise ConfigError(f"seed must be a whole number such as 0 or 42; got {text!r}.") from None
    if not 0 <= seed < 2**63:
        raise ConfigError(f"seed must be between 0 and 2^63 - 1; got {seed}.")
    return seed


class SchoolSystemViz(SchoolSystem):
    """SchoolSystem as the page's controls build it.

    A wrong input never stops the page: the error is kept in ``input_error`` (the page shows it)
    and the model falls back to the seed 0 / the page's default settings. Mesa's Reset passes a
    Mesa ``scenario`` object as well; it is not used (the school scenario is ``system``).
    """

    def __init__(self, system: str = DEFAULTS["system"], strategy: str = DEFAULTS["strategy"],
                 rng: Any = DEFAULTS["rng"], coaching_time: float = DEFAULTS["coaching_time"],
                 days_per_term: float = DEFAULTS["days_per_term"], brokering: str = DEFAULTS["brokering"],
                 floor_schedule: str = DEFAULTS["floor_schedule"],
                 officer_days_per_school: float = DEFAULTS["officer_days_per_school"],
                 scenario: Any = None) -> None:
        errors: list[str] = []
        try:
            seed = parse_seed(rng)
        except ConfigError as exc:
            errors.append(f"{exc} The model below uses seed {DEFAULTS['rng']}.")
            seed = int(DEFAULTS["rng"])
        try:
            cfg = load_config(system, strategy, **self.overrides(coaching_time, days_per_term, brokering,
                                                                   floor_schedule, officer_days_per_school))
        except ConfigError as exc:
            errors.append(f"{exc} The model below uses the page's default settings.")
            # the strategy is kept when it is a known one (side by side, each system keeps its own)
            cfg = load_config(DEFAULTS["system"], strategy if strategy in STRATEGIES else DEFAULTS["strategy"])
            floor_schedule = DEFAULTS["floor_schedule"]
        self.input_error: str | None = " ".join(errors) or None
        self.settings = {"system": cfg.scenario, "strategy": cfg.strategy.name.value, "seed": seed,
                         "floor": floor_schedule}
        super().__init__(config=cfg, rng=seed)

    @staticmethod
    def overrides(coaching_time: Any, days_per_term: Any, brokering: Any, floor_schedule: Any,
                  officer_days_per_school: Any) -> dict[str, Any]:
        if floor_schedule not in FLOORS:
            raise ConfigError(f"floor schedule must be one of {list(FLOORS)}; got {floor_schedule!r}.")
        out: dict[str, Any] = {
            "coaching_time": _number("coaching time", coaching_time),
            "days_per_term": _number("support release", days_per_term),
            "officer_days_per_school": _number("intervention capacity", officer_days_per_school),
            "floor_schedule": FLOORS[floor_schedule],
        }
        if brokering != STRATEGY_OWN:
            if brokering not in BROKERING:
                raise ConfigError(f"brokering must be one of {BROKERING}; got {brokering!r}.")
            out["strategy__brokering"] = brokering
        return out


def _number(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number; got {value!r}.") from None


# The sidebar's controls (simulation/viz/sidebar.py draws them): what each sets, with its unit.
# "strategies" picks the strategies that run side by side (one to MAX_COMPARE, see Classroom).
model_params = {
    "system": {"type": "Select", "value": DEFAULTS["system"], "values": SCENARIOS, "label": "Scenario"},
    "strategies": {"type": "SelectMultiple", "value": COMPARE_DEFAULT, "values": STRATEGIES,
                   "label": "Strategies (1 to 4, side by side)"},
    "rng": {"type": "InputText", "value": DEFAULTS["rng"], "label": "Random seed"},
    "coaching_time": {"type": "SliderFloat", "value": DEFAULTS["coaching_time"], "min": 0.0, "max": 12.0,
                      "step": 0.5, "label": "Coaching time", "unit": "days per mentee per year"},
    "days_per_term": {"type": "SliderFloat", "value": DEFAULTS["days_per_term"], "min": 0.0, "max": 12.0,
                      "step": 0.5, "label": "Support release", "unit": "staff days per partnership per term"},
    "brokering": {"type": "Select", "value": DEFAULTS["brokering"], "values": BROKERING,
                  "label": "Brokering"},
    "floor_schedule": {"type": "Select", "value": DEFAULTS["floor_schedule"], "values": list(FLOORS),
                       "label": "Floor standard"},
    "officer_days_per_school": {"type": "SliderFloat", "value": DEFAULTS["officer_days_per_school"], "min": 0.0,
                                "max": 3.0, "step": 0.1, "label": "Intervention capacity",
                                "unit": "officer days per school per year"},
}
