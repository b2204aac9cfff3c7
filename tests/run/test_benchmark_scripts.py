"""Smoke test of the benchmark scripts: the quick run prints the whole table (no timing checks)."""

from __future__ import annotations

import json
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
