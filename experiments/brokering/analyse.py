"""Brokering: none vs self-selected vs data-informed vs school improvement groups.

    python -m experiments.brokering  # 4 modes x 20 seeds x 30 years: the sweep, then this analysis
    python -m experiments.brokering --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

Compares how partnerships are formed (``strategy.brokering``) under upwards convergence in
the Central-South-Wales-like consortium. Writes into SWEEP_DIR/analysis/: fans.png (mean,
spread, top decile, frontier), partnerships.png (live partnerships, share of outstanding
schools supporting, moral capital, knowledge-management capacity), convergence.png and
report.md.
"""

from __future__ import annotations

from simulation.report.reports import (arm_table, cli, compare_arms, final_medians, markdown, paired, start_line,
                                sweep_line, write_report)

MODES = ["none", "self_selected", "data_informed", "school_improvement_groups"]
LINKS = ["n_partnerships", "share_outstanding_supporting", "mean_moral_capital", "mean_km_capacity"]


def analyse(table, out):
    if "strategy.brokering" not in table:
        raise SystemExit("this sweep does not vary strategy.brokering; run upconv -m +experiment=brokering")
    table, runs, paths = compare_arms(table, out, "strategy.brokering", {"partnerships.png": LINKS})
    links = final_medians(table, ["n_partnerships", "mean_moral_capital"])
    medians = arm_table(runs, ["mean", "p10", "top_decile", "spread", "frontier", "uci"], MODES, "brokering").join(links)
    lines = ["# Brokering: how partnerships are formed", "", sweep_line(table), "", start_line(table), "",
             "## Final year, median over seeds", "", markdown(medians), ""]
    if "none" in medians.index:
        lines += ["Against no brokering, paired by seed (median difference; share of seeds where it is higher):", ""]
        for mode in (m for m in MODES if m in medians.index and m != "none"):
            lines.append(f"* {mode}: " + "; ".join("{} {:+.2f} ({:.0%})".format(m, *paired(runs, mode, "none", m))
                                                   for m in ("mean", "p10", "top_decile", "uci")))
    best = medians["uci"].idxmax()
    lines += ["", f"Highest median index: **{best}** ({medians.loc[best, 'uci']:.1f})."]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("brokering", __doc__, argv))

