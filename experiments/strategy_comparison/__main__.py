"""Strategy comparison at equal cost.

Runs the preset conf/experiment/strategy_comparison.yaml - the four strategies x 20 seeds x 30 years on the `regional` scenario (80 runs, about 2 minutes on 2 cores) - as
`upconv -m +experiment=strategy_comparison hydra/launcher=joblib`, then the analysis of
experiments/strategy_comparison/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/:
fans.png, grades.png, convergence.png and report.md (final-year medians, the upwards-convergence index, paired differences).

    python -m experiments.strategy_comparison                                  # the whole design, all local cores
    python -m experiments.strategy_comparison scenario=teaching 'seed=range(0,2)' years=3   # a tiny version
    python -m experiments.strategy_comparison --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.strategy_comparison --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=strategy_comparison ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.strategy_comparison import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("strategy_comparison", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
