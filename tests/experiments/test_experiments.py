"""Each experiment's analysis on a tiny sweep of its preset (teaching scenario, 2 seeds, a few
years) run through the real `upconv -m +experiment=NAME`: its figures and report are produced."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TINY = ["scenario=teaching", "years=2", "seed=0,1"]
CASES = {
    "strategy_comparison": (TINY, ["fans.png", "grades.png", "convergence.png"], ["Upwards-convergence index", "UCI ="]),
    "london_challenge": (TINY, ["london_chart.png", "fans.png", "convergence.png"],
                         ["% outstanding", "% special measures"]),
    "floor_standards": (TINY, ["floor.png", "fans.png", "convergence.png"], ["flat 25%", "rising 25->40% by 2012"]),
    "brokering": (TINY, ["fans.png", "partnerships.png", "convergence.png"], ["school_improvement_groups", "none"]),
    "growing_the_top_pilot": (["scenario=teaching", "years=4", "seed=0,1", "pilot.n_trios=2"], ["pilot.png"],
                              ["matched", "DiD"]),
}
JOBS = {"strategy_comparison": 8, "london_challenge": 4, "floor_standards": 6, "brokering": 8, "growing_the_top_pilot": 2}


def analysis(name: str):
    spec = importlib.util.spec_from_file_location(f"analyse_{name}", ROOT / "experiments" / name / "analyse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sweep(name: str, overrides: list[str], tmp: Path) -> Path:
    cmd = [str(BIN / "upconv"), "-m", f"+experiment={name}", *overrides, f"hydra.sweep.dir={tmp / 'sweep'}"]
    res = subprocess.run(cmd, cwd=tmp, check=False, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return tmp / "sweep"


@pytest.mark.parametrize("name", list(CASES))
def test_analysis_on_a_tiny_sweep(name, tmp_path):
    overrides, figures, words = CASES[name]
    folder = sweep(name, overrides, tmp_path)
    assert len(list(folder.glob("*/summary.json"))) == JOBS[name]
    paths = analysis(name).main([str(folder)])
    out = folder / "analysis"
    assert {p.name for p in paths} == {*figures, "report.md"}
    for figure in figures:
        assert (out / figure).stat().st_size > 5000
    report = (out / "report.md").read_text()
    for word in [*words, "teaching", "2 seeds"]:
        assert word in report, report
    assert "nan" not in report.lower().replace("nanmean", "")


def test_sensitivity_morris_on_a_tiny_design(tmp_path):
    spec = importlib.util.spec_from_file_location("run_sensitivity", ROOT / "experiments" / "sensitivity" / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    run_dir = run.main(["--trajectories", "2", "--seeds", "1", "--workers", "2", "--out", str(tmp_path / "morris"),
                        "scenario=teaching", "years=2"])
    runs = pd.read_parquet(run_dir / "morris.parquet")
    assert len(runs) == 2 * (16 + 1) and runs.uci.notna().all()
    paths = analysis("sensitivity").main([str(run_dir)])
    assert {p.name for p in paths} == {"ranking.png", "morris.png", "report.md"}
    report = (run_dir / "analysis" / "report.md").read_text()
    assert "mu*" in report and "coaching.coaching_efficiency" in report and "34 runs" in report
