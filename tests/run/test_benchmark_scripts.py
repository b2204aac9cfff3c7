"""Smoke test of the benchmark scripts: the quick run prints the whole table (no timing checks)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_prints_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "benchmark.py"), "--quick", "--years", "1", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout
    for heading in ("SchoolSystem benchmark", "date", "machine", "nproc", "RAM", "Full model", "peak RSS",
                    "ns per staff-step", "Scaling", "ratio to 10k", "Mesa reference", "NumPy floor",
                    "speed-up of the model over the Mesa reference", "slower than the NumPy floor", "Targets"):
        assert heading in text, f"missing {heading!r} in:\n{text}"
    results = json.loads(out.read_text())
    assert results["full"]["steps"] == 3  # 1 year of terms
    assert results["full"]["ns_per_staff_step"] > 0
    assert results["reference"]["ns_per_staff_step"] > 0
    assert results["floor"]["ns_per_staff_step"] > 0
    assert [r["target_staff"] for r in results["scaling"]] == [1_000, 10_000]
    assert results["speedup_vs_reference"] > 0 and results["slower_than_floor"] > 0


def test_profile_step_lists_the_mechanisms() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "profile_step.py"), "--scenario", "teaching", "--years", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "3 terms" in proc.stdout
    for mechanism in ("attainment.update_attainment", "partnerships.exchange", "turnover.turnover"):
        assert mechanism in proc.stdout


def test_bench_collect_prints_its_figures(tmp_path: Path) -> None:
    """scripts/bench_collect.py at a tiny size: the table is printed and the files are counted
    (figures are not checked: it is a benchmark)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_collect.py"), "--runs", "12", "--per-file", "5",
         "--workers", "2", "--upconv-runs", "0", "--dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    for heading in ("bench_collect: 12 runs", "write", "collect (upconv-collect)", "collect (collect() in Python)",
                    "48 rows", "12 runs"):
        assert heading in proc.stdout, f"missing {heading!r} in:\n{proc.stdout}"
    assert re.search(r"files +3 +25\.00 per 100 runs", proc.stdout), proc.stdout  # 3 part files: 5 + 5 + 2 runs
    assert sorted(p.name for p in (tmp_path / "sweep").rglob("*") if p.is_file()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
