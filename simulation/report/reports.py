"""Shared pieces of the experiment analyses (``experiments/*/analyse.py``).

An analysis reads a collected sweep table (``simulation.run.collect``), labels the arms it
compares in the ``strategy`` column – so the comparison helpers of ``simulation.run.compare``
and ``simulation.report.plots`` (fan charts, convergence diagram, final-year medians) work on any
swept parameter – and writes PNG figures and ``report.md`` into ``SWEEP_DIR/analysis/``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.report.plots import (GRADE_COLUMNS, arm_labels, comparison_figure, convergence_diagram, finish, plt,
                                     year_axis)
from simulation.run.compare import summarise
from simulation.run.sweeps import latest_sweep, load_table

FAN_METRICS = ["mean_attainment", "spread", "top_decile_attainment", "frontier"]


def folders(name: str, doc: str, argv: list[str] | None = None) -> tuple[Path, Path]:
    """Parse ``[SWEEP] [--out DIR]``: the sweep (default: the newest of experiment ``name``) and
    the output folder (default ``SWEEP/analysis``, created)."""
    p = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    p.add_argument("sweep", nargs="?", type=Path, default=None,
                   help=f"sweep folder or collected .parquet (default: newest under outputs/experiments/{name}/)")
    p.add_argument("--out", type=Path, default=None, help="where figures and report.md go (default SWEEP/analysis)")
    args = p.parse_args(argv)
    sweep = args.sweep or latest_sweep(name)
    out = args.out or (sweep.parent if sweep.is_file() else sweep) / "analysis"
    out.mkdir(parents=True, exist_ok=True)
    return sweep, out


def cli(name: str, doc: str, argv: list[str] | None = None, table: str = "timeseries") -> tuple[pd.DataFrame, Path]:
    """``folders`` and the sweep's collected table."""
    sweep, out = folders(name, doc, argv)
    return load_table(sweep, table), out


def with_arm(table: pd.DataFrame, column: str, label: Callable[[object], str] = str) -> pd.DataFrame:
    """The table with the compared arm (``column``'s value, labelled) in ``strategy``, plus ``spread``."""
    labels = {v: label(v) for v in table[column].unique()}
    return table.assign(strategy=table[column].map(labels), spread=table.p90_attainment - table.p10_attainment)


def compare_arms(table: pd.DataFrame, out: Path, column: str, panels: dict[str, list[str]] | None = None,
                 label: Callable[[object], str] = str, extra: Callable[[pd.DataFrame], dict] | None = None):
    """Label the arms by ``column``, summarise every run, and save the figures: one fan chart
    per entry of ``panels`` (file name -> metrics), ``fans.png`` (mean, spread, top decile,
    frontier), whatever ``extra(table)`` draws, and ``convergence.png``.
    Returns the labelled table, the per-run summary and the figure paths."""
    table = with_arm(table, column, label)
    where = heading(table)
    figures = {name: comparison_figure(table, metrics, heading=f"{_title(name)}: {where}")
               for name, metrics in (panels or {}).items()}
    figures["fans.png"] = comparison_figure(table, FAN_METRICS, heading=f"Attainment and frontier: {where}")
    figures.update(extra(table) if extra else {})
    figures["convergence.png"] = convergence_diagram(table, heading=f"Convergence diagram: {where}")
    return table, per_run(table), save(figures, out)


def heading(table: pd.DataFrame) -> str:
    """'london_challenge scenario, 30 years; arms: strategy.brokering' – the figures' first line."""
    years = table.groupby("job").year.agg(lambda y: y.max() - y.min()).median() if "job" in table else \
        table.year.max() - table.year.min()
    return f"{', '.join(map(str, table.scenario.unique()))} scenario, {round(years)} years"


def _title(file_name: str) -> str:
    return Path(file_name).stem.replace("_", " ").capitalize()


def per_run(table: pd.DataFrame) -> pd.DataFrame:
    """Final-year figures and index of every run (``compare.summarise`` with one group per job)."""
    runs = summarise(table.assign(strategy=table["job"]))
    arms = table.groupby("job")[["strategy", "seed"]].first()
    return runs.join(arms).reset_index(names="job")


