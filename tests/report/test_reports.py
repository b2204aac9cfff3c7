"""The experiment analyses' shared figures: one colour per arm (the floor experiment once drew every
arm in the same blue), one legend, units, a caption; headings name the scenario."""

from __future__ import annotations

from simulation.report import plots, reports
from test_plots import fake_table  # the sibling test module (pytest puts tests/report on the path)


def sweep_table():
    table = fake_table(("flat 25%", "rising 25->40%", "rising 25->50%"))
    return table.assign(job=table.strategy + "-" + table.seed.astype(str), scenario="teaching",
                        floor_schedule=table.strategy)


def test_compare_arms_colours_every_arm(tmp_path):
    table, runs, paths = reports.compare_arms(sweep_table(), tmp_path, "floor_schedule",
                                              {"floor.png": ["floor", "share_below_floor"]})
    assert {p.name for p in paths} == {"floor.png", "fans.png", "convergence.png"}
    assert len(runs) == 9 and set(runs.strategy) == {"flat 25%", "rising 25->40%", "rising 25->50%"}


def test_arms_of_a_sweep_get_distinct_colours_and_headings():
    table = reports.with_arm(sweep_table(), "floor_schedule")
    fig = plots.comparison_figure(table, reports.FAN_METRICS, heading=f"Attainment: {reports.heading(table)}")
    colours = [h.get_color() for h in fig.legends[0].legend_handles]
    assert len(set(colours)) == 3
    assert "teaching scenario, 3 years" in fig.get_suptitle()
    plots.close(fig)


def test_grade_shares_figure_reads_alone():
    table = reports.with_arm(sweep_table(), "floor_schedule")
    fig = reports.grade_shares_figure(table)
    assert fig.axes[0].get_ylabel() == "% of schools" and all(ax.get_xlabel() == "year" for ax in fig.axes)
    assert len(fig.legends) == 1 and "outstanding" in plots.legend_texts(fig)
    assert "mean over 3 seeds" in fig.get_suptitle()
    plots.close(fig)
