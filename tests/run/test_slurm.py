"""A sweep through `hydra/launcher=slurm` (submitit) on a real one-node Slurm cluster started by
the test on 127.0.0.1 (tests/run/clusters.py): the outputs are byte-identical to the same sweep
with joblib, every job really ran as a Slurm array task, and every daemon is stopped afterwards."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from clusters import BIN, slurm_cluster
from simulation.run.collect import collect

SWEEP = ["scenario=teaching", "years=2", "strategy=status_quo,upwards_convergence", "seed=3,4", "write_figures=false"]


def upconv(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    res = subprocess.run([str(BIN / "upconv"), "-m", *args], cwd=cwd, check=False, capture_output=True, text=True,
                         timeout=600, env={**os.environ, "HYDRA_FULL_ERROR": "1", **(env or {})})
    assert res.returncode == 0, res.stderr[-3000:]
    return res


def outputs(sweep: Path) -> dict[str, bytes]:
    """Every job's files that must not depend on where it ran, byte for byte (the summary without
    its git_commit line: others may commit to the repository while the test runs)."""
    out = {str(p.relative_to(sweep)): p.read_bytes() for p in sweep.glob("*/timeseries.parquet")}
    for p in sweep.glob("*/summary.json"):
        out[str(p.relative_to(sweep))] = re.sub(rb'"git_commit": [^\n]*', b"", p.read_bytes())
    return out


def daemons(folder: Path) -> list[int]:
    """Pids of the daemons started in ``folder`` that are still alive."""
    alive = []
    for pid_file in folder.glob("*.pid"):
        pid = int(pid_file.read_text().split()[0])
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    return alive


def test_slurm_sweep_equals_joblib_byte_for_byte(tmp_path):
    upconv([*SWEEP, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path / 'joblib'}"],
           tmp_path)
    cluster = tmp_path / "slurm-cluster"
    with slurm_cluster(cluster) as env:
        started = daemons(cluster)
        assert len(started) == 3  # munged, slurmctld, slurmd
        res = upconv([*SWEEP, "hydra/launcher=slurm", f"hydra.sweep.dir={tmp_path / 'slurm'}"], tmp_path, env=env)
        queue = subprocess.run(["squeue", "-h"], capture_output=True, text=True, env={**os.environ, **env}, timeout=30)
        assert queue.returncode == 0 and queue.stdout.strip() == ""  # every array task has left the queue
    assert daemons(cluster) == []  # every daemon the test started is stopped
    assert "Submitit 'slurm' sweep" in res.stdout
    logs = sorted((tmp_path / "slurm" / ".submitit").glob("*/*_log.out"))
    assert len(logs) == 4, logs  # one Slurm array task per job
    assert all("_" in p.name.split("_log")[0] for p in logs)  # named JOBID_TASK: an array
    slurm, joblib = outputs(tmp_path / "slurm"), outputs(tmp_path / "joblib")
    assert len(slurm) == 8 and slurm == joblib
    df = collect(tmp_path / "slurm", progress=False)
    assert df.attrs["failed"] == [] and df.attrs["missing"] == [] and df.job.nunique() == 4


@pytest.fixture(autouse=True)
def _no_stray_slurm_env(monkeypatch):
    monkeypatch.delenv("SLURM_CONF", raising=False)  # the client must find the test's cluster only
