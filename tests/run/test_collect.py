"""`upconv-collect` / `collect()`: one tidy table from a sweep, failed and missing jobs reported."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.run.collect import collect, main, scan

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("collect")
    res = subprocess.run([str(BIN / "upconv"), "-m", "scenario=teaching", "years=1", "seed=0,1",
                          "coaching.coaching_time=2,4.5", f"hydra.sweep.dir={tmp / 'sweep'}"],
                         cwd=tmp, check=False, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return tmp / "sweep"


def test_one_row_per_run_and_step_with_swept_parameters(sweep):
    df = collect(sweep, progress=False)
    assert len(df) == 4 * 4 and df.job.nunique() == 4
    assert list(df.columns[:6]) == ["job", "scenario", "strategy", "seed", "years", "coaching.coaching_time"]
    assert df["coaching.coaching_time"].dtype.kind == "f" and set(df["coaching.coaching_time"]) == {2.0, 4.5}
    assert set(df.seed) == {0, 1} and set(df.strategy) == {"status_quo"}
    assert df.groupby("job").step.apply(list).map(lambda s: s == [0, 1, 2, 3]).all()
    assert df.attrs["finished"] == ["0", "1", "2", "3"] and not df.attrs["failed"] and not df.attrs["missing"]
    run = pd.read_parquet(sweep / "2" / "timeseries.parquet")
    pd.testing.assert_frame_equal(df[df.job == "2"][run.columns].reset_index(drop=True), run)


def test_failed_and_missing_jobs_are_reported(sweep, tmp_path, capsys):
    broken = tmp_path / "broken"
    shutil.copytree(sweep, broken)
    (broken / "1" / "summary.json").unlink()  # a job that died before finishing
    shutil.rmtree(broken / "3")  # a job that never started
    status = scan(broken)
    assert [p.name for p in status.finished] == ["0", "2"] and [p.name for p in status.failed] == ["1"]
    assert status.missing == ["3"]
    with pytest.raises(SystemExit) as exit_:
        main([str(broken), "--strict", "--quiet"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "2 of 4 jobs finished" in err and "failed or unfinished" in err and ": 1" in err and "missing" in err
    df = pd.read_parquet(broken / "collected.parquet")  # still written, with what finished
    assert sorted(df.job.unique()) == ["0", "2"]


def test_a_folder_of_sweeps(sweep, tmp_path):
    shutil.copytree(sweep, tmp_path / "a" / "one")
    shutil.copytree(sweep, tmp_path / "a" / "two")
    df = collect(tmp_path / "a", progress=False)
    assert df.job.nunique() == 8 and {"one/0", "two/3"} <= set(df.job)


def test_command_line(sweep, tmp_path):
    out = tmp_path / "table.parquet"
    res = subprocess.run([str(BIN / "upconv-collect"), str(sweep), "--out", str(out)], check=False,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "4 of 4 jobs finished" in res.stderr and "collecting" in res.stderr  # the tqdm bar
    assert "swept: seed, coaching.coaching_time" in res.stdout
    assert len(pd.read_parquet(out)) == 16
    missing = subprocess.run([str(BIN / "upconv-collect"), str(tmp_path / "nowhere")], check=False,
                             capture_output=True, text=True)
    assert missing.returncode == 2 and "no sweep folder" in missing.stderr
