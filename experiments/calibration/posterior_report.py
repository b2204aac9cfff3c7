"""The outputs of the calibration posterior (experiments.calibration.posterior): the prior-vs-posterior
width table (which parameters the figures identify), posterior and prior predictive checks against
every target, their figures and docs/calibration_posterior.md."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.calibration import fit

#: A parameter is *identified* when its posterior 90% interval is less than this share of its prior's.
IDENTIFIED = 0.5
LEVELS = (0.05, 0.5, 0.95)


def weighted_quantiles(x, w, qs=LEVELS) -> np.ndarray:
    """Quantiles of a weighted sample (the weighted empirical distribution, interpolated at mid-points)."""
    x, w = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    x, w = x[w > 0], w[w > 0]
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order] / w.sum()
    cdf = np.cumsum(w) - 0.5 * w
    return np.interp(qs, cdf, x)


def widths(table: pd.DataFrame, free: list[fit.Free] | None = None, threshold: float = IDENTIFIED) -> pd.DataFrame:
    """Per free parameter: prior range, default, posterior median and 5-95% interval, and the ratio of
    the posterior's 90% interval to the prior's (log10 scale for log parameters); identified if below
    ``threshold``."""
    free = free if free is not None else fit.FREE
    w = table["weight"].to_numpy() if "weight" in table else np.ones(len(table))
    rows = []
    for f in free:
        tr = np.log10 if f.log else (lambda v: v)
        q05, q50, q95 = weighted_quantiles(tr(table[f.key].to_numpy()), w)
        lo, hi = tr(f.low), tr(f.high)
        ratio = (q95 - q05) / (0.9 * (hi - lo))
        back = (lambda v: 10**v) if f.log else (lambda v: v)
        default = fit.schema_default(f.key)
        rows.append({"parameter": f.key, "scale": "log" if f.log else "linear", "prior_low": f.low, "prior_high": f.high,
                     "default": default, "posterior_median": float(back(q50)), "posterior_q05": float(back(q05)),
                     "posterior_q95": float(back(q95)), "width_ratio": float(ratio),
                     "identified": bool(ratio < threshold),
                     "default_in_90": bool(back(q05) <= default <= back(q95)), "fitted_to": f.why})
    return pd.DataFrame(rows)


def resample(table: pd.DataFrame, n: int, rng: np.random.Generator) -> list[dict[str, float]]:
    """``n`` weighted draws (with replacement) of the posterior's parameter sets."""
    p = table["weight"].to_numpy() / table["weight"].sum()
    idx = rng.choice(len(table), size=n, replace=True, p=p)
    return [{f.key: float(table[f.key].iloc[i]) for f in fit.FREE} for i in idx]


def prior_draws(n: int, rng: np.random.Generator) -> list[dict[str, float]]:
    out = []
    for _ in range(n):
        out.append({f.key: float(10 ** rng.uniform(math.log10(f.low), math.log10(f.high)) if f.log
                                 else rng.uniform(f.low, f.high)) for f in fit.FREE})
    return out


def _predict(job):
    from experiments.calibration.posterior import measure

    params, nat, lon, overrides, years = job
    return measure(params, nat, lon, overrides, years, diagnostics=True)


def predictive(pool, table: pd.DataFrame, settings) -> pd.DataFrame:
    """Posterior and prior predictive checks: ``settings.ppc_draws`` parameter sets from each, every
    one on fresh model seeds (as many as a particle uses), against every target. Per target: observed,
    tolerance, discrepancy, combined scale, the predictive median and 5-95% interval of the simulated
    value, and p: the share of replicates (simulated + error of the combined scale) below the figure."""
    from experiments.calibration.posterior import DISCREPANCY, scales

    rng = np.random.default_rng([settings.seed, 7])
    draws = {"posterior": resample(table, settings.ppc_draws, rng), "prior": prior_draws(settings.ppc_draws, rng)}
    k_nat, k_lon = settings.national_seeds, settings.london_seeds
    jobs, keys = [], []
    for source, sets in draws.items():
        for params in sets:
            seeds = rng.integers(0, 2**31 - 1, size=k_nat + k_lon)
            jobs.append((params, seeds[:k_nat].tolist(), seeds[k_nat:].tolist(), settings.scenario_overrides,
                         settings.years))
            keys.append(source)
    values = pd.DataFrame(pool.map(_predict, jobs)).assign(source=keys)
    sc = scales()
    rows = []
    for name in [t.name for t in fit.TARGETS] + list(fit.DIAGNOSTICS):
        t = fit.TARGET_BY_NAME.get(name)
        row: dict[str, Any] = {"target": name, "observed": t.value if t else math.nan,
                               "tolerance": t.scale if t else math.nan,
                               "discrepancy": DISCREPANCY[name][0] if t else math.nan, "scale": sc.get(name, math.nan)}
        for source in draws:
            v = values.loc[values.source == source, name].to_numpy()
            q05, q50, q95 = np.quantile(v, LEVELS)
            row.update({f"{source}_median": q50, f"{source}_q05": q05, f"{source}_q95": q95})
            if t:
                rep = v[:, None] + sc[name] * rng.standard_normal((len(v), 200))
                row[f"{source}_p"] = float((rep < t.value).mean())
        rows.append(row)
    return pd.DataFrame(rows)


