"""The patterns of the model brief (section 3) that emerge from interacting mechanisms, as statistical
tests over 20 seeds: 1, 2, 3, 7 (data-informed brokering) and 9 (collaboration scope). The patterns that follow from an assumed
mechanism (4, 5, 6, 7 low-leverage CPD, 8; docs/patterns.md, "Which patterns are assumed") are checked
next to their mechanism's tests in tests/mechanisms/, as consequences of the assumption, not findings.

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

from simulation.checks import pattern_checks as pc
from simulation.checks.pattern_checks import ALPHA, SEEDS, greater
from simulation.measures.index import convergence_index
from simulation.run.compare import compare
from simulation.strategies import STRATEGIES

STRATEGY_NAMES = list(STRATEGIES)

YEARS = 30
SCENARIO = "regional"

pytestmark = pytest.mark.slow


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
def test_p3_upwards_convergence_raises_the_mean_and_the_top(runs):
    uc = "upwards_convergence"
    assert greater(final(runs, uc, "mean_attainment"), initial(runs, uc, "mean_attainment")) < ALPHA
    assert greater(final(runs, uc, "top_decile_attainment"), initial(runs, uc, "top_decile_attainment")) < ALPHA


def test_p3_upwards_convergence_narrows_the_spread(runs):
    """0.3.0 found the spread not narrowed (37.5 -> 38.4 pp, p = 0.76, focus on pupils near the benchmark the
    cause); with place and the jigsaw (0.4.0) it narrows again: 36.7 -> 33.5 pp, p = 0.0002."""
    uc = "upwards_convergence"
    assert greater(spread_initial(runs, uc), spread_final(runs, uc)) < ALPHA


UC_NOT_CLEARLY_ABOVE_RD = (
    "FINDING (0.4.0): with schools placed in regions, distance costs, online collaboration and the jigsaw, "
    "upwards convergence still has the highest mean index, but not clearly above reducing disparity at the 1% "
    "level: 58.2 vs 52.9 (mean over 20 seeds, one-sided paired Wilcoxon p = 0.024; p = 0.0036 in 0.3.0). "
    "See docs/patterns.md, pattern 3")


@pytest.mark.parametrize("other", ["status_quo", pytest.param("reducing_disparity", marks=pytest.mark.xfail(
    reason=UC_NOT_CLEARLY_ABOVE_RD, strict=False)), "growing_the_top"])
def test_p3_upwards_convergence_beats_the_others_on_the_index(runs, other):
    assert greater(uci(runs, "upwards_convergence"), uci(runs, other)) < ALPHA


def test_p3_strategies_spend_the_same(runs):
    """Equal cost, measured: every staff day released (the budget, and the schools' own days for
    every self-funded partnership every term it runs, sponsors and the pilot) and every officer day
    of the authority; the strategies' totals may differ by at most 5%. Central officer days of
    academy orders are a consequence of a strategy's results (schools left below the floor), not a
    budget it spends: counted, and the strategy with the highest index may not use more of all
    officer days, central included, than any other by 5% or more."""
    later = runs[runs.step > 0].assign(authority_days=runs.officer_days_used - runs.central_officer_days)
    later = later.groupby(["strategy", "seed"])
    for column in ("total_staff_days", "authority_days"):
        totals = later[column].sum().groupby("strategy").mean()
        assert totals.max() / totals.min() < 1.05, (column, totals.to_dict())
    officer = later["officer_days_used"].sum().groupby("strategy").mean()
    best = max(STRATEGY_NAMES, key=lambda s: np.mean(uci(runs, s)))
    assert officer[best] / officer.min() < 1.05, (best, officer.to_dict())


# --- pattern 7 ---------------------------------------------------------------------------


MATCHING_ALONE = ("FINDING: with no parameter favouring brokered links (high-leverage activity depends on "
                  "facilitation, both arms facilitated and monitored), data-informed matching does not lift the "
                  "weakest schools clearly more than self-selection: over 20 seeds their attainment gain after 10 "
                  "years of support alone is 3.00 pp (data-informed) vs 2.79 pp (self-selected), p = 0.16 (0.4.0; "
                  "3.15 vs 2.82 pp, p = 0.098 in 0.3.0; 2.1 vs 2.5 pp in 0.2.0). The ablation (python -m "
                  "experiments.brokering_ablation) finds facilitation the strongest lever: 3.33 vs 2.73 pp with none, "
                  "higher in 16 of 20 seeds. See docs/patterns.md, pattern 7")


@pytest.mark.xfail(reason=MATCHING_ALONE, strict=False)
def test_p7_data_informed_brokering_beats_self_selected():
    data = [pc.weak_gain(s, "data_informed") for s in range(SEEDS)]
    self_sel = [pc.weak_gain(s, "self_selected") for s in range(SEEDS)]
    assert greater(data, self_sel) < ALPHA


# --- pattern 9 ---------------------------------------------------------------------------
# "The risk of focusing only on the local is that it further entrenches the regional inequities that blight
# us ... Digital collaboration is giving us the means" (Chhatwal 2020). The cold_spots scenario (five regions,
# one remote and disadvantaged), upwards convergence, 30 years; the arms are conf/collaboration_scope/.

CROSS_REGION_FACE_TO_FACE = (
    "FINDING (0.4.0): brokering across authority and region boundaries face to face does not narrow the regional "
    "gap against brokering within the local authority (final regional gap, mean over 20 seeds: local 17.3 pp, "
    "region 19.6 pp, p = 0.98; national face to face 17.4 pp, p = 0.45): the partners that would help the weakest "
    "regions are far away, and travel eats the released days (a return journey of 3.5 hours leaves nothing of a "
    "7-hour day at 30 km/h). Online collaboration does narrow it (13.4 pp, p = 0.0032). See docs/patterns.md, "
    "pattern 9")
COLD_SPOT_ONLINE = (
    "FINDING (0.4.0): under upwards convergence, national brokering with online collaboration does not clearly "
    "narrow the gap between the remote cold spot and the rest against local-only brokering: 6.1 vs 6.4 pp "
    "(mean over 20 seeds, p = 0.42); under reducing disparity it does (experiments/collaboration_scope: -2.5 pp, "
    "19 of 20 seeds). See docs/patterns.md, pattern 9")


@pytest.fixture(scope="module")
def place() -> pd.DataFrame:
    rows = [dict(arm=arm, seed=s, **pc.place_gaps(s, arm)) for arm in pc.SCOPES for s in range(SEEDS)]
    return pd.DataFrame(rows).pivot_table(index="seed", columns="arm")


def test_p9_national_brokering_with_online_narrows_the_regional_gap(place):
    gap = place["regional_gap"]
    assert greater(gap["local"], gap["national_online"]) < ALPHA


@pytest.mark.xfail(reason=CROSS_REGION_FACE_TO_FACE, strict=False)
@pytest.mark.parametrize("arm", ["regional", "national"])
def test_p9_cross_region_face_to_face_brokering_narrows_the_regional_gap(place, arm):
    gap = place["regional_gap"]
    assert greater(gap["local"], gap[arm]) < ALPHA


@pytest.mark.xfail(reason=COLD_SPOT_ONLINE, strict=False)
def test_p9_online_collaboration_narrows_the_cold_spot_gap(place):
    gap = place["cold_spot_gap"]
    assert greater(gap["local"], gap["national_online"]) < ALPHA
