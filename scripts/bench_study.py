"""Throughput of a robustness study: a 10,000-run study (regional, 20 years, written and summarised) on 2 cores.

    .venv/bin/python scripts/bench_study.py                 # 10,000 runs (the target: within 15 minutes)
    .venv/bin/python scripts/bench_study.py --runs 1000     # 1,000 runs, extrapolated to 10,000

Runs the real command, ``python -m simulation.explore.robust --scenario regional --years 20
--n RUNS/8 --replicates 2`` (the four strategies, so 8 runs per parameter set) with ``--workers``
processes in a subprocess, and times it: wall time, the run phase (timing.json), CPU time of the
command and its workers, CPU time per run (measured in each run, kept in the runs cache), and the
load average before, during (mean and maximum, sampled every 5 s) and after. With fewer than
10,000 runs it extrapolates: start-up and analysis as measured, plus the run phase scaled
linearly; and a second, CPU-based estimate (CPU per run x 10,000 / workers), which other work on
a shared machine changes much less.

Before that it measures, in this process, the ensemble-level savings on a few runs: the same runs
done one by one as ``upconv`` does them (configuration composed per run, Staff agents built, each
run's timeseries.parquet, summary.json and figure written) and as the study does them (each
strategy's configuration built once and copied, no Staff agents, no per-run file or figure,
summaries written in batches); it checks the results are identical, and how much of a run is
building the population (whether reusing it could pay). Prints its figures; it is not a test.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_RUNS, TARGET_MINUTES = 10_000, 15
STRATEGIES = ("status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence")


def savings(runs: int, years: int, scenario: str, out: Path) -> dict[str, float]:
    """CPU seconds per run, one by one as upconv does it vs as the study does it; identical results."""
    from simulation.explore.runs import run_outcomes, summarise
    from simulation.explore.sampling import with_values
    from simulation.model import SchoolSystem
    from simulation.params.loading import load_config
    from simulation.run.runner import simulate, timeseries, write_run

    logging.getLogger("MESA").setLevel(logging.WARNING)
    params = {"partnership.transfer_rate": 2.2, "staff.drift": 0.035}
    jobs = [(STRATEGIES[i % 4], i // 4) for i in range(runs)]
    simulate(load_config(scenario, "status_quo", seed=0, years=1))  # compiled kernels loaded once
    t0 = time.process_time()
    naive = []
    for k, (strategy, seed) in enumerate(jobs):
        cfg = load_config(scenario, strategy, seed=seed, years=years, **params)
        model = simulate(cfg)  # Staff agents built (regional is below the 50,000-post threshold)
        summary = write_run(out / f"run{k}", model)
        naive.append(summary["upwards_convergence_index"])
    t_naive = (time.process_time() - t0) / runs
    t0 = time.process_time()
    bases = {s: load_config(scenario, s, seed=0, years=years) for s in STRATEGIES}
    fast, build = [], 0.0
    for strategy, seed in jobs:
        cfg = with_values(bases[strategy], params)
        cfg.seed = seed
        fast.append(run_outcomes(cfg)["uci"])
    t_fast = (time.process_time() - t0) / runs
    for strategy, seed in jobs[:8]:  # how much of a run is building the population
        cfg = with_values(bases[strategy], params)
        cfg.seed = seed
        b0 = time.process_time()
        model = SchoolSystem(config=cfg, rng=seed, create_staff_agents=False)
        build += time.process_time() - b0
        model.run_years(years)
        summarise(timeseries(model))
    t0 = time.process_time()
    for _ in range(runs):
        load_config(scenario, "upwards_convergence", seed=1, years=years, **params)
    t_config = (time.process_time() - t0) / runs
    return {"naive": t_naive, "fast": t_fast, "identical": naive == fast, "build": build / 8, "config": t_config}


class LoadSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(5.0):
            self.samples.append(os.getloadavg()[0])


def study(runs: int, years: int, scenario: str, workers: int, out: Path) -> dict[str, float]:
    n_sets = max(2, runs // 8)
    cmd = [sys.executable, "-m", "simulation.explore.robust", "--scenario", scenario, "--years", str(years),
           "--n", str(n_sets), "--replicates", "2", "--workers", str(workers), "--out", str(out)]
    print("$ " + " ".join(cmd), flush=True)
    sampler = LoadSampler()
    load_before = os.getloadavg()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.start()
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    sampler.stop.set()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"the study failed:\n{done.stderr[-3000:]}")
    parts = pd.concat([pd.read_parquet(p) for p in (out / "runs").glob("part-*.parquet")])
    timing = json.loads((out / "timing.json").read_text())
    return {"runs": len(parts), "failed": int((parts.error != "").sum()), "wall": wall, "run_phase": timing["seconds"],
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            "cpu_per_run": float(parts.cpu_seconds.mean()), "load_before": load_before[0],
            "load_mean": sum(sampler.samples) / max(len(sampler.samples), 1),
            "load_max": max(sampler.samples, default=load_before[0]), "load_after": os.getloadavg()[0]}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=TARGET_RUNS, help="runs of the study (default 10,000)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--years", type=int, default=20)
    p.add_argument("--scenario", default="regional")
    p.add_argument("--savings-runs", type=int, default=16, help="runs for the one-by-one comparison (default 16)")
    p.add_argument("--keep", type=Path, default=None, help="keep the study's folder here (default: a temporary one)")
    args = p.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} cores, load average {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        s = savings(args.savings_runs, args.years, args.scenario, Path(tmp))
        print(f"\nPer run, CPU ({args.savings_runs} runs, {args.scenario}, {args.years} years, in this process):")
        print(f"  one by one as upconv does it (config composed, Staff agents, Parquet + summary + PNG): {s['naive']:.3f} s")
        print(f"  as the study does it (config copied, no agents, summary only, batched writes):      {s['fast']:.3f} s "
              f"({100 * (1 - s['fast'] / s['naive']):.0f}% less)")
        print(f"  results identical: {s['identical']}; composing one configuration with OmegaConf: {s['config']:.3f} s; "
              f"building the population: {s['build']:.3f} s ({100 * s['build'] / s['fast']:.0f}% of a run, "
              "so reusing it could save at most that)")
        out = args.keep or Path(tmp) / "study"
        r = study(args.runs, args.years, args.scenario, args.workers, out)
    print(f"\nStudy: {r['runs']} runs ({r['failed']} failed), {args.workers} workers: wall {r['wall']:.0f} s "
          f"({r['wall'] / 60:.1f} min), of which runs {r['run_phase']:.0f} s; start-up, analysis and report "
          f"{r['wall'] - r['run_phase']:.0f} s")
    print(f"  CPU: {r['cpu']:.0f} s in all ({r['cpu'] / r['runs']:.3f} s per run incl. overheads); "
          f"{r['cpu_per_run']:.3f} s per run measured inside each run")
    print(f"  load average (1 min): before {r['load_before']:.1f}, during mean {r['load_mean']:.1f} / max "
          f"{r['load_max']:.1f}, after {r['load_after']:.1f}")
    scale = TARGET_RUNS / r["runs"]
    fixed = r["wall"] - r["run_phase"]
    wall_est = fixed + r["run_phase"] * scale
    cpu_est = fixed + r["cpu_per_run"] * TARGET_RUNS / args.workers
    label = "measured" if r["runs"] >= TARGET_RUNS else f"extrapolated from {r['runs']} runs"
    print(f"\n{TARGET_RUNS:,} runs ({label}): {wall_est / 60:.1f} min from the wall time at this load; "
          f"{cpu_est / 60:.1f} min from the CPU per run on {args.workers} otherwise idle cores "
          f"(target {TARGET_MINUTES} min)")


if __name__ == "__main__":
    main()
