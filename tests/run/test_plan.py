"""`upconv --dry-run`: every job listed with its overrides (as Hydra numbers them), every job's
config checked by the run's own checker, counted, CPU time and disk estimated, nothing written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

BIN = Path(sys.executable).parent
SWEEP = ["scenario=teaching", "years=1", "strategy=status_quo,upwards_convergence", "seed=range(0,3)"]


def upconv(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess:
    tmp.mkdir(exist_ok=True)
    return subprocess.run([str(BIN / "upconv"), *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "TMPDIR": str(tmp), "HYDRA_FULL_ERROR": "0"})


def listed(stdout: str) -> dict[int, list[str]]:
    return {int(m.group(1)): m.group(2).split() for m in re.finditer(r"^ +(\d+)  (.+)$", stdout, re.M)}


def estimate(stdout: str) -> tuple[float, float, int]:
    m = re.search(r"estimate: ([\d.]+) (s|min|h) of CPU time .*?, ([\d.]+) (B|kB|MB|GB) on disk in about (\d+) files",
                  stdout)
    assert m, stdout
    scale = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}[m.group(4)]
    return float(m.group(1)), float(m.group(3)) * scale, int(m.group(5))


def test_dry_run_lists_checks_and_estimates_every_job_and_writes_nothing(tmp_path):
    work, tmp, sweep = tmp_path / "work", tmp_path / "tmp", tmp_path / "sweep"
    work.mkdir()
    res = upconv(["--dry-run", "-m", *SWEEP, f"hydra.sweep.dir={sweep}"], work, tmp)
    assert res.returncode == 0, res.stderr[-2000:]
    assert list(work.iterdir()) == [] and list(tmp.iterdir()) == [] and not sweep.exists()  # nothing written
    assert f"dry run: 6 job(s) with the basic launcher into {sweep}" in res.stdout
    assert "checked: all 6 configs are valid" in res.stdout
    assert re.search(r"calibration \(teaching, 40 schools, 1 simulated year\): [\d.]+ s to build the model", res.stdout)
    cpu, disk, files = estimate(res.stdout)
    assert cpu > 0
    jobs = listed(res.stdout)
    # the same command for real: job N's folder holds exactly the overrides the dry run listed for N,
    # and the estimate of files and bytes matches what it writes
    real = subprocess.run([str(BIN / "upconv"), "-m", *SWEEP, f"hydra.sweep.dir={sweep}"], cwd=work,
                          capture_output=True, text=True, timeout=600)
    assert real.returncode == 0, real.stderr[-2000:]
    ran = {int(p.parent.parent.name): yaml.safe_load(p.read_text()) for p in sweep.glob("*/.hydra/overrides.yaml")}
    assert len(jobs) == 6 and jobs == ran
    written = [p for p in sweep.rglob("*") if p.is_file()]
    assert files == len(written)
    assert 0.7 < disk / sum(p.stat().st_size for p in written) < 1.3


def test_dry_run_of_a_preset_and_in_batch_mode(tmp_path):
    res = upconv(["--dry-run", "-m", "--runs-per-file", "4", "+experiment=strategy_comparison", "scenario=teaching",
                  "seed=range(0,2)", "years=1"], tmp_path, tmp_path / "tmp")
    assert res.returncode == 0, res.stderr[-2000:]
    jobs = listed(res.stdout)
    assert len(jobs) == 8 and "dry run: 8 job(s)" in res.stdout
    assert jobs[0] == ["strategy=status_quo", "seed=0", "+experiment=strategy_comparison", "scenario=teaching",
                       "years=1"]
    assert {j[0] for j in jobs.values()} == {f"strategy={s}" for s in ("status_quo", "reducing_disparity",
                                                                         "growing_the_top", "upwards_convergence")}
    assert estimate(res.stdout)[2] == 2 + 2  # two part files of 4 runs, the shared log, multirun.yaml
    assert "in batches of 4 runs per file" in res.stdout
    assert list(tmp_path.iterdir()) == [tmp_path / "tmp"]


def test_dry_run_names_the_bad_job_in_one_sentence(tmp_path):
    res = upconv(["--dry-run", "-m", "scenario=teaching", "coaching.coaching_time=2,-1", "seed=0,1"], tmp_path,
                 tmp_path / "tmp")
    assert res.returncode == 2 and res.stdout == ""
    assert res.stderr.strip().splitlines() == [
        "error: job 2 (scenario=teaching coaching.coaching_time=-1 seed=0) cannot run: coaching.coaching_time must "
        "be between 0 and 50 (staff days/year); got -1.0."]
    bad_group = upconv(["--dry-run", "-m", "scenario=teaching,tpyo", "seed=0"], tmp_path, tmp_path / "tmp")
    assert bad_group.returncode == 2
    assert bad_group.stderr.strip().startswith("error: job 1 (scenario=tpyo seed=0) cannot run: scenario must be one of")
    assert "got 'tpyo'" in bad_group.stderr and len(bad_group.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [tmp_path / "tmp"]  # nothing written
