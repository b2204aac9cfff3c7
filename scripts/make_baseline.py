"""Record the reference distributions that tests/test_optimisation.py compares against.

    python scripts/make_baseline.py   # writes tests/data/baseline_regional.csv

Run it only when the model's *behaviour* is meant to change (not for optimisations): the
test checks that a faster implementation still gives the same distributions over 30 seeds.
"""

from __future__ import annotations

from pathlib import Path

from simulation.run.compare import compare

COLUMNS = ["mean_attainment", "p10_attainment", "p90_attainment", "top_decile_attainment", "frontier",
           "share_outstanding", "share_outstanding_supporting", "mean_km_capacity", "n_partnerships"]
SEEDS, YEARS = 30, 15


def main() -> None:
    table = compare("regional", seeds=SEEDS, years=YEARS, workers=2)
    last = table[table.step == table.step.max()][["strategy", "seed", *COLUMNS]]
    out = Path(__file__).resolve().parent.parent / "tests" / "data" / "baseline_regional.csv"
    last.to_csv(out, index=False, float_format="%.6g")
    print(f"wrote {out} ({len(last)} runs)")


if __name__ == "__main__":
    main()
