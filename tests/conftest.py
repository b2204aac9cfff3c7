"""Shared fixtures for the mechanism tests: small, seeded SchoolSystem models."""

from __future__ import annotations

import pytest

from simulation import SchoolSystem


@pytest.fixture
def small_model():
    """Factory: ``small_model(strategy="status_quo", seed=0, scenario="teaching", **overrides)``.

    The teaching scenario (40 schools, ~1,000 posts) keeps every test fast; pass overrides
    such as ``n_schools=400`` where a statistical test needs more units.
    """

    def build(strategy: str = "status_quo", seed: int = 0, scenario: str = "teaching", **overrides) -> SchoolSystem:
        return SchoolSystem(scenario=scenario, strategy=strategy, rng=seed, **overrides)

    return build
