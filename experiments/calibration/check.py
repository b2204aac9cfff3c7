"""Re-check the defaults in force against the calibration targets, on the report seeds.

    python -m experiments.calibration --check [--report-seeds 20] [--workers 2]

Runs both calibration settings (national sample and London, see docs/calibration.md) with
the schema defaults, on the seeds the calibration report used (2000 on), and prints each
target, the simulated value, its standardised distance and the loss, next to the values of
the report (``calibrated.json``). Use it after a change to the model: a fit that moved is
the sign that the calibration needs re-running. Needs no optuna.
"""

from __future__ import annotations

import json
from pathlib import Path

from experiments.calibration import fit
from experiments.parallel import Pool

CALIBRATED = Path(__file__).resolve().parent / "calibrated.json"


def check_defaults(seeds: int = 20, workers: int | None = 2) -> float:
    """Print the defaults' fit on report seeds 2000.. (``seeds`` of them) next to the report's; return the loss."""
    seed_range = range(2000, 2000 + seeds)
    with Pool(workers) as pool:
        results = pool.map(fit.simulate, fit.jobs({}, seed_range, seed_range))
    values = fit.summarise(results)
    z = fit.distances(values)
    report = json.loads(CALIBRATED.read_text())
    print(f"Defaults in force, seeds 2000-{1999 + seeds} of both settings\n")
    print("| target | England | defaults now | z | report (calibrated) | z |")
    print("|---|---|---|---|---|---|")
    for t in fit.TARGETS:
        then = report["targets"][t.name]
        print(f"| `{t.name}` | {t.value:.1%} | {values[t.name]:.1%} | {z[t.name]:+.2f} | {then['calibrated']:.1%} | "
              f"{then['z']:+.2f} |")
    loss = fit.loss(values)
    print(f"\nLoss (sum of z²): defaults now {loss:.1f}; report {report['loss_calibrated']:.1f}")
    return loss
