"""Growing the Top pilot: trio schools vs matched non-participants over five years.

    python -m experiments.growing_the_top_pilot  # 20 seeds, 8 years, school panels: the sweep, then this analysis
    python -m experiments.growing_the_top_pilot --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

Reads every job's school panel (``schools.parquet``; the ``pilot`` column marks trio
members from the pilot's start). In each run, every trio school is matched, without
replacement, to the non-participant of the same grade (just before the pilot) with the
nearest mean attainment over the two years before the pilot (any grade if none is left).
Writes into SWEEP_DIR/analysis/: pilot.png (attainment and staff knowledge of trio schools and
their matches by years since the pilot's start, and the difference; mean over runs with the
5-95% band of run means) and report.md (balance before, differences after 1, 3 and 5 years,
difference-in-differences).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.report.plots import finish, plt, year_axis
from simulation.report.reports import cli, markdown, save, sweep_line, write_report

OUTCOMES = {"attainment": "% of pupils at the benchmark", "knowledge": "mean staff knowledge (pupil SD)"}
PRE_YEARS = 2.0
HORIZONS = (1, 3, 5)


def match(run: pd.DataFrame) -> pd.DataFrame | None:
    """One run's panel -> rows of (years since start, group, school outcomes) for trio schools and matches."""
    started = run.loc[run.pilot, "step"]
    if started.empty:
        return None
    start_step = started.min()
    start_year = run.loc[run.step == start_step, "year"].iloc[0]
    before = run[(run.year >= start_year - PRE_YEARS) & (run.step < start_step)]
    pre = before.groupby("school").attainment.mean()
    grade = run[run.step == start_step - 1].set_index("school").grade
    trio = sorted(run.loc[run.pilot & (run.step == start_step), "school"])
    pool = set(run.school.unique()) - set(run.loc[run.pilot, "school"])
    pairs = []
    for school in sorted(trio, key=lambda s: -pre[s]):  # the hardest to match first
        candidates = [c for c in pool if grade[c] == grade[school]] or list(pool)
        if not candidates:
            break
        best = min(candidates, key=lambda c: abs(pre[c] - pre[school]))
        pool.discard(best)
        pairs.append((school, best, grade[best] == grade[school]))
    ids = {s: ("trio", i) for i, (s, _, _) in enumerate(pairs)} | {m: ("matched", i) for i, (_, m, _) in enumerate(pairs)}
    rows = run[run.school.isin(ids)].copy()
    rows["group"] = rows.school.map(lambda s: ids[s][0])
    rows["pair"] = rows.school.map(lambda s: ids[s][1])
    rows["t"] = (rows.year - start_year).round(6)
    rows["same_grade"] = np.mean([p[2] for p in pairs]) if pairs else np.nan
    return rows


