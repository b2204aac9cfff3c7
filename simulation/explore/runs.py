"""The runs of a robustness study: every parameter set x strategy x seed, in parallel, resumable.

Common random numbers: every strategy and every parameter set runs on the same list of seeds,
so seed ``s`` starts from the same drawn system everywhere and differences between strategies
are not blurred by different starting systems.

A *task* is one parameter set under every strategy and seed (strategies x replicates runs, a few
seconds); tasks run in joblib's process pool (the library behind ``experiments/parallel.py`` and
the ``hydra/launcher=joblib`` sweeps). Each run has a key, a hash of its strategy's base
configuration (scenario, years, strategy, ``--set`` overrides, package version), of the model's
source code, the parameter set and the seed. Finished runs are written in batches to ``runs/part-*.parquet`` under the
study folder; running the same study again skips every run whose key is already there.

Ensemble-level savings that leave every run's results unchanged: each strategy's base
configuration is built once (OmegaConf) and a parameter set is put into a copy of it
(:func:`simulation.explore.sampling.with_values`, the same configuration); no Staff agents, no
per-run figure or file; worker processes are reused, so the compiled kernels load once per worker.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation import __version__
from simulation.explore.sampling import with_values
from simulation.measures.index import convergence_components, convergence_index
from simulation.measures.system import system_metrics
from simulation.model import SchoolSystem
from simulation.params.schema import ModelConfig
from simulation.run.runner import atomic_write, config_hash, write_parquet

#: What each run reports (besides its keys): the index and its parts, and the run's outcomes.
OUTCOMES = {
    "uci": "points", "delta_mean": "percentage points", "delta_top": "percentage points",
    "delta_spread": "percentage points", "mean_attainment": "share", "mean_score": "pupil SD",
    "spread": "share", "top_decile_attainment": "share", "total_staff_days": "staff days",
}
BATCH_TASKS = 25  # tasks per part file


@dataclass(frozen=True)
class Study:
    """What every run of a study shares: the strategies' base configurations and the seeds."""

    bases: dict[str, ModelConfig]  # arm name -> base config (scenario, years, strategy, --set)
    seeds: tuple[int, ...]
    base_hashes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, bases: dict[str, ModelConfig], seeds: Iterable[int]) -> Study:
        code = code_hash()
        hashes = {arm: f"{config_hash(cfg)}-{code}" for arm, cfg in bases.items()}
        return cls(bases, tuple(int(s) for s in seeds), hashes)


#: The packages whose source decides a run's results (the top layer - commands, reports - does not).
MODEL_CODE = ("params", "state", "mechanisms", "measures", "__init__.py", "model.py", "population.py", "agents.py",
              "strategies.py")


