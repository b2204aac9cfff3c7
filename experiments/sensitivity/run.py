"""Sensitivity: the runs of the Morris screening (SALib) of the mechanism parameters.

Composes the base configuration as ``upconv +experiment=sensitivity OVERRIDE ...`` would
(upwards convergence, regional scenario, 30 years; e.g. ``scenario=teaching years=5`` for a
quick look), samples a Morris design over ``simulation.run.sweeps.MORRIS_PARAMETERS``, and runs
every point for ``seeds`` seeds (the same seeds at every point) with
``simulation.run.sweeps.run_morris`` (its process pool, all cores by default). Writes
``morris.parquet`` (one row per point x seed: parameter values, index and its components) and
``problem.json`` into outputs/experiments/sensitivity/<date_time>/ (or ``out``).
Runs: trajectories x (parameters + 1) x seeds = 10 x 17 x 2 = 340 by default (about 3 minutes
on 2 cores). Run it with ``python -m experiments.sensitivity``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path

from simulation.run.sweeps import EXPERIMENTS_DIR, run_morris


def run_screening(overrides: Sequence[str] = (), trajectories: int = 10, levels: int = 4, seeds: int = 2,
                  workers: int | None = None, out: Path | None = None) -> Path:
    """Run the Morris design; return the folder holding ``morris.parquet`` and ``problem.json``."""
    out = out or EXPERIMENTS_DIR / "sensitivity" / time.strftime("%Y-%m-%d_%H-%M-%S")
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    overrides = ["+experiment=sensitivity", *overrides]
    problem, runs = run_morris(overrides, trajectories, levels, seeds, workers)
    runs.to_parquet(out / "morris.parquet", index=False)
    (out / "problem.json").write_text(json.dumps({**problem, "overrides": overrides, "seeds": seeds}, indent=2))
    print(f"{len(runs)} runs in {time.time() - t0:.0f} s -> {out}")
    return out