def code_version() -> str:
    from experiments.calibration.run import code_version as cv

    return cv()


# --- figures ---------------------------------------------------------------------------------------

def figures(docs: Path, widths_table: pd.DataFrame, ppc: pd.DataFrame) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(docs) / "figures"
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    # 1. prior vs posterior: each parameter's prior range scaled to 0-1
    wt = widths_table
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(wt) + 2.2))
    y = np.arange(len(wt))[::-1]
    for yi, r in zip(y, wt.itertuples()):
        tr = (lambda v: math.log10(v)) if r.scale == "log" else (lambda v: v)
        lo, hi = tr(r.prior_low), tr(r.prior_high)
        u = lambda v: (tr(v) - lo) / (hi - lo)  # noqa: E731
        ax.plot([0, 1], [yi, yi], color="0.85", lw=6, solid_capstyle="butt", zorder=1)
        ax.plot([u(r.posterior_q05), u(r.posterior_q95)], [yi, yi], color="tab:blue" if r.identified else "tab:gray",
                lw=3, zorder=2)
        ax.scatter(u(r.posterior_median), yi, color="k", s=14, zorder=3)
        ax.scatter(u(r.default), yi, marker="|", color="tab:red", s=120, zorder=4)
    ax.set_yticks(y, [f"{r.parameter} ({r.width_ratio:.2f})" for r in wt.itertuples()], fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("position in the prior range (0 = low end, 1 = high end; log10 scale for log parameters)",
                  fontsize=9)
    ax.set_title("Prior vs posterior per free parameter (ratio of 90% widths in brackets)", fontsize=10)
    handles = [plt.Line2D([], [], color="0.85", lw=6), plt.Line2D([], [], color="tab:blue", lw=3),
               plt.Line2D([], [], color="tab:gray", lw=3), plt.Line2D([], [], marker="o", color="k", lw=0, ms=4),
               plt.Line2D([], [], marker="|", color="tab:red", lw=0, ms=10)]
    ax.legend(handles, ["prior (uniform over the range)", f"posterior 5-95%, identified (ratio < {IDENTIFIED})",
                        "posterior 5-95%, not identified", "posterior median", "default in force"],
              fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.09 - 1.0 / len(wt)), ncol=3)
    fig.tight_layout()
    paths["widths"] = out / "posterior_widths.png"
    fig.savefig(paths["widths"], dpi=120, bbox_inches="tight")
    plt.close(fig)
    # 2. predictive checks, one panel per target, in percent
    targets = ppc[ppc.observed.notna()]
    fig, axes = plt.subplots(2, math.ceil(len(targets) / 2), figsize=(13, 5.4))
    for ax, r in zip(axes.flat, targets.itertuples()):
        for k, alpha in ((2, 0.15), (1, 0.3)):
            ax.axvspan(100 * (r.observed - k * r.scale), 100 * (r.observed + k * r.scale), color="tab:green",
                       alpha=alpha, lw=0)
        ax.axvline(100 * r.observed, color="tab:green", lw=1.5)
        ax.plot([100 * r.prior_q05, 100 * r.prior_q95], [0.3, 0.3], color="0.5", lw=2)
        ax.scatter(100 * r.prior_median, 0.3, color="0.5", s=18)
        ax.plot([100 * r.posterior_q05, 100 * r.posterior_q95], [0.7, 0.7], color="tab:blue", lw=3)
        ax.scatter(100 * r.posterior_median, 0.7, color="tab:blue", s=22)
        ax.set_ylim(0, 1)
        ax.set_yticks([0.3, 0.7], ["prior", "posterior"], fontsize=8)
        ax.set_title(f"{r.target} (p = {r.posterior_p:.2f})", fontsize=9)
        ax.set_xlabel("share (%)", fontsize=8)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(targets):]:
        ax.axis("off")
    handles = [plt.Line2D([], [], color="tab:green", lw=1.5),
               plt.matplotlib.patches.Patch(color="tab:green", alpha=0.45),
               plt.matplotlib.patches.Patch(color="tab:green", alpha=0.15),
               plt.Line2D([], [], color="tab:blue", lw=3, marker="o"), plt.Line2D([], [], color="0.5", lw=2, marker="o")]
    fig.legend(handles, ["England's figure", "±1 combined SD (tolerance and discrepancy)", "±2 combined SD",
                         "posterior predictive: median, 5-95% of the simulated value",
                         "prior predictive: median, 5-95%"], loc="lower center", ncol=3, fontsize=8)
    fig.suptitle("Predictive checks against every calibration target (p: share of posterior replicates below "
                 "the figure)", fontsize=10)
    fig.tight_layout(rect=(0, 0.08, 1, 0.96))
    paths["ppc"] = out / "posterior_ppc.png"
    fig.savefig(paths["ppc"], dpi=120)
    plt.close(fig)
    return paths


