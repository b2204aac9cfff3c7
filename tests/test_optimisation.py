"""Optimisations must not change the model's results (issue: national scale).

Same seed gives identical values within one implementation (tests/test_model.py); across
implementations the random stream may legitimately change, so here the distributions over 30
seeds of the final-year metrics are compared with a recorded reference
(``scripts/make_baseline.py``): two-sample Kolmogorov-Smirnov test per strategy and metric,
Bonferroni-corrected at 1%.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import ks_2samp

from simulation.run.compare import compare

BASELINE = Path(__file__).parent / "data" / "baseline_regional.csv"
COLUMNS = ["mean_attainment", "p10_attainment", "p90_attainment", "top_decile_attainment", "frontier",
           "share_outstanding", "share_outstanding_supporting", "mean_km_capacity"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def current() -> pd.DataFrame:
    table = compare("regional", seeds=30, years=15, workers=2)
    return table[table.step == table.step.max()]


def test_distributions_match_the_reference(current):
    reference = pd.read_csv(BASELINE)
    tests = [(s, c) for s in reference.strategy.unique() for c in COLUMNS]
    alpha = 0.01 / len(tests)
    failures = []
    for strategy, column in tests:
        a = reference.loc[reference.strategy == strategy, column]
        b = current.loc[current.strategy == strategy, column]
        p = ks_2samp(a, b).pvalue
        if p < alpha:
            failures.append(f"{strategy}/{column}: reference mean {a.mean():.4f}, now {b.mean():.4f} (p={p:.1e})")
    assert not failures, "; ".join(failures)
