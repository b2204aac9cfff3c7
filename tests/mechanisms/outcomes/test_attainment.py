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
    st, sc = m.staff, m.schools
    attainment.update_attainment(m.ctx)
    z = (st.effective() + sc.context[st.school] - m.system.benchmark) / m.system.pupil_sigma
    expected = np.bincount(st.school, weights=ndtr(z)) / sc.n_staff
    np.testing.assert_allclose(sc.attainment, expected)


def test_attainment_rises_with_knowledge(small_model):
    m = small_model(cohort_noise=0.0)
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

