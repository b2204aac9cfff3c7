"""Faults on Ray, against a local head on 127.0.0.1 (tests/run/conftest.py): a Ray worker killed
in the middle of a job, and a job whose model run raises. In both the sweep completes, nothing
is lost or duplicated, and the collected table of the finished jobs equals an undisturbed sweep.

The kill is real: the worker running job 2 reports its pid as the job starts (tests/run/faults.py,
a Hydra callback), and the test sends it SIGKILL from outside while the model runs. Ray re-runs a
task whose worker died (``max_retries``, conf/hydra/launcher/ray_cluster.yaml); the re-run writes
the job's folder again from the start (files are written atomically, summary.json last)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.run.collect import collect

BIN = Path(sys.executable).parent
SWEEP = ["scenario=teaching", "years=12", "seed=range(0,6)", "write_figures=false"]
FAULTS = "+hydra.callbacks.faults._target_=faults.Faults"


def start(args: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "upconv"), "-m", *SWEEP, *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "HYDRA_FULL_ERROR": "1", **env})


def table(sweep: Path) -> pd.DataFrame:
    return collect(sweep, progress=False).sort_values(["job", "step"], ignore_index=True)


@pytest.fixture(scope="module")
def undisturbed(tmp_path_factory) -> pd.DataFrame:
    tmp = tmp_path_factory.mktemp("undisturbed")
    res = subprocess.run([str(BIN / "upconv"), "-m", *SWEEP, f"hydra.sweep.dir={tmp / 'sweep'}"], cwd=tmp,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr[-3000:]
    df = table(tmp / "sweep")
    assert df.attrs["failed"] == [] and df.attrs["missing"] == [] and df.job.nunique() == 6
    return df


def test_a_killed_ray_worker_loses_nothing(ray_cluster, undisturbed, tmp_path):
    report = tmp_path / "pids"
    proc = start([FAULTS, "+hydra.callbacks.faults.report_job=2", f"+hydra.callbacks.faults.report_dir={report}",
                  "hydra/launcher=ray_cluster", f"hydra.sweep.dir={tmp_path / 'sweep'}"], tmp_path, ray_cluster)
    try:
        deadline = time.time() + 300
        while time.time() < deadline and not (report / "attempt-0").exists() and proc.poll() is None:
            time.sleep(0.05)
        assert (report / "attempt-0").exists(), "job 2 never started"
        # the job's first attempt is held by the callback until killed (tests/run/faults.py)
        pid = int((report / "attempt-0").read_text())
        os.kill(pid, signal.SIGKILL)
        out, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-3000:]
    # Ray ran job 2 again, in another worker: the kill came before the job had finished
    assert len(list(report.glob("attempt-*"))) == 2 and int((report / "attempt-1").read_text()) != pid
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    df = table(tmp_path / "sweep")
    assert df.attrs["failed"] == [] and df.attrs["missing"] == []
    assert sorted(df.job.unique()) == [str(i) for i in range(6)]  # every job once
    assert not df.duplicated(["job", "step"]).any()
    pd.testing.assert_frame_equal(df, undisturbed)
    assert not list((tmp_path / "sweep").rglob(".*.tmp*"))  # no half-written file left by the killed worker


def test_a_job_that_raises_on_ray_keeps_its_error_and_the_rest_go_on(ray_cluster, undisturbed, tmp_path):
    proc = start([FAULTS, "+hydra.callbacks.faults.raise_job=1", "hydra/launcher=ray_cluster",
                  f"hydra.sweep.dir={tmp_path / 'sweep'}"], tmp_path, ray_cluster)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    sweep = tmp_path / "sweep"
    error = (sweep / "1" / "error.txt").read_text()
    assert "InjectedFault: injected fault in job 1" in error and "Traceback" in error
    assert not (sweep / "1" / "summary.json").exists()
    df = table(sweep)
    assert df.attrs["failed"] == ["1"] and df.attrs["missing"] == []
    assert df.attrs["errors"] == {"1": "faults.InjectedFault: injected fault in job 1"}
    pd.testing.assert_frame_equal(df, undisturbed[undisturbed.job != "1"].reset_index(drop=True))
    collected = subprocess.run([str(BIN / "upconv-collect"), str(sweep), "--quiet"], capture_output=True, text=True,
                               timeout=300)
    assert collected.returncode == 1 and "job 1: faults.InjectedFault: injected fault in job 1" in collected.stderr
