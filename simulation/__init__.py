"""Upwards convergence in school systems: an agent-based model (Mesa).

    from simulation import SchoolSystem
    model = SchoolSystem(scenario="teaching", strategy="upwards_convergence", rng=0)
    model.run_years(30)
    model.metrics()
"""

from simulation.model import SchoolSystem
from simulation.params.loading import load_config
from simulation.params.schema import ConfigError, ModelConfig

__all__ = ["SchoolSystem", "ModelConfig", "ConfigError", "load_config"]
__version__ = "0.4.0"  # the one place the version is written (pyproject.toml reads it)
