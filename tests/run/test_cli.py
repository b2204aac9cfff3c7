"""The `upconv` and `upconv-compare` commands, run as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

BIN = Path(sys.executable).parent


def run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def test_upconv_writes_a_finished_run(tmp_path):
    out = tmp_path / "run"
    res = run([str(BIN / "upconv"), "scenario=teaching", "strategy=upwards_convergence", "seed=3", "years=2",
               f"hydra.run.dir={out}"], tmp_path)
    assert res.returncode == 0, res.stderr
    df = pd.read_parquet(out / "timeseries.parquet")
    assert len(df) == 2 * 3 + 1 and {"year", "mean_attainment", "resource_used"} <= set(df.columns)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["seed"] == 3 and summary["strategy"] == "upwards_convergence"
    assert len(summary["config_hash"]) == 16
    assert (out / "attainment.png").stat().st_size > 1000


def test_upconv_same_seed_same_table(tmp_path):
    tables = []
    for name in ("a", "b"):
        res = run([str(BIN / "upconv"), "seed=5", "years=2", f"hydra.run.dir={tmp_path / name}"], tmp_path)
        assert res.returncode == 0, res.stderr
        tables.append(pd.read_parquet(tmp_path / name / "timeseries.parquet"))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert (tmp_path / "a" / "timeseries.parquet").read_bytes() == (tmp_path / "b" / "timeseries.parquet").read_bytes()


@pytest.mark.parametrize("override, words", [
    ("coaching.coaching_time=-1", ["coaching.coaching_time", "between 0 and 50", "-1"]),
    ("+strategy.typo=1", ["strategy.typo", "unknown"]),
    ("system.n_schools=0", ["system.n_schools", "between 1", "0"]),
])
def test_upconv_bad_input_names_the_key(tmp_path, override, words):
    out = tmp_path / "bad"
    res = run([str(BIN / "upconv"), override, f"hydra.run.dir={out}"], tmp_path)
    assert res.returncode != 0
    for word in words:
        assert word in res.stderr, res.stderr
    assert not (out / "summary.json").exists()


def test_upconv_compare_writes_report(tmp_path):
    res = run([str(BIN / "upconv-compare"), "--scenario", "teaching", "--seeds", "2", "--years", "3",
               "--out", str(tmp_path / "cmp")], tmp_path)
    assert res.returncode == 0, res.stderr
    table = pd.read_parquet(tmp_path / "cmp" / "timeseries.parquet")
    assert set(table.strategy) == {"status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"}
    assert len(table) == 4 * 2 * (3 * 3 + 1)
    for name in ("attainment_fans.png", "grades.png", "convergence.png", "summary.md"):
        assert (tmp_path / "cmp" / name).exists()
