"""The eight patterns of the model brief (section 3), as statistical tests over 20 seeds.

Nothing in the model writes these outcomes in: each test runs the mechanisms and compares
arms paired by seed (the same seed builds the same initial system) with a one-sided
Wilcoxon signed-rank test at the 1% level, unless stated otherwise. A pattern that does not
emerge with the default, calibrated parameters is marked xfail with the reason: that is a
finding, reported in docs/patterns.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import wilcoxon

from simulation.checks import pattern_checks as pc
from simulation.measures.index import convergence_index
from simulation.run.compare import compare

SEEDS = 20
YEARS = 30
SCENARIO = "regional"
ALPHA = 0.01

pytestmark = pytest.mark.slow


def greater(a, b) -> float:
    """One-sided paired p-value that a > b."""
    diff = np.asarray(a) - np.asarray(b)
    if np.all(diff == 0):
        return 1.0
    return float(wilcoxon(diff, alternative="greater").pvalue)


@pytest.fixture(scope="module")
def runs() -> pd.DataFrame:
    return compare(SCENARIO, seeds=SEEDS, years=YEARS, workers=2)


def final(runs: pd.DataFrame, strategy: str, column: str) -> np.ndarray:
    sel = runs[runs.strategy == strategy]
    return sel.groupby("seed")[column].last().to_numpy()


def initial(runs: pd.DataFrame, strategy: str, column: str) -> np.ndarray:
    sel = runs[runs.strategy == strategy]
    return sel.groupby("seed")[column].first().to_numpy()


def spread_final(runs, strategy):
    return final(runs, strategy, "p90_attainment") - final(runs, strategy, "p10_attainment")


def spread_initial(runs, strategy):
    return initial(runs, strategy, "p90_attainment") - initial(runs, strategy, "p10_attainment")


def uci(runs, strategy):
    return np.array([convergence_index(g) for _, g in runs[runs.strategy == strategy].groupby("seed")])


# --- pattern 1 ---------------------------------------------------------------------------
def test_p1_reducing_disparity_lifts_the_bottom(runs):
    rd = final(runs, "reducing_disparity", "p10_attainment")
    assert greater(rd, initial(runs, "reducing_disparity", "p10_attainment")) < ALPHA
    assert greater(rd, final(runs, "status_quo", "p10_attainment")) < ALPHA


def test_p1_reducing_disparity_top_falls_short_and_frontier_stalls(runs):
    """The top drifts relative to what it could have reached, and the frontier stalls."""
    rd_top = final(runs, "reducing_disparity", "top_decile_attainment")
    assert greater(final(runs, "growing_the_top", "top_decile_attainment"), rd_top) < ALPHA
    assert greater(final(runs, "upwards_convergence", "top_decile_attainment"), rd_top) < ALPHA
    rd_front = final(runs, "reducing_disparity", "frontier") - initial(runs, "reducing_disparity", "frontier")
    gt_front = final(runs, "growing_the_top", "frontier") - initial(runs, "growing_the_top", "frontier")
    assert greater(gt_front, rd_front) < ALPHA


# --- pattern 2 ---------------------------------------------------------------------------
def test_p2_growing_the_top_raises_frontier_and_top_and_widens_spread(runs):
    for column in ("frontier", "top_decile_attainment"):
        assert greater(final(runs, "growing_the_top", column), initial(runs, "growing_the_top", column)) < ALPHA
        assert greater(final(runs, "growing_the_top", column), final(runs, "status_quo", column)) < ALPHA
    assert greater(spread_final(runs, "growing_the_top"), spread_initial(runs, "growing_the_top")) < ALPHA
    assert greater(spread_final(runs, "growing_the_top"), spread_final(runs, "status_quo")) < ALPHA


# --- pattern 3 ---------------------------------------------------------------------------
def test_p3_upwards_convergence_mean_up_spread_down_top_up(runs):
    uc = "upwards_convergence"
    assert greater(final(runs, uc, "mean_attainment"), initial(runs, uc, "mean_attainment")) < ALPHA
    assert greater(spread_initial(runs, uc), spread_final(runs, uc)) < ALPHA
    assert greater(final(runs, uc, "top_decile_attainment"), initial(runs, uc, "top_decile_attainment")) < ALPHA


@pytest.mark.parametrize("other", ["status_quo", "reducing_disparity", "growing_the_top"])
def test_p3_upwards_convergence_beats_the_others_on_the_index(runs, other):
    assert greater(uci(runs, "upwards_convergence"), uci(runs, other)) < ALPHA


def test_p3_strategies_spend_the_same(runs):
    """Equal cost, measured: every staff day released (the budget, and the schools' own days for
    every self-funded partnership every term it runs and the pilot) and every officer day; the
    strategies' totals may differ by at most 5%."""
    later = runs[runs.step > 0].groupby(["strategy", "seed"])
    for column in ("total_staff_days", "officer_days_used"):
        totals = later[column].sum().groupby("strategy").mean()
        assert totals.max() / totals.min() < 1.05, (column, totals.to_dict())


