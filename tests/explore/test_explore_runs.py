"""A study's runs (simulation.explore.runs): the lean run gives the same outcomes as a full one."""

from __future__ import annotations

import pytest

from simulation.explore.runs import run_outcomes, summarise
from simulation.explore.sampling import with_values
from simulation.model import SchoolSystem
from simulation.params.loading import load_config
from simulation.run.runner import timeseries


@pytest.mark.parametrize("strategy", ["status_quo", "upwards_convergence"])
def test_a_study_run_without_per_term_metrics_has_the_outcomes_of_its_full_timeseries(strategy):
    cfg = with_values(load_config("teaching", strategy, seed=0, years=4), {"partnership.transfer_rate": 1.1})
    cfg.seed = 3
    lean = run_outcomes(cfg)
    full = SchoolSystem(config=cfg, rng=cfg.seed, create_staff_agents=False)
    full.run_years(cfg.years)
    assert lean == summarise(timeseries(full))  # exactly: the metrics are observation only


def test_a_lean_run_refuses_to_pretend_it_kept_metrics():
    model = SchoolSystem(scenario="teaching", rng=0, record_terms=False)
    model.run_years(1)
    assert len(model.term_staff_days) == model.cfg.steps_per_year
    with pytest.raises(RuntimeError, match="record_terms=False"):
        model.metrics()
