"""SchoolSystem: the public API, reproducibility, metrics and whole-run invariants."""

import numpy as np
import pandas as pd
import pytest

from simulation import ConfigError, SchoolSystem
from simulation.agents import School, Staff
from simulation.mechanisms.between_schools import pilot

STRATEGIES = ["status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"]
REQUIRED_COLUMNS = [
    "year", "mean_attainment", "sd_attainment", "p10_attainment", "p90_attainment", "top_decile_attainment",
    "frontier", "share_outstanding", "share_good", "share_requires_improvement", "share_inadequate",
    "share_special_measures", "share_below_floor", "share_outstanding_supporting", "mean_moral_capital",
    "mean_km_capacity", "n_partnerships", "resource_used",
]
GRADES = ["share_outstanding", "share_good", "share_requires_improvement", "share_inadequate"]


@pytest.fixture(scope="module")
def ten_year_runs():
    """One 10-year run per strategy (teaching scenario), shared by the whole-run checks."""
    runs = {}
    for s in STRATEGIES:
        m = SchoolSystem(scenario="teaching", strategy=s, rng=0)
        m.run_years(10)
        runs[s] = m
    return runs


def test_documented_call_works():
    m = SchoolSystem(scenario="teaching", strategy="upwards_convergence", rng=0)
    m.step()
    assert m.steps == 1 and m.schools.n == 40


def test_metrics_has_required_columns(ten_year_runs):
    frame = ten_year_runs["upwards_convergence"].metrics()
    assert isinstance(frame, pd.DataFrame)
    assert set(REQUIRED_COLUMNS) <= set(frame.columns)


def test_metrics_have_one_row_per_step_plus_initial(ten_year_runs):
    m = ten_year_runs["status_quo"]
    frame = m.metrics()
    assert len(frame) == m.steps + 1 == 10 * m.cfg.steps_per_year + 1
    np.testing.assert_allclose(frame["year"], m.cfg.start_year + np.arange(len(frame)) * m.dt)


def test_same_seed_gives_identical_metrics(small_model):
    a, b = small_model("upwards_convergence", seed=4), small_model("upwards_convergence", seed=4)
    a.run_years(2)
    b.run_years(2)
    pd.testing.assert_frame_equal(a.metrics(), b.metrics())


def test_different_seeds_differ(small_model):
    a, b = small_model("upwards_convergence", seed=4), small_model("upwards_convergence", seed=5)
    a.run_years(2)
    b.run_years(2)
    assert not a.metrics()["mean_attainment"].equals(b.metrics()["mean_attainment"])


def test_string_seed_equals_int_seed():
    a = SchoolSystem(scenario="teaching", strategy="status_quo", rng="7")
    b = SchoolSystem(scenario="teaching", strategy="status_quo", rng=7)
    a.run_years(1)
    b.run_years(1)
    assert a.seed == b.seed == 7
    pd.testing.assert_frame_equal(a.metrics(), b.metrics())


def test_non_numeric_seed_raises_config_error():
    with pytest.raises(ConfigError, match="seed"):
        SchoolSystem(scenario="teaching", strategy="status_quo", rng="abc")


def test_negative_seed_raises_config_error():
    with pytest.raises(ConfigError, match="seed"):
        SchoolSystem(scenario="teaching", strategy="status_quo", rng="-1")


def test_seed_defaults_to_config_seed():
    a = SchoolSystem(scenario="teaching", strategy="status_quo", seed=11)
    assert a.seed == 11


def test_run_years_advances_years_times_steps_per_year(small_model):
    for spy in (3, 12):
        m = small_model(steps_per_year=spy)
        m.run_years(2)
        assert m.steps == m.term == 2 * spy
        assert m.years_elapsed == pytest.approx(2.0)
        assert m.calendar_year == pytest.approx(m.cfg.start_year + 2)


def test_school_year_starts_with_first_term(small_model):
    m = small_model()
    flags = []
    for _ in range(7):
        m.step()
        flags.append(m.ctx.clock.new_year)  # set at the start of each step
    assert flags == [True, False, False, True, False, False, True]


def test_school_panel_only_when_collected(small_model):
    m = small_model()
    m.run_years(1)
    with pytest.raises(ValueError, match="collect_school_panel"):
        m.school_panel()
    m = small_model(collect_school_panel=True)
    m.run_years(1)
    panel = m.school_panel()
    assert len(panel) == m.schools.n * (m.steps + 1)
    assert {"step", "year", "school", "attainment", "grade"} <= set(panel.columns)