# --- the report ----------------------------------------------------------------------------------

def _g(x: float) -> str:
    return f"{x:.3g}"


def write_docs(docs: Path, table, widths_table, ppc, gens, meta) -> Path:
    from experiments.calibration.posterior import DISCREPANCY, write_atomic

    paths = figures(docs, widths_table, ppc) if len(ppc) else {}
    s = meta["settings"]
    lines = ["# Calibration posterior (ABC-SMC)", "",
             f"Generated by `python -m experiments.calibration.posterior --population {s['population']} "
             f"--generations {s['generations']} --national-seeds {s['national_seeds']} --london-seeds "
             f"{s['london_seeds']} --seed {s['seed']} --workers {s['workers']}`; do not edit by hand. Model code: "
             f"commit {meta['code']}. {meta['evaluations']} simulations of the targets (each {s['national_seeds']} "
             f"national + {s['london_seeds']} London runs; the first {s['population']} are the prior sample that sets the "
             f"first tolerance) in {meta['seconds_inference'] / 60:.1f} min of wall time on {s['workers']} worker "
             f"processes, and the predictive checks in {meta['seconds_predictive'] / 60:.1f} min. Method and choices: "
             "[calibration.md](calibration.md#posterior-abc-smc).", "",
             "## Generations", "",
             "| generation | tolerance ε | simulations | acceptance | effective sample size | seconds |",
             "|---|---|---|---|---|---|"]
    lines += [f"| {g['generation']} | {g['epsilon']:.2f} | {g['evaluations']} | {g['acceptance']:.0%} | "
              f"{g.get('ess', float('nan')):.0f} | {g['seconds']:.0f} |" for g in gens.to_dict("records")]
    lines += ["", f"Stopping tolerance sqrt(k + 2) = {meta['min_epsilon']:.2f} (k = {len(fit.TARGETS)} targets).", "",
              "## Prior vs posterior", "",
              f"Posterior 5-95% interval against the uniform prior's; ratio = posterior 90% width / prior 90% width "
              f"(log10 scale for log parameters); **identified** when below {IDENTIFIED}. Machine-readable: "
              "`experiments/calibration/posterior_widths.csv`; the sample: `experiments/calibration/posterior.parquet`.",
              "", "| parameter | prior range | default | posterior median | posterior 5-95% | ratio | identified | "
              "default inside 90% | fitted to |", "|---|---|---|---|---|---|---|---|---|"]
    for r in widths_table.itertuples():
        lines.append(f"| `{r.parameter}` | {_g(r.prior_low)} – {_g(r.prior_high)}{' (log)' if r.scale == 'log' else ''} "
                     f"| {_g(r.default)} | {_g(r.posterior_median)} | {_g(r.posterior_q05)} – {_g(r.posterior_q95)} | "
                     f"{r.width_ratio:.2f} | {'**yes**' if r.identified else 'no'} | "
                     f"{'yes' if r.default_in_90 else '**no**'} | {r.fitted_to} |")
    if "widths" in paths:
        lines += ["", "![prior vs posterior](figures/posterior_widths.png)"]
    if len(ppc):
        lines += ["", "## Predictive checks", "",
                  f"{s['ppc_draws']} parameter sets drawn from the posterior (weighted) and {s['ppc_draws']} from the "
                  "prior, each run on fresh seeds; simulated value's median and 5-95% interval. p: share of posterior "
                  "replicates (simulated value plus an error of the combined scale) below England's figure; below "
                  "0.05 or above 0.95 the posterior does not reproduce the figure even with the discrepancy allowed.",
                  "", "| target | England | tolerance | discrepancy | posterior predictive median | 5-95% | p | "
                  "prior predictive 5-95% |", "|---|---|---|---|---|---|---|---|"]
        for r in ppc.itertuples():
            if math.isnan(r.observed):
                lines.append(f"| {r.target} (diagnostic) | – | – | – | {r.posterior_median:.3f} | "
                             f"{r.posterior_q05:.3f} – {r.posterior_q95:.3f} | – | {r.prior_q05:.3f} – {r.prior_q95:.3f} |")
                continue
            lines.append(f"| `{r.target}` | {r.observed:.1%} | {r.tolerance:.1%} | {r.discrepancy:.1%} | "
                         f"{r.posterior_median:.1%} | {r.posterior_q05:.1%} – {r.posterior_q95:.1%} | "
                         f"{r.posterior_p:.2f} | {r.prior_q05:.1%} – {r.prior_q95:.1%} |")
        lines += ["", "![predictive checks](figures/posterior_ppc.png)"]
    lines += ["", "## Discrepancy terms", "", "| target | discrepancy SD | why |", "|---|---|---|"]
    lines += [f"| `{k}` | {v[0]:.1%} | {v[1]} |" for k, v in DISCREPANCY.items()]
    path = Path(docs) / "calibration_posterior.md"
    write_atomic(path, lambda p: p.write_text("\n".join(lines) + "\n"))
    return path
