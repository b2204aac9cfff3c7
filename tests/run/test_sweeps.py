"""Sweeps end to end through the real `upconv` entry point (subprocesses): the basic launcher,
joblib on local cores, and Ray against a local head on 127.0.0.1. The same sweep gives the
same table on every launcher: each job seeds itself from its own config only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.run.collect import collect

BIN = Path(sys.executable).parent
SWEEP = ["scenario=teaching", "years=2", "strategy=status_quo,upwards_convergence", "seed=3,4"]
ROWS = 4 * (2 * 3 + 1)  # 4 jobs x (2 years x 3 terms + the initial state)


def upconv(args: list[str], cwd: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    res = subprocess.run([str(BIN / "upconv"), "-m", *args], cwd=cwd, check=False, capture_output=True, text=True,
                         timeout=timeout, env={**os.environ, "HYDRA_FULL_ERROR": "1", **(env or {})})
    assert res.returncode == 0, res.stderr[-3000:]
    return res


def tidy(sweep: Path) -> pd.DataFrame:
    df = collect(sweep, progress=False)
    assert df.attrs["failed"] == [] and df.attrs["missing"] == []
    return df.sort_values(["strategy", "seed", "step"], ignore_index=True).drop(columns="job")


def parquet_bytes(sweep: Path) -> dict[str, bytes]:
    """Each job's timeseries.parquet, byte for byte (job folders are numbered the same way)."""
    return {p.parent.name: p.read_bytes() for p in sweep.glob("*/timeseries.parquet")}


BASIC_FILES: dict[str, bytes] = {}


@pytest.fixture(scope="module")
def basic(tmp_path_factory) -> pd.DataFrame:
    tmp = tmp_path_factory.mktemp("basic")
    upconv([*SWEEP, f"hydra.sweep.dir={tmp / 'sweep'}"], tmp)
    BASIC_FILES.update(parquet_bytes(tmp / "sweep"))
    return tidy(tmp / "sweep")


def test_basic_launcher_sweep_collects_every_run(basic):
    assert len(basic) == ROWS
    assert basic.groupby(["strategy", "seed"]).size().to_dict() == {
        (s, seed): 7 for s in ("status_quo", "upwards_convergence") for seed in (3, 4)}
    assert {"scenario", "strategy", "seed", "years", "step", "year", "mean_attainment", "share_outstanding",
            "resource_used"} <= set(basic.columns)
    assert set(basic.scenario) == {"teaching"} and set(basic.years) == {2}
    # different seeds, different runs; same seed and strategy, one run
    final = basic[basic.step == 6].set_index(["strategy", "seed"]).mean_attainment
    assert final[("status_quo", 3)] != final[("status_quo", 4)]


def test_joblib_launcher_gives_the_same_table(basic, tmp_path):
    upconv([*SWEEP, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path / 'sweep'}"],
           tmp_path)
    pd.testing.assert_frame_equal(tidy(tmp_path / "sweep"), basic)
    assert parquet_bytes(tmp_path / "sweep") == BASIC_FILES  # byte-identical outputs


def test_ray_launcher_against_a_local_head(basic, tmp_path, ray_cluster):
    # the head (tests/run/conftest.py) binds every Ray server to 127.0.0.1 only
    upconv([*SWEEP, "hydra/launcher=ray_cluster", f"hydra.sweep.dir={tmp_path / 'sweep'}"], tmp_path, env=ray_cluster)
    pd.testing.assert_frame_equal(tidy(tmp_path / "sweep"), basic)
    assert parquet_bytes(tmp_path / "sweep") == BASIC_FILES  # byte-identical outputs
