"""simulation.mechanisms.within_school.knowledge: experience learning, drift toward habit, the frontier, move_toward."""

import numpy as np
import pytest

from simulation.mechanisms.within_school import knowledge


def test_experience_gain_follows_decaying_formula(small_model):
    m = small_model()
    st, cfg = m.staff, m.cfg.staff
    m.system.frontier = 10.0  # lift the ceiling so the uncapped formula is visible
    st.experience[:] = np.linspace(0, 20, st.n)
    k0, b0, x0 = st.knowledge.copy(), st.base.copy(), st.experience.copy()
    knowledge.learn_from_experience(m.ctx)
    expected = cfg.experience_gain * np.exp(-x0 / cfg.experience_decay_years) * m.dt
    np.testing.assert_allclose(st.knowledge - k0, expected, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(st.base - b0, expected, rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(st.experience - x0, m.dt)


def test_new_teachers_gain_most_from_experience(small_model):
    m = small_model()
    m.system.frontier = 10.0
    st = m.staff
    st.experience[:2] = [0.0, 10.0]
    k0 = st.knowledge[:2].copy()
    knowledge.learn_from_experience(m.ctx)
    gain = st.knowledge[:2] - k0
    # returns to experience are concentrated in the first years: exp(-10/3) ~ 0.036
    assert gain[0] > 20 * gain[1] > 0


def test_experience_never_pushes_knowledge_past_frontier(small_model):
    m = small_model()
    st = m.staff
    st.experience[:] = 0.0  # everyone at the largest gain
    top = np.argmax(st.knowledge)
    knowledge.learn_from_experience(m.ctx)
    assert st.knowledge.max() <= m.frontier
    assert st.knowledge[top] == m.frontier  # the frontier holder is capped, not lifted


def test_drift_moves_knowledge_toward_base_at_drift_rate(small_model):
    m = small_model()
    st = m.staff
    m.schools.km_capacity[:] = 0.0  # no embedding: pure forgetting
    st.base[:] = st.knowledge - 0.2
    k0, b0 = st.knowledge.copy(), st.base.copy()
    knowledge.drift(m.ctx)
    np.testing.assert_allclose(st.knowledge - k0, -m.cfg.staff.drift * m.dt * 0.2, rtol=1e-9)
    np.testing.assert_array_equal(st.base, b0)


def test_drift_embeds_knowledge_into_habit_with_km_capacity(small_model):
    m = small_model()
    st = m.staff
    m.schools.km_capacity[:] = 0.8
    st.base[:] = st.knowledge - 0.2
    k0, b0 = st.knowledge.copy(), st.base.copy()
    knowledge.drift(m.ctx)
    b1 = b0 + m.cfg.staff.embedding_rate * 0.8 * m.dt * 0.2
    np.testing.assert_allclose(st.base, b1, rtol=1e-9)
    np.testing.assert_allclose(st.knowledge, k0 - m.cfg.staff.drift * m.dt * (k0 - b1), rtol=1e-9)


def test_drift_does_not_touch_knowledge_at_base(small_model):
    m = small_model()
    k0 = m.staff.knowledge.copy()  # at start base == knowledge
    knowledge.drift(m.ctx)
    np.testing.assert_allclose(m.staff.knowledge, k0)


def test_experience_then_drift_stays_within_frontier(small_model):
    m = small_model()
    st = m.staff
    st.experience[np.argmax(st.knowledge)] = 0.0  # the frontier holder is a new teacher
    knowledge.learn_from_experience(m.ctx)
    knowledge.drift(m.ctx)
    assert st.knowledge.max() <= m.frontier


def test_update_frontier_rises_to_best_knowledge(small_model):
    m = small_model()
    m.staff.knowledge[5] = m.frontier + 0.1
    assert knowledge.update_frontier(m.ctx) == pytest.approx(m.staff.knowledge[5])


def test_update_frontier_never_falls(small_model):
    m = small_model()
    f0 = m.frontier
    m.staff.knowledge[:] -= 1.0
    assert knowledge.update_frontier(m.ctx) == f0


def test_move_toward_takes_share_of_gap_and_never_overshoots():
    rng = np.random.default_rng(0)
    k, target = rng.normal(size=1000), rng.normal(size=1000)
    for rate in (0.0, 0.3, 1.0, 2.5):
        gain = knowledge.move_toward(k, target, np.full(1000, rate))
        below = target > k
        np.testing.assert_allclose(gain[below], min(rate, 1.0) * (target - k)[below])
        assert np.all(k + gain <= np.maximum(target, k) + 1e-12)


def test_move_toward_is_zero_when_target_is_below():
    gain = knowledge.move_toward(np.array([0.5, 0.2]), np.array([0.1, 0.2]), np.array([0.9, 0.9]))
    np.testing.assert_array_equal(gain, 0.0)


def test_move_toward_ignores_negative_rates():
    gain = knowledge.move_toward(np.array([0.0]), np.array([1.0]), np.array([-0.5]))
    assert gain[0] == 0.0
