"""Bad input through the real `upconv` command: one clear sentence naming the key, the
allowed values and what was given; a non-zero exit; no output folder that looks finished."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulation import ConfigError, SchoolSystem
from simulation.params import checks

UPCONV = str(Path(sys.executable).parent / "upconv")

CASES = [
    # wrong type
    ("seed=abc", ["seed", "whole number", "abc"]),
    ("staff.drift=fast", ["staff.drift", "number from 0 to 1", "fast"]),
    # out of range
    ("system.n_schools=0", ["system.n_schools", "between 1 and 50000", "0"]),
    ("system.n_schools=-5", ["system.n_schools", "between 1", "-5"]),
    ("staff.leave_rate_first_year=1.5", ["staff.leave_rate_first_year", "between 0 and 1", "1.5"]),
    ("partnership.high_leverage=-0.1", ["high_leverage", "between 0 and 1", "-0.1"]),
    ("pilot.n_trios=20", ["pilot.n_trios", "at most 13", "20"]),
    # unknown keys, plain and with +
    ("coaching.coching_time=3", ["coaching.coching_time", "did you mean coaching.coaching_time?", "docs/parameters.md"]),
    ("+coaching.coching_time=3", ["coaching.coching_time", "unknown", "did you mean coaching.coaching_time?"]),
    ("coching=3", ["unknown parameter 'coching'", "did you mean coaching?"]),
    # a sweep with no values; a reversed range names the range meant
    ("seed=range(0,0)", ["seed", "at least one value", "range(0,0)"]),
    ("seed=range(5,0)", ["seed", "at least one value", "range(5,0)", "did you mean range(0,5)?"]),
    # a sweep without -m
    ("seed=1,2", ["seed=1,2", "sweep", "add -m"]),
    # unknown group option
    ("strategy=grow_the_top", ["strategy must be one of", "growing_the_top", "grow_the_top"]),
    ("strategy=x", ["strategy must be one of", "upwards_convergence", "'x'"]),
    ("scenario=wales", ["scenario must be one of", "central_south_wales", "wales"]),
    ("scenario=nowhere", ["scenario must be one of", "teaching", "'nowhere'"]),
    ("+experiment=x", ["experiment must be one of", "strategy_comparison", "'x'"]),
    ("hydra/launcher=nope", ["hydra/launcher must be one of", "joblib", "'nope'"]),
    # inconsistent combinations
    ("floor_schedule=[{year:2010,share:0.3},{year:2005,share:0.4}]", ["floor_schedule", "increasing", "2010, 2005"]),
    ("system.pupils_primary=10", ["pupils_primary", "fewer staff than schools"]),
    ("strategy.internal_coaching=0.5", ["budget shares", "sum to 1"]),
    # enum value
    ("strategy.brokering=magic", ["strategy.brokering", "data_informed", "magic"]),
]


@pytest.mark.parametrize("override, words", CASES)
def test_bad_override_is_one_clear_sentence(tmp_path, override, words):
    run_dir = tmp_path / "run"
    res = subprocess.run([UPCONV, override, "years=1", f"hydra.run.dir={run_dir}"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in res.stderr
    assert not run_dir.exists() and not (tmp_path / "outputs").exists()


def test_bad_value_in_a_sweep_is_caught_before_any_job(tmp_path):
    res = subprocess.run([UPCONV, "-m", "strategy=status_quo,nonsense", "years=1",
                          f"hydra.sweep.dir={tmp_path / 'sweep'}"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2 and "nonsense" in res.stderr
    assert not (tmp_path / "sweep").exists()


SWEEP_CASES = [
    ("seed=range(5,0)", ["seed must be swept over at least one value", "range(5,0)", "did you mean range(0,5)?"]),
    ("seed=range(0,10,-1)", ["seed must be swept over at least one value", "did you mean range(0,10)?"]),
    ("scenario=teaching,nowhere", ["scenario must be one of", "'nowhere'"]),
    ("strategy=x", ["strategy must be one of", "'x'"]),
    ("+experiment=x", ["experiment must be one of", "'x'"]),
    ("+experiment=brokering,x", ["experiment must be one of", "'x'"]),
    ("hydra/launcher=nope", ["hydra/launcher must be one of", "'nope'"]),
    ("coaching.coching_time=1,2", ["unknown parameter 'coaching.coching_time'", "did you mean coaching.coaching_time?"]),
]


@pytest.mark.parametrize("override, words", SWEEP_CASES)
def test_bad_sweep_is_one_sentence_exit_2_nothing_written(tmp_path, override, words):
    res = subprocess.run([UPCONV, "-m", override, "years=1"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert res.stdout == "" and list(tmp_path.iterdir()) == []  # no outputs/, no sweep folder


@pytest.mark.parametrize("sweep", ["seed=range(0,0)", "seed=range(5,5)"])
def test_empty_sweep_range_is_one_sentence(tmp_path, sweep):
    res = subprocess.run([UPCONV, "-m", sweep, "years=1", f"hydra.sweep.dir={tmp_path / 'sweep'}"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: seed must be swept over at least one value"), res.stderr
    assert sweep.partition("=")[2] in lines[0]
    assert "Traceback" not in res.stderr and not (tmp_path / "sweep").exists()


def test_system_too_large_for_memory_is_refused_before_allocating(monkeypatch):
    monkeypatch.setattr(checks, "available_bytes", lambda: 100 * 2**20)
    with pytest.raises(ConfigError, match="n_schools=22000.*GiB.*available"):
        SchoolSystem(scenario="england")
