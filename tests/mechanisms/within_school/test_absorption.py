"""simulation.mechanisms.within_school.absorption: uptake (overwhelm), deep/shallow split and consolidation."""

import numpy as np
import pytest

from simulation.mechanisms.within_school import absorption


def test_uptake_is_capacity_over_threshold_capped_at_one(small_model):
    m = small_model(overwhelm_threshold=0.4)
    km = np.array([0.0, 0.1, 0.2, 0.4, 0.9])
    np.testing.assert_allclose(absorption.uptake(m.ctx, km), [0.0, 0.25, 0.5, 1.0, 1.0])


def test_uptake_is_full_without_threshold(small_model):
    m = small_model(overwhelm_threshold=0.0)
    np.testing.assert_array_equal(absorption.uptake(m.ctx, np.array([0.0, 0.5])), 1.0)


def test_take_in_splits_gain_into_deep_and_shallow_by_capacity(small_model):
    m = small_model()
    st = m.staff
    m.schools.km_capacity[:] = np.linspace(0, 1, m.schools.n)
    km = m.schools.km_capacity[st.school]
    k0, s0 = st.knowledge.copy(), st.shallow.copy()
    gain = np.full(st.n, 0.1)
    absorption.take_in(m.ctx, gain)
    np.testing.assert_allclose(st.knowledge - k0, km * 0.1)
    np.testing.assert_allclose(st.shallow - s0, (1 - km) * 0.1)


def test_consolidate_converts_and_fades_shallow_knowledge(small_model):
    m = small_model()
    st, cfg = m.staff, m.cfg.absorption
    m.system.frontier = 10.0  # keep the frontier cap out of the way
    m.schools.km_capacity[:] = np.linspace(0, 1, m.schools.n)
    km = m.schools.km_capacity[st.school]
    st.shallow[:] = 0.1
    k0 = st.knowledge.copy()
    absorption.consolidate(m.ctx)
    converted = cfg.consolidation * km * m.dt * 0.1
    faded = cfg.shallow_decay * m.dt * 0.1  # fades at shallow_decay whatever the capacity
    np.testing.assert_allclose(st.knowledge - k0, converted, atol=1e-15)
    np.testing.assert_allclose(st.shallow, 0.1 - converted - faded, atol=1e-15)


def test_low_capacity_school_keeps_little_of_what_it_copied(small_model):
    m = small_model()
    st = m.staff
    m.system.frontier = 10.0
    m.schools.km_capacity[:] = 0.05
    m.schools.km_capacity[0] = 0.9
    k0 = st.knowledge.copy()
    absorption.take_in(m.ctx, np.full(st.n, 0.1))
    for _ in range(30):  # ten years of terms
        absorption.consolidate(m.ctx)
    kept = (st.knowledge - k0 + st.shallow)
    high = st.school == 0
    assert kept[high].mean() > 3 * kept[~high].mean()


def test_consolidate_keeps_effective_knowledge_within_frontier(small_model):
    m = small_model()
    st = m.staff
    st.shallow[:] = 0.5  # far more than the room under the frontier for the best staff
    absorption.consolidate(m.ctx)
    assert st.effective().max() <= m.frontier + 1e-12
    assert st.shallow.min() >= 0.0


def test_consolidate_without_shallow_changes_nothing(small_model):
    m = small_model()
    k0 = m.staff.knowledge.copy()
    absorption.consolidate(m.ctx)
    np.testing.assert_array_equal(m.staff.knowledge, k0)
    assert m.staff.shallow.sum() == pytest.approx(0.0)


# --- pattern 4 follows from this mechanism (docs/patterns.md, "Which patterns are assumed") -----------------
# Being overwhelmed costs (the uptake throttle and misfit harm above) and embedding carries through turnover
# (induction): with these assumptions, internal coaching first, then external support, gains and keeps more for
# the weakest fifth than the reverse order. A system-level consequence of the assumption, checked, not a finding.


@pytest.fixture(scope="module")
def programmes():
    from simulation.checks import pattern_checks as pc
    arms = {"internal_first": ("internal", "external"), "external_first": ("external", "internal")}
    return {name: np.array([pc.weak_programme(s, order) for s in range(pc.SEEDS)]) for name, order in arms.items()}


KEPT_EQUAL = ("FINDING: four years after the programme, internal-first schools do not keep more than external-first "
              "ones: 0.134 vs 0.153 pupil SD in 0.4.0 (mean over 20 seeds, p = 1 for 'more'), 0.157 vs 0.158 in "
              "0.3.0; in 0.2.0 internal first kept more (0.161 vs 0.146). Internal first still gains more by the "
              "end of the programme (0.179 vs 0.168, p = 0.0006). Which mechanisms even out or reverse what is kept "
              "(pressure on turnover and heads, focus, academies, federations and trusts) is not established. "
              "docs/patterns.md, pattern 4")


@pytest.mark.slow
@pytest.mark.parametrize("when, column", [("at the end of the programme", 0),
                                          pytest.param("four years later", 1,
                                                       marks=pytest.mark.xfail(reason=KEPT_EQUAL, strict=False))])
def test_overwhelm_and_embedding_make_internal_first_gain_and_keep_more(programmes, when, column):
    from simulation.checks.pattern_checks import ALPHA, greater
    assert greater(programmes["internal_first"][:, column], programmes["external_first"][:, column]) < ALPHA, when
