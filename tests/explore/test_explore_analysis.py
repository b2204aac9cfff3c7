"""The statistics of a robustness study on synthetic runs whose answers are known: P(best),
regret, differences, the split of variance into seed noise and parameter uncertainty, the
bootstrap, and scenario discovery with EMA Workbench's PRIM and feature scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.explore import analysis


def runs_from(values: np.ndarray, strategies=("a", "b", "c")) -> pd.DataFrame:
    """A runs table from an array values[set, seed, strategy]."""
    N, R, S = values.shape
    rows = [{"set": i, "seed": r, "strategy": strategies[s], "uci": values[i, r, s], "error": ""}
            for i in range(N) for s in range(S) for r in range(R)]
    return pd.DataFrame(rows)


def test_hand_computed_p_best_regret_and_differences():
    # 4 sets, 1 seed: a wins sets 0-2 by 1 point; c wins set 3 by 4 points
    v = np.array([[3, 2, 0], [3, 2, 0], [3, 2, 0], [0, 1, 4]], dtype=float)[:, None, :]
    c = analysis.cube(runs_from(v))
    t = analysis.tables(c, analysis.bootstrap(c, 200, seed=0))
    pb = t["p_best"].set_index("strategy").p_best
    assert pb.to_dict() == {"a": 0.75, "b": 0.0, "c": 0.25}
    reg = t["regret"].set_index("strategy")
    assert reg.loc["a", "regret_median"] == 0 and reg.loc["c", "regret_median"] == 3
    assert reg.loc["a", "regret_p90"] == pytest.approx(np.quantile([0, 0, 0, 4], 0.9))
    d = t["differences"].set_index(["a", "b"])
    assert d.loc[("a", "c"), "difference"] == pytest.approx((3 * 3 - 4) / 4)
    assert d.loc[("a", "b"), "p_a_better"] == 0.75
    assert analysis.preferred(t["p_best"]) == "a"


def test_a_dominant_strategy_is_best_everywhere_with_a_degenerate_interval():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(30, 3, 3))
    v[:, :, 1] += 100
    c = analysis.cube(runs_from(v))
    t = analysis.tables(c, analysis.bootstrap(c, 200, seed=1))
    row = t["p_best"].set_index("strategy").loc["b"]
    assert (row.p_best, row.low, row.high) == (1.0, 1.0, 1.0)
    assert t["regret"].set_index("strategy").loc["b", "regret_p90"] == 0


def test_variance_split_recovers_known_parts_and_common_random_numbers_cancel_in_differences():
    rng = np.random.default_rng(1)
    N, R = 400, 8
    param = rng.normal(scale=3.0, size=(N, 1, 1))  # SD 3 from the parameter set, shared by strategies
    seed_main = rng.normal(scale=2.0, size=(1, R, 1))  # a seed's own effect: the same system in every set
    shared = rng.normal(scale=1.0, size=(N, R, 1))  # seed x set, the same for both strategies (paired seeds)
    own = rng.normal(scale=0.5, size=(N, R, 2))
    v = param + seed_main + shared + own
    c = analysis.cube(runs_from(v, ("a", "b")))
    t = analysis.tables(c, analysis.bootstrap(c, 100, seed=0))["variance"].set_index("quantity")
    assert t.loc["a", "parameter_sd"] == pytest.approx(param.std(ddof=1), rel=0.1)
    assert t.loc["a", "seed_sd"] ** 2 == pytest.approx(seed_main.var(ddof=1) + 1.0 + 0.25, rel=0.15)
    # the difference a - b keeps only the strategies' own noise: seeds are paired
    assert t.loc["a - b", "seed_sd"] == pytest.approx(np.sqrt(0.5), rel=0.1)
    assert t.loc["a - b", "parameter_sd"] < 0.1
    assert t.loc["a - b", "seed_sd"] < t.loc["a", "seed_sd"] / 2


def test_expected_share_removes_the_seed_noise_the_counted_share_keeps():
    # a's advantage in set i is d_i ~ N(1, 1) (so a's expected index is higher in Phi(1) = 84% of sets),
    # buried under seed noise of SD 4 per run with 4 seeds: counting sets pulls the share toward one half
    rng = np.random.default_rng(3)
    N, R = 1500, 4
    d = rng.normal(1.0, 1.0, size=(N, 1))
    v = np.stack([d + rng.normal(scale=4.0, size=(N, R)), rng.normal(scale=4.0, size=(N, R))], axis=2)
    c = analysis.cube(runs_from(v, ("a", "b")))
    row = analysis.tables(c, analysis.bootstrap(c, 200, seed=0))["differences"].iloc[0]
    assert row.p_a_better < 0.68  # counted: about Phi(1 / sqrt(1 + 8)) = 63%
    assert row.p_a_better_expected == pytest.approx(0.84, abs=0.08)  # 0.81-0.92 over seeds 0-5
    assert row.p_a_better_expected_low < row.p_a_better_expected < row.p_a_better_expected_high


def test_bootstrap_is_seeded_and_its_intervals_hold_the_estimate():
    rng = np.random.default_rng(2)
    v = rng.normal(size=(40, 3, 3)) + np.array([0.0, 0.3, 0.1])
    c = analysis.cube(runs_from(v))
    a, b = analysis.bootstrap(c, 300, seed=7), analysis.bootstrap(c, 300, seed=7)
    other = analysis.bootstrap(c, 300, seed=8)
    for name in ("p_best", "regret_median", "diff_mean"):
        np.testing.assert_array_equal(a[name][1], b[name][1])
        point, lo, hi = a[name]
        assert np.all(lo <= point + 1e-12) and np.all(point <= hi + 1e-12)
    assert not np.array_equal(a["p_best"][1], other["p_best"][1])
    # wider with fewer sets
    small = analysis.cube(runs_from(v[:10]))
    w_small = np.subtract(*analysis.bootstrap(small, 300, seed=7)["diff_mean"][2:0:-1])
    w_large = np.subtract(*a["diff_mean"][2:0:-1])
    assert w_small[1, 0] > w_large[1, 0]


def test_sets_with_a_failed_run_are_left_out():
    v = np.arange(24, dtype=float).reshape(4, 2, 3)
    runs = runs_from(v)
    runs.loc[(runs.set == 2) & (runs.strategy == "b") & (runs.seed == 1), "uci"] = np.nan
    c = analysis.cube(runs)
    assert c.sets == [0, 1, 3] and c.dropped == [2] and c.values.shape == (3, 2, 3)


def test_prim_finds_the_region_where_the_preferred_strategy_loses():
    rng = np.random.default_rng(3)
    x = pd.DataFrame(rng.uniform(size=(300, 4)), columns=["p.one", "p.two", "p.three", "p.four"])
    loses = (x["p.two"] > 0.7).to_numpy()
    found = analysis.discover(x, loses, "a", seed=0)
    assert found.chosen is not None and found.n_loses == loses.sum()
    box = found.box.set_index("parameter")
    assert "p.two" in box.index
    assert box.loc["p.two", "low"] == pytest.approx(0.7, abs=0.05)
    assert found.trajectory.loc[found.chosen, "density"] > 0.9
    assert found.scores.iloc[0].parameter == "p.two"
    again = analysis.discover(x, loses, "a", seed=0)
    pd.testing.assert_frame_equal(found.scores, again.scores)


def test_no_prim_box_when_the_preferred_strategy_almost_never_loses():
    x = pd.DataFrame({"p.one": np.linspace(0, 1, 50)})
    loses = np.zeros(50, dtype=bool)
    loses[:2] = True
    found = analysis.discover(x, loses, "a")
    assert found.chosen is None and "loses in 2 of 50" in found.note and found.box.empty


def test_drivers_recover_a_known_linear_effect_and_where_the_lead_turns():
    rng = np.random.default_rng(4)
    n = 400
    x = pd.DataFrame({"p": rng.uniform(0, 2, n), "q": rng.uniform(10, 20, n)})
    lead = -1.0 + 3.0 * x.p / 2 + rng.normal(scale=0.5, size=n)  # +3 over p's range; q does nothing
    d = analysis.drivers(x, lead.to_numpy(), "a", "b").effects.set_index("parameter")
    assert d.loc["p", "effect"] == pytest.approx(3.0, abs=0.3) and d.loc["p", "t"] > 10
    assert abs(d.loc["q", "t"]) < 3
    assert d.loc["p", "turns_at"] == pytest.approx(2 / 3, abs=0.1)  # -1 + 1.5 p = 0
    assert np.isnan(d.loc["q", "turns_at"])  # a parameter without effect never turns the lead
