"""Collaboration scope (pattern 9): local, regional, national and online collaboration against regional inequity.

    python -m experiments.collaboration_scope  # 4 scopes x 4 strategies x 20 seeds x 30 years, then this analysis
    python -m experiments.collaboration_scope --analyse-only [--sweep-dir SWEEP_DIR] [--out DIR]

The arms are the files of conf/collaboration_scope/ (swept as ``+collaboration_scope``): the broker pairs
schools within their local authority, within their region, anywhere face to face, or anywhere with partners far
apart meeting online. Writes into SWEEP_DIR/analysis/: gaps.png (regional gap and cold-spot gap over time under
each scope, per strategy that brokers), finals.png (final-year gaps per strategy and scope) and report.md: the
final-year medians per strategy and scope - regional gap, cold-spot gap, mean attainment, mean score, staff and
officer days, online share - and each scope against 'local' paired by seed (two-sided Wilcoxon signed-rank test).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from simulation.checks.pattern_checks import SCOPES
from simulation.report.plots import BAND, PALETTE, band_caption, finish, plt, year_axis
from simulation.report.reports import folders, markdown, save, write_report
from simulation.run.sweeps import load_table
from simulation.strategies import STRATEGIES

GROUP = "collaboration_scope"
ORDER = list(SCOPES)  # the arms, one file each in conf/collaboration_scope/
LABELS = {"local": "local authority", "regional": "region", "national": "national, face to face",
          "national_online": "national, online when far"}
GAPS = {"regional_gap": "Regional gap (best minus worst region)",
        "cold_spot_gap": "Cold-spot gap (rest minus the cold spot)"}
FINAL = ["regional_gap", "cold_spot_gap", "mean_attainment", "mean_score", "total_staff_days", "officer_days_used",
         "online_share"]


def order(arms) -> list[str]:
    return [a for a in ORDER if a in set(arms)] + sorted(set(arms) - set(ORDER))


def colours(arms: list[str]) -> dict[str, str]:
    return {a: PALETTE[i % len(PALETTE)] for i, a in enumerate(order(arms))}


def finals(table: pd.DataFrame) -> pd.DataFrame:
    """Each run's final-year figures: shares in %, gaps in percentage points; days per year."""
    last = table[table.step == table.groupby("job").step.transform("max")].set_index("job")
    runs = last[["strategy", "seed", GROUP]].copy()
    for m in ("regional_gap", "cold_spot_gap", "mean_attainment", "online_share"):
        runs[m] = 100 * last[m]
    runs["mean_score"] = last["mean_score"]
    per_year = table[table.year > table.groupby("job").year.transform("max") - 1 + 1e-9]  # the last school year
    for m in ("total_staff_days", "officer_days_used"):
        runs[m] = per_year.groupby("job")[m].sum()
    return runs.reset_index()


def gaps_figure(table: pd.DataFrame, heading: str):
    strategies = [s for s in STRATEGIES if s in set(table.strategy)]
    arms = order(table[GROUP].unique())
    col = colours(arms)
    fig, axes = plt.subplots(len(GAPS), len(strategies), figsize=(3.3 * len(strategies), 5.6), sharey="row",
                             constrained_layout=True, squeeze=False)
    for j, strategy in enumerate(strategies):
        sub = table[table.strategy == strategy]
        for i, (metric, title) in enumerate(GAPS.items()):
            ax = axes[i, j]
            for arm in arms:
                q = (100 * sub[sub[GROUP] == arm].groupby("year")[metric].quantile([BAND[0], 0.5, BAND[1]])).unstack()
                ax.fill_between(q.index, q[BAND[0]], q[BAND[1]], alpha=0.10, color=col[arm], lw=0)
                ax.plot(q.index, q[0.5], color=col[arm])
            ax.set_title(f"{STRATEGIES[strategy].label}\n{title}" if i == 0 else title, fontsize=9)
            year_axis(ax)
            if j == 0:
                ax.set_ylabel("percentage points")
    handles = [plt.Line2D([], [], color=col[a]) for a in arms]
    return finish(fig, heading, band_caption(table.seed.nunique()) + " Brokering scope by colour.", handles,
                  [LABELS.get(a, a) for a in arms])


