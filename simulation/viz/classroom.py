"""The class's model: one to four strategies on the same schools, stepping together.

``Classroom`` is the Mesa model the page runs. It builds one ``SchoolSystemViz`` per chosen
strategy with the same scenario, seed and levers (the same seed gives the same schools at the
start), and its ``step`` steps them all: one Step or Play moves every strategy one term.

It keeps, for every system, each school's history that the model does not keep itself:
attainment, grade, number of live partnerships and of coaches, one row per term (read from the
model's public tables after each step), so the page can tell one school's story.
"""

from __future__ import annotations

from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation import SchoolSystem
from simulation.measures.index import spread
from simulation.viz.choices import (
    COMPARE_DEFAULT,
    DEFAULTS,
    MAX_COMPARE,
    MEASURES,
    STRATEGIES,
    STRATEGY_LABELS,
    term_label,
)
from simulation.viz.controls import SchoolSystemViz


def choose_strategies(value: Any) -> tuple[list[str], str | None]:
    """The strategies to run from the control's value, in the registry's order; an error text when the
    choice was not usable (none, unknown, more than MAX_COMPARE) and the default was taken instead."""
    chosen = [value] if isinstance(value, str) else list(value or [])
    unknown = [s for s in chosen if s not in STRATEGIES]
    names = [s for s in STRATEGIES if s in chosen]
    if unknown:
        return COMPARE_DEFAULT, f"unknown strategy {unknown[0]!r}; the page shows its default strategies."
    if not names:
        return COMPARE_DEFAULT, "choose at least one strategy; the page shows its default strategies."
    if len(names) > MAX_COMPARE:
        return names[:MAX_COMPARE], f"at most {MAX_COMPARE} strategies side by side; the first {MAX_COMPARE} run."
    return names, None


class History:
    """Per school and term: attainment, grade, live partnerships, coaches (rows appended each term)."""

    def __init__(self, model: SchoolSystem) -> None:
        self.model = model
        self.attainment: list[np.ndarray] = []
        self.grade: list[np.ndarray] = []
        self.partnerships: list[np.ndarray] = []
        self.coaches: list[np.ndarray] = []
        self.record()

    def record(self) -> None:
        m = self.model
        n = m.schools.n
        rows = m.links.live()
        ends = np.concatenate([m.links.a[rows], m.links.b[rows]]).astype(np.int64)
        self.attainment.append(np.asarray(m.schools.attainment, dtype=float).copy())
        self.grade.append(np.asarray(m.schools.grade).astype(np.int8))
        self.partnerships.append(np.bincount(ends, minlength=n)[:n])
        coach = np.asarray(m.staff.coach, dtype=bool)
        self.coaches.append(np.bincount(np.asarray(m.staff.school)[coach].astype(np.int64), minlength=n)[:n])

    def school(self, i: int) -> dict[str, np.ndarray]:
        return {"attainment": np.array([a[i] for a in self.attainment]),
                "grade": np.array([g[i] for g in self.grade]),
                "partnerships": np.array([p[i] for p in self.partnerships]),
                "coaches": np.array([c[i] for c in self.coaches])}


class Classroom(mesa.Model):
    """One SchoolSystemViz per chosen strategy, same scenario, seed and levers; ``step`` steps them all.

    ``params`` are the settings it was built with (the sidebar compares them with the controls to show
    that a change waits for Reset); ``input_error`` says what was not accepted. Mesa's Reset passes a
    Mesa ``scenario`` object as well; it is not used. The classroom itself draws no random numbers:
    every draw is made by the systems' own seeded generators.
    """

    def __init__(self, system: str = DEFAULTS["system"], strategies: Any = None, rng: Any = DEFAULTS["rng"],
                 coaching_time: float = DEFAULTS["coaching_time"], days_per_term: float = DEFAULTS["days_per_term"],
                 brokering: str = DEFAULTS["brokering"], floor_schedule: str = DEFAULTS["floor_schedule"],
                 officer_days_per_school: float = DEFAULTS["officer_days_per_school"], scenario: Any = None) -> None:
        super().__init__()
        names, choice_error = choose_strategies(COMPARE_DEFAULT if strategies is None else strategies)
        levers = {"coaching_time": coaching_time, "days_per_term": days_per_term, "brokering": brokering,
                  "floor_schedule": floor_schedule, "officer_days_per_school": officer_days_per_school}
        self.params = {"system": system, "strategies": names, "rng": rng, **levers}
        self.systems: dict[str, SchoolSystemViz] = {
            name: SchoolSystemViz(system=system, strategy=name, rng=rng, **levers) for name in names}
        errors = [e for e in (choice_error, self.first.input_error) if e]
        self.input_error: str | None = " ".join(errors) or None
        self.history = {name: History(m) for name, m in self.systems.items()}
        self._series: tuple[int, pd.DataFrame] | None = None
        self._records: tuple[int, list[dict[str, Any]]] | None = None

    @property
    def first(self) -> SchoolSystemViz:
        return next(iter(self.systems.values()))

    @property
    def strategies(self) -> list[str]:
        return list(self.systems)

    @property
    def terms(self) -> int:
        """Terms run since the last Reset (the same for every system)."""
        return self.first.term

    @property
    def now(self) -> str:
        m = self.first
        return term_label(m.cfg.start_year, m.term, m.dt)

    def series(self) -> pd.DataFrame:
        """Every system's time series in one long table, built once per term for all the page's charts: one
        row per strategy and term with its label, the term's label, every measure, and the gap between the
        P90 and P10 school in percentage points (simulation.measures.index.spread)."""
        if self._series is None or self._series[0] != self.terms:
            frames = []
            for name, model in self.systems.items():
                frame = model.metrics()
                out = pd.DataFrame({"year": frame["year"].astype(float),
                                    "term": [term_label(int(model.cfg.start_year), i, model.dt) for i in range(len(frame))],
                                    "strategy": STRATEGY_LABELS[name]})
                for column in MEASURES:
                    if column in frame:
                        out[column] = frame[column].astype(float).round(4)
                out["gap"] = (100 * spread(frame)).astype(float).round(2)
                frames.append(out)
            self._series = (self.terms, pd.concat(frames, ignore_index=True))
        return self._series[1]

    def records(self, columns: list[str]) -> list[dict[str, Any]]:
        """series() as JSON-safe rows (NaN as None) with year, term, strategy and ``columns``; the rows are
        converted once per term (pandas' own to_dict per chart cost more than the rest of a redraw)."""
        if self._records is None or self._records[0] != self.terms:
            rows = self.series().to_dict("records")
            for row in rows:
                for key, value in row.items():
                    if isinstance(value, float) and not np.isfinite(value):
                        row[key] = None
            self._records = (self.terms, rows)
        keys = ["year", "term", "strategy", *columns]
        return [{k: row[k] for k in keys} for row in self._records[1]]

    def step(self) -> None:
        for name, m in self.systems.items():
            m.step()
            self.history[name].record()
        self.running = all(m.running for m in self.systems.values())
