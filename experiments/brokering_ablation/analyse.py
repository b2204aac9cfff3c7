"""Brokering ablation: which lever of brokering - matching, facilitation, monitoring - lifts the weakest schools.

    python -m experiments.brokering_ablation  # 5 arms x 20 seeds x 10 years: the sweep, then this analysis
    python -m experiments.brokering_ablation --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

The arms are the files of conf/brokering_levers/ (swept as ``+brokering_levers``). The weakest schools are
the fifth with the lowest published results at the start of each run (what an authority sees), followed
through the run in the school panel. Writes into SWEEP_DIR/analysis/: weakest.png (their attainment gain,
median and 10-90% range over seeds), fans.png, convergence.png and report.md: per arm the gain of the weakest
fifth, the bottom (P10), the mean and the index, and each lever against 'none' paired by seed (one-sided
Wilcoxon signed-rank test).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from simulation.checks.pattern_checks import ABLATION
from simulation.report.plots import BAND, arm_colours, band_caption, finish, plt, year_axis
from simulation.report.reports import arm_table, compare_arms, folders, markdown, start_line, sweep_line, write_report
from simulation.run.sweeps import load_table

GROUP = "brokering_levers"
ORDER = list(ABLATION)  # the arms, one file each in conf/brokering_levers/


def order(arms) -> list[str]:
    return [a for a in ORDER if a in set(arms)] + sorted(set(arms) - set(ORDER))


def weakest_gain(schools: pd.DataFrame) -> pd.DataFrame:
    """Per job and year: the mean attainment change (pp) since the start of the fifth of schools with the
    lowest attainment at step 0."""
    start = schools[schools.step == 0]
    rank = start.groupby("job").attainment.rank(method="first")
    size = start.groupby("job").school.transform("size")
    weak = start.loc[rank <= size // 5, ["job", "school"]]
    panel = schools.merge(weak, on=["job", "school"])
    mean = panel.groupby(["job", GROUP, "seed", "year"]).attainment.mean().reset_index()
    first = mean.groupby("job").attainment.transform("first")
    return mean.assign(gain=100 * (mean.attainment - first))


def weakest_figure(gains: pd.DataFrame, heading: str):
    arms = order(gains[GROUP].unique())
    colours = arm_colours(arms)
    fig, ax = plt.subplots(figsize=(6.4, 4.2), constrained_layout=True)
    for arm in arms:
        q = gains[gains[GROUP] == arm].groupby("year").gain.quantile([BAND[0], 0.5, BAND[1]]).unstack()
        ax.fill_between(q.index, q[BAND[0]], q[BAND[1]], alpha=0.12, color=colours[arm], lw=0)
        ax.plot(q.index, q[0.5], color=colours[arm], label=arm.replace("_", " "))
    year_axis(ax)
    ax.set_ylabel("attainment gain since the start\n(percentage points)")
    ax.set_title("Weakest fifth of schools by their first published results")
    handles, labels = ax.get_legend_handles_labels()
    return finish(fig, heading, band_caption(gains.seed.nunique()), handles, labels)


def p_greater(a: pd.Series, b: pd.Series) -> float:
    d = (a - b).dropna()
    return 1.0 if d.empty or np.all(d == 0) else float(wilcoxon(d, alternative="greater").pvalue)


def analyse(table: pd.DataFrame, schools: pd.DataFrame, out: Path) -> list[Path]:
    if GROUP not in table:
        raise SystemExit(f"this sweep does not vary {GROUP}; run upconv -m +experiment=brokering_ablation")
    gains = weakest_gain(schools)
    final = gains[gains.year == gains.groupby("job").year.transform("max")].set_index("job").gain
    extra = {"weakest.png": weakest_figure(gains, f"{', '.join(table.scenario.unique())} scenario: brokering levers")}
    table, runs, paths = compare_arms(table, out, GROUP, extra=lambda _: extra)
    runs = runs.assign(weakest_gain=runs.job.map(final))
    arms = order(runs.strategy.unique())
    medians = arm_table(runs, ["weakest_gain", "p10", "mean", "uci"], arms, "levers")
    lines = ["# Brokering ablation: which lever lifts the weakest schools", "", sweep_line(table), "",
             start_line(table), "",
             "weakest_gain: attainment gain (pp) of the fifth of schools with the lowest published results at the "
             "start, at the end of the run; p10 and mean: % of pupils at the benchmark in the final year; uci: the "
             "upwards-convergence index. The weakest fifth is picked on one year's noisy results, so part of its first-term "
             "rise is regression to the mean; it is the same in every arm, and the arms are compared paired by seed.",
             "", "## Final year, median over seeds", "", markdown(medians), ""]
    if "none" in arms:
        wide = runs.pivot_table(index="seed", columns="strategy", values="weakest_gain")
        lines += ["Against 'none' (no lever), paired by seed: median difference in weakest_gain (pp), share of seeds "
                  "higher, one-sided Wilcoxon p:", ""]
        for arm in (a for a in arms if a != "none"):
            d = (wide[arm] - wide["none"]).dropna()
            lines.append(f"* {arm.replace('_', ' ')}: {d.median():+.2f} pp, {(d > 0).mean():.0%} of {d.size} seeds, "
                         f"p = {p_greater(wide[arm], wide['none']):.2g}")
        best = medians["weakest_gain"].idxmax()
        lines += ["", f"Largest median gain of the weakest fifth: **{best.replace('_', ' ')}** "
                      f"({medians.loc[best, 'weakest_gain']:.2f} pp)."]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    sweep, out = folders("brokering_ablation", __doc__, argv)
    return analyse(load_table(sweep, "timeseries"), load_table(sweep, "schools"), out)
