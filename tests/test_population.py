"""simulation.population: schools, staff and their calibrated starting state."""

import numpy as np
import pytest

from simulation import population
from simulation.params.loading import load_config
from simulation.mechanisms.between_schools import partnerships
from simulation.state.segments import school_mean


@pytest.fixture(scope="module")
def big():
    """London-Challenge-sized system: enough schools for the calibration figures."""
    from simulation import SchoolSystem

    return SchoolSystem(scenario="london_challenge", strategy="status_quo", rng=0)


def test_posts_are_contiguous_per_school(small_model):
    m = small_model()
    sc, st = m.schools, m.staff
    np.testing.assert_array_equal(np.diff(sc.start), sc.n_staff)
    np.testing.assert_array_equal(st.school, np.repeat(np.arange(sc.n), sc.n_staff))
    assert sc.start[0] == 0 and sc.start[-1] == st.n


def test_staff_follow_pupil_teacher_ratios(small_model):
    m = small_model(n_schools=200)
    sc, cfg = m.schools, m.cfg.system
    ratio = np.where(sc.secondary, cfg.pupils_per_teacher_secondary, cfg.pupils_per_teacher_primary)
    np.testing.assert_array_equal(sc.n_staff, np.maximum(2, np.round(sc.pupils / ratio)))
    assert sc.secondary.mean() == pytest.approx(cfg.share_secondary, abs=0.08)


def test_staff_knowledge_sd_and_between_share(big):
    k, cfg = big.staff.knowledge, big.cfg.staff
    assert k.mean() == pytest.approx(0.0, abs=1e-9)  # the 2002 baseline teacher is zero
    assert k.std() == pytest.approx(cfg.knowledge_sd, rel=0.05)
    between = np.var(school_mean(k, big.schools.start)[big.staff.school]) / np.var(k)
    assert between == pytest.approx(cfg.knowledge_between_share, abs=0.05)


def test_base_equals_knowledge_and_no_shallow_at_start(small_model):
    m = small_model()
    np.testing.assert_array_equal(m.staff.base, m.staff.knowledge)
    assert not m.staff.shallow.any() and not m.staff.coach.any() and not m.staff.trained.any()


def test_experience_follows_leaving_hazards(big):
    x, cfg = big.staff.experience, big.cfg.staff
    assert x.min() >= 0 and x.max() < 45
    # steady state: share in the first year equals the annual inflow (~ mean leaving rate)
    hazard = np.where(x < 1, cfg.leave_rate_first_year, np.where(x < 5, cfg.leave_rate_early,
                                                                 cfg.leave_rate_established))
    assert (x < 1).mean() == pytest.approx(hazard.mean(), rel=0.15)


def test_pupil_variance_is_one(small_model):
    m = small_model()
    cfg = m.cfg
    within_staff = cfg.staff.knowledge_sd ** 2 * (1 - cfg.staff.knowledge_between_share)
    total = population.within_sd(cfg) ** 2 + within_staff + cfg.system.between_school_variance
    assert total == pytest.approx(1.0)


def test_context_and_pull_correlate(big):
    r = np.corrcoef(big.schools.context, big.schools.pull)[0, 1]
    assert r == pytest.approx(big.cfg.system.context_pull_correlation, abs=0.1)


def test_benchmark_gives_configured_initial_attainment(big):
    share = np.average(big.schools.attainment, weights=big.schools.pupils)
    assert share == pytest.approx(big.cfg.system.initial_attainment, abs=0.02)


def test_mark_experts_picks_top_share_of_each_school(small_model):
    m = small_model()
    st, sc = m.staff, m.schools
    share = m.cfg.partnership.expert_share
    for s in range(sc.n):
        posts = np.arange(sc.start[s], sc.start[s + 1])
        n_exp = int(max(1, round(share * posts.size)))
        assert set(posts[st.expert[posts]]) == set(posts[np.argsort(-st.knowledge[posts])[:n_exp]])


def test_expert_knowledge_is_mean_of_experts(small_model):
    m = small_model()
    st = m.staff
    ek = partnerships.expert_knowledge(m.ctx)
    for s in (0, 7, 20):
        mask = (st.school == s) & st.expert
        assert ek[s] == pytest.approx(st.knowledge[mask].mean())


def test_same_seed_same_population():
    cfg = load_config("teaching", "status_quo")
    a = population.build_schools(cfg, np.random.default_rng(5))
    b = population.build_schools(cfg, np.random.default_rng(5))
    c = population.build_schools(cfg, np.random.default_rng(6))
    np.testing.assert_array_equal(a.pupils, b.pupils)
    assert not np.array_equal(a.pupils, c.pupils)


def test_km_floor_is_initial_capacity(small_model):
    m = small_model()
    np.testing.assert_array_equal(m.schools.km_capacity, m.schools.km_floor)
    assert np.all((m.schools.km_capacity >= 0) & (m.schools.km_capacity <= 1))
