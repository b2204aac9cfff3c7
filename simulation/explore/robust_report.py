"""The outputs of a robustness study: tidy Parquet tables, figures (PNG) and report.md.

Every figure says in its two-line title what the bars, dots, lines and whiskers are; axes carry
units; strategies keep their registry colours (simulation.report.plots).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from simulation.explore.runs import write_json, write_table
from simulation.explore.sampling import unit
from simulation.report.plots import arm_colours, close
from simulation.report.plots import finish as _finish
from simulation.strategies import STRATEGIES

INDEX = "upwards-convergence index (points)"


def finish(fig, heading: str, caption: str, *args, **kwargs):
    """The house finish (simulation.report.plots.finish) with the caption wrapped to the figure's width."""
    width = int(fig.get_figwidth() * 14)
    return _finish(fig, textwrap.fill(heading, width), textwrap.fill(caption, width), *args, **kwargs)


def _label(arm: str) -> str:
    return STRATEGIES[arm].label if arm in STRATEGIES else arm


def _ci(level: float) -> str:
    return f"{100 * level:.0f}% bootstrap interval (parameter sets resampled)"


def _sizes(meta: dict) -> str:
    where = {"posterior": " from the posterior", "lhs": " over the ranges", "sobol": " over the ranges"}
    return (f"{meta['n_sets']} parameter sets{where.get(meta.get('design'), '')} x {meta['replicates']} seeds, "
            f"{meta['scenario']}, {meta['years']} years")


def p_best_figure(t: pd.DataFrame, meta: dict):
    colours = arm_colours(list(t.strategy))
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.55 * len(t)), constrained_layout=True)
    y = np.arange(len(t))[::-1]
    ax.barh(y, 100 * t.p_best, color=[colours[s] for s in t.strategy])
    ax.errorbar(100 * t.p_best, y, xerr=[100 * (t.p_best - t.low), 100 * (t.high - t.p_best)], fmt="none",
                ecolor="black", capsize=4, lw=1.2)
    for yi, (_, r) in zip(y, t.iterrows()):
        ax.text(100 * r.high + 1.5, yi, f"{100 * r.p_best:.0f}%", va="center", fontsize=8.5)
    ax.set_yticks(y, [_label(s) for s in t.strategy])
    ax.set_xlim(0, 108)
    ax.set_xlabel("P(best): parameter sets in which the strategy has the highest index (%)")
    return finish(fig, f"Which strategy is best? {_sizes(meta)}",
                  f"Bars: share of sets where the strategy's index (mean over seeds) is highest; whiskers: {_ci(meta['level'])}.")


def regret_figure(sets: pd.DataFrame, t: pd.DataFrame, meta: dict):
    colours = arm_colours(list(t.strategy))
    fig, ax = plt.subplots(figsize=(7.5, 4.2), constrained_layout=True)
    handles = []
    for s in t.strategy:
        r = np.sort(sets.loc[sets.strategy == s, "regret"].to_numpy())
        (h,) = ax.step(np.r_[0, r], np.r_[0, np.arange(1, len(r) + 1) / len(r)] * 100, where="post", color=colours[s])
        row = t.set_index("strategy").loc[s]
        ax.plot([row.regret_median], [50], "o", color=colours[s], ms=6)
        ax.plot([row.regret_p90], [90], "D", color=colours[s], ms=6)
        handles.append(h)
    ax.axhline(50, color="grey", lw=0.6, ls=":")
    ax.axhline(90, color="grey", lw=0.6, ls=":")
    ax.set_xlabel(f"regret: best strategy's index minus this one's, in the same set ({INDEX.split(' (')[1][:-1]})")
    ax.set_ylabel("parameter sets with at most this regret (%)")
    ax.set_ylim(0, 102)
    return finish(fig, f"Regret of each strategy: {_sizes(meta)}",
                  "Lines: cumulative share of sets (regret 0 = best in that set); dot: median; diamond: 90th percentile.",
                  handles, [_label(s) for s in t.strategy])


