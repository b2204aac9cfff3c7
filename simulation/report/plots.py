"""Matplotlib figures of runs and strategy comparisons (Agg backend, PNG), in one style.

Every figure here and in the experiment analyses reads alone: axes say what they show and in
which unit (from the metric registry; shares are drawn as percentages), one legend serves the
whole figure, and a subtitle says what the lines and bands are. Each compared arm keeps one
colour in every figure: a registered strategy its registry colour, any other arm (a custom
mix, a swept parameter value) the next colour of ``PALETTE`` in the order the arms appear.
A table's optional ``label`` column gives an arm's legend text (``upconv-compare`` puts a
custom mix's name and budget shares there).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from simulation.measures.registry import METRICS  # noqa: E402
from simulation.strategies import STRATEGIES  # noqa: E402

STYLE = {
    "font.size": 9, "axes.titlesize": 10, "axes.labelsize": 9, "legend.fontsize": 8.5, "figure.titlesize": 10,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.25,
    "grid.linewidth": 0.6, "lines.linewidth": 1.8, "savefig.dpi": 110, "figure.dpi": 100,
}
matplotlib.rcParams.update(STYLE)

GRADE_COLUMNS = {
    "share_outstanding": ("outstanding", "#1a9850"), "share_good": ("good", "#91cf60"),
    "share_requires_improvement": ("requires improvement", "#fc8d59"),
    "share_inadequate": ("inadequate", "#d73027"),
}
STRATEGY_COLOURS = {name: s.colour for name, s in STRATEGIES.items()}
# colours of every other arm, in the order the arms appear; none is a registry colour
PALETTE = ["#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#843c39",
           "#7b4173"]
BAND = (0.1, 0.9)

TITLES = {
    "mean_attainment": "Mean attainment", "spread": "Spread (P90 − P10 of schools)", "p10_attainment": "Bottom (P10)",
    "p90_attainment": "P90", "top_decile_attainment": "Top decile (best 10% of schools)", "frontier": "Frontier",
    "share_outstanding": "Outstanding", "share_special_measures": "Special measures",
    "share_outstanding_supporting": "Outstanding schools supporting another", "floor": "Floor standard in force",
    "share_below_floor": "Schools below the floor", "n_partnerships": "Live partnerships",
    "mean_moral_capital": "Moral capital (mean)", "mean_km_capacity": "Knowledge-management capacity (mean)",
}
UNITS = {"spread": "percentage points", "disadvantage_gap": "percentage points",
         "share_outstanding_supporting": "% of outstanding schools",
         "frontier": "pupil SD of teaching effect"}


def close(fig) -> None:
    plt.close(fig)


# ---------------------------------------------------------------- what a metric is called and in what unit
def is_percent(metric: str) -> bool:
    """Drawn in percent (or percentage points): registry shares and the spread of attainment."""
    return metric == "spread" or (metric in METRICS and METRICS[metric].is_share)


def scale(metric: str) -> float:
    return 100.0 if is_percent(metric) else 1.0


def title(metric: str) -> str:
    return TITLES.get(metric, metric.replace("_", " ").capitalize())


def unit(metric: str) -> str:
    """The axis unit: a share of schools or of pupils in %, else the registry's unit."""
    if metric in UNITS:
        return UNITS[metric]
    m = METRICS.get(metric)
    if m is None:
        return ""
    if m.is_share:
        return "% of schools" if metric.startswith("share_") else "% of pupils at the benchmark"
    return {"0-1": "index, 0-1", "partnerships": "number"}.get(m.unit, m.unit)


def axis_label(metric: str) -> str:
    return f"{title(metric)} ({unit(metric)})" if unit(metric) else title(metric)


# ---------------------------------------------------------------- arms: order, colour, legend text
def arm_order(table: pd.DataFrame) -> list[str]:
    """The arms of ``table['strategy']``: registered strategies in registry order, then the
    others in the order they first appear."""
    seen = list(dict.fromkeys(table["strategy"]))
    return [s for s in STRATEGIES if s in seen] + [s for s in seen if s not in STRATEGIES]


def arm_colours(arms: list[str]) -> dict[str, str]:
    """Registry colour for a registered strategy, else the next ``PALETTE`` colour."""
    others = [a for a in arms if a not in STRATEGY_COLOURS]
    return {a: STRATEGY_COLOURS.get(a) or PALETTE[others.index(a) % len(PALETTE)] for a in arms}