def code_hash() -> str:
    """A hash of the model's source (schema, state, mechanisms, measures, core): a changed model
    gives new run keys, so a resumed study never mixes runs of two versions of the model."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name in MODEL_CODE:
        for path in sorted([root / name] if name.endswith(".py") else (root / name).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def run_key(base_hash: str, params: dict[str, float], seed: int) -> str:
    """The key of one run: its strategy's base configuration, the parameter set and the seed."""
    text = json.dumps({"base": base_hash, "params": {k: float(v) for k, v in sorted(params.items())},
                       "seed": int(seed), "version": __version__}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def run_outcomes(cfg: ModelConfig) -> dict[str, float]:
    """One model run, summarised: the index with its parts and the final-year outcomes.

    The run keeps no per-term metrics (``record_terms=False``): the summary needs only the first
    and last terms' metrics and each term's staff days, and the results are the same as from the
    run's full timeseries (tested; the metrics were a quarter of a regional run's time)."""
    model = SchoolSystem(config=cfg, rng=cfg.seed, create_staff_agents=False, record_terms=False)
    first = model.current_metrics
    model.run_years(cfg.years)
    return summarise(pd.DataFrame([first, system_metrics(model.ctx)]), pd.Series(model.term_staff_days, dtype=float))


def summarise(df: pd.DataFrame, staff_days: pd.Series | None = None) -> dict[str, float]:
    """The study's outcomes of one run from its metrics: every term's (``timeseries(model)``), or
    the first and last term's with ``staff_days`` the total staff days of every term after the first."""
    last = df.iloc[-1]
    days = df.total_staff_days.iloc[1:] if staff_days is None else staff_days
    out = {"uci": convergence_index(df), **convergence_components(df),
           "mean_attainment": float(last.mean_attainment), "mean_score": float(last.mean_score),
           "spread": float(last.p90_attainment - last.p10_attainment),
           "top_decile_attainment": float(last.top_decile_attainment),
           "total_staff_days": float(days.sum())}
    return out


def run_task(study: Study, set_id: int, params: dict[str, float], skip: frozenset[str] = frozenset()) -> list[dict]:
    """Every strategy x seed of one parameter set (runs whose key is in ``skip`` are left out).
    A run that fails gives a row with its error message and NaN outcomes; the study goes on."""
    logging.getLogger("MESA").setLevel(logging.WARNING)
    rows = []
    for arm, base in study.bases.items():
        for seed in study.seeds:
            key = run_key(study.base_hashes[arm], params, seed)
            if key in skip:
                continue
            row: dict[str, Any] = {"run_key": key, "set": set_id, "strategy": arm, "seed": seed}
            cpu = time.process_time()
            try:
                cfg = with_values(base, params)
                cfg.seed = seed
                row.update(run_outcomes(cfg), error="")
            except Exception as exc:  # noqa: BLE001 - a failed run is a row with its message
                row.update({k: np.nan for k in OUTCOMES}, error=f"{type(exc).__name__}: {exc}")
            row["cpu_seconds"] = time.process_time() - cpu  # kept in the runs cache only (benchmarks)
            rows.append(row)
    return rows


# --- the cache of finished runs -------------------------------------------------------------

def finished(folder: Path) -> pd.DataFrame:
    """Every run already written under ``folder/runs`` (empty table if none)."""
    parts = sorted((folder / "runs").glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame(columns=["run_key", "set", "strategy", "seed", *OUTCOMES, "error"])
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True).drop_duplicates("run_key")


def _write_part(folder: Path, rows: list[dict]) -> None:
    if not rows:
        return
    (folder / "runs").mkdir(parents=True, exist_ok=True)
    n = len(list((folder / "runs").glob("part-*.parquet")))
    path = folder / "runs" / f"part-{n:05d}-{os.getpid()}-{time.time_ns() % 10**9:09d}.parquet"
    write_parquet(pd.DataFrame(rows), path)


def run_all(study: Study, sets: pd.DataFrame, folder: Path, workers: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """Run every parameter set of ``sets`` (columns: ``set`` and the dotted parameter keys) under
    every strategy and seed, skipping runs already in ``folder/runs``; returns all runs of the
    study (finished earlier or now), one row per set x strategy x seed, sorted.

    On Ctrl-C the runs finished so far are written before KeyboardInterrupt propagates."""
    from joblib import Parallel, delayed

    done = finished(folder)
    have = frozenset(done.run_key)
    params = [c for c in sets.columns if c not in ("set", "posterior_row")]
    todo = []
    for rec in sets.to_dict("records"):
        values = {k: rec[k] for k in params}
        keys = {run_key(study.base_hashes[a], values, s) for a in study.bases for s in study.seeds}
        if not keys <= have:
            todo.append((int(rec["set"]), values, frozenset(keys & have)))
    total = len(sets) * len(study.bases) * len(study.seeds)
    n_done = total - len(todo) * len(study.bases) * len(study.seeds)
    buffer: list[dict] = []
    tasks_in_buffer = 0
    if todo:
        parallel = Parallel(n_jobs=workers or os.cpu_count() or 1, return_as="generator_unordered")
        try:
            for rows in parallel(delayed(run_task)(study, set_id, values, skip) for set_id, values, skip in todo):
                buffer += rows
                tasks_in_buffer += 1
                n_done += len(study.bases) * len(study.seeds)
                if progress:
                    progress(n_done, total)
                if tasks_in_buffer >= BATCH_TASKS:
                    _write_part(folder, buffer)
                    buffer, tasks_in_buffer = [], 0
        finally:  # finished or interrupted: what has run is kept
            _write_part(folder, buffer)
    return collect(folder, sets, study)


def collect(folder: Path, sets: pd.DataFrame, study: Study) -> pd.DataFrame:
    """The study's runs (this design only, in a fixed order) with the parameter values as columns."""
    done = finished(folder).set_index("run_key")
    params = [c for c in sets.columns if c not in ("set", "posterior_row")]
    rows = []
    for rec in sets.to_dict("records"):
        values = {k: rec[k] for k in params}
        for arm in study.bases:
            for seed in study.seeds:
                key = run_key(study.base_hashes[arm], values, seed)
                if key in done.index:
                    r = done.loc[key]
                    rows.append({"set": int(rec["set"]), "strategy": arm, "seed": seed, **values,
                                 **{k: r[k] for k in OUTCOMES}, "error": r["error"], "run_key": key})
    return pd.DataFrame(rows)


def write_table(df: pd.DataFrame, path: Path) -> None:
    """A tidy table with units in its metadata (the project's Parquet writer), written atomically."""
    write_parquet(df, path)


def write_json(obj: Any, path: Path) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(obj, indent=2, default=float)))


__all__ = ["OUTCOMES", "Study", "collect", "finished", "run_all", "run_key", "run_outcomes", "run_task",
           "summarise", "write_json", "write_table"]