def differences_figure(t: pd.DataFrame, meta: dict):
    fig, ax = plt.subplots(figsize=(9.5, 1.2 + 0.5 * len(t)), constrained_layout=True)
    y = np.arange(len(t))[::-1]
    ax.errorbar(t.difference, y, xerr=[t.difference - t.low, t.high - t.difference], fmt="o", color="black",
                capsize=4)
    for yi, (_, r) in zip(y, t.iterrows()):
        expected = r.p_a_better_expected  # NaN where neither parameters nor the mean separate the two
        text = f"first higher in {100 * r.p_a_better:.0f}% of sets" + (
            f" ({100 * expected:.0f}% in expectation)" if expected == expected else "")
        ax.annotate(text, (r.high, yi), xytext=(6, -3), textcoords="offset points", fontsize=8)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_yticks(y, [f"{_label(r.a)} − {_label(r.b)}" for _, r in t.iterrows()])
    ax.set_xlabel("difference in the index (points), mean over the parameter sets")
    lo, hi = min(t.low.min(), 0.0), max(t.high.max(), 0.0)
    span = max(hi - lo, 1e-9)
    ax.set_xlim(lo - 0.05 * span, hi + 1.0 * span)
    return finish(fig, f"Differences between strategies: {_sizes(meta)}",
                  f"Dots: mean difference in the {INDEX} (first minus second); whiskers: {_ci(meta['level'])}; "
                  "text: share of sets where the first is higher (counted on the seeds' mean; in expectation: seed "
                  "noise removed, random-effects estimate).")


def variance_figure(t: pd.DataFrame, meta: dict):
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.45 * len(t)), constrained_layout=True)
    y = np.arange(len(t))[::-1]
    param = 100 * (1 - t.seed_share.fillna(0))
    ax.barh(y, param, color="#4c72b0", label="parameter uncertainty (between sets)")
    ax.barh(y, 100 - param, left=param, color="#dd8452", label="seed noise (between seeds in a set)")
    for yi, (_, r) in zip(y, t.iterrows()):
        ax.text(101, yi, f"SD {r.parameter_sd:.1f} / {r.seed_sd:.1f}", va="center", fontsize=8)
    labels = [_label(r.a) if not r.b else f"{_label(r.a)} − {_label(r.b)}" for _, r in t.iterrows()]
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 122)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("share of the variance of one run's index (%)")
    h, lab = ax.get_legend_handles_labels()
    return finish(fig, f"Seed noise or parameter uncertainty? {_sizes(meta)}",
                  "Bars: variance of one run's index (or of a paired difference) split by a crossed set x seed "
                  "random-effects model; text: SD from parameters / from seeds (points).", h, lab, ncol=2)


def prim_figure(found, meta: dict):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10.5, 4.4), constrained_layout=True)
    tr = found.trajectory
    sc = a1.scatter(100 * tr.coverage, 100 * tr.density, c=tr.res_dim, cmap="viridis", s=22)
    c = tr.loc[found.chosen]
    a1.plot(100 * c.coverage, 100 * c.density, "o", mfc="none", mec="red", ms=13, mew=1.8)
    a1.set_xlabel("coverage (% of the losing sets in the box)")
    a1.set_ylabel("density (% of the box's sets that are losing)")
    fig.colorbar(sc, ax=a1, label="restricted parameters")
    box = found.box
    yy = np.arange(len(box))[::-1]
    for yi, (_, r) in zip(yy, box.iterrows()):
        span = r.range_high - r.range_low
        lo, hi = (r.low - r.range_low) / span, (r.high - r.range_low) / span
        a2.plot([0, 1], [yi, yi], color="lightgrey", lw=6, solid_capstyle="butt")
        strong = min(r.qp_low if r.qp_low == r.qp_low else 1, r.qp_high if r.qp_high == r.qp_high else 1) < 0.05
        a2.plot([lo, hi], [yi, yi], color="#c44e52" if strong else "#f0a8aa", lw=6, solid_capstyle="butt")
        a2.text(lo, yi + 0.22, f"{r.low:.3g}", ha="center", fontsize=8)
        a2.text(hi, yi + 0.22, f"{r.high:.3g}", ha="center", fontsize=8)
    a2.set_yticks(yy, [f"{p} ({unit(p)})" for p in box.parameter])
    if box.empty:
        a2.text(0.5, 0, "no parameter restricted:\nthe chosen box is the whole space", ha="center", va="center")
    a2.set_xlim(-0.05, 1.05)
    a2.set_ylim(-0.8, len(box) - 0.2)
    a2.set_xlabel("position in the sets' range (0 = low, 1 = high)")
    return finish(fig, f"Where {_label(found.strategy)} loses (PRIM, EMA Workbench): {found.n_loses} of "
                       f"{found.n_sets} sets" + (" - no clear region" if found.note else ""),
                  f"Left: peeling trajectory, red ring = chosen box (coverage {100 * c.coverage:.0f}%, density "
                  f"{100 * c.density:.0f}%). Right: the box's limits (red; pale: quasi-p of the restriction above 0.05, "
                  "weak) within each restricted parameter's sampled range (grey).")


