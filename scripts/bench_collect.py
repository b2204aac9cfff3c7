"""Many runs, few files: write N short `teaching` runs in batch mode and collect them; print the figures.

    python scripts/bench_collect.py                     # 10,000 runs of 1 year on 2 worker processes
    python scripts/bench_collect.py --runs 1000 --upconv-runs 0
    make bench-collect ARGS="--runs 2000"

1. Write: N runs (``scenario=teaching years=1``, seeds 0..N-1) on ``--workers`` processes, each run
   written by the same code an ``upconv -m --runs-per-file`` job uses (``simulation.run.batches``:
   staged, merged into one Parquet file per chunk). The config is composed and checked once and
   only the seed changes, so this times the models and the writing, not Hydra.
2. Collect: ``upconv-collect SWEEP`` (the real command, Python start-up included) and
   ``collect()`` in this process.
3. Files: every file under the sweep folder, per 100 runs.
4. Hydra's share: ``--upconv-runs M`` runs of the same sweep through ``upconv -m --runs-per-file``
   with joblib, to show what composing and checking every job adds to a short run.

Targets (issue #17): collect 10,000 runs in at most 30 s; at most one file per 100 runs. This is a
benchmark, not a test: it prints figures and never fails on them.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import multiprocessing
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BIN = Path(sys.executable).parent
OVERRIDES = ["scenario=teaching", "years=1"]


def _write(args: tuple[str, int, int, int]) -> int:
    """One run, written as an upconv batch-mode job writes it."""
    from simulation.run import batches
    from simulation.run.runner import simulate, timeseries
    from simulation.run.sweeps import model_config

    sweep, num, per_file, total = args
    logging.getLogger("MESA").setLevel(logging.WARNING)
    base = _base.get("cfg")
    if base is None:
        base = _base["cfg"] = model_config(OVERRIDES)
    cfg = dataclasses.replace(base, seed=num)
    model = simulate(cfg)
    config = {"scenario": cfg.scenario, "strategy": {"name": cfg.strategy.name.value}, "seed": num}
    batches.write_job(Path(sweep), num, per_file, total, {"timeseries": timeseries(model)}, config,
                      [*OVERRIDES, f"seed={num}"], cfg)
    return num


_base: dict = {}


def write(sweep: Path, runs: int, per_file: int, workers: int) -> float:
    from simulation.run import batches

    sweep.mkdir(parents=True, exist_ok=True)
    jobs = [(str(sweep), n, per_file, runs) for n in range(runs)]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for _ in pool.map(_write, jobs, chunksize=20):
            pass
    batches.finish(sweep, per_file, runs)
    return time.perf_counter() - start


def through_upconv(folder: Path, runs: int, per_file: int, workers: int) -> float:
    start = time.perf_counter()
    res = subprocess.run([str(BIN / "upconv"), "-m", "--runs-per-file", str(per_file), *OVERRIDES,
                          f"seed=range(0,{runs})", "hydra/launcher=joblib", f"hydra.launcher.n_jobs={workers}",
                          f"hydra.sweep.dir={folder}"], capture_output=True, text=True, cwd=folder.parent)
    if res.returncode != 0:
        print(res.stderr[-2000:], file=sys.stderr)
        raise SystemExit(1)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=10_000, help="runs to write and collect (default 10,000)")
    p.add_argument("--per-file", type=int, default=250, help="runs per Parquet file (default 250)")
    p.add_argument("--workers", type=int, default=2, help="worker processes writing runs (default 2)")
    p.add_argument("--upconv-runs", type=int, default=200,
                   help="runs of the same sweep through upconv -m --runs-per-file with joblib (0: skip)")
    p.add_argument("--dir", type=Path, default=None, help="keep the sweep here (default: a temporary folder, deleted)")
    args = p.parse_args(argv)

    from simulation.run.batches import count_files
    from simulation.run.collect import collect

    base = args.dir or Path(tempfile.mkdtemp(prefix="bench-collect-"))
    sweep = base / "sweep"
    try:
        print(f"bench_collect: {args.runs:,} runs of {' '.join(OVERRIDES)}, {args.per_file} runs per file, "
              f"{args.workers} worker processes")
        print(f"machine: {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d %H:%M')}")
        wrote = write(sweep, args.runs, args.per_file, args.workers)
        n_files = count_files(sweep)
        size = sum(p.stat().st_size for p in sweep.rglob("*") if p.is_file())
        start = time.perf_counter()
        res = subprocess.run([str(BIN / "upconv-collect"), str(sweep), "--quiet", "--allow-missing",
                              "-o", str(base / "collected.parquet")], capture_output=True, text=True)
        command = time.perf_counter() - start
        if res.returncode != 0:
            print(res.stderr[-2000:], file=sys.stderr)
            raise SystemExit(1)
        start = time.perf_counter()
        df = collect(sweep, progress=False)
        in_process = time.perf_counter() - start
        rows = [
            ("write", f"{wrote:.1f} s", f"{1000 * wrote / args.runs:.1f} ms per run on {args.workers} workers"),
            ("collect (upconv-collect)", f"{command:.1f} s", "target <= 30 s, Python start-up included"),
            ("collect (collect() in Python)", f"{in_process:.1f} s",
             f"{len(df):,} rows x {df.shape[1]} columns, {df.job.nunique():,} runs"),
            ("files", f"{n_files}", f"{100 * n_files / args.runs:.2f} per 100 runs (target <= 1), {size / 1e6:.1f} MB"),
        ]
        if args.upconv_runs:
            took = through_upconv(base / "upconv", args.upconv_runs, args.per_file, args.workers)
            rows.append((f"upconv -m, {args.upconv_runs} runs", f"{took:.1f} s",
                         f"{1000 * took / args.upconv_runs:.0f} ms per run with joblib "
                         f"(composing and checking each job's config included)"))
        width = max(len(r[0]) for r in rows)
        for name, value, note in rows:
            print(f"  {name:<{width}}  {value:>9}  {note}")
    finally:
        if args.dir is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
