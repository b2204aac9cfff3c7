"""Calibration of the uncertain mechanism parameters to England's public figures (model brief s.4).

A seeded optuna TPE search over the free parameters of experiments/calibration/fit.py, the best
trials re-run on fresh seeds, a parsimony pass that keeps a parameter at its default unless the
figures demand a change, then the report: docs/calibration.md, docs/figures/calibration_*.png,
experiments/calibration/calibrated.json and outputs/calibration/trials.csv. About 10 minutes on
2 idle cores; needs optuna (pip install -e ".[calibration]").

--check instead re-checks the defaults in force against the targets on the report's seeds (a
few seconds, no optuna): the sign to re-run the calibration is a loss well above the report's.

    python -m experiments.calibration [--trials 300] [--workers 2]
    python -m experiments.calibration --check [--report-seeds 20] [--workers 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.calibration.check import check_defaults
from experiments.calibration.run import Settings, calibrate


def main(argv: list[str] | None = None):
    d = Settings()
    p = argparse.ArgumentParser(prog="python -m experiments.calibration", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--check", action="store_true",
                   help="only re-check the defaults in force on the report seeds (2000 on) and print the loss")
    p.add_argument("--trials", type=int, default=d.trials, help=f"TPE trials (default {d.trials})")
    p.add_argument("--seed", type=int, default=d.seed, help=f"seed of the TPE sampler (default {d.seed})")
    p.add_argument("--national-seeds", type=int, default=d.national_seeds,
                   help=f"national-sample model seeds per trial (default {d.national_seeds})")
    p.add_argument("--london-seeds", type=int, default=d.london_seeds,
                   help=f"London model seeds per trial (default {d.london_seeds})")
    p.add_argument("--top", type=int, default=d.top, help=f"best trials re-run on fresh seeds (default {d.top})")
    p.add_argument("--check-seeds", type=int, default=d.check_seeds,
                   help=f"fresh seeds (1000 on) of the selection and parsimony passes (default {d.check_seeds})")
    p.add_argument("--report-seeds", type=int, default=d.report_seeds,
                   help=f"seeds (2000 on) of the report and of --check (default {d.report_seeds})")
    p.add_argument("--start-seeds", type=int, default=d.start_seeds,
                   help=f"seeds of the start-of-run check (default {d.start_seeds})")
    p.add_argument("--workers", type=int, default=d.workers, help=f"worker processes (default {d.workers})")
    p.add_argument("--out", type=Path, default=d.out, help="folder of trials.csv (default outputs/calibration)")
    p.add_argument("--docs", type=Path, default=d.docs,
                   help="folder of calibration.md and figures/ (default docs)")
    p.add_argument("--params-out", type=Path, default=d.params_out,
                   help="the calibrated values as JSON (default experiments/calibration/calibrated.json)")
    args = vars(p.parse_args(argv))
    if args.pop("check"):
        return check_defaults(args["report_seeds"], args["workers"])
    return calibrate(Settings(**args))


if __name__ == "__main__":
    main()
