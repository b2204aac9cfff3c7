"""System metrics."""

from __future__ import annotations

import numpy as np

from simulation.measures.system import _weighted_sd


def test_weighted_sd_is_numpys_reliability_weighted_estimate():
    rng = np.random.default_rng(4)
    values, weights = rng.random(500), rng.integers(50, 2000, 500).astype(float)
    assert np.isclose(_weighted_sd(values, weights), np.sqrt(np.cov(values, aweights=weights)), rtol=1e-12)
    assert _weighted_sd(values[:1], weights[:1]) == 0.0


def test_the_model_reports_exactly_the_registered_metrics(small_model):
    from simulation.measures.registry import METRICS

    model = small_model()
    model.step()
    assert list(model.metrics().columns) == list(METRICS)
    assert all(m.unit and m.description for m in METRICS.values())
