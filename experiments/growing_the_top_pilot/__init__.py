"""Growing the Top pilot: trio schools vs matched non-participants (conf/experiment/growing_the_top_pilot.yaml + analyse.py); run it with
``python -m experiments.growing_the_top_pilot``."""
