"""simulation.mechanisms.accountability.information: the authority's accumulated estimate of each
school (results, inspection reports, peer reviews) and its readings of capacity."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import information


def test_reviewed_estimates_are_closer_to_true_quality(small_model):
    m = small_model(n_schools=400)
    sc = m.schools
    reviewed = np.arange(sc.n) % 2 == 0
    sc.reviewed_until[:] = -1.0
    information.review(m.ctx, np.flatnonzero(reviewed))
    err = np.abs(sc.estimate - information.quality(m.ctx))
    # data and inspections carry the intake bias and more noise (0.08, 0.15 vs 0.03 pupil SD)
    assert err[reviewed].mean() < 0.6 * err[~reviewed].mean()


def test_a_first_reading_sets_the_estimate_and_later_ones_average(small_model):
    m = small_model(n_schools=3)
    sc = m.schools
    everyone = np.arange(3)
    sc.estimate_var[:] = np.inf
    information.take_reading(m.ctx, everyone, np.array([1.0, 2.0, 3.0]), 0.1)
    np.testing.assert_allclose(sc.estimate, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(sc.estimate_var, 0.01)
    information.take_reading(m.ctx, everyone, np.array([2.0, 2.0, 2.0]), 0.1)  # equal precision: the mean
    np.testing.assert_allclose(sc.estimate, [1.5, 2.0, 2.5])
    np.testing.assert_allclose(sc.estimate_var, 0.005)


def test_uncertainty_grows_between_readings_and_results_arrive_once_a_year(small_model):
    m = small_model()
    sc, cfg = m.schools, m.cfg.information
    var0, est0 = sc.estimate_var.copy(), sc.estimate.copy()
    m.ctx.clock.new_year = False
    information.estimate(m.ctx)
    np.testing.assert_allclose(sc.estimate_var, var0 + cfg.drift_sd**2 * m.dt)
    np.testing.assert_array_equal(sc.estimate, est0)  # no results mid-year
    m.ctx.clock.new_year = True
    information.estimate(m.ctx)
    assert (sc.estimate_var < var0).all() and not np.array_equal(sc.estimate, est0)


def test_data_only_estimate_converges_to_the_intake_confounded_value(small_model):
    m = small_model(n_schools=200, data_noise=0.001, drift_sd=0.0, noise=0.001)
    m.ctx.clock.new_year = True
    for _ in range(30):
        information.estimate(m.ctx)
    err = m.schools.estimate - information.quality(m.ctx)
    np.testing.assert_allclose(err, m.cfg.inspection.context_bias * m.schools.context, atol=0.01)


def test_a_review_is_repeated_only_once_it_is_no_longer_current(small_model):
    m = small_model()
    first = information.review(m.ctx, np.array([0, 1]))
    np.testing.assert_array_equal(first, [0, 1])
    assert m.schools.reviewed_until[0] == pytest.approx(m.cfg.information.review_valid_years)
    assert information.review(m.ctx, np.array([0, 1])).size == 0  # still current
    m.ctx.clock.term = 7  # 2.33 years later
    np.testing.assert_array_equal(information.review(m.ctx, np.array([0, 1])), [0, 1])


def test_reviews_and_inspections_read_capacity_with_noise(small_model):
    m = small_model(n_schools=400, km_noise=0.05)
    sc = m.schools
    sc.reviewed_until[:] = -1.0
    information.review(m.ctx, np.arange(sc.n))
    err = sc.km_estimate - sc.km_capacity
    assert np.std(err) == pytest.approx(0.05, rel=0.2)


def test_spare_officer_days_review_least_recently_reviewed_first(small_model):
    m = small_model()
    sc = m.schools
    sc.reviewed_until[:] = 5.0
    sc.reviewed_until[[7, 3, 9]] = [-1.0, -0.5, -0.2]
    used = information.review_with_spare_days(m.ctx, 3 * m.cfg.information.review_officer_days + 1.0)
    assert used == pytest.approx(3 * m.cfg.information.review_officer_days)
    np.testing.assert_allclose(sc.reviewed_until[[7, 3, 9]], m.cfg.information.review_valid_years)
    assert information.review_with_spare_days(m.ctx, 1.0) == 0.0
