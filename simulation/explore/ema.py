"""The model for EMA Workbench (ema-workbench 3.0): make_model builds an EMA Model (one run per
experiment) or ReplicatorModel (one run per replicate seed).

* **Uncertainties**: schema parameters with their ranges - by default the uncertain parameters of
  :data:`simulation.explore.sampling.UNCERTAIN` with their plausible ranges, or any numeric
  parameter with a range inside the schema's (checked). EMA names must be Python identifiers, so a
  dotted key is written with ``__``: ``partnership.transfer_rate`` -> ``partnership__transfer_rate``.
* **Levers**: ``strategy`` (a ``CategoricalParameter`` over the registered strategies) and/or the
  five budget shares as weights ``share__internal_coaching``, ``share__school_support``,
  ``share__external_networks``, ``share__innovation``, ``share__low_leverage_cpd`` (each 0-1;
  normalised to shares summing to 1, on the base strategy ``base_strategy`` or the ``strategy`` lever).
* **Seeds**: EMA's ``Model`` has no seed slot. With ``replications=None`` the seed is a
  ``Constant`` (``seed``, default 0): every experiment starts from the same drawn system (common
  random numbers). With ``replications=R`` (or a list of seeds) the model is a ``ReplicatorModel``
  that runs seeds 0..R-1 (or the list) for every experiment; its outcomes are ``ArrayOutcome``s with
  one value per seed.
* **Outcomes**: ``uci`` (upwards-convergence index, points), ``mean_attainment`` (final-year share
  of pupils at the benchmark, 0-1), ``mean_score`` (final-year mean pupil score, pupil SD),
  ``spread`` (final-year P90 - P10 of schools' attainment, 0-1), ``total_staff_days`` (budget plus
  own staff days over the run), and ``failed`` (1 for a failed run) and ``error`` (its message,
  "" when it ran).
* **Failures**: any error inside a run - including ``BaseException``s such as ``SystemExit``, which
  would otherwise kill a ``MultiprocessingEvaluator`` worker and leave EMA waiting forever - comes
  back as a failed run (``failed`` = 1, NaN outcomes, the message in ``error``). ``timeout``
  (seconds) turns a run that takes too long into a failed run too.

Example::

    from ema_workbench import MultiprocessingEvaluator, Samplers
    from simulation.explore.ema import make_model

    model = make_model(scenario="regional", years=20, replications=3)
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=50, policies=4,
                                                              uncertainty_sampling=Samplers.LHS)
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import signal
import threading
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from simulation.explore.runs import run_outcomes
from simulation.explore.sampling import check_ranges, default_ranges, schema_field, with_values
from simulation.params.loading import load_config
from simulation.strategies import STRATEGIES

OUTCOMES = ("uci", "mean_attainment", "mean_score", "spread", "total_staff_days")
KINDS = {"uci": 1, "mean_attainment": 1, "mean_score": 1, "spread": -1, "total_staff_days": -1}  # EMA MAXIMIZE / MINIMIZE
SHARES = ("internal_coaching", "school_support", "external_networks", "innovation", "low_leverage_cpd")
LEVER_KINDS = ("strategy", "shares")


def ema_name(key: str) -> str:
    """EMA's name of a dotted schema key (Python identifiers only): ``a.b`` -> ``a__b``."""
    return key.replace(".", "__")


def schema_key(name: str) -> str:
    return name.replace("__", ".")


class RunTimeout(Exception):
    """A run took longer than the adapter's ``timeout``."""


class Runner:
    """The function EMA calls for one run: keyword arguments are the uncertainties (``a__b``
    names), the levers (``strategy``, ``share__*``) and ``seed``; returns the outcomes. Every
    error becomes a failed run (``failed`` 1, ``error`` its message); nothing propagates, so a
    worker never dies with an experiment unanswered."""

    def __init__(self, scenario: str = "teaching", years: int = 30, base_strategy: str = "upwards_convergence",
                 overrides: Mapping[str, Any] | None = None, timeout: float | None = None):
        self.scenario, self.years, self.base_strategy, self.timeout = scenario, int(years), base_strategy, timeout
        self.overrides = dict(overrides or {})
        self.bases = {s: load_config(scenario, s, seed=0, years=years, **self.overrides) for s in STRATEGIES}

    def __call__(self, seed: int = 0, strategy: str | None = None, **values: Any) -> dict[str, Any]:
        try:
            with _time_limit(self.timeout):
                out = self.run(int(seed), strategy, values)
            return {**{k: out[k] for k in OUTCOMES}, "failed": 0, "error": ""}
        except BaseException as exc:  # noqa: BLE001 - a run's failure is its result, never a dead worker
            if isinstance(exc, KeyboardInterrupt) and multiprocessing.parent_process() is None:
                raise  # Ctrl-C in the main process (SequentialEvaluator) still stops the study
            logging.getLogger(__name__).warning("run failed: %s: %s", type(exc).__name__, exc)
            return {**{k: math.nan for k in OUTCOMES}, "failed": 1, "error": f"{type(exc).__name__}: {exc}"}

    def run(self, seed: int, strategy: str | None, values: dict[str, Any]) -> dict[str, float]:
        """One model run (errors propagate; :meth:`__call__` catches them)."""
        base = self.bases[strategy or self.base_strategy]
        weights = {lever: float(values.pop(f"share__{lever}")) for lever in SHARES if f"share__{lever}" in values}
        params = {schema_key(k): v for k, v in values.items()}
        if weights:
            total = sum(weights.values())
            if not total > 0:
                raise ValueError(f"the budget-share weights must not all be 0; got {weights}")
            full = {lever: float(getattr(base.strategy, lever)) for lever in SHARES}
            full.update(weights)
            total = sum(full.values())
            params.update({f"strategy.{lever}": w / total for lever, w in full.items()})
        cfg = with_values(base, params)
        cfg.seed = seed
        return run_outcomes(cfg)