def scores_figure(found, meta: dict):
    s = found.scores.sort_values("score")
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.35 * len(s)), constrained_layout=True)
    ax.barh(range(len(s)), s.score, color="#8172b2")
    ax.set_yticks(range(len(s)), s.parameter)
    ax.set_xlabel("feature score (extra-trees importance; scores sum to 1)")
    return finish(fig, f"What decides whether {_label(found.strategy)} loses? {meta['n_sets']} parameter sets",
                  "Bars: importance of each parameter for classifying sets where it loses (EMA Workbench feature scoring).")


def _md(df: pd.DataFrame) -> str:
    try:
        return df.to_markdown(index=False)
    except ImportError:
        return df.to_string(index=False)


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def write_report(result, out: Path) -> list[Path]:
    """Tables, figures, summary.json and report.md of a finished study into ``out``."""
    t, meta, found = result.tables, result.meta, result.discovery
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("p_best", "regret", "differences", "variance", "sets", "prim_trajectory", "prim_box", "feature_scores",
                 "drivers", "prim_expected_trajectory", "prim_expected_box"):
        write_table(t[name].reset_index(drop=True), out / f"{name}.parquet")
        paths.append(out / f"{name}.parquet")
    write_table(result.design, out / "design.parquet")
    write_table(result.runs, out / "runs.parquet")
    figures = {"p_best.png": p_best_figure(t["p_best"], meta), "regret.png": regret_figure(t["sets"], t["regret"], meta),
               "differences.png": differences_figure(t["differences"], meta),
               "variance.png": variance_figure(t["variance"], meta)}
    if found.chosen is not None:
        figures["prim.png"] = prim_figure(found, meta)
        figures["feature_scores.png"] = scores_figure(found, meta)
    for name, fig in figures.items():
        fig.savefig(out / name, metadata={"Software": None})
        close(fig)
        paths.append(out / name)
    summary = {**meta, "preferred": found.strategy, "p_best": t["p_best"].to_dict("records"),
               "regret": t["regret"].to_dict("records"), "prim_box": t["prim_box"].to_dict("records"),
               "prim_note": found.note, "drivers": t["drivers"].to_dict("records"),
               "prim_expected_box": t["prim_expected_box"].to_dict("records"),
               "prim_expected_note": found.expected.note if found.expected is not None else ""}
    write_json(summary, out / "summary.json")
    (out / "report.md").write_text("\n".join(report_lines(result)) + "\n")
    return paths + [out / "summary.json", out / "report.md"]