def arm_labels(table: pd.DataFrame) -> dict[str, str]:
    """Legend text of each arm: the table's ``label`` column, else the registry label, else the arm."""
    given = table.groupby("strategy", sort=False)["label"].first().to_dict() if "label" in table else {}
    return {a: given.get(a) or (STRATEGIES[a].label if a in STRATEGIES else str(a)) for a in arm_order(table)}


def band_caption(n_seeds: int, band: tuple[float, float] = BAND, what: str = "seeds") -> str:
    if n_seeds <= 1:
        return f"Lines: one run ({n_seeds} seed); no band."
    return (f"Lines: median over {n_seeds} {what}; bands: {100 * band[0]:.0f}-{100 * band[1]:.0f}% range "
            f"over the {n_seeds} {what}.")


def finish(fig, heading: str, caption: str, handles: list | None = None, labels: list[str] | None = None,
           ncol: int | None = None):
    """The house finish: a two-line title (heading, then the caption saying what lines and bands
    are) and one legend for the whole figure, below the panels."""
    fig.suptitle(f"{heading}\n{caption}" if heading else caption, fontsize=10)
    if handles:
        # as many columns as the longest entry leaves room for (about 12 characters an inch)
        fits = int(fig.get_figwidth() * 12 // (max(len(str(t)) for t in labels) + 6))
        ncol = max(1, min(ncol or 4, len(handles), fits))
        fig.legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False)
    return fig


def year_axis(ax, label: str = "year") -> None:
    """x = calendar year, ticks at whole years."""
    ax.set_xlabel(label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def widths(arms: list[str]) -> dict[str, float]:
    """Line widths tapering from the first arm to the last, so that arms drawing the same line
    still show (the later, thinner line runs inside the earlier one)."""
    n = len(arms)
    return {a: 1.3 + 1.5 * (n - 1 - i) / max(n - 1, 1) for i, a in enumerate(arms)}


def _arm_handles(arms: list[str], colours: dict, labels: dict) -> tuple[list, list[str]]:
    lw = widths(arms)
    return [Line2D([], [], color=colours[a], lw=lw[a]) for a in arms], [labels[a] for a in arms]


def _grid(n: int, width: float = 4.3, height: float = 3.2):
    cols = 2 if n == 4 else min(n, 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows + 1.2), constrained_layout=True,
                             squeeze=False)
    axes = list(axes.flat)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


