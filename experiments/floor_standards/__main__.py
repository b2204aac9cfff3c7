"""Floor standards: a flat floor vs rising floor schedules.

Runs the preset conf/experiment/floor_standards.yaml - flat 25% vs 25->40% by 2012 vs 25->50% by 2014 x status quo
and upwards convergence x 20 seeds x 30 years, `london_challenge` (120 runs) - as
`upconv -m +experiment=floor_standards hydra/launcher=joblib`, then the analysis of
experiments/floor_standards/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/:
floor.png, outcomes.png, fans.png, convergence.png and report.md (both outcome measures, the
disadvantage gap, turnover, academies and cost, each schedule against the flat floor).

    python -m experiments.floor_standards                                  # the whole design, all local cores
    python -m experiments.floor_standards scenario=teaching 'seed=range(0,2)' years=3   # a tiny version
    python -m experiments.floor_standards --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.floor_standards --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=floor_standards ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.floor_standards import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("floor_standards", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