def report_lines(result) -> list[str]:
    t, meta, found = result.tables, result.meta, result.discovery
    ci = _ci(meta["level"])
    pb = t["p_best"].assign(strategy=lambda d: d.strategy.map(_label))
    pb_cells = pd.DataFrame({"strategy": pb.strategy, "P(best)": [f"{_pct(r.p_best)} [{_pct(r.low)}–{_pct(r.high)}]"
                                                                   for _, r in pb.iterrows()]})
    rg = t["regret"]
    rg_cells = pd.DataFrame({"strategy": rg.strategy.map(_label),
                             "median regret": [f"{r.regret_median:.1f} [{r.regret_median_low:.1f}–{r.regret_median_high:.1f}]"
                                               for _, r in rg.iterrows()],
                             "90th percentile": [f"{r.regret_p90:.1f} [{r.regret_p90_low:.1f}–{r.regret_p90_high:.1f}]"
                                                 for _, r in rg.iterrows()]})
    df = t["differences"]
    df_cells = pd.DataFrame({"a − b": [f"{_label(r.a)} − {_label(r.b)}" for _, r in df.iterrows()],
                             "mean difference": [f"{r.difference:.1f} [{r.low:.1f}–{r.high:.1f}]" for _, r in df.iterrows()],
                             "sets where a > b": [f"{_pct(r.p_a_better)} [{_pct(r.p_a_better_low)}–{_pct(r.p_a_better_high)}]"
                                                  for _, r in df.iterrows()],
                             "a > b in expectation": [
                                 f"{_pct(r.p_a_better_expected)} [{_pct(r.p_a_better_expected_low)}–"
                                 f"{_pct(r.p_a_better_expected_high)}]" if r.p_a_better_expected == r.p_a_better_expected
                                 else "-" for _, r in df.iterrows()]})
    va = t["variance"]
    va_cells = pd.DataFrame({"quantity": [_label(r.a) if not r.b else f"{_label(r.a)} − {_label(r.b)}"
                                          for _, r in va.iterrows()],
                             "SD from parameters": va.parameter_sd.round(1), "SD from seeds": va.seed_sd.round(1),
                             "seed share of variance": [_pct(v) if v == v else "-" for v in va.seed_share]})
    widths = 100 * (t["p_best"].high - t["p_best"].low)
    dwidth = (df.high - df.low) / 2
    lines = [
        f"# How sure are we? Strategies across {meta['n_sets']} parameter sets\n",
        f"**Parameter sets:** {meta['source']}.\n",
        f"Scenario `{meta['scenario']}`, {meta['years']} years; strategies {', '.join(meta['strategies'])}; "
        f"{meta['replicates']} replicate seeds ({', '.join(map(str, meta['seeds']))}), the same for every strategy and "
        f"set (common random numbers); {meta['runs']} runs ({meta['failed']} failed). Outcome: the {INDEX} of each run "
        "(simulation/measures/index.py), averaged over the seeds of a set. Design and bootstrap seed "
        f"{meta['seed']}, {meta['bootstrap']} bootstrap resamples. Brackets: {ci}.\n",
    ]
    if meta.get("overrides"):
        lines.append("Fixed for every run: " + ", ".join(f"`{k}={v}`" for k, v in meta["overrides"].items()) + ".\n")
    if meta.get("ranges"):
        lines += ["Uncertain parameters and their plausible ranges (uniform):\n",
                  _md(pd.DataFrame([{"parameter": k, "low": v[0], "high": v[1], "unit": unit(k)}
                                    for k, v in meta["ranges"].items()])), ""]
    if meta["sets_dropped"]:
        lines.append(f"Sets left out of the statistics because a run failed: {meta['sets_dropped']} "
                     "(messages in runs.parquet, column `error`).\n")
    lines += [
        "## Which strategy is best, and how likely? (p_best.png)\n", _md(pb_cells), "",
        f"Preferred (highest P(best)): **{_label(found.strategy)}**.\n",
        "## Regret (regret.png)\n",
        "Regret of a strategy in a set: the best strategy's index there minus its own (0 when it is best), in "
        "index points; median and 90th percentile over the sets.\n", _md(rg_cells), "",
        "## Differences between strategies (differences.png)\n", _md(df_cells), "",
        "\"Sets where a > b\" counts the sets whose mean over the seeds is higher for a; with few seeds that count "
        "carries the seed noise left in each mean. \"In expectation\" estimates the share of sets where a's expected "
        "index (over endless seeds) is higher: Φ(mean difference / parameter SD of the difference), from the variance "
        "split below - a normal random-effects estimate, not a count.\n",
        "## Seed noise or parameter uncertainty? (variance.png)\n",
        "The variance of one run's index split into the part that comes from the parameter set (between sets) and "
        "the part that comes from the seed (the seed's own effect, common to all sets, and its interaction with the "
        "set), by a crossed set x seed random-effects model (two-way ANOVA); for a "
        "difference between two strategies the seeds are paired (common random numbers), which removes the seed "
        "noise they share.\n", _md(va_cells), "",
        f"## Where does {_label(found.strategy)} lose? (prim.png, feature_scores.png)\n",
    ]
    lines += _discovery_lines(found)
    lines += _driver_lines(found, t["variance"], meta)
    lines += [
        "## Precision at this size\n",
        f"With {meta['n_sets']} sets and {meta['replicates']} seeds the {100 * meta['level']:.0f}% intervals of P(best) are "
        f"at most {widths.max():.0f} percentage points wide (0 for a strategy that is never or always best), and the mean differences between strategies are "
        f"known to ±{dwidth.min():.1f}–{dwidth.max():.1f} index points (half-widths). Interval widths shrink about as "
        "1/√N with more sets; more seeds mainly help where the seed share of the variance is large. P(best) counts the "
        "sets where a strategy has the highest mean over the seeds: where two strategies are close, the seed noise left "
        "in that mean decides some sets, which moves their P(best) toward an even split; more seeds reduce that.\n",
        "Files: design.parquet (the parameter sets), runs.parquet (every run), sets.parquet (per set and strategy: "
        "mean index, regret, best), p_best / regret / differences / variance / prim_trajectory / prim_box / "
        "feature_scores / drivers / prim_expected_trajectory / prim_expected_box .parquet, summary.json.",
    ]
    return lines


