"""A sweep killed with SIGKILL and re-run with the same sweep folder loses nothing: the
collected table equals that of an uninterrupted sweep, and finished jobs are not re-run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from simulation.run.collect import collect

BIN = Path(sys.executable).parent
SWEEP = ["-m", "scenario=teaching", "strategy=status_quo,upwards_convergence", "seed=range(0,4)", "years=6",
         "write_figures=false"]


def sweep(folder: Path, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "upconv"), *SWEEP, f"hydra.sweep.dir={folder}"], cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def table(folder: Path) -> pd.DataFrame:
    df = collect(folder, progress=False)
    assert df.attrs["failed"] == [] and df.attrs["missing"] == []
    return df.sort_values(["job", "step"]).reset_index(drop=True)


def test_killed_sweep_resumes_to_the_same_table(tmp_path):
    whole = tmp_path / "whole"
    assert sweep(whole, tmp_path).wait(timeout=600) == 0
    broken = tmp_path / "broken"
    proc = sweep(broken, tmp_path)
    deadline = time.time() + 300
    while time.time() < deadline and len(list(broken.glob("*/summary.json"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group, mid-sweep
    proc.wait()
    finished = {p.parent.name: p.stat().st_mtime_ns for p in broken.glob("*/summary.json")}
    assert 2 <= len(finished) < 8, "the sweep must be interrupted part-way for this test to mean anything"
    rerun = sweep(broken, tmp_path)
    output = rerun.communicate(timeout=600)[0]
    assert rerun.returncode == 0, output[-2000:]
    assert output.count("already finished") == len(finished)
    for job, mtime in finished.items():  # finished jobs were not recomputed
        assert (broken / job / "summary.json").stat().st_mtime_ns == mtime
    pd.testing.assert_frame_equal(table(broken), table(whole))
