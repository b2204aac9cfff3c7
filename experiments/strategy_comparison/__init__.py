"""Strategy comparison at equal cost (conf/experiment/strategy_comparison.yaml + analyse.py); run it with
``python -m experiments.strategy_comparison``."""
