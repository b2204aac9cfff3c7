"""`upconv-compare` (what `make run` runs): strategies or your own mixes at equal cost, several seeds.

Runs every arm on one scenario for several seeds in parallel processes and writes, into
``outputs/compare/`` by default: ``timeseries.parquet`` (one row per arm x seed x step, with the
arm's name, legend label, base strategy, overrides and budget shares as columns), figures
(``attainment_fans.png``, ``grades.png``, ``convergence.png``), ``summary.md`` and
``summary.json`` (final-year medians with the 10-90% range across seeds, and the index).

An arm is a registered strategy (``--strategy upwards_convergence``) or a named mix: a base
strategy plus dotted parameter overrides,
``--strategy mymix=upwards_convergence:strategy.internal_coaching=0.5,strategy.school_support=0.1``.
``--set KEY=VALUE`` overrides apply to every arm (a mix's own overrides win). Bad input is
one sentence on stderr, exit 2, and nothing written.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from tqdm import tqdm

from simulation.measures.index import convergence_index
from simulation.params.checks import ConfigError
from simulation.params.loading import allowed, available, load_config, resolve_key
from simulation.run.runner import simulate, timeseries, write_parquet
from simulation.strategies import STRATEGIES as STRATEGY_REGISTRY

STRATEGIES = list(STRATEGY_REGISTRY)  # the compared strategies, from the one registry
LEVERS = {"internal_coaching": "coaching", "school_support": "support", "external_networks": "networks",
          "innovation": "innovation", "low_leverage_cpd": "CPD"}  # budget shares, as named in labels
INTERVAL = (0.1, 0.9)
FIXED = {"seed": "--seeds", "years": "--years", "scenario": "--scenario"}  # set by options, not overrides
SYNTAX = "NAME=BASE:KEY=VALUE,KEY=VALUE"


@dataclass(frozen=True)
class Arm:
    """One compared arm: a registered strategy, or a named mix (base strategy + overrides)."""

    name: str
    base: str
    overrides: dict[str, Any] = field(default_factory=dict)  # dotted path -> value
    given: str = ""  # as typed on the command line, for messages

    @property
    def custom(self) -> bool:
        return self.name != self.base or bool(self.overrides)


class InputError(ValueError):
    """Bad command-line input: one sentence naming the option, the allowed values and the value given."""


def _value(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _split(text: str) -> list[str]:
    """Split at commas outside brackets (a value may be a list: ``floor_schedule=[...]``)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "[{"
        depth -= ch in "]}"
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    return [*parts, cur]


def parse_overrides(text: str, option: str) -> dict[str, Any]:
    """``KEY=VALUE,KEY=VALUE`` -> {dotted path: value}; keys may be dotted, ``a__b`` or a unique leaf name."""
    out: dict[str, Any] = {}
    for item in _split(text):
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key or not value.strip():
            raise InputError(f"{option} takes KEY=VALUE overrides (e.g. strategy.internal_coaching=0.5); got {item!r}.")
        if key in FIXED:
            raise InputError(f"{option} cannot set {key}; use {FIXED[key]} instead (got {item!r}).")
        try:
            out[resolve_key(key)] = _value(value.strip())
        except ConfigError as exc:
            raise InputError(f"{option} {item!r}: {exc}") from None
    return out


