"""Calibration to England's public figures: targets, free parameters, simulation and loss.

Used by ``experiments.calibration.run`` (which runs the search and writes the report) and
``experiments.calibration.check``, and importable on its own. Everything here is deterministic given the parameter values and the
model seeds.

Two simulated settings express the figures of the model brief, section 4:

* **national** – a national sample of 400 secondary schools in 9 regions from 2002 under
  the *national policy mix* (``NATIONAL_MIX``): the England attainment rise 2002–2011, the
  grade transitions between inspections, the grade stock of August 2011 and special
  measures in 2007;
* **london** – the ``london_challenge`` scenario under ``upwards_convergence``: the share of
  outstanding schools supporting others, 1% at the start of the London Challenge, 17% by
  2010 (Berwick, ``../shared/seeds/000_398b0be83449325f.txt`` l. 136).

Time windows: the model's year column is the calendar year at the end of a term (2002.0 is
the initial state). "School year Y/Y+1" is the three terms with Y < year <= Y+1; the GCSE
results of summer Y+1 are those of school year Y/Y+1.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulation import ModelConfig, SchoolSystem, load_config
from simulation.params.schema import Grade

YEARS = 9  # 2002.0 -> 2011.0

# --- the two settings ----------------------------------------------------------------------

#: 400 secondary schools in 9 regions (England has nine regions); the GCSE measure is secondary.
NATIONAL_SAMPLE: dict[str, Any] = {
    "system.n_schools": 400,
    "system.share_secondary": 1.0,
    "system.n_regions": 9,
    "start_year": 2002,
}

#: England's policy mix 2002-2011, as a budget split (same budget as every strategy). See the
#: justification in docs/calibration.md: mostly low-leverage CPD (the National Strategies'
#: courses, consultants and materials), school-to-school support brokered to the weakest
#: schools (National Leaders of Education from 2006, the City and National Challenges), a
#: little internal coaching, and the statutory levers every strategy has (inspection, the
#: rising floor, intervention with new leadership and sponsors).
NATIONAL_MIX: dict[str, Any] = {
    "strategy.name": "custom",
    "strategy.low_leverage_cpd": 0.75,
    "strategy.internal_coaching": 0.10,
    "strategy.school_support": 0.15,
    "strategy.external_networks": 0.0,
    "strategy.innovation": 0.0,
    "strategy.targeting": "weakest",
    "strategy.brokering": "data_informed",
    "strategy.facilitation": False,
    "strategy.peer_review": False,
}

LONDON = ("london_challenge", "upwards_convergence")


# --- free parameters -------------------------------------------------------------------------

@dataclass(frozen=True)
class Free:
    key: str  # dotted schema path
    low: float
    high: float
    log: bool = False
    why: str = ""


FREE: list[Free] = [
    Free("inspection.noise", 0.02, 0.40, why="grade churn between inspections (outstanding lost, inadequate to good)"),
    Free("inspection.context_bias", 0.0, 1.0,
         why="persistent part of a grade; also how far intake confounds the authority's data"),
    Free("inspection.bar_rise", 0.0, 0.12, why="outstanding share in 2011 while knowledge changes"),
    Free("inspection.special_measures_leadership", 0.25, 0.55, why="special measures 2007 (1.1%)"),
    Free("intervention.leadership_after", 0.45, 0.90, why="recovery of inadequate schools after intervention"),
    Free("staff.drift", 0.0, 0.20, why="how fast gains fade: attainment trend"),
    Free("staff.entrant_tracking", 0.0, 1.0, why="whether new teachers carry system gains: attainment trend"),
    Free("partnership.transfer_rate", 0.20, 2.0, why="effect of support partnerships: attainment, recovery"),
    Free("moral_capital.initial_mean", 0.002, 0.10, log=True, why="supporting share at the start (1%)"),
    Free("moral_capital.role_modelling", 0.0, 2.0, why="growth of the supporting share (17% by 2010)"),
    Free("moral_capital.decay", 0.0, 0.40, why="growth of the supporting share"),
    Free("moral_capital.spontaneous_support", 0.0, 0.40, why="unasked support by willing outstanding schools"),
    Free("pressure.focus", 0.0, 0.6, why="attainment rise: focus on pupils near the benchmark under pressure"),
    Free("pressure.league_tables", 0.0, 0.6, why="attainment rise: focus in every school from league tables"),
    Free("pressure.focus_band", 0.2, 1.0, why="attainment rise: how far below the benchmark focus reaches"),
]


def schema_default(key: str) -> float:
    node: Any = ModelConfig()
    for part in key.split("."):
        node = getattr(node, part)
    return float(node)


def defaults() -> dict[str, float]:
    return {f.key: schema_default(f.key) for f in FREE}


# --- targets ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    name: str
    value: float
    scale: float  # tolerance: a standardised distance of 1 is a miss by this much
    setting: str
    measured: str
    source: str


TARGETS: list[Target] = [
    Target("outstanding_lost", 0.55, 0.05, "national",
           "share of re-inspections of outstanding schools that give another grade, 2002-2011, pooled over seeds",
           "Ofsted 2009/10 (model brief s.4)"),
    Target("inadequate_to_good", 0.20, 0.05, "national",
           "share of re-inspections of inadequate schools that give good or outstanding, 2002-2011, pooled",
           "Ofsted 2010/11 (model brief s.4)"),
    Target("attainment_2011", 0.583, 0.03, "national",
           "pupil-weighted share reaching the benchmark, school year 2010/11 (start: 42.1%)",
           "DfE: 5+ A*-C incl. English and maths, 42.1% (2002) to 58.3% (2011)"),
    Target("outstanding_2011", 0.20, 0.03, "national", "share of schools graded outstanding at the end of 2010/11",
           "Ofsted grade stock, August 2011"),
    Target("inadequate_2011", 0.02, 0.01, "national", "share of schools graded inadequate at the end of 2010/11",
           "Ofsted grade stock, August 2011"),
    Target("special_measures_2007", 0.011, 0.005, "national", "share of schools in special measures, school year 2006/07",
           "schools in special measures, 2007 (model brief s.4)"),
    Target("supporting_2002", 0.01, 0.02, "london",
           "share of outstanding schools supporting another school, school year 2002/03",
           "Berwick (seeds/000, l. 136): 1% in 2002"),
    Target("supporting_2010", 0.17, 0.04, "london",
           "share of outstanding schools supporting another school, school year 2010/11",
           "Berwick (seeds/000, l. 136): 17% by 2010"),
]
TARGET_BY_NAME = {t.name: t for t in TARGETS}
#: Measured with the targets, not fitted: how much of the 2011 benchmark share is focus (share of pupils) and how far
#: the mean pupil score rose (pupil SD) - through which measure the national rise comes.
DIAGNOSTICS = ("focus_lift_2011", "score_rise_2011")


# --- simulation ------------------------------------------------------------------------------

def _kw(params: dict[str, Any]) -> dict[str, Any]:
    return {k.replace(".", "__"): v for k, v in params.items()}


def national_config(params: dict[str, Any], seed: int) -> ModelConfig:
    return load_config("regional", "status_quo", **_kw({**NATIONAL_SAMPLE, **NATIONAL_MIX, **params}), seed=seed)


def london_config(params: dict[str, Any], seed: int) -> ModelConfig:
    return load_config(*LONDON, **_kw(params), seed=seed)


def school_year(df, start: int):
    """Rows of school year start/start+1 (its three terms)."""
    return df[(df.year > start + 1e-9) & (df.year <= start + 1 + 1e-9)]


SERIES = ["year", "mean_attainment", "focus_lift", "mean_score", "share_outstanding", "share_inadequate", "share_special_measures",
          "share_outstanding_supporting", "mean_moral_capital", "p10_attainment", "p90_attainment"]


def simulate(job: tuple[str, dict[str, Any], int, bool]) -> dict[str, Any]:
    """One run: ``(setting, params, seed, keep_series)`` -> raw measurements (counts, shares)."""
    setting, params, seed, keep_series = job
    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = national_config(params, seed) if setting == "national" else london_config(params, seed)
    model = SchoolSystem(config=cfg, rng=seed, create_staff_agents=False)
    model.run_years(YEARS)
    df = model.metrics().reset_index(drop=True)
    out: dict[str, Any] = {"setting": setting, "seed": seed}
    if setting == "national":
        prev = np.concatenate([r.previous for r in model.tally.inspection_log])
        new = np.concatenate([r.grade for r in model.tally.inspection_log])
        was_out, was_inad = prev == Grade.outstanding, prev == Grade.inadequate
        out.update(
            n_outstanding=int(was_out.sum()), n_outstanding_lost=int((new[was_out] != Grade.outstanding).sum()),
            n_inadequate=int(was_inad.sum()), n_inadequate_good=int((new[was_inad] <= Grade.good).sum()),
            attainment_2011=float(school_year(df, 2010).mean_attainment.mean()),
            outstanding_2011=float(df.share_outstanding.iloc[-1]),
            inadequate_2011=float(df.share_inadequate.iloc[-1]),
            special_measures_2007=float(school_year(df, 2006).share_special_measures.mean()),
            # not targets: through which measure the attainment rise comes (focus vs learning)
            focus_lift_2011=float(school_year(df, 2010).focus_lift.mean()),
            score_rise_2011=float(school_year(df, 2010).mean_score.mean() - df.mean_score.iloc[0]),
        )
    else:
        out.update(
            supporting_2002=float(school_year(df, 2002).share_outstanding_supporting.mean()),
            supporting_2010=float(school_year(df, 2010).share_outstanding_supporting.mean()),
        )
    if keep_series:
        out["series"] = df[SERIES].to_dict("list")
    return out


def jobs(params: dict[str, Any], national_seeds, london_seeds, keep_series: bool = False) -> list:
    return ([("national", params, int(s), keep_series) for s in national_seeds]
            + [("london", params, int(s), keep_series) for s in london_seeds])


def summarise(results: list[dict[str, Any]]) -> dict[str, float]:
    """Simulated value of every target: seeds pooled (counts) or averaged (shares)."""
    nat = [r for r in results if r["setting"] == "national"]
    lon = [r for r in results if r["setting"] == "london"]
    out: dict[str, float] = {}
    if nat:
        n_out = sum(r["n_outstanding"] for r in nat)
        n_inad = sum(r["n_inadequate"] for r in nat)
        out["outstanding_lost"] = sum(r["n_outstanding_lost"] for r in nat) / n_out if n_out else math.nan
        out["inadequate_to_good"] = sum(r["n_inadequate_good"] for r in nat) / n_inad if n_inad else math.nan
        for name in ("attainment_2011", "outstanding_2011", "inadequate_2011", "special_measures_2007",
                     *DIAGNOSTICS):
            if name in nat[0]:
                out[name] = float(np.mean([r[name] for r in nat]))
    for name in ("supporting_2002", "supporting_2010"):
        if lon:
            out[name] = float(np.mean([r[name] for r in lon]))
    return out


def spread(results: list[dict[str, Any]]) -> dict[str, float]:
    """Standard error over seeds of each target (per-seed ratios for the transitions)."""
    nat = [r for r in results if r["setting"] == "national"]
    lon = [r for r in results if r["setting"] == "london"]
    per_seed: dict[str, list[float]] = {}
    for r in nat:
        per_seed.setdefault("outstanding_lost", []).append(r["n_outstanding_lost"] / max(r["n_outstanding"], 1))
        per_seed.setdefault("inadequate_to_good", []).append(r["n_inadequate_good"] / max(r["n_inadequate"], 1))
        for name in ("attainment_2011", "outstanding_2011", "inadequate_2011", "special_measures_2007"):
            per_seed.setdefault(name, []).append(r[name])
    for r in lon:
        for name in ("supporting_2002", "supporting_2010"):
            per_seed.setdefault(name, []).append(r[name])
    return {k: float(np.std(v, ddof=1) / np.sqrt(len(v))) if len(v) > 1 else math.nan for k, v in per_seed.items()}


def distances(values: dict[str, float]) -> dict[str, float]:
    """Standardised distance (simulated - target) / tolerance of every target."""
    out = {}
    for t in TARGETS:
        v = values.get(t.name, math.nan)
        out[t.name] = (v - t.value) / t.scale if not math.isnan(v) else 10.0
    return out


def loss(values: dict[str, float]) -> float:
    """Sum of squared standardised distances."""
    return float(sum(d * d for d in distances(values).values()))


def round_sig(x: float, digits: int = 2) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return float(f"{x:.{digits}g}")


# --- start-of-run figures (simulation/checks/calibration.py) under a parameter set -------------------

def start_of_run(job: tuple[dict[str, Any], int]) -> dict[str, float]:
    """``simulation.checks.calibration.report`` on ``london_challenge`` with ``params`` applied: the
    start-of-run figures (grades, turnover, variance shares, coaching effect) must stay put."""
    import functools

    from simulation.checks import calibration

    params, seed = job
    logging.getLogger("MESA").setLevel(logging.WARNING)
    original = calibration.SchoolSystem
    calibration.SchoolSystem = functools.partial(SchoolSystem, **_kw(params))  # type: ignore[assignment]
    try:
        table = calibration.report("london_challenge", seed)
    finally:
        calibration.SchoolSystem = original  # type: ignore[assignment]
    return {row.figure: float(row.model) for row in table.itertuples()} | {
        f"target:{row.figure}": float(row.target) for row in table.itertuples()}
