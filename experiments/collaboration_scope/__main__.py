"""Collaboration scope (pattern 9): does purely local collaboration entrench regional inequity?

Runs the preset conf/experiment/collaboration_scope.yaml - the four arms of conf/collaboration_scope/ (local
authority, region, national face to face, national with online) x the four strategies x 20 seeds x 30 years in
the cold_spots scenario (320 runs) - as `upconv -m +experiment=collaboration_scope hydra/launcher=joblib`, then
experiments/collaboration_scope/analyse.py on the sweep, which writes into SWEEP_DIR/analysis/: gaps.png,
finals.png and report.md (paired tests against the local arm).

    python -m experiments.collaboration_scope                                  # the whole design, all local cores
    python -m experiments.collaboration_scope scenario=teaching 'seed=range(0,2)' years=2   # a tiny version
    python -m experiments.collaboration_scope --sweep-dir DIR                  # into DIR; the same again resumes it
    python -m experiments.collaboration_scope --analyse-only [--sweep-dir DIR] # analyse an existing sweep
    make experiment NAME=collaboration_scope ARGS="..."                        # the same through make
"""

from __future__ import annotations

from experiments.collaboration_scope import analyse
from experiments.sweep import preset_main


def main(argv: list[str] | None = None):
    return preset_main("collaboration_scope", __doc__, analyse.main, argv)


if __name__ == "__main__":
    main()