def final_medians(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Median over runs of each arm of ``columns`` in the last step."""
    last = table[table.step == table.groupby("job").step.transform("max")]
    return last.groupby("strategy")[columns].median()


def arm_table(runs: pd.DataFrame, columns: Iterable[str], order: list[str] | None = None,
              name: str = "strategy") -> pd.DataFrame:
    """Median over seeds of each arm, in ``order``, the arms' column called ``name``."""
    med = runs.groupby("strategy")[list(columns)].median()
    return med.loc[[a for a in (order or med.index) if a in med.index]].rename_axis(name)


def paired(runs: pd.DataFrame, a: str, b: str, metric: str) -> tuple[float, float]:
    """Median over seeds of (a - b) in ``metric``, paired by seed, and the share of seeds where a > b."""
    wide = runs.pivot_table(index="seed", columns="strategy", values=metric)
    diff = (wide[a] - wide[b]).dropna()
    return float(diff.median()), float((diff > 0).mean())


def start_line(table: pd.DataFrame) -> str:
    first = table[table.step == 0]
    return (f"Start (mean over runs): mean attainment {100 * first.mean_attainment.mean():.1f}%, spread (P90-P10) "
            f"{100 * (first.p90_attainment - first.p10_attainment).mean():.1f} points, top decile "
            f"{100 * first.top_decile_attainment.mean():.1f}%, share outstanding "
            f"{100 * first.share_outstanding.mean():.1f}%.")


def sweep_line(table: pd.DataFrame) -> str:
    years = table.groupby("job").year.agg(["min", "max"])
    return (f"{table.job.nunique()} runs: scenario {', '.join(map(str, table.scenario.unique()))}; arms "
            f"{', '.join(map(str, table.strategy.unique()))}; {table.seed.nunique()} seeds; "
            f"{round((years['max'] - years['min']).median())} years from {int(years['min'].min())}.")


def grade_shares_figure(table: pd.DataFrame, order: list[str] | None = None):
    """Share of schools in each grade over time (mean over seeds), one stacked panel per arm."""
    arms = [a for a in (order or sorted(table.strategy.unique())) if a in set(table.strategy)]
    labels = arm_labels(table)
    fig, axes = plt.subplots(1, len(arms), figsize=(3.8 * len(arms), 4.4), sharey=True, constrained_layout=True,
                             squeeze=False)
    for ax, arm in zip(axes[0], arms):
        mean = table[table.strategy == arm].groupby("year")[[*GRADE_COLUMNS, "share_special_measures"]].mean() * 100
        ax.stackplot(mean.index, *[mean[c] for c in GRADE_COLUMNS], colors=[c for _, c in GRADE_COLUMNS.values()],
                     labels=[label for label, _ in GRADE_COLUMNS.values()], alpha=0.9)
        ax.plot(mean.index, mean["share_special_measures"], color="k", ls="--", lw=1, label="special measures")
        ax.set_title(labels.get(arm, arm), fontsize=10)
        ax.set_ylim(0, 100)
        year_axis(ax)
    axes[0][0].set_ylabel("% of schools")
    n = table.seed.nunique()
    return finish(fig, f"Inspection grades: {heading(table)}",
                  f"Share of schools in each grade, mean over {n} seeds; dashed: special measures (part of inadequate).",
                  *axes[0][0].get_legend_handles_labels(), ncol=5)


def save(figures: dict, out: Path) -> list[Path]:
    paths = []
    for name, fig in figures.items():
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        paths.append(out / name)
    return paths


def markdown(df: pd.DataFrame, digits: int = 2, index: bool = True) -> str:
    return df.round(digits).to_markdown(index=index)


def write_report(out: Path, lines: list[str], paths: list[Path]) -> list[Path]:
    """``report.md`` (with links to the figures) beside the figures; prints and returns every path."""
    figures = [f"![{p.stem}]({p.name})" for p in paths if p.suffix == ".png"]
    (out / "report.md").write_text("\n".join([*lines, "", "## Figures", "", *figures, ""]))
    paths = [*paths, out / "report.md"]
    for path in paths:
        print(f"  {path}")
    return paths


def pct(x: float) -> str:
    return f"{100 * x:.1f}%" if np.isfinite(x) else "n/a"
