"""Batch mode (`upconv -m --runs-per-file N`) through the real commands: no job folders, one
Parquet file per N runs, the collected table equal to a sweep of one folder per run, byte-identical
files on the basic and joblib launchers, a failed job kept and re-run by the same command, and
finished jobs skipped by their config hash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.run.collect import collect

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
SWEEP = ["scenario=teaching", "years=1", "strategy=status_quo,upwards_convergence", "seed=range(0,5)"]  # 10 runs


def upconv(args: list[str], cwd: Path, ok: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "HYDRA_FULL_ERROR": "0", "PYTHONPATH": str(HERE)}  # tests/run/faults.py
    res = subprocess.run([str(BIN / "upconv"), *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    if ok:
        assert res.returncode == 0, res.stderr[-3000:]
    return res


def files(sweep: Path) -> list[str]:
    return sorted(str(p.relative_to(sweep)) for p in sweep.rglob("*") if p.is_file())


def parts(sweep: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((sweep / "batches" / "timeseries").glob("part-*.parquet"))}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> pd.DataFrame:
    """The same sweep the usual way: one folder per run."""
    tmp = tmp_path_factory.mktemp("folders")
    upconv(["-m", *SWEEP, f"hydra.sweep.dir={tmp / 'sweep'}"], tmp)
    return collect(tmp / "sweep", progress=False)


@pytest.fixture(scope="module")
def batched(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("batched")
    res = upconv(["-m", "--runs-per-file", "4", *SWEEP, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
                  f"hydra.sweep.dir={tmp / 'sweep'}"], tmp)
    assert f"the runs are in 3 Parquet file(s) under {tmp / 'sweep' / 'batches'} (4 runs per file)" in res.stdout
    return tmp / "sweep"


def test_batch_mode_writes_one_file_per_chunk_of_runs(batched):
    assert files(batched) == ["batches/timeseries/part-00000.parquet", "batches/timeseries/part-00001.parquet",
                              "batches/timeseries/part-00002.parquet", "cli.log", "multirun.yaml"]
    runs = {name: sorted(pd.read_parquet(batched / "batches" / "timeseries" / name).job.unique(), key=int)
            for name in parts(batched)}
    assert runs == {"part-00000.parquet": ["0", "1", "2", "3"], "part-00001.parquet": ["4", "5", "6", "7"],
                    "part-00002.parquet": ["8", "9"]}


def test_batch_mode_collects_to_the_same_table(batched, folders, tmp_path):
    df = collect(batched, progress=False)
    assert df.attrs["finished"] == [str(i) for i in range(10)] and not df.attrs["failed"] and not df.attrs["missing"]
    pd.testing.assert_frame_equal(df, folders)
    res = subprocess.run([str(BIN / "upconv-collect"), str(batched), "-o", str(tmp_path / "t.parquet"), "--quiet"],
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "t.parquet"), folders)


def test_batch_files_are_byte_identical_on_the_basic_launcher(batched, tmp_path):
    upconv(["-m", "--runs-per-file=4", *SWEEP, f"hydra.sweep.dir={tmp_path / 'sweep'}"], tmp_path)
    assert parts(tmp_path / "sweep") == parts(batched)


def test_a_failed_job_is_kept_and_the_same_command_finishes_the_sweep(batched, tmp_path):
    sweep = tmp_path / "sweep"
    cmd = ["-m", "--runs-per-file", "4", *SWEEP, f"hydra.sweep.dir={sweep}"]
    upconv([*cmd, "+hydra.callbacks.faults._target_=faults.Faults", "+hydra.callbacks.faults.raise_job=5"], tmp_path)
    assert "injected fault in job 5" in (sweep / "batches" / "errors" / "5.txt").read_text()
    df = collect(sweep, progress=False)
    assert df.attrs["failed"] == ["5"] and df.attrs["errors"] == {"5": "faults.InjectedFault: injected fault in job 5"}
    assert df.job.nunique() == 9 and "5" not in set(df.job)
    before = {name: (sweep / "batches" / "timeseries" / name).stat().st_mtime_ns for name in parts(sweep)}
    again = upconv(cmd, tmp_path)  # the same command: only job 5 runs
    assert again.stdout.count("already finished") == 9 and again.stdout.count(" done: ") == 1
    assert not (sweep / "batches" / "errors" / "5.txt").exists()
    after = {name: (sweep / "batches" / "timeseries" / name).stat().st_mtime_ns for name in parts(sweep)}
    assert after["part-00000.parquet"] == before["part-00000.parquet"]  # untouched chunks are not rewritten
    assert after["part-00002.parquet"] == before["part-00002.parquet"]
    assert parts(sweep) == parts(batched)  # the finished sweep is byte for byte the undisturbed one


@pytest.mark.parametrize("args, words", [
    (["-m", "--runs-per-file", "1", "seed=0,1"], ["--runs-per-file", "at least 2", "'1'"]),
    (["-m", "--runs-per-file", "many", "seed=0,1"], ["--runs-per-file", "whole number", "'many'"]),
    (["--runs-per-file", "5", "seed=0"], ["--runs-per-file", "add -m", "single run"]),
])
def test_bad_runs_per_file_is_one_sentence_and_writes_nothing(tmp_path, args, words):
    res = upconv(args, tmp_path, ok=False)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    for word in words:
        assert word in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_in_batch_mode_is_one_line_and_the_same_command_resumes(tmp_path):
    import signal
    import time

    sweep = tmp_path / "sweep"
    cmd = [str(BIN / "upconv"), "-m", "--runs-per-file", "4", "scenario=teaching", "years=6", "seed=range(0,6)",
           f"hydra.sweep.dir={sweep}"]
    def default_sigint() -> None:  # Ctrl-C as in a terminal, even if this test was started in the background
        signal.signal(signal.SIGINT, signal.SIG_DFL)

    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=default_sigint)
    deadline = time.time() + 300
    while time.time() < deadline and not list(sweep.glob("batches/timeseries/staging/*/*.parquet")):
        time.sleep(0.05)
    assert proc.poll() is None, "the sweep ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    finished = collect(sweep, progress=False).attrs["finished"]
    assert 1 <= len(finished) < 6
    assert err.strip() == (f"interrupted: {len(finished)} of 6 jobs finished in {sweep}; run the same command "
                           f"again to resume (finished jobs are skipped).")
    again = upconv(cmd[1:], tmp_path)
    assert again.stdout.count("already finished") == len(finished)
    df = collect(sweep, progress=False)
    assert df.attrs["finished"] == [str(i) for i in range(6)] and not df.attrs["failed"]
    assert sorted(p.name for p in sweep.rglob("*.parquet")) == ["part-00000.parquet", "part-00001.parquet"]
