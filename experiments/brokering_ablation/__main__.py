"""Brokering ablation (pattern 7): which lever of brokering lifts the weakest schools.

Runs the preset conf/experiment/brokering_ablation.yaml - the five arms of conf/brokering_levers/ (none,
matching only, facilitation only, monitoring only, all three) x 20 seeds x 10 years, `regional`, the whole
budget on support from strong schools (100 runs) - as `upconv -m +experiment=brokering_ablation
hydra/launcher=joblib`, then experiments/brokering_ablation/analyse.py on the sweep, which writes into
SWEEP_DIR/analysis/: weakest.png, fans.png, convergence.png and report.md (paired differences against 'none').

    python -m experiments.brokering_ablation                                  # the whole design, all local cores
    python -m experiments.brokering_ablation scenario=teaching 'seed=range(0,2)' years=2   # a tiny version
    python -m experiments.brokering_ablation --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.brokering_ablation --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=brokering_ablation ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.brokering_ablation import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("brokering_ablation", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