def finals_figure(runs: pd.DataFrame, heading: str):
    strategies = [s for s in STRATEGIES if s in set(runs.strategy)]
    arms = order(runs[GROUP].unique())
    col = colours(arms)
    fig, axes = plt.subplots(1, len(GAPS), figsize=(9.6, 4.0), constrained_layout=True)
    for ax, (metric, title) in zip(axes, GAPS.items()):
        for k, arm in enumerate(arms):
            x = np.arange(len(strategies)) + (k - (len(arms) - 1) / 2) * 0.18
            q = runs[runs[GROUP] == arm].groupby("strategy")[metric].quantile([BAND[0], 0.5, BAND[1]]).unstack()
            q = q.reindex(strategies)
            ax.errorbar(x, q[0.5], yerr=[q[0.5] - q[BAND[0]], q[BAND[1]] - q[0.5]], fmt="o", color=col[arm],
                        capsize=2, ms=4)
        ax.set_xticks(np.arange(len(strategies)), [STRATEGIES[s].label.replace(" ", "\n", 1) for s in strategies])
        ax.axhline(0, color="black", lw=0.6)
        ax.set_title(f"{title}, final year")
        ax.set_ylabel("percentage points")
    handles = [plt.Line2D([], [], color=col[a], marker="o", ls="") for a in arms]
    caption = (f"Points: median over {runs.seed.nunique()} seeds; bars: {100 * BAND[0]:.0f}-{100 * BAND[1]:.0f}% "
               "range over the seeds. Brokering scope by colour.")
    return finish(fig, heading, caption, handles, [LABELS.get(a, a) for a in arms])


def p_two_sided(d: pd.Series) -> float:
    d = d.dropna()
    return 1.0 if d.empty or np.all(d == 0) else float(wilcoxon(d).pvalue)


def comparisons(runs: pd.DataFrame) -> list[str]:
    """Each scope against 'local', per strategy, paired by seed, for both gaps."""
    lines = []
    for strategy in [s for s in STRATEGIES if s in set(runs.strategy)]:
        sub = runs[runs.strategy == strategy]
        for metric in GAPS:
            wide = sub.pivot_table(index="seed", columns=GROUP, values=metric)
            if "local" not in wide:
                continue
            for arm in (a for a in order(wide.columns) if a != "local"):
                d = (wide[arm] - wide["local"]).dropna()
                lines.append(f"| {STRATEGIES[strategy].label} | {metric} | {LABELS.get(arm, arm)} | {d.median():+.2f} | "
                             f"{(d < 0).mean():.0%} | {p_two_sided(d):.2g} |")
    if not lines:
        return []
    return ["| strategy | gap | scope | median difference from local (pp) | seeds narrower | Wilcoxon p |",
            "|---|---|---|---|---|---|", *lines]


def analyse(table: pd.DataFrame, out: Path) -> list[Path]:
    if GROUP not in table:
        raise SystemExit(f"this sweep does not vary {GROUP}; run upconv -m +experiment=collaboration_scope")
    runs = finals(table)
    years = round(float(table.groupby("job").year.agg(lambda y: y.max() - y.min()).median()))
    where = f"{', '.join(map(str, table.scenario.unique()))} scenario, {years} years"
    figures = {"gaps.png": gaps_figure(table, f"Regional inequity by brokering scope: {where}"),
               "finals.png": finals_figure(runs, f"Final-year gaps by strategy and brokering scope: {where}")}
    paths = save(figures, out)
    medians = runs.groupby(["strategy", GROUP])[FINAL].median()
    medians = medians.reindex([(s, a) for s in STRATEGIES for a in order(runs[GROUP].unique()) if (s, a) in medians.index])
    medians = medians.reset_index().rename(columns={GROUP: "scope"})
    medians["strategy"] = medians.strategy.map(lambda s: STRATEGIES[s].label if s in STRATEGIES else s)
    medians["scope"] = medians.scope.map(lambda a: LABELS.get(a, a))
    first = table[table.step == 0]
    lines = ["# Collaboration scope: does purely local collaboration entrench regional inequity? (pattern 9)", "",
             f"{table.job.nunique()} runs: {where}; {runs.seed.nunique()} seeds; scopes "
             f"{', '.join(LABELS.get(a, a) for a in order(runs[GROUP].unique()))}.", "",
             f"Start (mean over runs): regional gap {100 * first.regional_gap.mean():.1f} pp, cold-spot gap "
             f"{100 * first.cold_spot_gap.mean():.1f} pp, mean attainment {100 * first.mean_attainment.mean():.1f}%.", "",
             "regional_gap: best minus worst region's pupil-weighted share at the benchmark (pp); cold_spot_gap: the "
             "other regions minus the cold spot (pp); mean_attainment (%); mean_score (pupil SD); total_staff_days and "
             "officer_days_used: the last school year's days; online_share: % of live partnerships meeting online. The "
             "status quo brokers nothing (schools choose near partners themselves), so its scope arms differ only by "
             "whether far partners could meet online.", "",
             "## Final year, median over seeds", "", markdown(medians, index=False), "",
             "## Each scope against local, paired by seed", "",
             "Negative differences: the gap is narrower than with local-only brokering.", "", *comparisons(runs)]
    return write_report(out, lines, paths)


def main(argv=None):
    """Analyse ``[SWEEP] [--out DIR]`` (default: the newest sweep of this experiment)."""
    sweep, out = folders("collaboration_scope", __doc__, argv)
    return analyse(load_table(sweep, "timeseries"), out)
