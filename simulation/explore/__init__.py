"""Robustness studies and the EMA Workbench adapter: how sure are we which strategy is best?

* ``upconv-robust`` (:mod:`simulation.explore.robust`): strategies across many parameter sets
  (a posterior sample file, or the plausible ranges of the uncertain parameters), with common
  random numbers and replicates; P(best), regret, differences, seed noise vs parameter
  uncertainty, and PRIM scenario discovery. Python API: :func:`simulation.explore.robust.study`.
* :mod:`simulation.explore.ema`: the model as an EMA Workbench ``Model`` / ``ReplicatorModel``.

See docs/robustness.md.
"""
