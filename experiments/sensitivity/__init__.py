"""Sensitivity: Morris screening (SALib) of the mechanism parameters against the
upwards-convergence index (run.py: the runs; analyse.py: the measures, figures and report); run
it with ``python -m experiments.sensitivity``."""
