"""Brokering: how partnerships are formed.

Runs the preset conf/experiment/brokering.yaml - none / self_selected / data_informed / school_improvement_groups x 20 seeds x 30 years, `central_south_wales`, upwards convergence (80 runs) - as
`upconv -m +experiment=brokering hydra/launcher=joblib`, then the analysis of
experiments/brokering/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/:
fans.png, partnerships.png, convergence.png and report.md (paired differences against no brokering).

    python -m experiments.brokering                                  # the whole design, all local cores
    python -m experiments.brokering scenario=teaching 'seed=range(0,2)' years=3   # a tiny version
    python -m experiments.brokering --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.brokering --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=brokering ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.brokering import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("brokering", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
