"""simulation.mechanisms.within_school.coaching: identification, coach training, coaching gains and km capacity."""

import numpy as np
import pytest

from simulation.mechanisms.within_school import coaching


def _set_up_school(m, s=0, coach_k=0.5, mentee_k=0.0, trained=True):
    """School ``s`` with hand-made coaches (its first posts) and mentees; no coaches elsewhere."""
    st = m.staff
    posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
    n_coach = int(coaching.coaches_needed(m.ctx)[s])
    st.coach[:] = False
    st.trained[:] = False
    st.coach[posts[:n_coach]] = True
    st.trained[posts[:n_coach]] = trained
    st.knowledge[posts[:n_coach]] = coach_k
    st.knowledge[posts[n_coach:]] = mentee_k
    st.base[posts] = st.knowledge[posts]
    st.shallow[posts] = 0.0
    m.ctx.clock.new_year = False  # keep the hand-picked coaches (no re-identification)
    return posts[:n_coach], posts[n_coach:]


def _expected_rate(m, s, days, skill=1.0):
    cfg = m.cfg.coaching
    mentees = m.schools.n_staff[s] - coaching.coaches_needed(m.ctx)[s]
    per_mentee_year = days / m.dt / mentees
    intensity = per_mentee_year / (per_mentee_year + cfg.coaching_half_days)
    return cfg.coaching_efficiency * m.dt * intensity * skill * (0.5 + m.schools.leadership[s])


def test_mentee_gain_matches_formula(small_model):
    m = small_model()
    coaches, mentees = _set_up_school(m, coach_k=0.5, mentee_k=0.0)
    days = 20.0
    m.plan.coaching_days[0] = days
    k0 = m.staff.knowledge.copy()
    coaching.coach(m.ctx)
    gain = m.staff.knowledge - k0
    np.testing.assert_allclose(gain[mentees], _expected_rate(m, 0, days) * 0.5, rtol=1e-9)
    np.testing.assert_array_equal(gain[coaches], 0.0)
    other = m.staff.school != 0
    np.testing.assert_array_equal(gain[other], 0.0)  # only the school with days coaches


def test_more_coaching_days_give_more_gain_with_diminishing_returns(small_model):
    gains = []
    for days in (10.0, 20.0, 40.0):
        m = small_model()
        _, mentees = _set_up_school(m)
        m.plan.coaching_days[0] = days
        k0 = m.staff.knowledge[mentees].mean()
        coaching.coach(m.ctx)
        gains.append(m.staff.knowledge[mentees].mean() - k0)
    assert gains[0] < gains[1] < gains[2]
    assert gains[2] - gains[1] < 2 * (gains[1] - gains[0])  # each doubling adds less than twice as much


def test_no_gain_when_coaches_are_not_better(small_model):
    m = small_model()
    _set_up_school(m, coach_k=0.0, mentee_k=0.3)
    m.plan.coaching_days[0] = 20.0
    k0 = m.staff.knowledge.copy()
    coaching.coach(m.ctx)
    np.testing.assert_array_equal(m.staff.knowledge, k0)


def test_untrained_coaches_have_untrained_skill_of_the_effect(small_model):
    gains = {}
    for trained in (True, False):
        m = small_model()
        _, mentees = _set_up_school(m, trained=trained)
        days = np.zeros(m.schools.n)
        days[0] = 20.0
        k0 = m.staff.knowledge[mentees].copy()
        coaching._coach_mentees(m.ctx, days, np.array([0]))  # school 0; bypass training to compare skills
        gains[trained] = (m.staff.knowledge[mentees] - k0).mean()
    assert gains[True] > 0
    assert gains[False] == pytest.approx(m.cfg.coaching.untrained_skill * gains[True], rel=1e-9)


def test_coaching_days_are_spent_on_training_first(small_model):
    m = small_model()
    coaches, mentees = _set_up_school(m, trained=False)
    need = coaches.size * m.cfg.coaching.coach_training_days
    extra = 12.0
    m.plan.coaching_days[0] = need + extra
    k0 = m.staff.knowledge[mentees].copy()
    coaching.coach(m.ctx)
    assert m.staff.trained[coaches].all()
    # only the days left after training reach the mentees, now with trained coaches
    np.testing.assert_allclose(m.staff.knowledge[mentees] - k0, _expected_rate(m, 0, extra) * 0.5, rtol=1e-9)


