"""London Challenge: upwards convergence vs the status quo.

Runs the preset conf/experiment/london_challenge.yaml - status_quo and upwards_convergence x 20 seeds x 30 years on the `london_challenge` scenario (40 runs) - as
`upconv -m +experiment=london_challenge hydra/launcher=joblib`, then the analysis of
experiments/london_challenge/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/:
london_chart.png (% outstanding, % special measures, % of outstanding supporting), fans.png, convergence.png and report.md.

    python -m experiments.london_challenge                                  # the whole design, all local cores
    python -m experiments.london_challenge scenario=teaching 'seed=range(0,2)' years=3   # a tiny version
    python -m experiments.london_challenge --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.london_challenge --analyse-only [--sweep-dir DIR] # analyse an existing sweep (default: newest)
    make experiment NAME=london_challenge ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.london_challenge import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("london_challenge", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
