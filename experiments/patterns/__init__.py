"""The eight patterns of the model brief measured over 20 seeds, with their numbers (run.py); run
it with ``python -m experiments.patterns``."""
