"""Sensitivity: run the Morris screening (SALib) of the mechanism parameters.

    python experiments/sensitivity/run.py [--trajectories 10] [--seeds 2] [OVERRIDE ...]
    python experiments/sensitivity/analyse.py

Composes the base configuration as ``upconv +experiment=sensitivity OVERRIDE ...`` would
(upwards convergence, regional scenario, 30 years; e.g. ``scenario=teaching years=5`` for a
quick look), samples a Morris design over ``simulation.run.sweeps.MORRIS_PARAMETERS``, and runs
every point for ``--seeds`` seeds (the same seeds at every point) in a process pool on all
cores. Writes ``morris.parquet`` (one row per point x seed: parameter values, index and its
components) and ``problem.json`` into outputs/experiments/sensitivity/<date_time>/ (or --out).
Runs: trajectories x (parameters + 1) x seeds = 10 x 17 x 2 = 340 by default (about 3 minutes
on 2 cores).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from simulation.run.sweeps import EXPERIMENTS_DIR, run_morris


def main(argv=None) -> Path:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("overrides", nargs="*", help="Hydra-style overrides of the base config, e.g. scenario=teaching")
    p.add_argument("--trajectories", type=int, default=10)
    p.add_argument("--levels", type=int, default=4)
    p.add_argument("--seeds", type=int, default=2)
    p.add_argument("--workers", type=int, default=None)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args(argv)
    out = args.out or EXPERIMENTS_DIR / "sensitivity" / time.strftime("%Y-%m-%d_%H-%M-%S")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    overrides = ["+experiment=sensitivity", *args.overrides]
    problem, runs = run_morris(overrides, args.trajectories, args.levels, args.seeds, args.workers)
    runs.to_parquet(out / "morris.parquet", index=False)
    (out / "problem.json").write_text(json.dumps({**problem, "overrides": overrides, "seeds": args.seeds}, indent=2))
    print(f"{len(runs)} runs in {time.time() - t0:.0f} s -> {out}")
    return out


if __name__ == "__main__":
    main()
