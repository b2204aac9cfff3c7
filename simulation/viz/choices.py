"""What the browser page offers: its scenarios, strategies, brokering modes and floor schedules,
its default settings, its texts, and the names and colours of grades and partnership types.

The scenarios and strategies come from the project's registries (``simulation.params.scenarios``,
``simulation.strategies``), so a list is never typed twice: a new scenario file or strategy
appears on the page by itself.
"""

from __future__ import annotations

from typing import Any

from simulation.measures.registry import METRICS
from simulation.params.scenarios import browser_scenarios
from simulation.params.schema import (
    ENGLAND_FLOOR,
    BrokeringMode,
    FloorStep,
    Grade,
    PartnershipType,
)
from simulation.strategies import STRATEGIES as STRATEGY_REGISTRY

# Scenarios small enough to stay responsive in the browser (england, 22,000 schools, is not).
SCENARIOS: list[str] = browser_scenarios()
STRATEGIES: list[str] = list(STRATEGY_REGISTRY)
STRATEGY_OWN = "as the strategy says"
BROKERING = [STRATEGY_OWN, *(mode.value for mode in BrokeringMode)]
FLOORS: dict[str, list[FloorStep]] = {
    "England 2002-2015 (rising)": ENGLAND_FLOOR,
    "flat 25%": [FloorStep(1900, 0.25)],
    "no floor": [FloorStep(1900, 0.0)],
}

DEFAULTS: dict[str, Any] = {
    "system": "teaching",
    "strategy": "upwards_convergence",
    "rng": "0",
    "coaching_time": 4.0,
    "days_per_term": 4.0,
    "brokering": STRATEGY_OWN,
    "floor_schedule": "England 2002-2015 (rising)",
    "officer_days_per_school": 0.6,
}

# Each strategy in plain language: its label and the registry's summary (one text for every place).
STRATEGY_TEXT: dict[str, str] = {name: f"**{s.label}.** {s.summary}" for name, s in STRATEGY_REGISTRY.items()}

LEVERS_TEXT = (
    "Change a setting, then press **Reset** to rebuild the model with it.  \n"
    "**Coaching time**: released coaching days per mentee per year.  \n"
    "**Support release**: staff days each school gives a partnership per term.  \n"
    "**Brokering**: how partnerships form - *none*; *self selected* (schools pick near, similar "
    "partners); *data informed* (the local authority matches a weakness with a strength); *school "
    "improvement groups* (mixed groups, pairs brokered inside them).  \n"
    "**Floor standard**: the minimum share of pupils reaching the benchmark.  \n"
    "**Intervention capacity**: local-authority officer days per school per year, for "
    "intervention, brokering and monitoring."
)

GRADE_NAMES = {Grade.outstanding: "outstanding", Grade.good: "good",
               Grade.requires_improvement: "requires improvement", Grade.inadequate: "inadequate"}
GRADE_COLOURS = ["#1a9850", "#91cf60", "#fdae61", "#d73027"]
PTYPE_NAMES = [t.name.replace("_", " ") for t in PartnershipType]
# one colour per partnership type, in the enum's order (a new type takes the next colour)
PTYPE_COLOURS = ["#9e9e9e", "#1f77b4", "#17becf", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#393b79",
                 "#bcbd22", "#7f7f7f"][:len(PTYPE_NAMES)]
# The map's shading: light tints that do not clash with the grades' greens, orange and red. The cold
# spot's region is tinted blue ("cold"); the other regions (or, in a one-region system, the local
# authorities) take the rest in turn.
COLD_SPOT_TINT = "#9ecae1"
AREA_TINTS = ["#bcbddc", "#dcc39a", "#c4c4c4", "#f7b6d2", "#c7e9c0", "#e7d4e8", "#ffe9a8", "#d0d1e6"]

# --- side by side -------------------------------------------------------------------------------
MAX_COMPARE = 4  # strategies side by side: enough for the lesson, and a class of pages stays quick
COMPARE_DEFAULT: list[str] = STRATEGIES[:MAX_COMPARE]  # the registry's order: status quo first
STRATEGY_COLOURS: dict[str, str] = {name: s.colour for name, s in STRATEGY_REGISTRY.items()}
STRATEGY_LABELS: dict[str, str] = {name: s.label for name, s in STRATEGY_REGISTRY.items()}

# The measures the page can chart: every metric in the registry but the clock, with its unit and
# meaning (a metric added to the registry appears on the page by itself). Three are shown first.
MEASURES: list[str] = [name for name in METRICS if name != "year"]
MEASURES_SHOWN: list[str] = ["mean_attainment", "p90_attainment", "p10_attainment"]
LESSON_YEARS = 10  # the time axes show at least this many years, so that they do not rescale each term


def measure_title(name: str) -> str:
    """A metric's name for a chart title: 'p90_attainment' -> 'P90 attainment'."""
    words = name.replace("_", " ").split()
    return " ".join([words[0][:1].upper() + words[0][1:], *words[1:]])


# --- time as a class reads it ---------------------------------------------------------------------
TERM_NAMES = {3: ["autumn", "spring", "summer"]}


def school_year(year: int) -> str:
    """The model's year 2002 is the school year 2002/03 (it starts with the autumn term)."""
    return f"{year}/{(year + 1) % 100:02d}"


def term_label(start_year: int, term: int, dt: float) -> str:
    """The term after ``term`` completed steps: '2003/04 spring' (three terms a year), else 'YYYY/YY term k'."""
    per_year = max(1, round(1 / dt))
    year, k = start_year + term // per_year, term % per_year
    names = TERM_NAMES.get(per_year)
    return f"{school_year(year)} {names[k] if names else f'term {k + 1}'}"
