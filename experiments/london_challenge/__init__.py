"""London Challenge: upwards convergence vs the status quo (conf/experiment/london_challenge.yaml + analyse.py); run it with
``python -m experiments.london_challenge``."""