def _discovery_lines(found) -> list[str]:
    if found.chosen is None:
        return [found.note + "\n"]
    if found.box.empty:
        return [f"It loses in {found.n_loses} of {found.n_sets} sets. PRIM restricts no parameter in a box covering "
                f"at least half of them with at most three restrictions: {found.note}.\n",
                "Feature scores (extra trees, ema_workbench.analysis.feature_scoring): "
                + ", ".join(f"{r.parameter} {r.score:.2f}" for _, r in found.scores.head(5).iterrows()) + ".\n"]
    box, tr = found.box, found.trajectory.loc[found.chosen]
    cells = pd.DataFrame({"parameter": box.parameter, "box": [f"{r.low:.3g} – {r.high:.3g}" for _, r in box.iterrows()],
                          "range of the sets": [f"{r.range_low:.3g} – {r.range_high:.3g}" for _, r in box.iterrows()],
                          "unit": [unit(p) for p in box.parameter],
                          "quasi-p (low, high)": [f"{_qp(r.qp_low)}, {_qp(r.qp_high)}" for _, r in box.iterrows()]})
    top = found.scores.head(5)
    return [
        f"It loses (another strategy has a higher index) in {found.n_loses} of {found.n_sets} sets. PRIM "
        "(ema_workbench.analysis.prim, peel and paste alpha 0.05, minimum mass 0.05) finds the box below, chosen "
        "on the peeling trajectory as the densest box that still covers at least half of those sets and restricts "
        "at most three parameters: coverage "
        f"{_pct(tr.coverage)} (share of the losing sets inside), density {_pct(tr.density)} (share of the box's sets "
        f"that are losing; {_pct(found.n_loses / found.n_sets)} overall), {int(tr.res_dim)} restricted parameters"
        + (f". **Box {found.note}**. " if found.note else ". ") +
        "The whole trajectory is in prim_trajectory.parquet. A restriction whose quasi-p value is above 0.05 "
        "could be chance (few sets), so read those limits as weak.\n", _md(cells), "",
        "Feature scores (extra trees, ema_workbench.analysis.feature_scoring): "
        + ", ".join(f"{r.parameter} {r.score:.2f}" for _, r in top.iterrows()) + ".\n",
    ]


