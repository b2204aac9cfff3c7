"""London Challenge: the London-style chart (share outstanding, share in special measures),
the share of outstanding schools supporting others, upwards convergence vs the status quo.

    python -m experiments.london_challenge  # 2 strategies x 20 seeds x 30 years: the sweep, then this analysis
    python -m experiments.london_challenge --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

Writes into SWEEP_DIR/analysis/: london_chart.png (median and 10-90% range over seeds of the
share of schools outstanding, in special measures, and of outstanding schools supporting
another school), fans.png, convergence.png and report.md.
"""

from __future__ import annotations

from simulation.report.reports import (arm_table, cli, compare_arms, markdown, paired, start_line, sweep_line, write_report)
from simulation.strategies import STRATEGIES

ARMS = ("upwards_convergence", "status_quo")  # compared, paired by seed (the preset sweeps these two)
CHART = ["share_outstanding", "share_special_measures", "share_outstanding_supporting"]
CHECK_YEARS = (2005, 2008, 2011)  # the London Challenge ran 2003-2011


def analyse(table, out):
    table, runs, paths = compare_arms(table, out, "strategy", {"london_chart.png": CHART})
    start = int(table.year.min())
    years = [start, *[y for y in CHECK_YEARS if start < y < table.year.max()], int(table.year.max())]
    yearly = table[table.year.isin(years)].groupby(["strategy", "year"])[CHART].median() * 100
    yearly.columns = ["% outstanding", "% special measures", "% of outstanding supporting"]
    yearly = yearly.reset_index().astype({"year": int})
    medians = arm_table(runs, [c for c in ("mean", "p10", "top_decile", "spread", "score", "score_gain", "outstanding",
                                           "special_measures", "uci") if c in runs], list(STRATEGIES))
    lines = ["# London Challenge: upwards convergence vs status quo in a London-like region", "", sweep_line(table), "",
             start_line(table), "", "## The London-style chart, median over seeds", "", markdown(yearly, 1, index=False), "",
             "## Final year, median over seeds", "", markdown(medians), ""]
    if set(ARMS) <= set(runs.strategy):
        lines += ["Upwards convergence minus status quo, paired by seed (median difference; share of seeds where it is "
                  "higher):", ""]
        for metric in [m for m in ("outstanding", "special_measures", "mean", "spread", "score", "uci") if m in runs]:
            d, share = paired(runs, *ARMS, metric)
            lines.append(f"* {metric}: {d:+.2f} ({share:.0%} of seeds higher)")
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("london_challenge", __doc__, argv))