def analyse(panel, out):
    pieces = [m for _, run in panel.groupby("job") if (m := match(run)) is not None]
    runs_total = panel.job.nunique()
    if not pieces:
        lines = ["# Growing the Top pilot", "", sweep_line(panel), "",
                 "No run had a pilot (pilot.n_trios = 0, or no eligible stand-out schools)."]
        return write_report(out, lines, [])
    rows = pd.concat(pieces, ignore_index=True)
    # per run and time: mean over schools of each group, and trio minus matched
    by_run = rows.groupby(["job", "t", "group"])[list(OUTCOMES)].mean().unstack("group")
    diff = pd.concat({o: by_run[(o, "trio")] - by_run[(o, "matched")] for o in OUTCOMES}, axis=1)
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.6), constrained_layout=True)
    for ax, outcome in zip(axes[:2], OUTCOMES):
        scale = 100 if outcome == "attainment" else 1
        for group, colour in (("trio", "#ff7f0e"), ("matched", "#777777")):
            series = by_run[(outcome, group)].unstack("t") * scale
            ax.fill_between(series.columns, series.quantile(0.05), series.quantile(0.95), color=colour, alpha=0.15)
            ax.plot(series.columns, series.mean(), color=colour, label=f"{group} schools")
        ax.axvline(0, color="k", lw=0.8, ls=":")
        ax.set_title(f"{outcome.capitalize()} of trio schools and their matches", fontsize=10)
        ax.set_ylabel(OUTCOMES[outcome])
        year_axis(ax, "years since the pilot started")
    twin = axes[2].twinx()
    panels = ((axes[2], "attainment", "#1f77b4", "points"), (twin, "knowledge", "purple", "pupil SD"))
    for ax, outcome, colour, unit in panels:
        series = diff[outcome].unstack("t") * (100 if outcome == "attainment" else 1)
        ax.fill_between(series.columns, series.quantile(0.05), series.quantile(0.95), color=colour, alpha=0.12)
        ax.plot(series.columns, series.mean(), color=colour, ls="-" if outcome == "attainment" else "--",
                label=f"trio minus matched: {outcome} ({unit})")
        ax.set_ylabel(f"{outcome} difference ({unit})", color=colour)
    axes[2].axhline(0, color="k", lw=0.8)
    axes[2].axvline(0, color="k", lw=0.8, ls=":")
    axes[2].set_title("Trio minus matched", fontsize=10)
    year_axis(axes[2], "years since the pilot started")
    twin.grid(False)
    twin.spines["right"].set_visible(True)
    handles, labels = [], []
    for ax in (axes[0], axes[2], twin):
        h, lab = ax.get_legend_handles_labels()
        handles, labels = handles + h, labels + lab
    finish(fig, f"Growing the Top pilot: {', '.join(map(str, panel.scenario.unique()))} scenario",
           f"Lines: mean over {len(pieces)} run{'s' * (len(pieces) > 1)} of the schools' mean; "
           "bands: 5-95% range of the run means; dotted: the pilot's start.", handles, labels)
    paths = save({"pilot.png": fig}, out)

    d = diff.reset_index()
    pre = d[d.t < 0].groupby("job")[list(OUTCOMES)].mean()
    table = []
    for h in HORIZONS:
        if d.t.max() < h - 0.5:
            continue
        at = d[np.isclose(d.t, d.t[d.t <= h + 1e-9].max())].set_index("job")[list(OUTCOMES)]
        did = at - pre
        table.append({"years after start": h, "attainment diff (points)": 100 * at.attainment.mean(),
                      "attainment DiD (points)": 100 * did.attainment.mean(),
                      "share of runs with DiD > 0": (did.attainment > 0).mean(),
                      "knowledge diff (SD)": at.knowledge.mean(), "knowledge DiD (SD)": did.knowledge.mean()})
    n_trio = rows[rows.group == "trio"].groupby("job").school.nunique()
    lines = [
        "# Growing the Top pilot: trio schools vs matched non-participants", "", sweep_line(panel), "",
        f"{len(pieces)} of {runs_total} runs had a pilot; trio schools per run: median {n_trio.median():.0f} "
        f"(range {n_trio.min()}-{n_trio.max()}); {100 * rows.groupby('job').same_grade.first().mean():.0f}% of matches "
        "share the trio school's grade.", "",
        "Matching: nearest mean attainment over the two years before the pilot, same grade just before it, "
        "without replacement. DiD = (trio - matched) after minus (trio - matched) over the two years before.", "",
        f"Balance before the pilot (trio - matched, mean over runs): attainment {100 * pre.attainment.mean():+.2f} "
        f"points, knowledge {pre.knowledge.mean():+.3f} SD.", "",
        markdown(pd.DataFrame(table), 3, index=False), "",
    ]
    if abs(pre.attainment.mean()) > 0.02:
        lines += ["The trio schools are the system's top performers, so even the nearest non-participants start "
                  "lower: the levels are not comparable, the DiD (change against change) is the estimate. Selecting on "
                  "two good years also invites regression to the mean, which biases the DiD downward.", ""]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    return analyse(*cli("growing_the_top_pilot", __doc__, argv, table="schools"))