def _driver_lines(found, variance: pd.DataFrame, meta: dict) -> list[str]:
    """What moves the preferred strategy's lead over the runner-up, and where it turns in expectation."""
    d, e = found.drivers, found.expected
    if d is None:
        return []
    a, b = _label(d.strategy), _label(d.runner_up)
    pair = variance[((variance.a == d.strategy) & (variance.b == d.runner_up))
                    | ((variance.a == d.runner_up) & (variance.b == d.strategy))]
    ceiling = ""
    if len(pair) and pair.parameter_variance.iloc[0] + pair.seed_variance.iloc[0] > 0:
        pv, sv = pair.parameter_variance.iloc[0], pair.seed_variance.iloc[0]
        ceiling = (f"; the parameters' share of a set mean's variance is about "
                   f"{_pct(pv / (pv + sv / meta['replicates']))} by the variance split, the rest is seed noise no "
                   "metamodel can explain")
    eff = d.effects
    strong = eff[eff.t.abs() >= 2]
    cells = pd.DataFrame({"parameter": strong.parameter, "unit": [unit(p) for p in strong.parameter],
                          "effect on the lead, low to high end": [f"{r.effect:+.1f} ± {r.se:.1f}" for _, r in strong.iterrows()],
                          "t": strong.t.round(1),
                          "sampled range": [f"{r.low:.3g} – {r.high:.3g}" for _, r in strong.iterrows()],
                          "lead reaches 0 at (others at their mean)": [
                              f"{r.turns_at:.3g}" if r.turns_at == r.turns_at else "not inside the range"
                              for _, r in strong.iterrows()]})
    lines = [
        f"## What moves the lead of {a} over {b}? (drivers.parquet, prim_expected_*.parquet)\n",
        f"Whether {a} loses in one set is decided mostly by seed noise when the two are close, so PRIM on the "
        f"counted losses finds little. A linear metamodel averages that noise out: the lead of {a} over {b} (set mean "
        "over the seeds) regressed by least squares on every parameter, each scaled to its sampled range; an effect "
        f"is the change in the lead from the low to the high end of that parameter's range (index points, ± standard "
        f"error). It explains {_pct(d.r2)} of the lead's variance across the sets (adjusted R²{ceiling}). It assumes the effects "
        "add up linearly. Parameters with |t| ≥ 2:\n",
        _md(cells) if len(cells) else "(none)", "",
    ]
    if e is not None and e.chosen is not None:
        tr = e.trajectory.loc[e.chosen]
        lines.append(
            f"By the metamodel {a} loses to {b} in expectation in {e.n_loses} of {e.n_sets} sets. PRIM on those sets "
            f"(same settings): coverage {_pct(tr.coverage)}, density {_pct(tr.density)}, {int(tr.res_dim)} restricted "
            "parameters" + (f" - {e.note}" if e.note else
                            ": " + "; ".join(f"{r.parameter} {r.low:.3g} – {r.high:.3g}" for _, r in e.box.iterrows()))
            + ".\n")
    elif e is not None:
        lines.append(e.note + "\n")
    return lines


def _qp(v: float) -> str:
    return "-" if v != v else f"{v:.2g}"


def console_lines(result) -> list[str]:
    t = result.tables
    rg = t["regret"].set_index("strategy")
    lines = [f"Parameter sets: {result.meta['source']}.", "strategy                P(best) [95% interval]   regret median / p90"]
    for _, r in t["p_best"].iterrows():
        lines.append(f"{_label(r.strategy):22s}  {_pct(r.p_best):>4s} [{_pct(r.low)}–{_pct(r.high)}]"
                     f"{'':10s}{rg.loc[r.strategy, 'regret_median']:.1f} / {rg.loc[r.strategy, 'regret_p90']:.1f}")
    found = result.discovery
    if found.chosen is not None and found.note:
        lines.append(f"{_label(found.strategy)} loses in {found.n_loses} of {found.n_sets} sets; PRIM box {found.note}.")
    elif found.chosen is not None:
        lines.append(f"{_label(found.strategy)} loses in {found.n_loses} of {found.n_sets} sets; PRIM box: "
                     + "; ".join(f"{r.parameter} {r.low:.3g}–{r.high:.3g}" for _, r in found.box.iterrows()))
    else:
        lines.append(found.note)
    return lines


__all__ = ["console_lines", "report_lines", "write_report"]
