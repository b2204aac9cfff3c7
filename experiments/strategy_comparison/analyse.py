"""Strategy comparison at equal cost: fan charts, grade shares, convergence diagram, index.

    python -m experiments.strategy_comparison  # 4 strategies x 20 seeds x 30 years: the sweep, then this analysis
    python -m experiments.strategy_comparison --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

Reads the sweep (default: the newest under outputs/experiments/strategy_comparison/) and
writes into SWEEP_DIR/analysis/: fans.png (median and 10-90% range over seeds of mean
attainment, spread P90-P10, top decile and frontier), grades.png (share of schools in each
grade over time), convergence.png (x = spread, y = mean; up and to the left is upwards
convergence) and report.md.
"""

from __future__ import annotations

from simulation.strategies import STRATEGIES
from simulation.report.reports import (arm_table, cli, compare_arms, grade_shares_figure, markdown, paired, start_line,
                                sweep_line, write_report)

COLUMNS = ["mean", "p10", "top_decile", "spread", "score", "score_gain", "frontier", "outstanding", "special_measures",
           "uci", "resource_used"]


def analyse(table, out):
    table, runs, paths = compare_arms(table, out, "strategy",
                                      extra=lambda t: {"grades.png": grade_shares_figure(t, list(STRATEGIES))})
    medians = arm_table(runs, [c for c in COLUMNS if c in runs], list(STRATEGIES))
    best = medians["uci"].idxmax()
    lines = [
        "# Strategy comparison at equal cost", "", sweep_line(table), "", start_line(table), "",
        "## Upwards-convergence index", "",
        "UCI = Δmean + Δtop decile − Δspread, in percentage points of pupils reaching the benchmark, from the first "
        "to the last year of a run (spread = P90 − P10 of schools; `simulation/measures/index.py`). A strategy that raises "
        "the mean by 5 points and the top decile by 3 and narrows the spread by 2 scores 10.", "",
        "## Final year, median over seeds", "",
        "Percentages of pupils reaching the benchmark (mean, p10, top decile), percentage points (spread), pupil SD "
        "(score: mean pupil score relative to the benchmark score, what pupils learn, and score_gain since the start; "
        "frontier), % of schools (outstanding, special measures); resource_used = staff + officer days over the run.",
        "", markdown(medians), "",
        f"Highest median index: **{best}** ({medians.loc[best, 'uci']:.1f}).", "",
        "Paired by seed (same seed = same initial system), median difference and share of seeds where the first is "
        "higher (for spread, lower is better):", "",
        "| comparison | metric | median difference | share of seeds |", "|---|---|---|---|",
    ]
    for other in [s for s in STRATEGIES if s != "upwards_convergence" and s in medians.index]:
        if "upwards_convergence" not in medians.index:
            break
        for metric in [m for m in ("uci", "mean", "spread", "top_decile", "score") if m in runs]:
            d, share = paired(runs, "upwards_convergence", other, metric)
            lines.append(f"| upwards_convergence − {other} | {metric} | {d:+.{3 if metric == 'score' else 2}f} | "
                         f"{share:.0%} |")
    spread_used = runs.groupby("strategy").resource_used.agg(["min", "max"])
    lines += ["", f"Resource used per run ranges from {spread_used['min'].min():.0f} to "
                  f"{spread_used['max'].max():.0f} staff + officer days (equal budgets)."]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("strategy_comparison", __doc__, argv))

