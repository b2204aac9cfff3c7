"""Docking with March (1991): reproduce Figure 1 with simulation.docking.march1991.

Equilibrium code knowledge over p1 in 0.1..0.9 and p2 in {0.1, 0.5, 0.9} (m = 30, n = 50),
written to --out as figure1.csv, figure1.png and report.md (the table, monotonicity checks and a
comparison with the shape March describes).

    python -m experiments.march_docking [--runs 80] [--out outputs/march_docking] [--seed 1991] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from experiments.march_docking.run import dock


def main(argv: list[str] | None = None) -> Path:
    p = argparse.ArgumentParser(prog="python -m experiments.march_docking", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=80, help="runs per (p1, p2) point (>= 80 for the paper; default 80)")
    p.add_argument("--out", type=Path, default=Path("outputs/march_docking"),
                   help="output directory (default outputs/march_docking)")
    p.add_argument("--seed", type=int, default=1991, help="master seed (default 1991)")
    p.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1),
                   help="worker processes (default: 2, or 1 on a single core)")
    args = p.parse_args(argv)
    return dock(args.runs, args.out, args.seed, args.workers)


if __name__ == "__main__":
    main()
