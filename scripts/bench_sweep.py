"""Benchmark of a sweep: N runs of london_challenge for 30 years with the joblib launcher.

    python scripts/bench_sweep.py                  # N = 1000 (the target: within 10 minutes on 2 cores)
    python scripts/bench_sweep.py --runs 60        # a smaller sweep, extrapolated to 1,000 runs
    make bench-sweep ARGS="--runs 60"

Runs the real command, ``upconv -m scenario=london_challenge years=30 'seed=range(0,N)'
hydra/launcher=joblib``, in a subprocess and times it, then collects the sweep
(``simulation.run.collect``) and checks every run finished. Also times one run in-process,
split into simulation and writing (Parquet, PNG figure, summary), to show where the time
goes. The projection to 1,000 runs is linear in the measured wall time per run after the
sweep's start-up (measured separately with a one-run sweep), so it holds only on an
otherwise idle machine; the script prints the load average during the run, and a second
estimate from the CPU time the sweep's processes used (start-up + CPU time per run after
start-up x 1,000 / workers), which other processes on the machine change much less.
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
TARGET_RUNS, TARGET_SECONDS = 1000, 600


def sweep(runs: int, years: int, scenario: str, jobs: int, out: Path, figures: bool = False) -> tuple[float, float]:
    """Wall time and CPU time (user + system, all processes of the sweep) in seconds."""
    cmd = [str(BIN / "upconv"), "-m", f"scenario={scenario}", f"years={years}", f"seed=range(0,{runs})",
           "hydra/launcher=joblib", f"hydra.launcher.n_jobs={jobs}", f"hydra.sweep.dir={out}",
           f"write_figures={str(figures).lower()}"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"sweep failed:\n{res.stderr[-3000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


class LoadSampler(threading.Thread):
    """Samples the 1-minute load average every 10 s while the sweep runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(10):
            self.samples.append(os.getloadavg()[0])


def one_run(scenario: str, years: int) -> tuple[float, float]:
    from simulation.params.loading import load_config
    from simulation.run.runner import simulate, write_run

    logging.getLogger("MESA").setLevel(logging.WARNING)
    cfg = load_config(scenario, "status_quo", seed=0, years=years)
    with tempfile.TemporaryDirectory() as tmp:  # warm up: imports, matplotlib's first figure
        write_run(Path(tmp), simulate(load_config("teaching", years=1)))
    t0 = time.perf_counter()
    model = simulate(cfg)
    t1 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_run(Path(tmp), model)
    return t1 - t0, time.perf_counter() - t1


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=TARGET_RUNS)
    p.add_argument("--years", type=int, default=30)
    p.add_argument("--scenario", default="london_challenge")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="joblib workers (default: all cores)")
    p.add_argument("--out", type=Path, default=None, help="sweep folder (default: a temporary one, removed)")
    p.add_argument("--figures", action="store_true", help="also write each run's attainment.png (off: write_figures=false)")
    args = p.parse_args(argv)
    from simulation.run.collect import collect

    sampler = LoadSampler()
    sampler.start()
    sim, write = one_run(args.scenario, args.years)
    root = args.out or Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    startup, startup_cpu = sweep(1, 1, "teaching", args.jobs, root / "startup")
    wall, cpu = sweep(args.runs, args.years, args.scenario, args.jobs, root / "sweep", args.figures)
    t0 = time.perf_counter()
    table = collect(root / "sweep", progress=False)
    collect_s = time.perf_counter() - t0
    finished = len(table.attrs["finished"])
    if args.out is None:
        shutil.rmtree(root)
    per_run = (wall - startup) / args.runs
    projected = wall if args.runs == TARGET_RUNS else startup + per_run * TARGET_RUNS
    sampler.done.set()
    loads = sampler.samples or [os.getloadavg()[0]]
    workers = min(args.jobs, os.cpu_count() or 1)
    cpu_per_run = max(cpu - startup_cpu, 0.0) / args.runs
    idle = startup + cpu_per_run * TARGET_RUNS / workers
    print(f"one {args.scenario} run of {args.years} years, in-process: simulate {sim:.2f} s + write {write:.2f} s "
          f"(Parquet, PNG, summary)")
    print(f"sweep start-up (one tiny job): {startup:.1f} s")
    print(f"sweep of {args.runs} runs, {args.jobs} joblib workers, {os.cpu_count()} cores: {wall:.1f} s wall "
          f"({per_run:.2f} s per run after start-up, {60 / per_run:.0f} runs/minute); {finished}/{args.runs} finished; "
          f"collect {collect_s:.1f} s for {len(table)} rows")
    verdict = "within" if projected <= TARGET_SECONDS else "over"
    measured = "measured" if args.runs == TARGET_RUNS else "projected"
    print(f"{TARGET_RUNS} runs: {projected / 60:.1f} min ({measured}; target {TARGET_SECONDS / 60:.0f} min: {verdict})")
    print(f"CPU time {cpu:.0f} s, {cpu_per_run:.2f} s per run after start-up ({startup_cpu:.0f} s): on an idle "
          f"machine {TARGET_RUNS} runs would take about {idle / 60:.1f} min ({workers} workers busy all the time)")
    print(f"load average (1 min) during the benchmark: mean {sum(loads) / len(loads):.1f}, max {max(loads):.1f} "
          f"(other processes share the cores when it is above {workers})")
    if finished != args.runs:
        sys.exit(f"{args.runs - finished} runs did not finish")


if __name__ == "__main__":
    main()