class _time_limit:
    """SIGALRM after ``seconds`` (main thread of a POSIX process only; otherwise no limit)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.armed = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()

    def __enter__(self):
        if self.armed:
            def _raise(signum, frame):
                raise RunTimeout(f"the run took longer than timeout={self.seconds} s")
            self.previous = signal.signal(signal.SIGALRM, _raise)
            signal.setitimer(signal.ITIMER_REAL, float(self.seconds))
        return self

    def __exit__(self, *exc):
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)
        return False


def make_model(name: str = "upconv", scenario: str = "teaching", years: int = 30,
               uncertainties: Mapping[str, tuple[float, float]] | Sequence[str] | None = None,
               levers: Sequence[str] = ("strategy",), strategies: Sequence[str] | None = None,
               base_strategy: str = "upwards_convergence", replications: int | Sequence[int] | None = None,
               seed: int = 0, overrides: Mapping[str, Any] | None = None, timeout: float | None = None,
               runner: Runner | None = None):
    """An EMA Workbench model of the school system (see the module's docstring).

    ``uncertainties``: {dotted key: (low, high)}, or a list of keys of the documented plausible
    ranges, default all of them. ``levers``: any of ``"strategy"`` and ``"shares"``.
    ``replications``: None (``Model``, seed a Constant), a number R (``ReplicatorModel`` over seeds
    0..R-1) or a list of seeds. ``overrides``: fixed parameter values for every run (dotted keys).
    ``runner``: a :class:`Runner` to use instead of building one (for subclasses)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "ipyparallel not installed"
        from ema_workbench import (ArrayOutcome, CategoricalParameter, Constant, IntegerParameter, Model,
                                   RealParameter, ReplicatorModel, ScalarOutcome)

    if isinstance(uncertainties, Mapping):
        ranges = {k: (float(v[0]), float(v[1])) for k, v in uncertainties.items()}
    else:
        ranges = default_ranges(list(uncertainties) if uncertainties is not None else None)
    check_ranges(ranges, "uncertainties")
    bad = [lv for lv in levers if lv not in LEVER_KINDS]
    if bad:
        raise ValueError(f"levers must be among {', '.join(LEVER_KINDS)}; got {bad[0]!r}.")
    strategies = list(strategies or STRATEGIES)
    unknown = [s for s in [*strategies, base_strategy] if s not in STRATEGIES]
    if unknown:
        raise ValueError(f"strategies must be among {', '.join(STRATEGIES)}; got {unknown[0]!r}.")
    runner = runner or Runner(scenario, years, base_strategy, overrides)
    runner.timeout = timeout if timeout is not None else runner.timeout
    seeds = list(range(replications)) if isinstance(replications, int) else replications
    model = (Model(name, function=runner) if seeds is None else ReplicatorModel(name, function=runner))
    params = []
    for key, (lo, hi) in ranges.items():
        whole = isinstance(schema_field(key)[1], int)
        params.append(IntegerParameter(ema_name(key), int(lo), int(hi)) if whole else RealParameter(ema_name(key), lo, hi))
    model.uncertainties = params
    lever_list = []
    if "strategy" in levers:
        lever_list.append(CategoricalParameter("strategy", strategies))
    if "shares" in levers:
        lever_list += [RealParameter(f"share__{lever}", 0.0, 1.0) for lever in SHARES]
    model.levers = lever_list
    _forget_outcome_classes()
    if seeds is None:
        model.constants = [Constant("seed", int(seed))]
        model.outcomes = [*(ScalarOutcome(o, kind=KINDS[o]) for o in OUTCOMES), ScalarOutcome("failed"),
                          ArrayOutcome("error", shape=(), dtype=object)]
    else:
        model.replications = [{"seed": int(s)} for s in seeds]
        r = len(seeds)
        model.outcomes = [*(ArrayOutcome(o, shape=(r,), dtype=float) for o in OUTCOMES),
                          ArrayOutcome("failed", shape=(r,), dtype=float), ArrayOutcome("error", shape=(r,), dtype=object)]
    return model


def _forget_outcome_classes() -> None:
    """EMA keeps one process-wide register of outcome name -> class (for save_results) and refuses
    a name under a second class; ours are ScalarOutcomes in a Model and ArrayOutcomes in a
    ReplicatorModel, so the latest model built decides (save a model's results before building
    the other kind in the same process)."""
    from ema_workbench.em_framework.outcomes import register

    for name in (*OUTCOMES, "failed", "error"):
        register.outcomes.pop(name, None)


__all__ = ["LEVER_KINDS", "OUTCOMES", "Runner", "SHARES", "ema_name", "make_model", "schema_key"]
