"""The experiments package: one convention (``python -m experiments.NAME``), and each experiment's
analysis on a tiny sweep of its preset (teaching scenario, 2 seeds, a few years) run through its
real entry point, which launches ``upconv -m +experiment=NAME``: its figures and report are produced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "experiments"
NAMES = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
TINY = ["scenario=teaching", "years=2", "seed=0,1"]
CASES = {
    "strategy_comparison": (TINY, ["fans.png", "grades.png", "convergence.png"], ["Upwards-convergence index", "UCI ="]),
    "london_challenge": (TINY, ["london_chart.png", "fans.png", "convergence.png"],
                         ["% outstanding", "% special measures"]),
    "floor_standards": (TINY, ["floor.png", "outcomes.png", "fans.png", "convergence.png"],
                        ["flat 25%", "rising 25->40% by 2012", "under upwards_convergence", "score", "leaving_rate"]),
    "brokering": (TINY, ["fans.png", "partnerships.png", "convergence.png"], ["school_improvement_groups", "none"]),
    "brokering_ablation": (TINY, ["weakest.png", "fans.png", "convergence.png"],
                           ["matching only", "facilitation only", "monitoring only", "all three", "weakest_gain"]),
    "growing_the_top_pilot": (["scenario=teaching", "years=4", "seed=0,1", "pilot.n_trios=2"], ["pilot.png"],
                              ["matched", "DiD"]),
    "collaboration_scope": (["scenario=cold_spots", "system.n_schools=60", "years=2", "seed=0,1",
                             "strategy=status_quo,upwards_convergence"], ["gaps.png", "finals.png"],
                            ["local authority", "national, online when far", "regional_gap", "cold_spot_gap",
                             "Wilcoxon"]),
}
JOBS = {"strategy_comparison": 8, "london_challenge": 4, "floor_standards": 12, "brokering": 8, "brokering_ablation": 10,
        "growing_the_top_pilot": 2, "collaboration_scope": 16}


def experiment(name: str, *args: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """``python -m experiments.NAME ARGS`` as a user runs it; the repository on PYTHONPATH stands for
    running from the repository root, while the working directory stays ``cwd`` (nothing written in the repo)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", f"experiments.{name}", *args], cwd=cwd, env=env, check=False,
                          capture_output=True, text=True, timeout=timeout)


def test_every_experiment_is_a_runnable_subpackage():
    assert (PACKAGE / "__init__.py").is_file()
    assert set(CASES) | {"sensitivity", "calibration", "validation", "patterns", "march_docking"} <= set(NAMES)
    for name in NAMES:
        assert (PACKAGE / name / "__init__.py").is_file(), name
        assert (PACKAGE / name / "__main__.py").is_file(), name


@pytest.mark.parametrize("name", NAMES)
def test_help_of_every_experiment(name, tmp_path):
    res = experiment(name, "--help", cwd=tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    assert f"python -m experiments.{name}" in res.stdout


def test_no_experiment_patches_sys_path():
    offenders = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts and "sys.path" in p.read_text(errors="ignore")]
    assert not offenders, offenders


@pytest.mark.parametrize("name", list(CASES))
def test_analysis_on_a_tiny_sweep(name, tmp_path):
    overrides, figures, words = CASES[name]
    folder = tmp_path / "sweep"
    res = experiment(name, "--launcher", "basic", "--sweep-dir", str(folder), *overrides, cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    assert len(list(folder.glob("*/summary.json"))) == JOBS[name]
    out = folder / "analysis"
    assert {p.name for p in out.iterdir()} == {*figures, "report.md"}
    for figure in figures:
        assert (out / figure).stat().st_size > 5000
    report = (out / "report.md").read_text()
    scenario = next(o.split("=", 1)[1] for o in overrides if o.startswith("scenario="))
    for word in [*words, scenario, "2 seeds"]:
        assert word in report, report
    assert "nan" not in report.lower().replace("nanmean", "")


def test_a_sweep_resumes_and_analyses_only(tmp_path):
    """Running the same command again with the same --sweep-dir re-runs no finished job;
    --analyse-only analyses the existing sweep into --out."""
    folder = tmp_path / "sweep"
    args = ["--launcher", "basic", "--sweep-dir", str(folder), *TINY]
    assert experiment("london_challenge", *args, cwd=tmp_path).returncode == 0
    summaries = sorted(folder.glob("*/summary.json"))
    assert len(summaries) == JOBS["london_challenge"]
    before = {p: p.stat().st_mtime_ns for p in summaries}
    again = experiment("london_challenge", *args, cwd=tmp_path)
    assert again.returncode == 0, again.stderr[-3000:]
    assert {p: p.stat().st_mtime_ns for p in sorted(folder.glob("*/summary.json"))} == before
    res = experiment("london_challenge", "--analyse-only", "--sweep-dir", str(folder), "--out", str(tmp_path / "a"),
                     cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    assert {p.name for p in (tmp_path / "a").iterdir()} == {"london_chart.png", "fans.png", "convergence.png",
                                                            "report.md"}


def test_sensitivity_morris_on_a_tiny_design(tmp_path):
    run_dir = tmp_path / "morris"
    res = experiment("sensitivity", "--trajectories", "2", "--seeds", "1", "--workers", "2", "--sweep-dir",
                     str(run_dir), "scenario=teaching", "years=2", cwd=tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    runs = pd.read_parquet(run_dir / "morris.parquet")
    assert len(runs) == 2 * (16 + 1) and runs.uci.notna().all()
    assert {p.name for p in (run_dir / "analysis").iterdir()} == {"ranking.png", "morris.png", "report.md"}
    report = (run_dir / "analysis" / "report.md").read_text()
    assert "mu*" in report and "coaching.coaching_efficiency" in report and "34 runs" in report
