"""Sweeps without the command line: composing experiment configs, finding sweep folders,
loading their collected tables, and the Morris screening (SALib) run in a process pool.

Hydra sweeps go through ``upconv -m +experiment=NAME`` (conf/experiment/, docs/experiments.md);
this module serves the analyses (``experiments/*/analyse.py``) and the sensitivity screening,
whose sample is not a grid and is simpler to run directly than through Hydra.

Every run builds its own model from its own config (``seed`` included): nothing is kept at
module level, so worker processes (joblib, Ray, the pool here) can be reused safely.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf
from tqdm import tqdm

from simulation.params.hydra import compose, validated  # compose registers the schema with Hydra
from simulation.params.loading import to_model_config
from simulation.params.schema import ModelConfig

EXPERIMENTS_DIR = Path("outputs/experiments")


def model_config(overrides: list[str] | tuple[str, ...] = ()) -> ModelConfig:
    """A validated ModelConfig from command-line style overrides (unknown keys rejected)."""
    cfg = compose(overrides)
    OmegaConf.set_struct(cfg, False)
    cfg.pop("hydra", None)
    return validated(cfg)


def latest_sweep(name: str, root: Path = EXPERIMENTS_DIR) -> Path:
    """The newest sweep folder of an experiment (``outputs/experiments/NAME/<date_time>``)."""
    folders = sorted(p for p in (root / name).glob("*") if p.is_dir()) if (root / name).is_dir() else []
    if not folders:
        raise FileNotFoundError(f"no sweep of {name!r} under {root / name}; run it first (docs/experiments.md)")
    return folders[-1]


def load_table(path: Path, table: str = "timeseries") -> pd.DataFrame:
    """A collected table: a Parquet file (from ``upconv-collect``) as it is, or a sweep folder, collected."""
    path = Path(path)
    if path.is_file():
        return pd.read_parquet(path)
    from simulation.run.collect import collect, report_lines

    df = collect(path, table=table)
    for line in report_lines(df):
        print(line)
    if df.empty:
        raise FileNotFoundError(f"no finished job with {table}.parquet under {path}")
    return df


# --- Morris screening ------------------------------------------------------------------------

#: Mechanism parameters screened, with the range sampled (inside the schema's allowed range;
#: about half to double the default, the calibrated ones included).
MORRIS_PARAMETERS: dict[str, tuple[float, float]] = {
    "coaching.coaching_efficiency": (0.3, 1.2),
    "coaching.identification_noise": (0.05, 0.3),
    "coaching.km_growth": (0.25, 1.0),
    "coaching.km_decay": (0.05, 0.2),
    "absorption.overwhelm_threshold": (0.2, 0.6),
    "absorption.shallow_decay": (0.75, 3.0),
    "partnership.transfer_rate": (0.95, 3.8),
    "partnership.low_leverage_factor": (0.05, 0.3),
    "partnership.maturity_years": (1.0, 4.0),
    "partnership.supporter_learning": (0.2, 0.8),
    "partnership.research_reach": (0.1, 0.5),
    "innovation.step_mean": (0.0, 0.04),
    "innovation.step_sd": (0.03, 0.1),
    "moral_capital.role_modelling": (0.25, 1.0),
    "staff.drift": (0.01, 0.06),
    "information.data_noise": (0.04, 0.16),
}


def morris_problem(parameters: dict[str, tuple[float, float]] | None = None) -> dict[str, Any]:
    params = parameters or MORRIS_PARAMETERS
    return {"num_vars": len(params), "names": list(params), "bounds": [list(b) for b in params.values()]}


def _run_point(args: tuple[dict, dict[str, float], int]) -> dict[str, float]:
    """One model run at one sample point; its seed comes from its own config only."""
    from simulation.measures.index import convergence_components, convergence_index
    from simulation.run.runner import simulate, timeseries

    base, point, seed = args
    logging.getLogger("MESA").setLevel(logging.WARNING)
    dotted = OmegaConf.from_dotlist([f"{k}={v}" for k, v in point.items()] + [f"seed={seed}"])
    df = timeseries(simulate(to_model_config(OmegaConf.create(base), dotted)))
    return {**convergence_components(df), "uci": convergence_index(df)}


def run_morris(base_overrides: list[str] | tuple[str, ...] = ("+experiment=sensitivity",), trajectories: int = 10,
               levels: int = 4, seeds: int = 2, workers: int | None = None, sample_seed: int = 0,
               parameters: dict[str, tuple[float, float]] | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """Sample a Morris design and run every point for ``seeds`` seeds (common random numbers:
    seed i is the same at every point). Returns the SALib problem and a table with one row per
    point x seed: the parameter values, ``point``, ``seed`` and the index with its components."""
    from SALib.sample import morris as morris_sample

    problem = {**morris_problem(parameters), "num_levels": levels}
    X = morris_sample.sample(problem, N=trajectories, num_levels=levels, seed=sample_seed)
    cfg = compose(list(base_overrides))
    OmegaConf.set_struct(cfg, False)
    cfg.pop("hydra", None)
    base = OmegaConf.to_container(cfg, resolve=True)
    base_seed = int(base.get("seed", 0))
    jobs = [(base, dict(zip(problem["names"], map(float, x))), base_seed + s) for x in X for s in range(seeds)]
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        results = list(tqdm(pool.map(_run_point, jobs, chunksize=1), total=len(jobs), desc="morris runs", unit="run"))
    rows = [{**point, "point": i // seeds, "seed": seed, **res}
            for i, ((_, point, seed), res) in enumerate(zip(jobs, results, strict=True))]
    return problem, pd.DataFrame(rows)


def morris_indices(problem: dict[str, Any], runs: pd.DataFrame, output: str = "uci") -> pd.DataFrame:
    """Morris mu* (mean absolute elementary effect), mu and sigma per parameter, ranked by mu*,
    of ``output`` averaged over the seeds of each point."""
    from SALib.analyze import morris as morris_analyze

    by_point = runs.groupby("point")
    X = by_point[problem["names"]].first().to_numpy()
    Y = by_point[output].mean().to_numpy()
    res = morris_analyze.analyze(problem, X, Y, num_levels=int(problem.get("num_levels", 4)), seed=0)
    out = pd.DataFrame({"parameter": problem["names"], "mu_star": res["mu_star"], "mu": res["mu"],
                        "sigma": res["sigma"], "mu_star_conf": res["mu_star_conf"]})
    return out.sort_values("mu_star", ascending=False, ignore_index=True)


__all__ = [
    "MORRIS_PARAMETERS",
    "compose",
    "latest_sweep",
    "load_table",
    "model_config",
    "morris_indices",
    "morris_problem",
    "run_morris",
]
