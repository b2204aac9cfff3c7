"""The research questions run on the model, one subpackage each, all run the same way from the
repository root:

    python -m experiments.NAME [OPTIONS]          # or: make experiment NAME=... ARGS="..."
    python -m experiments.NAME --help             # what each option does

Experiments with a Hydra preset (``conf/experiment/NAME.yaml``: strategy_comparison,
london_challenge, floor_standards, brokering, growing_the_top_pilot) launch the preset's sweep
through ``upconv -m +experiment=NAME`` (``experiments.sweep``) and then run the analysis of
``experiments/NAME/analyse.py`` on it. The others (sensitivity, calibration, validation,
patterns, march_docking) run their own design through the project's runners and then write
their report. Shared pieces: ``experiments.sweep`` (preset sweep + analysis entry point) and
``experiments.parallel`` (one process pool, joblib's, for the experiments that map a function
over jobs). See docs/experiments.md.
"""
