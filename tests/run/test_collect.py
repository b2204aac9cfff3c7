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
        main([str(broken), "--strict", "--quiet"])  # --strict: the default now, still accepted
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


# --- exit status, CSV and units through the real command --------------------------------------

def collect_cmd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "upconv-collect"), *args, "--quiet"], check=False, capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def incomplete(sweep, tmp_path) -> Path:
    """The sweep with one job that died before finishing and one that never started."""
    broken = tmp_path / "incomplete"
    shutil.copytree(sweep, broken)
    (broken / "1" / "summary.json").unlink()
    shutil.rmtree(broken / "3")
    return broken


def test_exit_1_when_jobs_failed_or_are_missing_but_the_table_is_written(incomplete):
    res = collect_cmd(str(incomplete))
    assert res.returncode == 1, res.stderr
    assert "2 of 4 jobs finished" in res.stderr and "missing (no folder): 3" in res.stderr
    assert "error: 2 job(s) failed or missing" in res.stderr and "--allow-missing" in res.stderr
    assert sorted(pd.read_parquet(incomplete / "collected.parquet").job.unique()) == ["0", "2"]


def test_allow_missing_exits_0_with_what_finished(incomplete):
    res = collect_cmd(str(incomplete), "--allow-missing")
    assert res.returncode == 0, res.stderr
    assert "2 of 4 jobs finished" in res.stderr and "error" not in res.stderr
    assert sorted(pd.read_parquet(incomplete / "collected.parquet").job.unique()) == ["0", "2"]


def test_exit_1_and_nothing_written_when_no_job_finished(sweep, tmp_path):
    none = tmp_path / "none"
    shutil.copytree(sweep, none)
    for summary in none.glob("*/summary.json"):
        summary.unlink()
    for flags in ([], ["--allow-missing"]):
        res = collect_cmd(str(none), *flags)
        assert res.returncode == 1 and "0 of 4 jobs finished" in res.stderr and "no job finished" in res.stderr
        assert not (none / "collected.parquet").exists()


def test_exit_status_is_documented_in_help():
    res = subprocess.run([str(BIN / "upconv-collect"), "--help"], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0
    text = " ".join(res.stdout.split())
    assert "exit status: 0 when every job of the sweep finished; 1 when any job failed or is missing" in text
    assert "--allow-missing" in text and "--csv" in text and "2 when SWEEP_DIR does not exist" in text


def test_csv_next_to_the_parquet_table(sweep, tmp_path):
    out = tmp_path / "table.parquet"
    res = collect_cmd(str(sweep), "--out", str(out), "--csv")
    assert res.returncode == 0, res.stderr
    assert str(tmp_path / "table.csv") in res.stdout
    parquet, csv = pd.read_parquet(out), pd.read_csv(tmp_path / "table.csv", dtype={"job": str})
    assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet) == 16
    pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)


def test_collected_table_carries_units_and_version(sweep, tmp_path):
    import pyarrow.parquet as pq

    import simulation
    from simulation.measures.registry import METRICS
    from simulation.run.runner import read_units

    out = tmp_path / "table.parquet"
    assert collect_cmd(str(sweep), "--out", str(out)).returncode == 0
    units = read_units(out)
    for name, metric in METRICS.items():
        assert units[name] == {"unit": metric.unit, "description": metric.description}
    assert units["coaching.coaching_time"]["unit"] == "staff days/year"  # a swept parameter: from the schema
    assert units["seed"]["unit"] == "-" and "job" in units
    assert pq.read_schema(out).metadata[b"version"].decode() == simulation.__version__
    assert pd.read_parquet(out).attrs["finished"] == ["0", "1", "2", "3"]  # the sweep status, as before
