"""Parameter sets of robustness studies: the documented uncertain parameters, seeded designs,
posterior files (checked, one sentence per mistake) and the fast configuration path."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.explore.sampling import (UNCERTAIN, DesignError, check_ranges, default_ranges, design,
                                         draw_posterior, parse_uncertain, read_posterior, schema_range, with_values)
from simulation.params.checks import ConfigError
from simulation.params.loading import load_config
from simulation.run.runner import config_hash


def test_documented_parameters_exist_and_stay_inside_the_schema_ranges():
    assert 10 <= len(UNCERTAIN) <= 15
    for key, (lo, hi, why) in UNCERTAIN.items():
        slo, shi = schema_range(key)  # raises for a key the schema does not have
        assert slo <= lo < hi <= shi, key
        assert why, f"{key} has no reason for its range"
    check_ranges(default_ranges())


@pytest.mark.parametrize("method", ["lhs", "sobol"])
def test_design_is_seeded_and_inside_the_ranges(method):
    ranges = default_ranges()
    a, b, c = design(ranges, 16, method, seed=3), design(ranges, 16, method, seed=3), design(ranges, 16, method, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)
    assert list(a.columns) == list(ranges)
    for key, (lo, hi) in ranges.items():
        assert a[key].between(lo, hi).all()


def test_latin_hypercube_puts_one_point_in_every_stratum():
    ranges = {"staff.drift": (0.01, 0.06), "inspection.noise": (0.075, 0.3)}
    n = 20
    d = design(ranges, n, "lhs", seed=0)
    for key, (lo, hi) in ranges.items():
        strata = np.floor((d[key] - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_fast_configuration_equals_load_config():
    base = load_config("regional", "upwards_convergence", seed=5, years=7)
    for _, row in design(default_ranges(), 6, "lhs", seed=1).iterrows():
        values = row.to_dict()
        fast = with_values(base, values)
        slow = load_config("regional", "upwards_convergence", seed=5, years=7, **values)
        assert config_hash(fast) == config_hash(slow)
    assert base.partnership.transfer_rate == load_config("regional", "upwards_convergence").partnership.transfer_rate


def test_fast_configuration_checks_values():
    base = load_config("teaching", "status_quo")
    with pytest.raises(ConfigError, match="partnership.transfer_rate"):
        with_values(base, {"partnership.transfer_rate": 99.0})
    with pytest.raises(ConfigError, match="whole number"):
        with_values(base, {"system.n_schools": 10.5})


@pytest.mark.parametrize("items, words", [
    (["partnership.transfer_rte"], ["transfer_rte", "did you mean partnership.transfer_rate"]),
    (["partnership.transfer_rate=0:9"], ["partnership.transfer_rate", "between 0 and 5", "0.0:9.0"]),
    (["staff.drift=0.05:0.01"], ["staff.drift", "LOW below HIGH"]),
    (["coaching.coaching_time"], ["no documented plausible range", "coaching.coaching_time=LOW:HIGH"]),
    (["staff.drift=abc"], ["KEY=LOW:HIGH", "staff.drift=abc"]),
])
def test_bad_uncertain_parameters_are_one_sentence(items, words):
    with pytest.raises(DesignError) as err:
        parse_uncertain(items)
    for word in words:
        assert word in str(err.value)
    assert str(err.value).count("\n") == 0


def test_uncertain_parameters_with_and_without_ranges():
    got = parse_uncertain(["staff.drift", "coaching.coaching_time=2:6"])
    assert got == {"staff.drift": UNCERTAIN["staff.drift"][:2], "coaching.coaching_time": (2.0, 6.0)}


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_posterior_files_are_read_and_drawn_reproducibly(tmp_path, suffix):
    table = pd.DataFrame({"partnership.transfer_rate": np.linspace(1, 3, 10), "staff.drift": np.linspace(0.01, 0.05, 10),
                          "chain": 0, "lp__": -1.0})
    path = tmp_path / f"post{suffix}"
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_parquet(path)
    post = read_posterior(path)
    assert list(post.columns) == ["partnership.transfer_rate", "staff.drift"]
    a, how = draw_posterior(post, 6, seed=2)
    b, _ = draw_posterior(post, 6, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert a.posterior_row.is_unique and "without replacement" in how  # every row at most once
    np.testing.assert_allclose(a["staff.drift"], post["staff.drift"].iloc[a.posterior_row].to_numpy())
    more, how = draw_posterior(post, 25, seed=2)
    assert len(more) == 25 and "with replacement" in how


def test_posterior_weights_are_respected(tmp_path):
    path = tmp_path / "w.csv"
    pd.DataFrame({"staff.drift": [0.01, 0.02, 0.03, 0.04], "weight": [0, 1, 0, 3]}).to_csv(path, index=False)
    sets, how = draw_posterior(read_posterior(path), 200, seed=0)
    assert set(sets.posterior_row) == {1, 3} and "weighted" in how
    assert (sets.posterior_row == 3).mean() > 0.6  # weight 3 of 4


@pytest.mark.parametrize("content, words", [
    ("partnership.transfer_rte,staff.drift\n1,0.02\n", ["column 'partnership.transfer_rte'", "did you mean"]),
    ("staff.drift\n0.02\n2.5\n", ["row 2", "column 'staff.drift'", "between 0 and 1", "2.5"]),
    ("staff.drift\n0.02\nhigh\n", ["row 2", "must be a number", "'high'"]),
    ("strategy.brokering\nnone\n", ["not a numeric parameter"]),
    ("chain\n1\n", ["no parameter columns"]),
    ("staff.drift,weight\n0.02,-1\n", ["weight", "non-negative"]),
])
def test_bad_posterior_files_are_one_sentence(tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DesignError) as err:
        read_posterior(path)
    msg = str(err.value)
    assert str(path) in msg and msg.count("\n") == 0
    for word in words:
        assert word in msg


def test_missing_or_unknown_posterior_file(tmp_path):
    with pytest.raises(DesignError, match="does not exist"):
        read_posterior(tmp_path / "nothing.parquet")
    (tmp_path / "x.json").write_text("{}")
    with pytest.raises(DesignError, match=r"\.parquet or \.csv"):
        read_posterior(tmp_path / "x.json")
