"""simulation.mechanisms.accountability.information: the local authority's estimate of school quality, and peer reviews."""

import numpy as np
import pytest

from simulation.mechanisms.accountability import information


def test_reviewed_estimates_are_closer_to_true_quality(small_model):
    m = small_model(n_schools=400)
    sc = m.schools
    reviewed = np.arange(sc.n) % 2 == 0
    information.review(m.ctx, np.flatnonzero(reviewed))
    truth = information.quality(m.ctx)
    err = np.zeros(sc.n)
    for _ in range(5):
        information.estimate(m.ctx)
        err += np.abs(sc.estimate - truth)
    # data alone adds intake bias and more noise (0.08 vs 0.03 pupil SD)
    assert err[reviewed].mean() < 0.6 * err[~reviewed].mean()


def test_reviewed_estimate_error_matches_review_noise(small_model):
    m = small_model(n_schools=400)
    information.review(m.ctx, np.arange(m.schools.n))
    information.estimate(m.ctx)
    err = m.schools.estimate - information.quality(m.ctx)
    assert np.std(err) == pytest.approx(m.cfg.information.review_noise, rel=0.15)
    assert abs(np.corrcoef(err, m.schools.context)[0, 1]) < 0.15  # no intake bias after a review


def test_data_only_estimate_is_confounded_by_intake(small_model):
    m = small_model(n_schools=400, data_noise=0.0)
    information.estimate(m.ctx)
    err = m.schools.estimate - information.quality(m.ctx)
    np.testing.assert_allclose(err, m.cfg.inspection.context_bias * m.schools.context)


def test_review_stays_fresh_for_two_years(small_model):
    m = small_model()
    information.review(m.ctx, np.array([0]))
    assert m.schools.reviewed_until[0] == pytest.approx(m.cfg.information.review_valid_years)
    m.ctx.clock.term = 7  # 2.33 years later the review has expired: data-only again
    m.cfg.information.data_noise = 0.0
    information.estimate(m.ctx)
    expected = information.quality(m.ctx)[0] + m.cfg.inspection.context_bias * m.schools.context[0]
    assert m.schools.estimate[0] == pytest.approx(expected)


def test_spare_officer_days_review_least_recently_reviewed_first(small_model):
    m = small_model()
    sc = m.schools
    sc.reviewed_until[:] = 5.0
    sc.reviewed_until[[7, 3, 9]] = [-1.0, 0.5, 1.0]
    used = information.review_with_spare_days(m.ctx, 3 * m.cfg.information.review_officer_days + 1.0)
    assert used == pytest.approx(3 * m.cfg.information.review_officer_days)
    np.testing.assert_allclose(sc.reviewed_until[[7, 3, 9]], m.cfg.information.review_valid_years)
    assert information.review_with_spare_days(m.ctx, 1.0) == 0.0
