"""simulation.mechanisms.outcomes.attainment: share of pupils reaching the benchmark."""

import numpy as np
from scipy.special import ndtr

from simulation.mechanisms.outcomes import attainment


def test_attainment_is_a_share(small_model):
    m = small_model()
    m.staff.knowledge[:] += np.random.default_rng(0).normal(0, 3, m.staff.n)  # extreme knowledge
    attainment.update_attainment(m.ctx)
    assert np.all((m.schools.attainment >= 0) & (m.schools.attainment <= 1))


def test_attainment_matches_formula_without_cohort_noise(small_model):
    m = small_model(cohort_noise=0.0)
    st, sc, cfg = m.staff, m.schools, m.cfg.pressure
    sc.focus[:] = np.linspace(0, 0.5, sc.n)  # some schools focus on pupils near the benchmark
    attainment.update_attainment(m.ctx)
    sigma = m.system.pupil_sigma
    z = (st.effective() + sc.context[st.school] - cfg.focus_cost * sc.focus[st.school] - m.system.benchmark) / sigma
    lifted = sc.focus[st.school] * (ndtr(z + cfg.focus_band / sigma) - ndtr(z))
    expected = np.bincount(st.school, weights=ndtr(z) + lifted) / sc.n_staff
    np.testing.assert_allclose(sc.attainment, expected)
    np.testing.assert_allclose(sc.score, sigma * np.bincount(st.school, weights=z) / sc.n_staff)


def test_focus_raises_the_benchmark_share_but_not_the_mean_score(small_model):
    """The two outcomes part: focus lifts pupils near the benchmark over it at a cost in mean score."""
    m = small_model(cohort_noise=0.0, focus_cost=0.02)
    sc = m.schools
    sc.focus[:] = 0.0
    attainment.update_attainment(m.ctx)
    share, score = sc.attainment.copy(), sc.score.copy()
    sc.focus[0] = 0.5
    attainment.update_attainment(m.ctx)
    assert sc.attainment[0] > share[0] + 0.01
    np.testing.assert_allclose(sc.score[0], score[0] - 0.02 * 0.5)
    np.testing.assert_allclose(sc.attainment[1:], share[1:])


def test_without_focus_cost_focus_leaves_the_mean_score_unchanged(small_model):
    m = small_model(cohort_noise=0.0, focus_cost=0.0)
    sc = m.schools
    sc.focus[:] = 0.0
    attainment.update_attainment(m.ctx)
    score = sc.score.copy()
    sc.focus[:] = 1.0
    attainment.update_attainment(m.ctx)
    np.testing.assert_allclose(sc.score, score)


def test_attainment_rises_with_knowledge(small_model):
    m = small_model(cohort_noise=0.0)
    m.schools.focus[:] = 0.0
    attainment.update_attainment(m.ctx)
    before = m.schools.attainment.copy()
    m.staff.knowledge[m.staff.school == 0] += 0.1
    attainment.update_attainment(m.ctx)
    after = m.schools.attainment
    assert after[0] > before[0] + 0.01
    np.testing.assert_allclose(after[1:], before[1:])


def test_shallow_knowledge_counts_while_it_lasts(small_model):
    m = small_model(cohort_noise=0.0)
    attainment.update_attainment(m.ctx)
    before = m.schools.attainment[0]
    m.staff.shallow[m.staff.school == 0] += 0.1
    attainment.update_attainment(m.ctx)
    assert m.schools.attainment[0] > before


def test_released_experts_lower_supporters_attainment_slightly(small_model):
    m = small_model(cohort_noise=0.0)
    attainment.update_attainment(m.ctx)
    before = m.schools.attainment.copy()
    m.plan.released[0] = 1
    attainment.update_attainment(m.ctx)
    drop = before[0] - m.schools.attainment[0]
    assert 0 < drop < 0.01  # cover while away costs a little, not a lot
    np.testing.assert_allclose(m.schools.attainment[1:], before[1:])