# --- pattern 4 ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def programmes():
    """Four arms (pattern 4): internal first, external first; internal only, external only."""
    arms = {"internal_first": ("internal", "external"), "external_first": ("external", "internal"),
            "internal_only": ("internal", "internal"), "external_only": ("external", "external")}
    out = {name: np.array([pc.weak_programme(s, order) for s in range(SEEDS)]) for name, order in arms.items()}
    return out["internal_first"], out["external_first"]


def test_p4_internal_first_gains_more(programmes):
    internal, external = programmes
    assert greater(internal[:, 0], external[:, 0]) < ALPHA


def test_p4_internal_first_keeps_more(programmes):
    internal, external = programmes
    assert greater(internal[:, 1], external[:, 1]) < ALPHA


# --- pattern 5 ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def supporting():
    with_rm = np.array([pc.supporting_share(s) for s in range(SEEDS)])
    without_rm = np.array([pc.supporting_share(s, role_modelling=0.0) for s in range(SEEDS)])
    return with_rm, without_rm


def test_p5_share_supporting_grows_from_a_small_start(supporting):
    with_rm, _ = supporting
    assert np.median(with_rm[:, 0]) < 0.1
    assert greater(with_rm[:, 1], with_rm[:, 0]) < ALPHA


def test_p5_growth_comes_from_role_modelling(supporting):
    with_rm, without_rm = supporting
    assert greater(with_rm[:, 1] - with_rm[:, 0], without_rm[:, 1] - without_rm[:, 0]) < ALPHA


# --- pattern 6 ---------------------------------------------------------------------------


def test_p6_supporting_schools_do_not_lose():
    diff = np.array([pc.support_effect(s) for s in range(SEEDS)])
    low = diff.mean() - 2.09 * diff.std(ddof=1) / np.sqrt(diff.size)  # 95% CI lower bound
    assert low > -1.0, f"supporters lose: mean {diff.mean():.2f} pp, CI low {low:.2f} pp"


# --- pattern 7 ---------------------------------------------------------------------------


MATCHING_ALONE = ("FINDING: with no parameter favouring brokered links (high-leverage activity now depends on "
                  "facilitation, both arms facilitated and monitored), data-informed matching does not lift the "
                  "weakest schools more than self-selection: over 20 seeds their attainment gain after 10 years of "
                  "support alone is 2.1 pp (data-informed) vs 2.5 pp (self-selected), p = 0.93. "
                  "Support without internal coaching reaches weak, overwhelmed schools, where a stronger partner "
                  "brings more misfit practice too (absorption.misfit). See docs/patterns.md, pattern 7")


@pytest.mark.xfail(reason=MATCHING_ALONE, strict=False)
def test_p7_data_informed_brokering_beats_self_selected():
    data = [pc.weak_gain(s, "data_informed") for s in range(SEEDS)]
    self_sel = [pc.weak_gain(s, "self_selected") for s in range(SEEDS)]
    assert greater(data, self_sel) < ALPHA


def test_p7_low_leverage_activity_alone_changes_little():
    cpd = np.array([pc.mean_after(s, "status_quo") for s in range(SEEDS)])
    nothing = np.array([pc.mean_after(s, "status_quo", budget_days_per_school=0.0) for s in range(SEEDS)])
    coached = np.array([pc.mean_after(s, "reducing_disparity") for s in range(SEEDS)])
    cpd_effect = np.mean(cpd - nothing)
    assert abs(cpd_effect) < 1.0, f"low-leverage CPD moved the mean by {cpd_effect:.2f} pp"
    assert np.mean(coached - nothing) > 3 * max(abs(cpd_effect), 0.1)


# --- pattern 8 ---------------------------------------------------------------------------


def test_p8_partnership_impact_appears_with_a_lag():
    gains = np.array([pc.yearly_gains(s) for s in range(SEEDS)])
    assert greater(gains[:, 2], gains[:, 0]) < ALPHA  # year 3 gains more than year 1
