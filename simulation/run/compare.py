"""`upconv-compare` (what `make run` runs): the four strategies at equal cost, several seeds.

Runs every strategy on one scenario for several seeds in parallel processes, writes the
tidy table ``timeseries.parquet`` (one row per strategy x seed x step), figures (fan charts,
grade shares, convergence diagram) and ``summary.md`` with the final-year medians and the
upwards-convergence index, into ``outputs/compare/`` by default.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from simulation.measures.index import convergence_index
from simulation.params.loading import load_config
from simulation.run.runner import simulate, timeseries
from simulation.strategies import STRATEGIES as STRATEGY_REGISTRY

STRATEGIES = list(STRATEGY_REGISTRY)  # the compared strategies, from the one registry


def _one(args: tuple[str, str, int, int]) -> pd.DataFrame:
    scenario, strategy, seed, years = args
    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = load_config(scenario, strategy, seed=seed, years=years)
    df = timeseries(simulate(cfg))
    return df.assign(strategy=strategy, seed=seed, scenario=scenario)


def compare(scenario: str = "regional", seeds: int = 10, years: int = 30, workers: int | None = None,
            strategies: list[str] | None = None) -> pd.DataFrame:
    """The tidy table of every strategy x seed run."""
    jobs = [(scenario, s, seed, years) for s in (strategies or STRATEGIES) for seed in range(seeds)]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        frames = list(tqdm(pool.map(_one, jobs), total=len(jobs), desc="runs", unit="run"))
    return pd.concat(frames, ignore_index=True)


def summarise(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (strategy, seed), run in table.groupby(["strategy", "seed"]):
        last = run.iloc[-1]
        rows.append({"strategy": strategy, "seed": seed, "mean": 100 * last.mean_attainment,
                     "p10": 100 * last.p10_attainment, "top_decile": 100 * last.top_decile_attainment,
                     "spread": 100 * (last.p90_attainment - last.p10_attainment), "frontier": last.frontier,
                     "outstanding": 100 * last.share_outstanding, "special_measures": 100 * last.share_special_measures,
                     "uci": convergence_index(run), "resource_used": run.resource_used.iloc[1:].sum()})
    return pd.DataFrame(rows).groupby("strategy").median(numeric_only=True).drop(columns="seed")


def write_report(table: pd.DataFrame, out: Path) -> list[Path]:
    from simulation.report.plots import comparison_figure, convergence_diagram

    out.mkdir(parents=True, exist_ok=True)
    table.to_parquet(out / "timeseries.parquet", index=False)
    paths = []
    figures = {
        "attainment_fans.png": comparison_figure(
            table.assign(spread=table.p90_attainment - table.p10_attainment),
            ["mean_attainment", "spread", "top_decile_attainment", "frontier"]),
        "grades.png": comparison_figure(table, ["share_outstanding", "share_special_measures",
                                                "share_outstanding_supporting"]),
        "convergence.png": convergence_diagram(table),
    }
    for name, fig in figures.items():
        fig.savefig(out / name)
        paths.append(out / name)
    summary = summarise(table)
    first = table[table.step == 0].iloc[0]
    text = [
        f"# Strategy comparison: {table.scenario.iloc[0]}, {table.seed.nunique()} seeds, "
        f"{int(table.year.max() - table.year.min())} years\n",
        f"Start: mean {100 * first.mean_attainment:.1f}%, spread "
        f"{100 * (first.p90_attainment - first.p10_attainment):.1f} points, top decile "
        f"{100 * first.top_decile_attainment:.1f}%.\n",
        "Final-year medians over seeds (percentages of pupils reaching the benchmark; UCI = upwards-convergence "
        "index, see simulation/measures/index.py; resource_used = staff + officer days over the run):\n",
        summary.round(2).to_markdown() if _has_tabulate() else summary.round(2).to_string(),
        "",
    ]
    (out / "summary.md").write_text("\n".join(text))
    return paths + [out / "summary.md"]


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401

        return True
    except ImportError:
        return False


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="regional")
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--years", type=int, default=30)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--out", type=Path, default=Path("outputs/compare"))
    args = p.parse_args(argv)
    t0 = time.time()
    table = compare(args.scenario, args.seeds, args.years, args.workers)
    paths = write_report(table, args.out)
    print(summarise(table).round(2).to_string())
    print(f"\n{len(table)} rows from {table.groupby(['strategy', 'seed']).ngroups} runs in {time.time() - t0:.0f} s.")
    print("Figures and report:")
    for path in paths:
        print(f"  {path}")


if __name__ == "__main__":
    main()