def parse_arm(text: str) -> Arm:
    """``status_quo`` (a registered strategy), ``NAME=BASE`` or ``NAME=BASE:KEY=VALUE,...`` (a named mix)."""
    names = ", ".join(STRATEGIES)
    text = text.strip()
    if "=" not in text and ":" not in text:
        if text not in STRATEGY_REGISTRY:
            raise InputError(f"--strategy must be one of {names}, or a named mix {SYNTAX}; got {text!r}.")
        return Arm(text, text, {}, text)
    name, eq, rest = text.partition("=")
    if ":" in name or not eq:
        raise InputError(f"--strategy with overrides needs a name for the mix, {SYNTAX} "
                         f"(e.g. mymix=upwards_convergence:strategy.internal_coaching=0.5); got {text!r}.")
    if not re.fullmatch(r"[A-Za-z][\w.-]*", name):
        raise InputError(f"--strategy: a mix's name must start with a letter and hold only letters, digits, _ . -; "
                         f"got {name!r} in {text!r}.")
    if name in STRATEGY_REGISTRY:
        raise InputError(f"--strategy: a mix's name must differ from the registered strategies ({names}); "
                         f"got {name!r} in {text!r}.")
    base, colon, overrides = rest.partition(":")
    if base not in STRATEGY_REGISTRY:
        raise InputError(f"--strategy: a mix's base must be one of {names}; got {base!r} in {text!r}.")
    if colon and not overrides.strip():
        raise InputError(f"--strategy: nothing after ':' in {text!r}; write {SYNTAX} or NAME=BASE.")
    return Arm(name, base, parse_overrides(overrides, f"--strategy {name}") if colon else {}, text)


def _config(scenario: str, arm: Arm, seed: int, years: int, common: dict[str, Any]):
    return load_config(scenario, arm.base, seed=seed, years=years, **{**common, **arm.overrides})


def _sentence(exc: ConfigError, option: str, overrides: dict[str, Any]) -> str:
    msg = str(exc)
    for path, value in overrides.items():  # a value of the wrong type: say what the key takes
        if msg.startswith(f"invalid value for {path}:") or msg.startswith(f"{path}: "):
            return f"{option}: {path} must be {allowed(path)}; got {value!r}."
    return f"{option}: {msg}"


