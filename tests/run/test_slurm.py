"""A sweep through `hydra/launcher=slurm` (submitit) on a real one-node Slurm cluster started by
the test on 127.0.0.1 (tests/run/clusters.py): the outputs are byte-identical to the same sweep
with joblib, every job really ran as a Slurm array task, and every daemon is stopped afterwards."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pandas as pd
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


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    """A one-node Slurm cluster for this module's tests; afterwards no daemon it started is alive."""
    cluster = tmp_path_factory.mktemp("slurm-cluster")
    with slurm_cluster(cluster) as env:
        assert len(daemons(cluster)) == 3  # munged, slurmctld, slurmd
        yield env
        queue = subprocess.run(["squeue", "-h"], capture_output=True, text=True, env={**os.environ, **env}, timeout=30)
        assert queue.returncode == 0 and queue.stdout.strip() == ""  # every task has left the queue
    assert daemons(cluster) == []  # every daemon the test started is stopped


def test_slurm_sweep_equals_joblib_byte_for_byte(slurm, tmp_path):
    upconv([*SWEEP, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={tmp_path / 'joblib'}"],
           tmp_path)
    res = upconv([*SWEEP, "hydra/launcher=slurm", f"hydra.sweep.dir={tmp_path / 'slurm'}"], tmp_path, env=slurm)
    assert "Submitit 'slurm' sweep" in res.stdout
    logs = sorted((tmp_path / "slurm" / ".submitit").glob("*/*_log.out"))
    assert len(logs) == 4, logs  # one Slurm array task per job
    assert all("_" in p.name.split("_log")[0] for p in logs)  # named JOBID_TASK: an array
    slurm, joblib = outputs(tmp_path / "slurm"), outputs(tmp_path / "joblib")
    assert len(slurm) == 8 and slurm == joblib
    df = collect(tmp_path / "slurm", progress=False)
    assert df.attrs["failed"] == [] and df.attrs["missing"] == [] and df.job.nunique() == 4


def test_packed_slurm_array_runs_slices_in_batches(slurm, tmp_path):
    """scripts/slurm_pack.sh: 2 array tasks x 2 seeds each, every task a joblib sweep in batch mode;
    the collected table equals the same 4 runs swept in one go on this machine."""
    upconv(["scenario=teaching", "years=1", "seed=range(0,4)", f"hydra.sweep.dir={tmp_path / 'local'}"], tmp_path)
    script = Path(__file__).resolve().parents[2] / "scripts" / "slurm_pack.sh"
    res = subprocess.run(["sbatch", "--wait", "--array=0-1", "--cpus-per-task=1", f"--chdir={tmp_path}",
                          f"--output={tmp_path}/pack-%a.out", str(script), str(tmp_path / "packed"), "2",
                          "scenario=teaching", "years=1"], capture_output=True, text=True, timeout=600,
                         env={**os.environ, **slurm, "UPCONV": str(BIN / "upconv")})
    logs = " | ".join(p.read_text()[-1500:] for p in tmp_path.glob("pack-*.out"))
    assert res.returncode == 0, res.stderr + logs
    packed = collect(tmp_path / "packed", progress=False)
    assert packed.attrs["finished"] == ["slice-0/0", "slice-0/1", "slice-1/0", "slice-1/1"], logs
    assert not packed.attrs["failed"] and not packed.attrs["missing"]
    assert sorted(p.name for p in (tmp_path / "packed").rglob("*.parquet")) == ["part-00000.parquet"] * 2
    local = collect(tmp_path / "local", progress=False)
    cols = [c for c in local.columns if c != "job"]
    pd.testing.assert_frame_equal(packed[cols].sort_values(["seed", "step"], ignore_index=True),
                                  local[cols].sort_values(["seed", "step"], ignore_index=True))


@pytest.fixture(autouse=True)
def _no_stray_slurm_env(monkeypatch):
    monkeypatch.delenv("SLURM_CONF", raising=False)  # the client must find the test's cluster only
