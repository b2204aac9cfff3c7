"""Brokering: how partnerships are formed (conf/experiment/brokering.yaml + analyse.py); run it with
``python -m experiments.brokering``."""
