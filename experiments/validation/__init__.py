"""Out-of-sample check: the London Challenge region under upwards convergence vs the status quo
(run.py); run it with ``python -m experiments.validation``."""
