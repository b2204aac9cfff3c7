"""Floor standards: a flat floor vs rising floor schedules, effect on the bottom and the top.

    python -m experiments.floor_standards  # 3 schedules x 20 seeds x 30 years: the sweep, then this analysis
    python -m experiments.floor_standards --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

The schedules are swept as ``floor_schedule`` overrides (conf/experiment/floor_standards.yaml);
each is labelled by its shape ("flat 25%", "rising 25->40% by 2012"). Writes into
SWEEP_DIR/analysis/: floor.png (floor in force, share of schools below it, P10 and top
decile: median and 10-90% range over seeds), fans.png, convergence.png and report.md.
"""

from __future__ import annotations

import re

from simulation.report.reports import (arm_table, cli, compare_arms, final_medians, markdown, paired, start_line,
                                sweep_line, write_report)

PANELS = ["floor", "share_below_floor", "p10_attainment", "top_decile_attainment"]


def label(schedule: object) -> str:
    """'flat 25%' or 'rising 25->40% by 2012' from a floor_schedule override."""
    steps = [(int(y), float(s)) for y, s in re.findall(r"year:\s*(\d+)\s*,\s*share:\s*([\d.]+)", str(schedule))]
    if not steps:
        return "default (England)"
    if len(steps) == 1 or steps[0][1] == steps[-1][1]:
        return f"flat {100 * steps[0][1]:.0f}%"
    return f"rising {100 * steps[0][1]:.0f}->{100 * steps[-1][1]:.0f}% by {steps[-1][0]}"


def analyse(table, out):
    if "floor_schedule" not in table:
        table = table.assign(floor_schedule="")
    table, runs, paths = compare_arms(table, out, "floor_schedule", {"floor.png": PANELS}, label)
    order = sorted(table.strategy.unique(), key=lambda a: (not a.startswith("flat"), a))
    below = (final_medians(table, ["share_below_floor"]) * 100).rename(columns={"share_below_floor": "below_floor"})
    medians = arm_table(runs, ["mean", "p10", "top_decile", "spread", "special_measures", "uci"], order,
                        "floor schedule").join(below)
    lines = ["# Floor standards: flat vs rising schedules", "", sweep_line(table), "", start_line(table), "",
             "## Final year, median over seeds", "",
             "p10 is the bottom (10th percentile of schools), top_decile the top (mean of the best 10%); below_floor "
             "and special_measures are % of schools.", "", markdown(medians), ""]
    flat = next((a for a in order if a.startswith("flat")), None)
    if flat is not None:
        lines += [f"Against the {flat} floor, paired by seed (median difference; share of seeds where it is higher):", ""]
        for arm in (a for a in order if a != flat):
            diffs = ["{} {:+.2f} ({:.0%})".format(m, *paired(runs, arm, flat, m))
                     for m in ("p10", "top_decile", "mean", "uci")]
            lines.append(f"* {arm}: " + "; ".join(diffs))
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("floor_standards", __doc__, argv))

