"""Out-of-sample check: the London Challenge region under upwards convergence vs the status quo.

Runs the london_challenge scenario (400 secondary schools from 2002) under both strategies on
the same seeds (3000 on; never used by the calibration) with the defaults in force, and writes
docs/validation.md, docs/figures/validation_london.png and outputs/validation/timeseries.parquet.
Well under a minute on 2 cores.

    python -m experiments.validation [--seeds 20] [--years 20] [--params FILE] [--workers 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from experiments.validation.run import Settings, validate


def main(argv: list[str] | None = None) -> Path:
    d = Settings()
    p = argparse.ArgumentParser(prog="python -m experiments.validation", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=d.seeds, help=f"paired seeds per strategy (default {d.seeds})")
    p.add_argument("--years", type=int, default=d.years, help=f"years simulated from 2002 (default {d.years})")
    p.add_argument("--params", type=Path, default=None, metavar="FILE",
                   help='JSON overrides {"parameters": {"dotted.key": value}} (as experiments/calibration/'
                        "calibrated.json) applied on top of the defaults, to preview the check")
    p.add_argument("--workers", type=int, default=d.workers, help=f"worker processes (default {d.workers})")
    p.add_argument("--docs", type=Path, default=d.docs,
                   help="folder of validation.md and figures/ (default docs)")
    p.add_argument("--out", type=Path, default=d.out,
                   help="folder of the raw timeseries.parquet (default outputs/validation)")
    argv = sys.argv[1:] if argv is None else argv
    report = validate(Settings(**vars(p.parse_args(argv)),
                               cmd=" ".join(a if " " not in a else repr(a) for a in argv)))
    print(report.read_text())
    return report


if __name__ == "__main__":
    main()
