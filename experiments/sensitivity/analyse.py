"""Sensitivity: Morris screening of the mechanism parameters against the convergence index.

    python -m experiments.sensitivity          # the runs (run.py), then this analysis
    python -m experiments.sensitivity --analyse-only [--sweep-dir RUN_DIR] [--out DIR]

Reads ``morris.parquet`` and ``problem.json`` (default: the newest under
outputs/experiments/sensitivity/), computes the Morris measures with SALib for the
upwards-convergence index and its three components (mean over the seeds of each point), and
writes into RUN_DIR/analysis/: ranking.png (mu*, the mean absolute elementary effect, with its
95% confidence interval, per parameter), morris.png (mu* against sigma: high sigma =
non-linear or interacting) and report.md.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from simulation.report.plots import finish, plt
from simulation.report.reports import folders, markdown, save, write_report
from simulation.run.sweeps import morris_indices

OUTPUTS = {"uci": "index", "delta_mean": "Δmean", "delta_top": "Δtop decile", "delta_spread": "Δspread"}


def analyse(run_dir: Path, out: Path) -> list[Path]:
    problem = json.loads((run_dir / "problem.json").read_text())
    runs = pd.read_parquet(run_dir / "morris.parquet")
    ranked = morris_indices(problem, runs, "uci")
    ranks = pd.DataFrame({label: morris_indices(problem, runs, col).set_index("parameter").mu_star
                          for col, label in OUTPUTS.items()}).loc[ranked.parameter]

    fig, ax = plt.subplots(figsize=(7, 0.32 * len(ranked) + 1.2), constrained_layout=True)
    ax.barh(ranked.parameter[::-1], ranked.mu_star[::-1], xerr=ranked.mu_star_conf[::-1], color="#2ca02c", alpha=0.8)
    ax.set_xlabel("mu* of the upwards-convergence index (points)")
    finish(fig, "Morris ranking of mechanism parameters",
           f"Bars: mu*, the mean absolute effect over {runs.seed.nunique()} seed(s) a point; whiskers: 95% interval.")
    fig2, ax2 = plt.subplots(figsize=(6, 5), constrained_layout=True)
    ax2.scatter(ranked.mu_star, ranked.sigma, color="#2ca02c")
    for _, row in ranked.head(8).iterrows():
        ax2.annotate(row.parameter.split(".")[-1], (row.mu_star, row.sigma), fontsize=7, xytext=(3, 3),
                     textcoords="offset points")
    ax2.set_xlabel("mu*: importance (index points)")
    ax2.set_ylabel("sigma: non-linearity / interactions (index points)")
    finish(fig2, "Morris screening: upwards-convergence index",
           "A point per parameter (the 8 largest mu* named); both axes in index points.")
    paths = save({"ranking.png": fig, "morris.png": fig2}, out)

    base = " ".join(problem.get("overrides", []))
    lines = [
        "# Sensitivity: Morris screening against the upwards-convergence index", "",
        f"Base: `upconv {base}`; {problem['num_vars']} parameters, {runs.point.nunique()} points "
        f"({runs.point.nunique() // (problem['num_vars'] + 1)} trajectories, {problem.get('num_levels', 4)} levels) x "
        f"{runs.seed.nunique()} seeds = {len(runs)} runs. Index over the points: median {runs.uci.median():.1f}, "
        f"range {runs.uci.min():.1f} to {runs.uci.max():.1f}.", "",
        "mu* = mean absolute elementary effect of moving a parameter across its range (in index points); "
        "sigma = SD of the effects (non-linearity or interactions); mu = signed mean. Ranked by mu* of the index:", "",
        markdown(ranked.set_index("parameter")[["mu_star", "mu_star_conf", "mu", "sigma"]]), "",
        "mu* of each component (Δspread enters the index with a minus sign):", "",
        markdown(ranks), "",
        "Ranges sampled (simulation/run/sweeps.py, MORRIS_PARAMETERS):", "",
        ", ".join(f"`{n}` {lo:g}-{hi:g}" for n, (lo, hi) in zip(problem["names"], problem["bounds"])),
    ]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[RUN_DIR] [--out DIR]`` (default: the newest run folder of the screening)."""
    return analyse(*folders("sensitivity", __doc__, argv))