# ---------------------------------------------------------------- the figures
def run_figure(df: pd.DataFrame, title: str = ""):
    """One run: attainment distribution and frontier; grade shares (the London-style chart)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6), constrained_layout=True)
    ax1.fill_between(df["year"], 100 * df["p10_attainment"], 100 * df["p90_attainment"], color="#1f77b4",
                     alpha=0.18, label="P10-P90 of schools")
    ax1.plot(df["year"], 100 * df["mean_attainment"], color="#1f77b4", label="mean attainment")
    ax1.plot(df["year"], 100 * df["top_decile_attainment"], color="#17becf", label="top decile")
    ax1.step(df["year"], 100 * df["floor"], where="post", color="k", lw=0.9, ls="--", label="floor standard")
    ax1.set_ylabel("% of pupils at the benchmark")
    year_axis(ax1)
    ax1.set_title("Attainment across schools")
    ax1b = ax1.twinx()
    ax1b.plot(df["year"], df["frontier"], color="purple", lw=1.2, ls=":", label="frontier (right axis)")
    ax1b.set_ylabel(axis_label("frontier"), color="purple")
    ax1b.grid(False)
    ax1b.spines["right"].set_visible(True)
    for col, (label, colour) in GRADE_COLUMNS.items():
        ax2.plot(df["year"], 100 * df[col], label=label, color=colour)
    ax2.plot(df["year"], 100 * df["share_special_measures"], label="special measures", color="k", ls="--")
    ax2.set_ylabel("% of schools")
    year_axis(ax2)
    ax2.set_title("Inspection grades")
    handles, labels = [], []
    for ax in (ax1, ax1b, ax2):
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    return finish(fig, title, "One run. Band: 10th to 90th percentile of schools' attainment.", handles, labels, 5)


def comparison_figure(table: pd.DataFrame, metrics: list[str], band: tuple[float, float] = BAND,
                      heading: str = ""):
    """Fan charts: median and band over seeds of each metric, one colour per arm (``strategy``)."""
    arms, labels = arm_order(table), arm_labels(table)
    colours = arm_colours(arms)
    fig, axes = _grid(len(metrics))
    lw = widths(arms)
    for ax, metric in zip(axes, metrics):
        k = scale(metric)
        for arm in arms:
            q = (table[table["strategy"] == arm].groupby("year")[metric].quantile([band[0], 0.5, band[1]])
                 .unstack() * k)
            ax.fill_between(q.index, q[band[0]], q[band[1]], alpha=0.15, color=colours[arm], lw=0)
            ax.plot(q.index, q[0.5], color=colours[arm], lw=lw[arm], label=labels[arm])
        ax.set_title(title(metric))
        ax.set_ylabel(unit(metric) or title(metric))
        year_axis(ax)
        if is_percent(metric):  # shares and points are never negative
            low, high = ax.get_ylim()
            ax.set_ylim(max(low, 0), max(high, 1))  # an all-zero line sits on a 0-1% axis
    n = int(table["seed"].nunique()) if "seed" in table else 1
    return finish(fig, heading, band_caption(n, band), *_arm_handles(arms, colours, labels))


def convergence_diagram(table: pd.DataFrame, band: tuple[float, float] = BAND, heading: str = "Convergence diagram"):
    """x = spread (P90-P10), y = mean: up and to the left is upwards convergence. Each arm's
    median path (one point a year) ends in its final-year median with whiskers over seeds."""
    fig, ax = plt.subplots(figsize=(7, 5.6), constrained_layout=True)
    t = table.assign(spread=100 * (table["p90_attainment"] - table["p10_attainment"]),
                     mean=100 * table["mean_attainment"])
    arms, labels = arm_order(t), arm_labels(t)
    colours, lw = arm_colours(arms), widths(arms)
    for arm in arms:
        group, colour = t[t["strategy"] == arm], colours[arm]
        med = group.groupby("year")[["spread", "mean"]].median()
        yearly = med[med.index == med.index.astype(int)]
        ax.plot(yearly["spread"], yearly["mean"], marker=".", ms=4, lw=lw[arm] * 0.8, color=colour, alpha=0.8)
        if len(yearly) > 1:
            ax.annotate("", xy=(yearly["spread"].iloc[-1], yearly["mean"].iloc[-1]),
                        xytext=(yearly["spread"].iloc[-2], yearly["mean"].iloc[-2]),
                        arrowprops=dict(arrowstyle="->", color=colour))
        last = group[group["step"] == group["step"].max()] if "step" in group else group[group.year == group.year.max()]
        q = last[["spread", "mean"]].quantile([band[0], 0.5, band[1]])
        ax.errorbar(q.loc[0.5, "spread"], q.loc[0.5, "mean"], color=colour, marker="o", ms=6, capsize=3, lw=1.2,
                    xerr=[[q.loc[0.5, "spread"] - q.loc[band[0], "spread"]], [q.loc[band[1], "spread"] - q.loc[0.5, "spread"]]],
                    yerr=[[q.loc[0.5, "mean"] - q.loc[band[0], "mean"]], [q.loc[band[1], "mean"] - q.loc[0.5, "mean"]]])
    start = t[t["year"] == t["year"].min()][["spread", "mean"]].median()
    ax.plot(start["spread"], start["mean"], marker="s", ms=7, color="k", mfc="white", ls="none")
    ax.set_xlabel("Spread: P90 − P10 of schools (percentage points)")
    ax.set_ylabel("Mean attainment (% of pupils at the benchmark)")
    n = int(t["seed"].nunique()) if "seed" in t else 1
    caption = (f"Up and to the left = upwards convergence. Lines: median path over {n} seeds, a point a year;\n"
               f"end point: final-year median, whiskers: {100 * band[0]:.0f}-{100 * band[1]:.0f}% range over seeds "
               "(both axes); open square: start.")
    handles, names = _arm_handles(arms, colours, labels)
    handles.append(Line2D([], [], marker="s", color="k", mfc="white", ls="none"))
    names.append("start (median)")
    return finish(fig, heading, caption, handles, names, ncol=2 if len(handles) > 3 else len(handles))


def legend_texts(fig) -> list[str]:
    """Every legend entry of a figure (figure legends and axes legends), for checks."""
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    return [t.get_text() for legend in legends for t in legend.get_texts()]
