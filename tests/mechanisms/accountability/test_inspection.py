"""simulation.mechanisms.accountability.inspection: initial grade stock, rising bar, special measures, inspection cycle."""

import numpy as np
import pytest

from simulation.agents import Inspectorate
from simulation.mechanisms.accountability import inspection
from simulation.params.schema import Grade
from simulation.state.system import Inspections


def test_first_inspections_reproduce_initial_shares(small_model):
    m = small_model(scenario="london_challenge")
    shares = np.bincount(m.schools.grade, minlength=5)[1:] / m.schools.n
    np.testing.assert_allclose(shares, m.cfg.inspection.initial_shares, atol=0.04)


def test_first_inspections_follow_custom_shares(small_model):
    m = small_model(scenario="london_challenge", initial_shares=[0.1, 0.3, 0.4, 0.2])
    shares = np.bincount(m.schools.grade, minlength=5)[1:] / m.schools.n
    np.testing.assert_allclose(shares, [0.1, 0.3, 0.4, 0.2], atol=0.04)


def test_judgement_follows_boundaries(small_model):
    m = small_model(noise=0.0, context_bias=0.0)
    m.system.grade_boundaries = np.array([-0.1, 0.0, 0.1])
    posts = np.arange(m.schools.start[0], m.schools.start[4])
    school = m.staff.school[posts]
    m.staff.shallow[:] = 0.0
    m.staff.knowledge[posts] = np.array([-0.2, -0.05, 0.05, 0.2])[school]
    grades = inspection.judge(m.ctx, np.arange(4))
    np.testing.assert_array_equal(grades, [Grade.inadequate, Grade.requires_improvement, Grade.good,
                                           Grade.outstanding])


def test_revise_framework_raises_every_boundary(small_model):
    m = small_model(relative_weight=0.0)  # a purely absolute bar
    b0 = m.system.grade_boundaries.copy()
    inspection.revise_framework(m.ctx)
    np.testing.assert_allclose(m.system.grade_boundaries, b0 + m.cfg.inspection.bar_rise)
    assert m.system.framework_revisions == 1


def test_a_partly_relative_bar_moves_toward_the_starting_stock_on_the_latest_judgements(small_model):
    m = small_model(relative_weight=1.0, n_schools=400)
    m.schools.judged += 0.5  # every school now judged much better than at the start
    inspection.revise_framework(m.ctx)
    cuts = 4 - np.searchsorted(m.system.grade_boundaries, m.schools.judged, side="right")
    shares = np.bincount(cuts, minlength=5)[1:] / m.schools.n
    np.testing.assert_allclose(shares, m.cfg.inspection.initial_shares, atol=0.01)


def test_framework_is_revised_every_interval(small_model):
    m = small_model(framework_interval=4, relative_weight=0.0)
    b0 = m.system.grade_boundaries.copy()
    m.run_years(4)
    assert m.system.framework_revisions == 0  # four full years, not yet the start of the fifth
    m.step()  # first term of year 4 (2006)
    assert m.system.framework_revisions == 1
    m.run_years(5)
    assert m.system.framework_revisions == 2
    np.testing.assert_allclose(m.system.grade_boundaries, b0 + 2 * m.cfg.inspection.bar_rise)


def test_standing_still_slips_a_grade(small_model):
    m = small_model(noise=0.0)
    before = inspection.judge(m.ctx, np.arange(m.schools.n))
    for _ in range(10):
        inspection.revise_framework(m.ctx)
    after = inspection.judge(m.ctx, np.arange(m.schools.n))
    assert np.all(after >= before) and after.mean() > before.mean()


def test_special_measures_only_for_inadequate_with_weak_leadership(small_model):
    m = small_model(leadership_noise=0.0)
    thr = m.cfg.inspection.special_measures_leadership
    m.schools.leadership[:4] = [thr - 0.1, thr + 0.1, thr - 0.1, thr - 0.1]
    grades = np.array([Grade.inadequate, Grade.inadequate, Grade.requires_improvement, Grade.outstanding])
    inspection._record(m.ctx, np.arange(4), grades)
    np.testing.assert_array_equal(m.schools.special_measures[:4], [True, False, False, False])
    np.testing.assert_array_equal(m.schools.grade[:4], grades)