def test_days_short_of_training_train_some_coaches_and_coach_nobody(small_model):
    m = small_model()
    m.ctx.clock.new_year = False
    everyone = np.arange(m.schools.n)
    coaching.identify_coaches(m.ctx, everyone)
    need = np.bincount(m.staff.school, weights=m.staff.coach, minlength=m.schools.n) * m.cfg.coaching.coach_training_days
    m.plan.coaching_days[:] = 0.5 * need
    k0 = m.staff.knowledge.copy()
    coaching.coach(m.ctx)
    assert m.staff.trained[m.staff.coach].mean() == pytest.approx(0.5, abs=0.12)
    np.testing.assert_array_equal(m.staff.knowledge, k0)


def test_km_capacity_rises_in_coaching_school_and_decays_elsewhere(small_model):
    m = small_model()
    _set_up_school(m)
    sc, cfg = m.schools, m.cfg.coaching
    sc.km_capacity[:] = 0.3
    sc.km_floor[:] = 0.1
    days = coaching.full_cost(m.ctx)[0]
    m.plan.coaching_days[0] = days
    coaching.coach(m.ctx)
    intensity = m.plan.coaching_intensity[0]
    assert intensity > 0
    growth = cfg.km_growth * m.dt * intensity * sc.leadership[0] * 0.7
    decay = cfg.km_decay * m.dt * 0.2 * (1 - intensity)
    assert sc.km_capacity[0] == pytest.approx(0.3 + growth - decay)
    assert sc.km_capacity[0] > 0.3
    np.testing.assert_allclose(sc.km_capacity[1:], 0.3 - cfg.km_decay * m.dt * 0.2)


def test_km_capacity_decays_to_floor_not_below(small_model):
    m = small_model()
    sc = m.schools
    sc.km_capacity[:] = 0.9
    for _ in range(300):
        coaching.coach(m.ctx)  # no coaching days anywhere
    np.testing.assert_allclose(sc.km_capacity, sc.km_floor, atol=1e-3)
    assert np.all(sc.km_capacity >= sc.km_floor - 1e-12)


def test_identification_without_noise_picks_exactly_the_best(small_model):
    m = small_model(identification_noise=0.0)
    coaching.identify_coaches(m.ctx, np.arange(m.schools.n))
    needed = coaching.coaches_needed(m.ctx)
    k = m.staff.effective()
    for s in range(m.schools.n):
        posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
        best = posts[np.argsort(-k[posts])[: needed[s]]]
        assert set(posts[m.staff.coach[posts]]) == set(best)


def test_identification_with_noise_beats_chance_but_is_imperfect(small_model):
    m = small_model(n_schools=120)
    coaching.identify_coaches(m.ctx, np.arange(m.schools.n))
    needed = coaching.coaches_needed(m.ctx)
    k = m.staff.effective()
    hits = total = 0
    for s in range(m.schools.n):
        posts = np.arange(m.schools.start[s], m.schools.start[s + 1])
        best = set(posts[np.argsort(-k[posts])[: needed[s]]])
        hits += len(best & set(posts[m.staff.coach[posts]]))
        total += needed[s]
    chance = total / m.staff.n  # a random pick hits the best with the coach share
    assert 2 * chance < hits / total < 0.95


def test_identification_only_in_listed_schools(small_model):
    m = small_model()
    coaching.identify_coaches(m.ctx, np.array([3]))
    assert set(np.unique(m.staff.school[m.staff.coach])) == {3}


def test_coach_identifies_coaches_where_none_exist(small_model):
    m = small_model()
    m.ctx.clock.new_year = False
    m.plan.coaching_days[2] = 30.0
    coaching.coach(m.ctx)
    assert m.staff.coach[m.staff.school == 2].sum() == coaching.coaches_needed(m.ctx)[2]