def check(scenario: str, seeds: int, years: int, workers: int | None, arms: list[Arm],
          common: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Build every arm's configuration before anything runs; returns each arm's budget shares.
    Raises InputError (one sentence naming the option) on any bad value."""
    if scenario not in available("scenario"):
        raise InputError(f"--scenario must be one of {', '.join(available('scenario'))}; got {scenario!r}.")
    for option, value, lo in (("--seeds", seeds, 1), ("--workers", workers, 1)):
        if value is not None and value < lo:
            raise InputError(f"{option} must be a whole number of at least {lo}; got {value}.")
    if len({a.name for a in arms}) < len(arms):
        dup = next(a.name for a in arms if sum(b.name == a.name for b in arms) > 1)
        raise InputError(f"--strategy: each arm needs its own name; got {dup!r} twice.")
    if not 1 <= years <= 200:
        raise InputError(f"--years must be a whole number from 1 to 200; got {years}.")
    shares = {}
    for arm in arms:
        try:
            cfg = _config(scenario, arm, 0, years, common)
        except ConfigError as exc:
            msg = str(exc)
            mine = any(p in msg for p in arm.overrides)
            theirs = any(p in msg for p in common)
            if mine or (arm.overrides and not theirs):
                option = f"--strategy {arm.given!r}"
            elif common:
                option = "--set " + ",".join(f"{k}={v}" for k, v in common.items())
            else:
                option = f"--strategy {arm.given!r}"
            raise InputError(_sentence(exc, option, {**common, **arm.overrides})) from None
        shares[arm.name] = {lever: float(getattr(cfg.strategy, lever)) for lever in LEVERS}
    return shares


def budget_text(shares: dict[str, float], sep: str = ", ") -> str:
    """'coaching 50%, support 10%, networks 25%, innovation 15%' (levers with a share)."""
    return sep.join(f"{LEVERS[k]} {100 * v:.0f}%" for k, v in shares.items() if v > 0)


def label(arm: Arm, shares: dict[str, float]) -> str:
    """Legend text: the registry label of a plain strategy, else the mix's name and budget shares."""
    return f"{arm.name}: {budget_text(shares)}" if arm.custom else STRATEGY_REGISTRY[arm.name].label


def _one(args: tuple[str, Arm, int, int, dict[str, Any]]) -> pd.DataFrame:
    scenario, arm, seed, years, common = args
    logging.getLogger("MESA").setLevel(logging.WARNING)
    df = timeseries(simulate(_config(scenario, arm, seed, years, common)))
    return df.assign(strategy=arm.name, seed=seed, scenario=scenario)


def compare(scenario: str = "regional", seeds: int = 10, years: int = 30, workers: int | None = None,
            strategies: list[str | Arm] | None = None, overrides: dict[str, Any] | None = None) -> pd.DataFrame:
    """The tidy table of every arm x seed run; each row names its arm (``strategy``), the legend
    ``label``, ``base_strategy``, the arm's ``overrides`` and its budget shares (``strategy.<lever>``)."""
    arms = [a if isinstance(a, Arm) else parse_arm(a) for a in (strategies or STRATEGIES)]
    common = overrides or {}
    shares = check(scenario, seeds, years, workers, arms, common)
    jobs = [(scenario, arm, seed, years, common) for arm in arms for seed in range(seeds)]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        frames = list(tqdm(pool.map(_one, jobs), total=len(jobs), desc="runs", unit="run"))
    table = pd.concat(frames, ignore_index=True)
    for arm in arms:
        rows = table.strategy == arm.name
        table.loc[rows, "label"] = label(arm, shares[arm.name])
        table.loc[rows, "base_strategy"] = arm.base
        table.loc[rows, "overrides"] = ", ".join(f"{k}={v}" for k, v in {**common, **arm.overrides}.items())
        for lever, share in shares[arm.name].items():
            table.loc[rows, f"strategy.{lever}"] = share
    return table


def run_finals(table: pd.DataFrame) -> pd.DataFrame:
    """Final-year figures and index of every arm x seed run (percentages, points, days)."""
    rows = []
    for (strategy, seed), run in table.groupby(["strategy", "seed"], sort=False):
        last = run.iloc[-1]
        row = {"strategy": strategy, "seed": seed, "mean": 100 * last.mean_attainment,
               "p10": 100 * last.p10_attainment, "top_decile": 100 * last.top_decile_attainment,
               "spread": 100 * (last.p90_attainment - last.p10_attainment), "frontier": last.frontier}
        if "mean_score" in run:  # the distribution-wide outcome beside the benchmark share (tables from 0.3 on)
            row.update(score=last.mean_score, score_gain=last.mean_score - run.mean_score.iloc[0],
                       disadvantage_gap=100 * last.disadvantage_gap)
        row.update(outstanding=100 * last.share_outstanding, special_measures=100 * last.share_special_measures,
                   uci=convergence_index(run), resource_used=run.resource_used.iloc[1:].sum())
        rows.append(row)
    return pd.DataFrame(rows)


#: Decimals of a column of the final-year tables (default 1): pupil-SD columns need two.
DECIMALS = {"frontier": 2, "score": 2, "score_gain": 2}


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    """Median over seeds of each arm's final-year figures (arms in the order they appear)."""
    runs = run_finals(table)
    return runs.groupby("strategy", sort=False).median(numeric_only=True).drop(columns="seed")


def intervals(table: pd.DataFrame, q: tuple[float, float] = INTERVAL) -> dict[str, pd.DataFrame]:
    """``median``, ``low`` and ``high`` (quantiles ``q`` across seeds) of each arm's final-year figures."""
    by = run_finals(table).drop(columns="seed").groupby("strategy", sort=False)
    return {"median": by.median(), "low": by.quantile(q[0]), "high": by.quantile(q[1])}


def _arms_info(table: pd.DataFrame) -> pd.DataFrame:
    cols = ["label", "base_strategy", "overrides", *[f"strategy.{lever}" for lever in LEVERS]]
    if not set(cols) <= set(table):  # a table from elsewhere: the arm is a registered strategy or a label
        return pd.DataFrame({"label": table.strategy.unique()}, index=table.strategy.unique())
    return table.groupby("strategy", sort=False)[cols].first()


def budget_column(info: pd.DataFrame) -> pd.Series:
    keys = [f"strategy.{lever}" for lever in LEVERS]
    if not set(keys) <= set(info):
        return pd.Series("", index=info.index)
    return info[keys].apply(lambda r: "/".join(f"{100 * v:.0f}" for v in r), axis=1)


BUDGET_HEADER = "budget % (" + "/".join(LEVERS.values()) + ")"


def write_report(table: pd.DataFrame, out: Path) -> list[Path]:
    from simulation.report.plots import close, comparison_figure, convergence_diagram

    out.mkdir(parents=True, exist_ok=True)
    write_parquet(table, out / "timeseries.parquet")  # with units, version and grade codes in its metadata
    scenario, n, years = table.scenario.iloc[0], table.seed.nunique(), int(table.year.max() - table.year.min())
    heading = f"{scenario} scenario, {years} years"
    figures = {
        "attainment_fans.png": comparison_figure(
            table.assign(spread=table.p90_attainment - table.p10_attainment),
            ["mean_attainment", "spread", "top_decile_attainment", "frontier"], heading=f"Attainment: {heading}"),
        "grades.png": comparison_figure(table, ["share_outstanding", "share_special_measures",
                                                "share_outstanding_supporting"], heading=f"Inspection grades: {heading}"),
        "convergence.png": convergence_diagram(table, heading=f"Convergence diagram: {heading}"),
    }
    paths = []
    for name, fig in figures.items():
        fig.savefig(out / name)
        close(fig)
        paths.append(out / name)
    stats, info = intervals(table), _arms_info(table)
    def cell(a, m, d):
        return f"{stats['median'].loc[a, m]:.{d}f} [{stats['low'].loc[a, m]:.{d}f}–{stats['high'].loc[a, m]:.{d}f}]"

    cells = pd.DataFrame({m: [cell(a, m, DECIMALS.get(m, 1)) for a in stats["median"].index]
                          for m in stats["median"].columns}, index=stats["median"].index)
    cells.insert(0, BUDGET_HEADER, budget_column(info))
    first = table[table.step == 0].iloc[0]
    arms = [f"* **{a}**: {r.label.removeprefix(f'{a}: ')}" + (
        f" (`{r.base_strategy}` with `{r.overrides}`)" if r.get("overrides") else "") for a, r in info.iterrows()]
    text = [
        f"# Strategy comparison: {scenario}, {n} seeds, {years} years\n",
        "Arms (budget % of the discretionary staff-day budget, in the order " + "/".join(LEVERS.values()) + "):\n",
        *arms, "",
        f"Start: mean {100 * first.mean_attainment:.1f}%, spread "
        f"{100 * (first.p90_attainment - first.p10_attainment):.1f} points, top decile "
        f"{100 * first.top_decile_attainment:.1f}%.\n",
        f"Final year: **median over {n} seeds, with the 10–90% range across the {n} seeds in brackets** "
        f"(with few seeds the range is close to the lowest and highest). Percentages of pupils reaching the "
        "benchmark (mean, p10, top_decile), percentage points (spread, disadvantage_gap: most minus least "
        "advantaged fifth of intakes), pupil SD (frontier; score: mean pupil score relative to the benchmark score, "
        "what pupils learn, and score_gain since the start), % of schools "
        "(outstanding, special_measures); UCI = upwards-convergence index (simulation/measures/index.py); "
        "resource_used = staff + officer days over the run.\n",
        cells.to_markdown() if _has_tabulate() else cells.to_string(), "",
    ]
    (out / "summary.md").write_text("\n".join(text))
    arm_json = [{"name": a, "label": r.label, "base_strategy": r.get("base_strategy", a),
                 "overrides": r.get("overrides", ""),
                 "budget": {lever: r.get(f"strategy.{lever}") for lever in LEVERS},
                 "final_year": {m: {"median": stats["median"].loc[a, m], "p10_over_seeds": stats["low"].loc[a, m],
                                    "p90_over_seeds": stats["high"].loc[a, m]} for m in stats["median"].columns}}
                for a, r in info.iterrows()]
    summary = {"scenario": scenario, "seeds": int(n), "years": years, "interval": "10-90% range across seeds",
               "arms": arm_json}
    (out / "summary.json").write_text(json.dumps(summary, indent=2, default=float))
    return paths + [out / "summary.md", out / "summary.json"]


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401

        return True
    except ImportError:
        return False


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one sentence, exit 2 (argparse's own errors too)
        self.exit(2, f"{self.prog}: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="upconv-compare", formatter_class=argparse.RawDescriptionHelpFormatter,
                description=__doc__, epilog=(
                    "examples:\n  upconv-compare --scenario teaching --seeds 2 --years 2\n"
                    "  upconv-compare --strategy status_quo \\\n"
                    "      --strategy mymix=upwards_convergence:strategy.internal_coaching=0.5,strategy.school_support=0.1\n"
                    "  upconv-compare --set coaching.coaching_time=6 --set strategy.budget_days_per_school=30"))
    p.add_argument("--scenario", default="regional", metavar="NAME",
                   help=f"the system to simulate, one of {', '.join(available('scenario'))} (default: regional)")
    p.add_argument("--seeds", type=_whole, default=10, metavar="N",
                   help="runs per arm, seeds 0..N-1; each seed is the same initial system for every arm (default: 10)")
    p.add_argument("--years", type=_whole, default=30, metavar="N", help="years simulated, 1-200 (default: 30)")
    p.add_argument("--workers", type=_whole, default=None, metavar="N",
                   help="parallel processes (default: one per CPU core)")
    p.add_argument("--strategy", action="append", default=None, metavar="ARM", dest="strategies",
                   help=f"an arm to compare; repeat for several (default: all of {', '.join(STRATEGIES)}). "
                        f"Either a registered strategy, or a named mix {SYNTAX}: the base strategy's config "
                        "with parameter overrides (dotted keys as in docs/parameters.md, a__b or a unique leaf "
                        "name also work; the budget shares strategy.internal_coaching, school_support, external_networks, "
                        "innovation and low_leverage_cpd must still sum to 1). A mix is labelled by its name and "
                        "budget shares in every output (examples below)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", dest="common",
                   help="a parameter override applied to every arm (repeatable; a mix's own overrides win), "
                        "e.g. --set coaching.coaching_time=6")
    p.add_argument("--out", type=Path, default=Path("outputs/compare"), metavar="DIR",
                   help="folder for timeseries.parquet, the figures, summary.md and summary.json "
                        "(default: outputs/compare)")
    return p


def main(argv: list[str] | None = None) -> None:
    p = parser()
    args = p.parse_args(argv)
    try:
        common = {k: v for text in args.common for k, v in parse_overrides(text, "--set").items()}
        arms = [parse_arm(a) for a in (args.strategies or STRATEGIES)]
        check(args.scenario, args.seeds, args.years, args.workers, arms, common)
        if args.out.exists() and not args.out.is_dir():
            raise InputError(f"--out must be a folder; got {str(args.out)!r}, which is a file.")
    except InputError as exc:
        p.exit(2, f"upconv-compare: error: {exc}\n")
    t0 = time.time()
    table = compare(args.scenario, args.seeds, args.years, args.workers, arms, common)
    paths = write_report(table, args.out)
    medians = summarise(table).round(2)
    medians.insert(0, BUDGET_HEADER, budget_column(_arms_info(table)))
    print(medians.to_string())
    print(f"\nMedians over {args.seeds} seed{'s' * (args.seeds > 1)} (10–90% ranges in summary.md). "
          f"{len(table)} rows from {table.groupby(['strategy', 'seed']).ngroups} runs in {time.time() - t0:.0f} s.")
    print("Figures and report:")
    for path in paths:
        print(f"  {path}")


if __name__ == "__main__":
    main()
