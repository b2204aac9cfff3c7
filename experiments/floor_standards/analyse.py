"""Floor standards: a flat floor vs rising floor schedules, under the status quo and upwards convergence.

    python -m experiments.floor_standards  # 3 schedules x 2 strategies x 20 seeds x 30 years: the sweep, then this
    python -m experiments.floor_standards --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

The schedules are swept as ``floor_schedule`` overrides (conf/experiment/floor_standards.yaml);
each is labelled by its shape ("flat 25%", "rising 25->40% by 2012") and, when the sweep varies the
strategy, by the strategy too ("rising 25->40% by 2012 under status_quo"). Both outcomes are reported: the
benchmark share (what the floor measures) and the mean pupil score (what pupils learn, which focus on the
benchmark does not raise), with the disadvantage gap, teacher turnover, head changes, academies and cost.
Writes into SWEEP_DIR/analysis/: floor.png (floor in force, share below it, pressure, academies),
outcomes.png (benchmark share, mean score, P10 of each, disadvantage gap, leaving rate: median and
10-90% range over seeds), fans.png, convergence.png and report.md.
"""

from __future__ import annotations

import re

import pandas as pd

from simulation.report.reports import (arm_table, cli, compare_arms, final_medians, markdown, paired, start_line,
                                       sweep_line, write_report)

PANELS = {"floor.png": ["floor", "share_below_floor", "mean_pressure", "academies"],
          "outcomes.png": ["mean_attainment", "mean_score", "p10_attainment", "p10_score", "disadvantage_gap",
                           "leaving_rate"]}
FINAL = ["mean", "score", "p10", "disadvantage_gap", "top_decile", "special_measures", "uci"]


def label(schedule: object) -> str:
    """'flat 25%' or 'rising 25->40% by 2012' from a floor_schedule override."""
    steps = [(int(y), float(s)) for y, s in re.findall(r"year:\s*(\d+)\s*,\s*share:\s*([\d.]+)", str(schedule))]
    if not steps:
        return "default (England)"
    if len(steps) == 1 or steps[0][1] == steps[-1][1]:
        return f"flat {100 * steps[0][1]:.0f}%"
    return f"rising {100 * steps[0][1]:.0f}->{100 * steps[-1][1]:.0f}% by {steps[-1][0]}"


def arm_column(table: pd.DataFrame) -> pd.DataFrame:
    """The arm: the schedule's label, and the strategy when the sweep varies it."""
    schedule = table["floor_schedule"].map(label) if "floor_schedule" in table else "default (England)"
    if table.strategy.nunique() > 1:
        return table.assign(arm=schedule + " under " + table.strategy)
    return table.assign(arm=schedule)


def costs(table: pd.DataFrame) -> pd.DataFrame:
    """Per arm, median over seeds: staff and officer days over the run, teachers' mean annual leaving rate (%)
    and new heads per school over the run."""
    later = table[table.step > 0]
    per_run = later.groupby(["strategy", "seed"]).agg(
        staff_days=("total_staff_days", "sum"), officer_days=("officer_days_used", "sum"),
        leaving_rate=("leaving_rate", "mean"), heads=("heads_changed", "last"), academies=("academies", "last"))
    per_run["leaving_rate"] *= 100
    return per_run.groupby("strategy").median()


def analyse(table, out):
    table = arm_column(table)
    if "leaving_rate" in table:  # no term has passed at step 0: no leavers yet, not a rate of zero
        table = table.assign(leaving_rate=table.leaving_rate.where(table.step > 0))
    table, runs, paths = compare_arms(table, out, "arm", PANELS)
    order = sorted(table.strategy.unique(), key=lambda a: (a.split(" under ")[-1], not a.startswith("flat"), a))
    below = (final_medians(table, ["share_below_floor"]) * 100).rename(columns={"share_below_floor": "below_floor"})
    medians = arm_table(runs, [c for c in FINAL if c in runs], order, "floor schedule under strategy").join(below)
    medians = medians.round(2).assign(**({"score": medians["score"].round(3)} if "score" in medians else {}))
    spend = costs(table).loc[order]
    lines = ["# Floor standards: flat vs rising schedules", "", sweep_line(table), "", start_line(table), "",
             "## Final year, median over seeds", "",
             "mean and p10: % of pupils at the benchmark (the measure the floor uses; p10 is the 10th percentile of "
             "schools); score: mean pupil score relative to the benchmark score in pupil SD (what pupils learn); "
             "disadvantage_gap: benchmark share of the most advantaged fifth of intakes minus the most "
             "disadvantaged fifth (pp); top_decile: mean of the best 10% of schools; below_floor and "
             "special_measures: % of schools.", "", markdown(medians, 3), "",
             "## Consequences and cost over the run, median over seeds", "",
             "staff_days: every staff day released for improvement (budget, self-funded partnerships, sponsors); "
             "officer_days: the authority's and central officers' days (interventions, brokering, academy orders); "
             "leaving_rate: teachers leaving a year, % of posts (mean over the run); heads: new heads; academies: "
             "schools made sponsored academies.", "", markdown(spend, 1), ""]
    for strategy in dict.fromkeys(a.split(" under ")[-1] for a in order):
        arms = [a for a in order if a.split(" under ")[-1] == strategy]
        flat = next((a for a in arms if a.startswith("flat")), None)
        if flat is None:
            continue
        lines += [f"Against the {flat}, paired by seed (median difference; share of seeds where it is higher):", ""]
        for arm in (a for a in arms if a != flat):
            diffs = []
            for m in (m for m in ("mean", "score", "p10", "disadvantage_gap", "uci") if m in runs):
                d, share = paired(runs, arm, flat, m)
                diffs.append(f"{m} {d:+.{3 if m == 'score' else 2}f} ({share:.0%})")
            lines.append(f"* {arm}: " + "; ".join(diffs))
        lines.append("")
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("floor_standards", __doc__, argv))
