"""The EMA Workbench adapter: schema parameters become EMA uncertainties and levers with their
ranges, seeds reach the runs (a constant, or replications), outcomes come back as EMA expects,
and a run that raises - even a BaseException - is a failed run with its message, never a hang
(the MultiprocessingEvaluator test runs in a subprocess with a time limit)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from simulation.explore.ema import OUTCOMES, SHARES, Runner, ema_name, make_model
from simulation.explore.runs import run_outcomes
from simulation.explore.sampling import UNCERTAIN, DesignError
from simulation.params.loading import load_config
from simulation.strategies import STRATEGIES

ROOT = Path(__file__).resolve().parents[2]
TWO = {"partnership.transfer_rate": (1.0, 3.0), "staff.drift": (0.02, 0.04)}


def test_uncertainties_levers_constants_and_outcomes_follow_the_schema():
    model = make_model(scenario="teaching", years=2, levers=("strategy", "shares"))
    unc = {u.name: (u.lower_bound, u.upper_bound) for u in model.uncertainties}
    assert unc == {ema_name(k): pytest.approx(v[:2]) for k, v in UNCERTAIN.items()}
    levers = {lv.name: lv for lv in model.levers}
    assert [c.value for c in levers["strategy"].categories] == ["status_quo", "reducing_disparity", "growing_the_top",
                                                                  "upwards_convergence"]
    assert all((levers[f"share__{s}"].lower_bound, levers[f"share__{s}"].upper_bound) == (0, 1) for s in SHARES)
    assert [c.name for c in model.constants] == ["seed"]
    assert [o.name for o in model.outcomes] == [*OUTCOMES, "failed", "error"]


def test_bad_uncertainty_ranges_and_levers_are_refused():
    with pytest.raises(DesignError, match="staff.drift must stay between 0 and 1"):
        make_model(uncertainties={"staff.drift": (0.0, 2.0)})
    with pytest.raises(ValueError, match="levers must be among"):
        make_model(levers=("budget",))


def test_the_runner_is_the_model_with_those_values():
    runner = Runner("teaching", 2)
    got = runner(seed=3, strategy="reducing_disparity", partnership__transfer_rate=2.5)
    cfg = load_config("teaching", "reducing_disparity", seed=3, years=2, partnership__transfer_rate=2.5)
    want = run_outcomes(cfg)
    assert got["failed"] == 0 and got["error"] == ""
    assert {k: got[k] for k in OUTCOMES} == {k: want[k] for k in OUTCOMES}
    # budget-share weights are normalised onto the base strategy
    mixed = runner(seed=3, share__internal_coaching=1.0, share__school_support=1.0, share__external_networks=0.0,
                   share__innovation=0.0, share__low_leverage_cpd=0.0)
    cfg = load_config("teaching", "upwards_convergence", seed=3, years=2, strategy__internal_coaching=0.5,
                      strategy__school_support=0.5, strategy__external_networks=0.0, strategy__innovation=0.0,
                      strategy__low_leverage_cpd=0.0)
    assert mixed["uci"] == run_outcomes(cfg)["uci"]


class Exploding(Runner):
    """Fails on purpose: SystemExit (a BaseException) when the transfer rate is high."""

    def run(self, seed, strategy, values):
        if values.get("partnership__transfer_rate", 0) > 2.0:
            raise SystemExit("boom: transfer rate too high")
        return super().run(seed, strategy, values)


def test_sequential_evaluator_with_a_failing_run_and_a_constant_seed():
    from ema_workbench import SequentialEvaluator

    model = make_model(scenario="teaching", years=2, uncertainties=TWO, runner=Exploding("teaching", 2))
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=6, policies=2)
    assert len(experiments) == 12 and set(experiments.strategy.astype(str)) <= set(STRATEGIES)
    high = experiments.partnership__transfer_rate.to_numpy() > 2.0
    assert high.any() and (~high).any()
    np.testing.assert_array_equal(outcomes["failed"], high.astype(int))
    assert all("SystemExit: boom" in e for e in outcomes["error"][high])
    assert all(e == "" for e in outcomes["error"][~high])
    assert np.isnan(outcomes["uci"][high]).all() and np.isfinite(outcomes["uci"][~high]).all()


def test_replicator_model_runs_every_seed():
    from ema_workbench import SequentialEvaluator

    model = make_model(scenario="teaching", years=2, uncertainties=TWO, levers=(), replications=[0, 1, 2])
    with SequentialEvaluator(model) as evaluator:
        _, outcomes = evaluator.perform_experiments(scenarios=2)
    assert outcomes["uci"].shape == (2, 3) and outcomes["error"].shape == (2, 3)
    assert (outcomes["failed"] == 0).all()
    assert len(set(outcomes["uci"][0])) == 3  # three seeds, three different systems


def test_a_run_over_its_time_limit_is_a_failed_run():
    runner = Runner("teaching", 30, timeout=0.05)
    got = runner(seed=0)
    assert got["failed"] == 1 and "RunTimeout" in got["error"] and math.isnan(got["uci"])


SCRIPT = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {tests!r})
    from ema_workbench import MultiprocessingEvaluator
    from simulation.explore.ema import make_model
    from test_explore_ema import TWO, Exploding

    if __name__ == "__main__":
        model = make_model(scenario="teaching", years=2, uncertainties=TWO, levers=(), runner=Exploding("teaching", 2))
        with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
            experiments, outcomes = evaluator.perform_experiments(scenarios=8)
        print(json.dumps({{"rate": experiments.partnership__transfer_rate.tolist(),
                          "failed": outcomes["failed"].tolist(), "error": list(outcomes["error"]),
                          "uci": [None if u != u else u for u in outcomes["uci"].tolist()]}}))
""")


def test_multiprocessing_evaluator_reports_a_failed_run_instead_of_hanging(tmp_path):
    script = tmp_path / "ema_mp.py"
    script.write_text(SCRIPT.format(tests=str(Path(__file__).parent)))
    try:
        done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=240)
    except subprocess.TimeoutExpired:
        pytest.fail("the MultiprocessingEvaluator hung on a failing run (no answer within 240 s)")
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    high = [r > 2.0 for r in got["rate"]]
    assert any(high) and not all(high)
    assert got["failed"] == [int(h) for h in high]
    assert all(("SystemExit: boom" in e) == h for e, h in zip(got["error"], high))
    assert all((u is None) == h for u, h in zip(got["uci"], high))
