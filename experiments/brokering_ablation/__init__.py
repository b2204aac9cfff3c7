"""Brokering ablation: which lever of brokering lifts the weakest schools (conf/experiment/brokering_ablation.yaml +
analyse.py); run it with ``python -m experiments.brokering_ablation``."""
