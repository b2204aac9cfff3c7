"""Figures that read alone: axis labels with units, attainment in percent, one legend for the
figure naming every arm, a subtitle saying what lines and bands are, one colour per arm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.report import plots
from simulation.strategies import STRATEGIES


def fake_table(arms=("status_quo", "upwards_convergence", "flat 25%", "rising 25->40%"), seeds=3, years=3):
    rng = np.random.default_rng(0)
    rows = []
    for arm in arms:
        for seed in range(seeds):
            for step in range(3 * years + 1):
                mean = 0.4 + 0.01 * step + 0.01 * rng.random()
                rows.append({"strategy": arm, "seed": seed, "step": step, "year": 2002 + step / 3,
                             "mean_attainment": mean, "p10_attainment": mean - 0.2, "p90_attainment": mean + 0.2,
                             "top_decile_attainment": mean + 0.3, "frontier": 0.8, "floor": 0.25,
                             "share_outstanding": 0.2, "share_good": 0.5, "share_requires_improvement": 0.2,
                             "share_inadequate": 0.1, "share_special_measures": 0.02, "share_below_floor": 0.05,
                             "share_outstanding_supporting": 0.1 * rng.random(), "resource_used": 100.0})
    return pd.DataFrame(rows)


def test_comparison_figure_labels_units_legend_caption_colours():
    table = fake_table()
    table = table.assign(spread=table.p90_attainment - table.p10_attainment)
    fig = plots.comparison_figure(table, ["mean_attainment", "spread", "top_decile_attainment", "frontier"],
                                  heading="Attainment")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_ylabel() for ax in axes] == ["% of pupils at the benchmark", "percentage points",
                                                "% of pupils at the benchmark", "pupil SD of teaching effect"]
    assert all(ax.get_xlabel() == "year" and ax.get_title() for ax in axes)
    assert all(ax.get_legend() is None for ax in axes) and len(fig.legends) == 1  # one legend, for the figure
    assert plots.legend_texts(fig) == ["Status quo", "Upwards convergence", "flat 25%", "rising 25->40%"]
    caption = fig.get_suptitle()
    assert "Attainment" in caption and "median over 3 seeds" in caption and "10-90% range" in caption
    # percent: the mean line is drawn in %, not as a 0-1 share
    assert axes[0].get_lines()[0].get_ydata().min() > 30
    # one colour per arm: registry colours for strategies, distinct palette colours for the others
    colours = [h.get_color() for h in fig.legends[0].legend_handles]
    assert colours[:2] == [STRATEGIES["status_quo"].colour, STRATEGIES["upwards_convergence"].colour]
    assert len(set(colours)) == 4 and not set(colours[2:]) & {s.colour for s in STRATEGIES.values()}
    plots.close(fig)


def test_the_same_arm_has_the_same_colour_in_every_figure():
    table = fake_table()
    figs = [plots.comparison_figure(table, ["share_outstanding"]), plots.comparison_figure(table, ["frontier"]),
            plots.convergence_diagram(table)]
    per_fig = [dict(zip(plots.legend_texts(f), [h.get_color() for h in f.legends[0].legend_handles])) for f in figs]
    for arm in ("flat 25%", "rising 25->40%", "Status quo"):
        assert len({colours[arm] for colours in per_fig}) == 1
    assert per_fig[0]["flat 25%"] != per_fig[0]["rising 25->40%"]
    for fig in figs:
        plots.close(fig)


def test_label_column_names_a_custom_mix():
    table = fake_table(("status_quo", "mymix"))
    table["label"] = table.strategy.map({"status_quo": "Status quo", "mymix": "mymix: coaching 50%, support 10%"})
    fig = plots.comparison_figure(table, ["mean_attainment"])
    assert plots.legend_texts(fig) == ["Status quo", "mymix: coaching 50%, support 10%"]
    plots.close(fig)


def test_convergence_diagram_has_units_whiskers_and_one_legend():
    fig = plots.convergence_diagram(fake_table(("status_quo", "mymix")))
    (ax,) = fig.axes
    assert "percentage points" in ax.get_xlabel() and "% of pupils" in ax.get_ylabel()
    assert "10-90% range over seeds" in fig.get_suptitle() and "3 seeds" in fig.get_suptitle()
    assert len(ax.containers) == 2  # an error bar (both axes) per arm
    assert all(c.has_xerr and c.has_yerr for c in ax.containers)
    assert plots.legend_texts(fig)[:2] == ["Status quo", "mymix"] and len(fig.legends) == 1
    plots.close(fig)


def test_run_figure_reads_alone():
    df = fake_table(("status_quo",), seeds=1)
    fig = plots.run_figure(df, title="teaching - status_quo - seed 0")
    ax1, ax2 = fig.axes[0], fig.axes[1]
    assert ax1.get_ylabel() == "% of pupils at the benchmark" and ax2.get_ylabel() == "% of schools"
    assert ax1.get_xlabel() == "year" and "pupil SD" in fig.axes[2].get_ylabel()
    texts = plots.legend_texts(fig)
    assert len(fig.legends) == 1 and {"mean attainment", "frontier (right axis)", "outstanding",
                                      "special measures"} <= set(texts)
    assert "One run" in fig.get_suptitle() and "percentile" in fig.get_suptitle()
    plots.close(fig)


@pytest.mark.parametrize("metric, unit", [("share_outstanding", "% of schools"), ("floor", "% of pupils at the benchmark"),
                                          ("n_partnerships", "number"), ("mean_moral_capital", "index, 0-1"),
                                          ("spread", "percentage points")])
def test_units_come_from_the_metric_registry(metric, unit):
    assert plots.unit(metric) == unit
    assert plots.scale(metric) == (100.0 if "%" in unit or "points" in unit else 1.0)
