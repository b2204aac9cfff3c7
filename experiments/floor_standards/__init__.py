"""Floor standards: a flat floor vs rising floor schedules (conf/experiment/floor_standards.yaml + analyse.py); run it with
``python -m experiments.floor_standards``."""