def test_special_measures_read_the_leadership_the_inspectors_see(small_model):
    m = small_model(leadership_noise=0.2, n_schools=400)
    thr = m.cfg.inspection.special_measures_leadership
    m.schools.leadership[:] = thr + 0.05  # all truly above the line
    inspection._record(m.ctx, np.arange(400), np.full(400, Grade.inadequate))
    share = m.schools.special_measures.mean()
    assert 0.2 < share < 0.5  # P(N(0.05, 0.2) < 0) = 0.40: seen leadership, not the true one


def test_special_measures_are_a_subset_of_inadequate(small_model):
    m = small_model(scenario="london_challenge")
    sc = m.schools
    assert np.all(sc.grade[sc.special_measures] == Grade.inadequate)


def test_first_inspection_dates_are_staggered_within_cycle(small_model):
    m = small_model(scenario="london_challenge")
    cycle = np.asarray(m.cfg.inspection.cycle_years)[m.schools.grade - 1]
    assert np.all(m.schools.next_inspection >= 0) and np.all(m.schools.next_inspection < cycle)


def test_inspection_due_dates_follow_cycle_by_grade(small_model):
    m = small_model(scenario="london_challenge")
    m.ctx.clock.term = 6  # two years in
    m.schools.next_inspection[:] = 0.0  # everyone is due
    inspection.inspect(m.ctx)
    cycle = np.asarray(m.cfg.inspection.cycle_years)[m.schools.grade - 1]
    gap = m.schools.next_inspection - m.years_elapsed
    assert np.all(gap >= 0.8 * cycle - 1e-9) and np.all(gap <= 1.2 * cycle + 1e-9)
    by_grade = [gap[m.schools.grade == g].mean() for g in (1, 4)]
    assert by_grade[0] > 3 * by_grade[1]  # weak schools are seen far more often


def test_only_due_schools_are_inspected_and_logged(small_model):
    m = small_model()
    m.schools.next_inspection[:] = 10.0
    m.schools.next_inspection[[2, 5]] = 0.0
    before = m.schools.next_inspection.copy()
    inspection.inspect(m.ctx)
    changed = np.flatnonzero(m.schools.next_inspection != before)
    np.testing.assert_array_equal(changed, [2, 5])
    np.testing.assert_array_equal(m.tally.inspection_log[-1].schools, [2, 5])


def test_inspectorate_revises_only_at_year_start(small_model):
    m = small_model(framework_interval=1)
    insp = Inspectorate(m)
    m.ctx.clock.term, m.ctx.clock.new_year = 4, False
    insp.revise_framework()
    assert m.system.framework_revisions == 0
    m.ctx.clock.term, m.ctx.clock.new_year = 3, True
    insp.revise_framework()
    assert m.system.framework_revisions == 1


def test_transition_rates_count_lost_outstanding(small_model):
    m = small_model()
    four = np.zeros(4)
    m.tally.inspection_log = [Inspections(1.0, np.array([0, 1, 2, 3]), np.array([1, 1, 4, 4]), np.array([1, 2, 2, 4]),
                                          four, four.astype(bool), np.zeros(3))]
    rates = inspection.transition_rates(m.ctx)
    assert rates["outstanding_lost"] == pytest.approx(0.5)
    assert rates["inadequate_to_good"] == pytest.approx(0.5)


def test_inspections_table_has_every_judgement_and_its_cut(small_model):
    """Every inspection is a row; the grade is the score cut at the boundaries in force, and the
    previous grade is the school's grade at its inspection before (0 at the first)."""
    m = small_model(scenario="regional")
    m.run_years(4)
    table = m.inspections()
    assert (table.groupby("school").size() >= 1).all() and table.school.nunique() == m.schools.n
    cut = 4 - sum((table.score >= table[c]).astype(int)
                  for c in ("boundary_inadequate_ri", "boundary_ri_good", "boundary_good_outstanding"))
    np.testing.assert_array_equal(table.grade, cut)
    for _, rows in table.groupby("school"):
        assert rows.previous_grade.iloc[0] == 0
        np.testing.assert_array_equal(rows.previous_grade.iloc[1:], rows.grade.iloc[:-1])
    last = table.groupby("school").grade.last()
    np.testing.assert_array_equal(last.to_numpy(), m.schools.grade)
    assert not (table.special_measures & (table.grade != Grade.inadequate)).any()
