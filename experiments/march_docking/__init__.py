"""Docking with March (1991), exploration and exploitation: Figure 1 reproduced (run.py); run it
with ``python -m experiments.march_docking``."""
