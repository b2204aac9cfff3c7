"""Re-check the defaults in force against the calibration targets, on the report seeds.

    python experiments/calibration/check.py [--seeds 20] [--workers 2]

Runs both calibration settings (national sample and London, see docs/calibration.md) with
the schema defaults, on the seeds the calibration report used (2000 on), and prints each
target, the simulated value, its standardised distance and the loss, next to the values of
the report (``calibrated.json``). Use it after a change to the model: a fit that moved is
the sign that the calibration needs re-running. Needs no optuna.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fit  # noqa: E402  (this folder's module, as run.py uses it)


def main(argv: list[str] | None = None) -> float:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=20)
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    seeds = range(2000, 2000 + args.seeds)
    with ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(pool.map(fit.simulate, fit.jobs({}, seeds, seeds)))
    values = fit.summarise(results)
    z = fit.distances(values)
    report = json.loads((HERE / "calibrated.json").read_text())
    print(f"Defaults in force, seeds 2000-{1999 + args.seeds} of both settings\n")
    print("| target | England | defaults now | z | report (calibrated) | z |")
    print("|---|---|---|---|---|---|")
    for t in fit.TARGETS:
        then = report["targets"][t.name]
        print(f"| `{t.name}` | {t.value:.1%} | {values[t.name]:.1%} | {z[t.name]:+.2f} | {then['calibrated']:.1%} | "
              f"{then['z']:+.2f} |")
    loss = fit.loss(values)
    print(f"\nLoss (sum of z²): defaults now {loss:.1f}; report {report['loss_calibrated']:.1f}")
    return loss


if __name__ == "__main__":
    main()
