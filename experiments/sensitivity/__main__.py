"""Sensitivity: Morris screening (SALib) of 16 mechanism parameters against the upwards-convergence index.

Composes the base configuration of conf/experiment/sensitivity.yaml (upwards convergence,
regional scenario, 30 years) with the OVERRIDEs, runs every point of a Morris design for
--seeds seeds on all cores (simulation.run.sweeps.run_morris), writes morris.parquet and
problem.json into RUN_DIR (default outputs/experiments/sensitivity/DATE_TIME), then the
analysis (experiments/sensitivity/analyse.py) writes ranking.png, morris.png and report.md
into RUN_DIR/analysis/. Default design: 10 trajectories x 17 points x 2 seeds = 340 runs
(about 3 minutes on 2 cores).

    python -m experiments.sensitivity                                   # the whole design
    python -m experiments.sensitivity --trajectories 2 --seeds 1 scenario=teaching years=2   # a tiny one
    python -m experiments.sensitivity --analyse-only [--sweep-dir RUN_DIR] # analyse existing runs (default: newest)
    make experiment NAME=sensitivity ARGS="..."                         # the same through make
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.sensitivity import analyse
from experiments.sensitivity.run import run_screening
from simulation.run.sweeps import EXPERIMENTS_DIR, latest_sweep


def main(argv: list[str] | None = None) -> list[Path]:
    p = argparse.ArgumentParser(prog="python -m experiments.sensitivity", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("overrides", nargs="*", metavar="OVERRIDE",
                   help="Hydra-style overrides of the base config (+experiment=sensitivity), e.g. scenario=teaching "
                        "years=5")
    p.add_argument("--trajectories", type=int, default=10, help="Morris trajectories (default 10)")
    p.add_argument("--levels", type=int, default=4, help="levels of the Morris grid (default 4)")
    p.add_argument("--seeds", type=int, default=2,
                   help="model seeds run at every point, the same at each (default 2)")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--sweep-dir", type=Path, default=None, metavar="RUN_DIR",
                   help=f"where morris.parquet and problem.json go (default: a new "
                        f"{EXPERIMENTS_DIR}/sensitivity/DATE_TIME); with --analyse-only, the runs to analyse")
    p.add_argument("--analyse-only", action="store_true",
                   help="skip the runs and only analyse RUN_DIR (default: the newest under "
                        f"{EXPERIMENTS_DIR}/sensitivity/)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="where the figures and report.md go (default: RUN_DIR/analysis)")
    args = p.parse_intermixed_args(argv)
    if args.analyse_only:
        run_dir = args.sweep_dir or latest_sweep("sensitivity")
    else:
        run_dir = run_screening(args.overrides, args.trajectories, args.levels, args.seeds, args.workers,
                                args.sweep_dir)
    paths = analyse.main([str(run_dir), *(["--out", str(args.out)] if args.out else [])])
    print(f"analysis of {run_dir}: " + ", ".join(str(p) for p in paths))
    return paths


if __name__ == "__main__":
    main()
