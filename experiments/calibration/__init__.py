"""Calibration to England's public figures (fit.py: targets, free parameters, loss; run.py: the
search and its report; check.py: the defaults in force against the targets); run it with
``python -m experiments.calibration``."""
