"""Matplotlib figures of runs and strategy comparisons (Agg backend, PNG)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.strategies import STRATEGIES  # noqa: E402

GRADE_COLUMNS = {
    "share_outstanding": ("outstanding", "#1a9850"), "share_good": ("good", "#91cf60"),
    "share_requires_improvement": ("requires improvement", "#fc8d59"),
    "share_inadequate": ("inadequate", "#d73027"),
}
STRATEGY_COLOURS = {name: s.colour for name, s in STRATEGIES.items()}


def close(fig) -> None:
    plt.close(fig)


def run_figure(df: pd.DataFrame, title: str = ""):
    """One run: attainment distribution and frontier; grade shares (the London-style chart)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    ax1.fill_between(df["year"], 100 * df["p10_attainment"], 100 * df["p90_attainment"], alpha=0.2, label="P10-P90")
    ax1.plot(df["year"], 100 * df["mean_attainment"], label="mean")
    ax1.plot(df["year"], 100 * df["top_decile_attainment"], label="top decile")
    ax1.step(df["year"], 100 * df["floor"], where="post", color="k", lw=0.8, ls="--", label="floor")
    ax1.set_ylabel("% pupils reaching the benchmark")
    ax1.legend(loc="upper left", fontsize=8)
    ax1b = ax1.twinx()
    ax1b.plot(df["year"], df["frontier"], color="purple", lw=1, ls=":")
    ax1b.set_ylabel("frontier (pupil SD)", color="purple")
    for col, (label, colour) in GRADE_COLUMNS.items():
        ax2.plot(df["year"], 100 * df[col], label=label, color=colour)
    ax2.plot(df["year"], 100 * df["share_special_measures"], label="special measures", color="k", ls="--")
    ax2.set_ylabel("% of schools")
    ax2.legend(fontsize=8)
    fig.suptitle(title)
    return fig


def comparison_figure(table: pd.DataFrame, metrics: list[str], band: tuple[float, float] = (0.05, 0.95)):
    """Fan charts: median and band over seeds of each metric, one line per strategy."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.8), constrained_layout=True)
    for ax, metric in zip(list(axes) if len(metrics) > 1 else [axes], metrics):
        for strategy, group in table.groupby("strategy"):
            q = group.groupby("year")[metric].quantile([band[0], 0.5, band[1]]).unstack()
            colour = STRATEGY_COLOURS.get(strategy)
            ax.fill_between(q.index, q[band[0]], q[band[1]], alpha=0.15, color=colour)
            ax.plot(q.index, q[0.5], label=strategy, color=colour)
        ax.set_title(metric.replace("_", " "))
    axes[0].legend(fontsize=8) if len(metrics) > 1 else axes.legend(fontsize=8)
    return fig


def convergence_diagram(table: pd.DataFrame):
    """x = spread (P90-P10), y = mean: up and to the left is upwards convergence."""
    fig, ax = plt.subplots(figsize=(5.5, 4.5), constrained_layout=True)
    t = table.assign(spread=100 * (table["p90_attainment"] - table["p10_attainment"]),
                     mean=100 * table["mean_attainment"])
    for strategy, group in t.groupby("strategy"):
        med = group.groupby("year")[["spread", "mean"]].median()
        yearly = med[med.index == med.index.astype(int)]
        colour = STRATEGY_COLOURS.get(strategy)
        ax.plot(yearly["spread"], yearly["mean"], marker=".", color=colour, label=strategy)
        ax.annotate("", xy=(yearly["spread"].iloc[-1], yearly["mean"].iloc[-1]),
                    xytext=(yearly["spread"].iloc[-2], yearly["mean"].iloc[-2]),
                    arrowprops=dict(arrowstyle="->", color=colour))
    ax.set_xlabel("spread: P90 - P10 (percentage points)")
    ax.set_ylabel("mean % reaching the benchmark")
    ax.set_title("Convergence diagram\n(up and to the left = upwards convergence)")
    ax.legend(fontsize=8)
    return fig
