"""Out-of-sample check: the London Challenge region under upwards convergence vs status quo.

    python -m experiments.validation [--seeds 20] [--years 20] [--params FILE]

Runs the ``london_challenge`` scenario (400 secondary schools, one region, from 2002) with the
parameter defaults in force, under ``upwards_convergence`` and under ``status_quo``, on the
same seeds (3000, 3001, ...; never used by the calibration), and writes
``docs/validation.md`` and ``docs/figures/validation_london.png`` (outstanding share,
attainment and the rest over time) plus the raw table ``outputs/validation/timeseries.parquet``.

Nothing here was tuned: the only London figure the calibration used is the share of
outstanding schools supporting others (1% in 2002, 17% by 2010). The outstanding share,
special measures and attainment over time are the check, against the claim of the London
case study (Berwick, ``../shared/seeds/000_398b0be83449325f.txt`` l. 125): over more than a
decade the number of underperforming schools fell while the share of outstanding schools rose.

``--params`` applies a JSON file of overrides (``{"parameters": {"dotted.key": value}}``, as
written by ``python -m experiments.calibration``) on top of the defaults, to preview the check
before calibrated values become the defaults. After the lead applies them, run it without.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import wilcoxon

from experiments.parallel import Pool
from simulation import SchoolSystem, load_config
from simulation.strategies import STRATEGIES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent

SCENARIO = "london_challenge"
ARMS = ["upwards_convergence", "status_quo"]
SEED0 = 3000
COLUMNS = ["mean_attainment", "p10_attainment", "p90_attainment", "top_decile_attainment", "share_outstanding",
           "share_good", "share_inadequate", "share_special_measures", "share_below_floor",
           "share_outstanding_supporting", "mean_moral_capital", "mean_km_capacity", "frontier", "floor",
           "resource_used"]
CALIBRATED = ROOT / "experiments" / "calibration" / "calibrated.json"


def one(job):
    strategy, seed, years, params = job
    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = load_config(SCENARIO, strategy, seed=seed, **{k.replace(".", "__"): v for k, v in params.items()})
    model = SchoolSystem(config=cfg, rng=seed, create_staff_agents=False)
    model.run_years(years)
    df = model.metrics().reset_index(drop=True)[["year", *COLUMNS]]
    df.insert(0, "step", range(len(df)))
    return df.assign(strategy=strategy, seed=seed)


def current_value(key: str):
    node = load_config(SCENARIO, "status_quo")
    for part in key.split("."):
        node = getattr(node, part)
    return node


def defaults_state() -> str:
    """Whether the defaults in force are the calibrated values of experiments/calibration/calibrated.json."""
    if not CALIBRATED.exists():
        return "no calibrated.json found"
    wanted = json.loads(CALIBRATED.read_text())["parameters"]
    differ = {k: (current_value(k), v) for k, v in wanted.items() if not np.isclose(float(current_value(k)), v)}
    if not differ:
        return "the defaults in force **are** the calibrated values of `experiments/calibration/calibrated.json`"
    listed = ", ".join(f"`{k}` {a:g} (calibrated {b:g})" for k, (a, b) in differ.items())
    return f"the defaults in force differ from `experiments/calibration/calibrated.json` in {len(differ)} values: {listed}"


def school_year_means(table: pd.DataFrame) -> pd.DataFrame:
    """Mean of each metric over the three terms of school year Y-1/Y, labelled Y (Y=start: the initial state)."""
    t = table.copy()
    t["label"] = np.ceil(t.year - 1e-9).astype(int)
    return t.groupby(["strategy", "seed", "label"])[COLUMNS].mean().reset_index()


def figure(table: pd.DataFrame, path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = table.assign(spread=table.p90_attainment - table.p10_attainment)
    panels = [("share_outstanding", "outstanding", "% of schools"),
              ("mean_attainment", "pupils at the benchmark (mean)", "% of pupils"),
              ("share_special_measures", "in special measures", "% of schools"),
              ("share_below_floor", "below the floor standard", "% of schools"),
              ("spread", "spread P90 − P10 of schools", "percentage points"),
              ("share_outstanding_supporting", "outstanding schools supporting another", "% of outstanding schools")]
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.4))
    colours = {strategy: STRATEGIES[strategy].colour for strategy in ARMS}
    for ax, (col, title, unit) in zip(axes.ravel(), panels):
        for strategy, colour in colours.items():
            wide = 100 * table[table.strategy == strategy].pivot(index="year", columns="seed", values=col)
            ax.fill_between(wide.index, wide.quantile(0.1, axis=1), wide.quantile(0.9, axis=1), color=colour, alpha=0.2,
                            lw=0)
            ax.plot(wide.index, wide.median(axis=1), color=colour, label=STRATEGIES[strategy].label)
        ax.set_title(title, fontsize=10)
        ax.set_ylabel(unit)
        ax.axvline(2011, color="0.8", lw=0.8, ls="--")
    for ax in axes[1]:
        ax.set_xlabel("year")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
    fig.suptitle(f"London Challenge region: upwards convergence vs status quo\nLines: median over "
                 f"{table.seed.nunique()} seeds; bands: 10-90% range over the seeds; dashed line: 2011", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def paired(yearly: pd.DataFrame, col: str, label: int):
    rows = yearly[yearly.label == label].pivot(index="seed", columns="strategy", values=col)
    d = rows["upwards_convergence"] - rows["status_quo"]
    p = float(wilcoxon(d).pvalue) if np.any(d != 0) else 1.0
    return rows["upwards_convergence"].mean(), rows["status_quo"].mean(), d.mean(), p


def write_markdown(path: Path, table: pd.DataFrame, args, params_note: str, state: str, runtime: float):
    yearly = school_year_means(table)
    start = int(yearly.label.min())
    end = int(yearly.label.max())
    marks = sorted({start, start + 3, start + 6, 2011, start + 12, start + 15, end} & set(yearly.label.unique()))
    med = yearly.groupby(["strategy", "label"])[COLUMNS].mean()
    lines = []
    w = lines.append
    w("# Validation: the London Challenge region, upwards convergence vs status quo")
    w("")
    w(f"Generated by `python -m experiments.validation{' ' + args.cmd if args.cmd else ''}`; do not edit by hand. "
      f"{args.seeds} seeds (paired: {SEED0}–{SEED0 + args.seeds - 1}, never used in calibration), {args.years} years "
      f"from {start}, {runtime:.0f} s.")
    w("")
    w(f"**Parameters:** {params_note}; {state}.")
    w("")
    w("This run is the out-of-sample check of the calibration ([calibration.md](calibration.md)): nothing was "
      "tuned to it. The calibration fitted one London figure, the share of outstanding schools supporting "
      "others (1% in 2002, 17% by 2010, under upwards convergence). The outstanding share, special measures "
      "and attainment of the region were not fitted. The London case study (Berwick, "
      "`../shared/seeds/000_398b0be83449325f.txt` l. 125) claims that over more than a decade the number of "
      "underperforming schools fell while the percentage of outstanding schools rose; its figure plots the "
      "share of schools graded outstanding and the share in special measures.")
    w("")
    w("![London: UC vs SQ](figures/validation_london.png)")
    w("")
    w("## Over time")
    w("")
    w("Mean over seeds of each school year's three terms (the year is the summer the school year ends; "
      f"{start} is the initial state). UC = upwards convergence, SQ = status quo.")
    w("")
    w("| year | outstanding UC | outstanding SQ | special measures UC | special measures SQ | "
      "attainment UC | attainment SQ | below floor UC | below floor SQ | supporting UC |")
    w("|---|---|---|---|---|---|---|---|---|---|")
    for y in marks:
        u, s = med.loc[("upwards_convergence", y)], med.loc[("status_quo", y)]
        w(f"| {y} | {100 * u.share_outstanding:.1f}% | {100 * s.share_outstanding:.1f}% | "
          f"{100 * u.share_special_measures:.1f}% | {100 * s.share_special_measures:.1f}% | "
          f"{100 * u.mean_attainment:.1f}% | {100 * s.mean_attainment:.1f}% | "
          f"{100 * u.share_below_floor:.1f}% | {100 * s.share_below_floor:.1f}% | "
          f"{100 * u.share_outstanding_supporting:.1f}% |")
    w("")
    w("## Differences (UC − SQ), paired over seeds")
    w("")
    w("| year | measure | UC | SQ | UC − SQ | p (two-sided Wilcoxon) |")
    w("|---|---|---|---|---|---|")
    spread = yearly.assign(spread=yearly.p90_attainment - yearly.p10_attainment)
    for y in sorted({2011, end} & set(yearly.label.unique())):
        for col, name in (("share_outstanding", "outstanding share"), ("mean_attainment", "attainment"),
                          ("share_special_measures", "special measures"), ("share_below_floor", "below floor"),
                          ("spread", "spread P90 − P10"), ("top_decile_attainment", "top decile")):
            u, s, d, p = paired(spread, col, y)
            w(f"| {y} | {name} | {100 * u:.1f}% | {100 * s:.1f}% | {100 * d:+.1f} pp | {p:.2g} |")
    w("")
    w("## Against the London case study")
    w("")
    y11 = min(2011, end)
    checks = [
        ("share of outstanding schools rose, 2002 → 2011 (UC)", "share_outstanding", ("upwards_convergence", y11),
         ("upwards_convergence", start), "greater"),
        ("share in special measures fell, 2002 → 2011 (UC)", "share_special_measures", ("upwards_convergence", y11),
         ("upwards_convergence", start), "less"),
        ("UC above SQ on the outstanding share in 2011", "share_outstanding", ("upwards_convergence", y11),
         ("status_quo", y11), "greater"),
        ("UC below SQ on special measures in 2011", "share_special_measures", ("upwards_convergence", y11),
         ("status_quo", y11), "less"),
        ("UC above SQ on attainment in 2011", "mean_attainment", ("upwards_convergence", y11), ("status_quo", y11),
         "greater"),
    ]
    w("Each claim as a paired one-sided Wilcoxon test over seeds; it holds when p < 0.05.")
    w("")
    w("| claim | A | B | p | holds |")
    w("|---|---|---|---|---|")
    for claim, col, (sa, ya), (sb, yb), side in checks:
        a = yearly[(yearly.strategy == sa) & (yearly.label == ya)].set_index("seed")[col]
        b = yearly[(yearly.strategy == sb) & (yearly.label == yb)].set_index("seed")[col].reindex(a.index)
        d = (a - b).to_numpy()
        p = float(wilcoxon(d, alternative=side).pvalue) if np.any(d != 0) else 1.0
        w(f"| {claim} | {100 * a.mean():.2f}% | {100 * b.mean():.2f}% | {p:.2g} | {'yes' if p < 0.05 else '**no**'} |")
    w("")
    w("The seeds give no London numbers for the outstanding share, special measures or attainment "
      "(the case study's figure is lost in the text version), so the check is of direction, not size.")
    w("")
    w("Re-run: `python -m experiments.validation` (well under a minute on 2 cores); `--params FILE` "
      "(JSON, as `experiments/calibration/calibrated.json`) applies other values as overrides on top of the defaults.")
    w("")
    path.write_text("\n".join(lines) + "\n")


@dataclass
class Settings:
    """The check's options (``python -m experiments.validation --help`` explains each)."""

    seeds: int = 20
    years: int = 20
    params: Path | None = None  # JSON overrides {"parameters": {key: value}}
    workers: int = 2
    docs: Path = field(default_factory=lambda: ROOT / "docs")
    out: Path = field(default_factory=lambda: ROOT / "outputs" / "validation")
    cmd: str = ""  # the command-line options, as written into the report


def validate(args: Settings) -> Path:
    """Run both arms on every seed, write the table, the figure and the report; return the report's path."""
    params = json.loads(args.params.read_text())["parameters"] if args.params else {}
    t0 = time.time()
    jobs = [(s, SEED0 + i, args.years, params) for s in ARMS for i in range(args.seeds)]
    with Pool(args.workers) as pool:
        table = pd.concat(pool.map(one, jobs), ignore_index=True)
    runtime = time.time() - t0
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_parquet(args.out / "timeseries.parquet", index=False)
    figure(table, args.docs / "figures" / "validation_london.png")
    note = (f"defaults in force plus the overrides of `{args.params.relative_to(ROOT) if args.params.is_absolute() else args.params}` "
            f"({', '.join(f'`{k}`={v:g}' for k, v in params.items())})" if params else "the defaults in force")
    write_markdown(args.docs / "validation.md", table, args, note, defaults_state(), runtime)
    return args.docs / "validation.md"
