"""Growing the Top pilot: trio schools vs matched non-participants.

Runs the preset conf/experiment/growing_the_top_pilot.yaml - 20 seeds x 8 years of the `growing_the_top_pilot` scenario with school panels (20 runs) - as
`upconv -m +experiment=growing_the_top_pilot hydra/launcher=joblib`, then the analysis of
experiments/growing_the_top_pilot/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/:
pilot.png and report.md (balance before, differences and difference-in-differences after 1, 3 and 5 years).

    python -m experiments.growing_the_top_pilot                                  # the whole design, all local cores
    python -m experiments.growing_the_top_pilot scenario=teaching 'seed=range(0,2)' years=3   # a tiny version
    python -m experiments.growing_the_top_pilot --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.growing_the_top_pilot --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=growing_the_top_pilot ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.growing_the_top_pilot import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("growing_the_top_pilot", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
