"""simulation.mechanisms.within_school.cpd: low-leverage professional development."""

import numpy as np
import pytest

from simulation.mechanisms.within_school import coaching
from simulation.mechanisms.within_school import cpd
from simulation.mechanisms.within_school.absorption import uptake
from simulation.mechanisms.within_school.knowledge import move_toward


def _school_gain(m, s):
    posts = m.staff.school == s
    return m.staff.effective()[posts].mean()


def test_no_days_no_change(small_model):
    m = small_model()
    e0 = m.staff.effective().copy()
    cpd.train_staff(m.ctx)
    np.testing.assert_array_equal(m.staff.effective(), e0)


def test_cpd_gain_matches_formula(small_model):
    m = small_model()
    st, sc, cfg = m.staff, m.schools, m.cfg.partnership
    m.plan.cpd_days[:] = 2.0 * sc.n_staff  # 6 days per teacher per year
    good = np.quantile(st.knowledge, 0.9)
    intensity = 6.0 / (6.0 + m.cfg.cpd.half_days)
    rate = cfg.low_leverage_factor * cfg.transfer_rate * m.dt * intensity * uptake(m, sc.km_capacity)
    expected = move_toward(st.effective(), good, rate[st.school])
    e0 = st.effective().copy()
    cpd.train_staff(m.ctx)
    np.testing.assert_allclose(st.effective() - e0, expected, atol=1e-15)


CPD_VS_COACHING = ("FINDING: with the calibrated partnership.transfer_rate (1.9; CPD transfers low_leverage_factor "
                   "of it) a term of CPD adds more than a quarter of coaching's immediate (deep + shallow) gain at "
                   "equal days in about half the schools (ratios 0.14-0.59 in the first six; 0.12-1.45 before "
                   "schools were placed by geography, which reshuffled the draws). Most of it is shallow: in deep "
                   "knowledge it stays below a quarter in the four schools checked (next test). System level: "
                   "docs/patterns.md, pattern 7")


def _gains_at_equal_days(small_model, school: int, measure) -> tuple[float, float]:
    """Gain in ``measure`` (school mean) from one term of CPD and from one term of coaching, same days."""
    with_cpd, with_coaching = small_model(), small_model()
    days = coaching.full_cost(with_coaching.ctx)[school]
    with_cpd.plan.cpd_days[school] = days
    before = measure(with_cpd, school)
    cpd.train_staff(with_cpd.ctx)
    cpd_gain = measure(with_cpd, school) - before

    with_coaching.ctx.clock.new_year = False
    coaching.identify_coaches(with_coaching.ctx, np.array([school]))
    with_coaching.staff.trained[:] = True
    with_coaching.plan.coaching_days[school] = days
    before = measure(with_coaching, school)
    coaching.coach(with_coaching.ctx)
    return cpd_gain, measure(with_coaching, school) - before


def test_cpd_gains_are_small_next_to_coaching_at_equal_days_in_the_typical_school(small_model):
    """Every school of the teaching system, not a chosen few: the median school's CPD gain is under a
    quarter of coaching's at equal days (low leverage: conferences and courses change the look, not the work)."""
    ratios = []
    for school in range(small_model().schools.n):
        cpd_gain, coaching_gain = _gains_at_equal_days(small_model, school, _school_gain)
        assert cpd_gain > 0 and coaching_gain > 0
        ratios.append(cpd_gain / coaching_gain)
    assert np.median(ratios) < 0.25


@pytest.mark.xfail(reason=CPD_VS_COACHING, strict=True)
def test_cpd_gains_are_small_next_to_coaching_in_every_school(small_model):
    ratios = [np.divide(*_gains_at_equal_days(small_model, s, _school_gain)) for s in range(small_model().schools.n)]
    assert max(ratios) < 0.25


@pytest.mark.parametrize("school", [0, 1, 2, 3])
def test_cpd_changes_deep_knowledge_little_next_to_coaching(small_model, school):
    def deep(m, s):
        return m.staff.knowledge[m.staff.school == s].mean()

    cpd_gain, coaching_gain = _gains_at_equal_days(small_model, school, deep)
    assert 0 <= cpd_gain < 0.25 * coaching_gain


def test_cpd_is_mostly_shallow_in_low_capacity_school(small_model):
    m = small_model()
    m.schools.km_capacity[:] = 0.1
    m.plan.cpd_days[:] = 2.0 * m.schools.n_staff
    k0, s0 = m.staff.knowledge.copy(), m.staff.shallow.copy()
    cpd.train_staff(m.ctx)
    deep, shallow = (m.staff.knowledge - k0).sum(), (m.staff.shallow - s0).sum()
    assert shallow == pytest.approx(9 * deep)  # km 0.1: 10% deep, 90% shallow


@pytest.mark.parametrize("size", [1, 2, 3, 10, 1001, 466_275])
def test_quantile_is_numpys_bit_for_bit(size):
    rng = np.random.default_rng(size)
    values = rng.normal(0, 0.3, size)
    for q in (0.0, 0.1, 0.25, 0.5, 0.9, 0.975, 1.0):
        assert cpd.quantile(values, q) == np.quantile(values, q)


# --- pattern 7 (low-leverage CPD) follows from this mechanism (docs/patterns.md, "Which patterns are assumed") -
# `low_leverage_factor` (Ainscow 2013): the whole budget on CPD moves the mean little against no budget at all,
# while coaching at the same cost moves it several times more. Checked over 20 seeds, not a finding.


@pytest.mark.slow
def test_low_leverage_cpd_alone_changes_little_next_to_coaching():
    from simulation.checks import pattern_checks as pc
    seeds = range(pc.SEEDS)
    cpd_only = np.array([pc.mean_after(s, "status_quo") for s in seeds])
    nothing = np.array([pc.mean_after(s, "status_quo", budget_days_per_school=0.0) for s in seeds])
    coached = np.array([pc.mean_after(s, "reducing_disparity") for s in seeds])
    cpd_effect = np.mean(cpd_only - nothing)
    assert abs(cpd_effect) < 1.0, f"low-leverage CPD moved the mean by {cpd_effect:.2f} pp"
    assert np.mean(coached - nothing) > 3 * max(abs(cpd_effect), 0.1)