def test_staff_agents_are_posts(ten_year_runs):
    m = ten_year_runs["upwards_convergence"]
    assert len(m.staff_agents) == m.staff.n == len(m.agents_by_type[Staff])
    assert len(m.agents_by_type[School]) == m.schools.n
    assert [a.index for a in m.staff_agents] == list(range(m.staff.n))
    # posts are reused: the count after ten years of turnover equals the initial one
    assert m.tally.leavers_total > 0
    assert m.staff.n == int(m.schools.n_staff.sum())


def test_staff_agent_count_constant_over_a_run(small_model):
    m = small_model()
    before = list(m.agents_by_type[Staff])
    m.run_years(2)
    assert list(m.agents_by_type[Staff]) == before


def test_staff_agent_is_a_view_of_its_row(small_model):
    m = small_model()
    agent = m.staff_agents[10]
    m.staff.knowledge[10] = 0.123
    m.staff.shallow[10] = 0.01
    assert agent.knowledge == pytest.approx(0.133) and agent.school == m.staff.school[10]


def test_staff_agents_created_on_first_use_when_not_wanted_up_front():
    m = SchoolSystem(scenario="teaching", strategy="status_quo", rng=0, create_staff_agents=False)
    assert Staff not in m.agents_by_type
    assert len(m.staff_agents) == m.staff.n and len(m.agents_by_type[Staff]) == m.staff.n


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_knowledge_never_exceeds_frontier_after_ten_years(ten_year_runs, strategy):
    m = ten_year_runs[strategy]
    assert m.staff.knowledge.max() <= m.frontier + 1e-12
    assert m.staff.effective().max() <= m.frontier + 1e-12


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_grade_shares_sum_to_one(ten_year_runs, strategy):
    frame = ten_year_runs[strategy].metrics()
    np.testing.assert_allclose(frame[GRADES].sum(axis=1), 1.0)
    assert (frame["share_special_measures"] <= frame["share_inadequate"] + 1e-12).all()


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_frontier_never_falls(ten_year_runs, strategy):
    assert (ten_year_runs[strategy].metrics()["frontier"].diff().dropna() >= 0).all()


def test_frontier_only_moves_with_innovation(small_model):
    m = small_model("reducing_disparity", base_rate=0.0)  # no innovation days, no base rate
    f0 = m.frontier
    m.run_years(5)
    assert m.tally.innovations_adopted == 0 and m.frontier == f0


def test_shares_and_attainment_are_shares(ten_year_runs):
    frame = pd.concat([m.metrics() for m in ten_year_runs.values()])
    shares = [c for c in frame.columns if c.startswith("share_")] + ["mean_attainment", "p10_attainment",
                                                                      "p90_attainment", "mean_km_capacity",
                                                                      "mean_moral_capital"]
    assert ((frame[shares] >= 0) & (frame[shares] <= 1)).all().all()
    assert (frame["p10_attainment"] <= frame["p90_attainment"]).all()


def test_config_object_can_be_passed_directly():
    from simulation import load_config

    cfg = load_config("teaching", "growing_the_top", n_schools=15)
    m = SchoolSystem(config=cfg, rng=1)
    assert m.schools.n == 15 and m.cfg is cfg


def test_own_days_count_every_self_funded_partnership_every_term():
    """Equal cost, measured: a partnership schools pay for themselves costs both schools'
    days_per_term in every term it runs, not only the term it forms."""
    from simulation.mechanisms.between_schools import partnerships

    m = SchoolSystem(scenario="teaching", strategy="status_quo", rng=3, self_selection_rate=0.0,
                     spontaneous_support=0.0, officer_days_per_school=0.0)
    per_link = 2 * m.cfg.partnership.days_per_term * m.cfg.partnership.terms_per_year * m.dt
    for _ in range(4):
        m.step()
        expected = partnerships.self_funded_rows(m.ctx).size * per_link
        assert m.tally.own_staff_days == pytest.approx(expected)
        assert m.metrics().total_staff_days.iloc[-1] == pytest.approx(m.tally.staff_days_used + expected)


def test_pilot_schools_give_their_days_while_their_trios_run():
    m = SchoolSystem(scenario="growing_the_top_pilot", strategy="status_quo", rng=0, n_trios=2, start_after_years=2.0,
                     duration_years=1.0, self_selection_rate=0.0, spontaneous_support=0.0)
    days = []
    for _ in range(5 * m.cfg.steps_per_year):
        m.step()
        days.append(pilot.pilot_days(m.ctx))
    running = np.array(days) > 0
    assert running.sum() == m.cfg.steps_per_year  # one year of trios
    assert max(days) == pytest.approx(6 * m.cfg.pilot.days_per_school * m.dt)
