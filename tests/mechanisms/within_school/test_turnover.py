"""simulation.mechanisms.within_school.turnover: leaving hazards, reused posts, and weak schools losing more staff."""

import numpy as np

from simulation.mechanisms.within_school import turnover
from simulation.params.schema import PartnershipType as PT


def _calm(m):
    """No school feels accountability pressure, so only the experience band sets the hazard."""
    m.system.below_floor = np.zeros(m.schools.n, dtype=bool)
    m.schools.special_measures[:] = False
    m.schools.pressure[:] = 0.0
    return m


def test_posts_are_reused_so_staff_per_school_never_changes(small_model):
    m = small_model()
    school0, start0 = m.staff.school.copy(), m.schools.start.copy()
    for _ in range(30):
        turnover.turnover(m.ctx)
    np.testing.assert_array_equal(m.staff.school, school0)
    np.testing.assert_array_equal(m.schools.start, start0)
    np.testing.assert_array_equal(np.bincount(m.staff.school, minlength=m.schools.n), m.schools.n_staff)


def test_leavers_rows_are_reset_and_stayers_untouched(small_model):
    m = small_model()
    st = m.staff
    st.experience[:] = 10.0
    st.coach[:] = st.trained[:] = st.expert[:] = True
    st.shallow[:] = 0.05
    leavers = turnover.turnover(m.ctx)
    assert leavers.size > 0
    stay = np.setdiff1d(np.arange(st.n), leavers)
    assert np.all(st.experience[leavers] == 0) and not st.coach[leavers].any()
    assert not st.trained[leavers].any() and not st.expert[leavers].any()
    assert np.all(st.shallow[leavers] == 0)
    np.testing.assert_array_equal(st.knowledge[leavers], st.base[leavers])
    assert np.all(st.knowledge[leavers] <= m.frontier)
    assert np.all(st.experience[stay] == 10.0) and st.coach[stay].all()
    assert m.tally.leavers_total == leavers.size


def test_measured_leaving_share_matches_configured_hazards(small_model):
    m = _calm(small_model(n_schools=80))
    cfg, st = m.cfg.staff, m.staff
    bands = np.arange(st.n) % 3  # first year, years 2-5, established
    years = np.array([0.5, 3.0, 10.0])[bands]
    left = np.zeros(3)
    calls = 200
    for _ in range(calls):
        st.experience[:] = years  # keep everyone in their band
        np.add.at(left, bands[turnover.turnover(m.ctx)], 1)
    n = np.bincount(bands) * calls
    hazard = np.array([cfg.leave_rate_first_year, cfg.leave_rate_early, cfg.leave_rate_established])
    p = 1 - (1 - hazard) ** m.dt  # per-term probability from the annual hazard
    measured = left / n
    # within four binomial standard errors (well under 10% of each rate here)
    assert np.all(np.abs(measured - p) < 4 * np.sqrt(p * (1 - p) / n)), (measured, p)


def test_pressured_schools_have_higher_hazard_by_configured_factor(small_model):
    m = _calm(small_model())
    base = turnover.leaving_hazard(m.ctx)
    m.schools.pressure[::2] = 1.0
    m.schools.pressure[1::4] = 0.5
    ratio = turnover.leaving_hazard(m.ctx) / base
    expected = (1 + m.cfg.pressure.staff_turnover * m.schools.pressure)[m.staff.school]
    np.testing.assert_allclose(ratio, expected)
    assert (ratio > 1).any() and (ratio == 1).any()


def test_pressured_schools_lose_more_staff(small_model):
    m = _calm(small_model(n_schools=80))
    weak_school = np.arange(m.schools.n) % 2 == 0
    m.schools.pressure[weak_school] = 1.0
    weak = weak_school[m.staff.school]
    left = np.zeros(m.staff.n)
    for _ in range(60):
        m.staff.experience[:] = 10.0
        left[turnover.turnover(m.ctx)] += 1
    ratio = left[weak].mean() / left[~weak].mean()
    assert 1.3 < ratio < 1.7  # configured 1 + 0.5


def test_mature_partnership_improves_retention(small_model):
    m = _calm(small_model())
    base = turnover.leaving_hazard(m.ctx)
    m.links.add(np.array([0]), np.array([1]), int(PT.collaborative), depth=0.5, high_leverage=np.array([True]),
                facilitated=False, brokered=False, start_quality=np.zeros(1))
    m.links.age[0] = 1e6  # fully mature
    ratio = turnover.leaving_hazard(m.ctx) / base
    in_pair = np.isin(m.staff.school, [0, 1])
    np.testing.assert_allclose(ratio[in_pair], 1 - m.cfg.staff.partnership_retention)
    np.testing.assert_allclose(ratio[~in_pair], 1.0)
