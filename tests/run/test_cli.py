"""The `upconv` and `upconv-compare` commands, run as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
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


# --- Ctrl-C in a sweep: one line, exit 130, and the same command resumes --------------------

SMALL_SWEEP = ["-m", "scenario=teaching", "seed=range(0,6)", "years=6", "write_figures=false"]


def default_sigint() -> None:
    """In the child before exec: Ctrl-C as in a terminal, even when this test itself was started in the
    background (a non-interactive shell's ``&`` ignores SIGINT, and an ignored signal is inherited)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_after_first_job(cmd: list[str], cwd: Path, jobs: Path | None) -> tuple[subprocess.CompletedProcess, int]:
    """Start ``cmd`` in its own process group, send SIGINT to the group (as Ctrl-C in a terminal
    does) once a job has finished, and return what it printed and how many jobs had finished."""
    env = {**os.environ, "HYDRA_FULL_ERROR": "0"}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True, preexec_fn=default_sigint)
    deadline = time.time() + 300
    pattern = "*/summary.json" if jobs is not None else "outputs/multirun/*/*/*/summary.json"
    root = jobs if jobs is not None else cwd
    while time.time() < deadline and not list(root.glob(pattern)) and proc.poll() is None:
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    finished = len(list(root.glob(pattern)))
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), finished


@pytest.mark.parametrize("launcher", [[], ["hydra/launcher=joblib"]], ids=["basic", "joblib"])
def test_ctrl_c_in_a_sweep_is_one_line_and_the_same_command_resumes(tmp_path, launcher):
    sweep_dir = tmp_path / "sweep"
    cmd = [str(BIN / "upconv"), *SMALL_SWEEP, *launcher, f"hydra.sweep.dir={sweep_dir}"]
    res, finished = interrupt_after_first_job(cmd, tmp_path, sweep_dir)
    assert res.returncode == 130, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert lines == [f"interrupted: {finished} of 6 jobs finished in {sweep_dir}; run the same command again to "
                     f"resume (finished jobs are skipped)."], res.stderr
    assert 1 <= finished < 6 and "Traceback" not in res.stdout
    assert not list(sweep_dir.rglob(".*.tmp*")) and not list(sweep_dir.rglob("error.txt"))  # no debris
    again = run(cmd, tmp_path)  # the same command
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("already finished") == finished and again.stdout.count(" done: ") == 6 - finished
    assert len(list(sweep_dir.glob("*/summary.json"))) == 6


def test_ctrl_c_in_a_dated_sweep_names_the_folder_to_resume(tmp_path):
    res, finished = interrupt_after_first_job([str(BIN / "upconv"), *SMALL_SWEEP], tmp_path, None)
    assert res.returncode == 130
    (folder,) = {p.parent.parent for p in tmp_path.glob("outputs/multirun/*/*/*/summary.json")}
    assert res.stderr.strip() == (f"interrupted: {finished} of 6 jobs finished in {folder.relative_to(tmp_path)}; add "
                                  f"hydra.sweep.dir={folder.relative_to(tmp_path)} to the same command to resume "
                                  f"(finished jobs are skipped).")
