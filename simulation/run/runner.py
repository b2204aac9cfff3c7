"""Running one simulation and writing its outputs: used by the CLI, `make run` and experiments.

Outputs of a run folder: ``timeseries.parquet`` (one row per step), ``attainment.png``,
and ``summary.json`` (final-year metrics, the upwards-convergence index, config hash,
package version, git commit, seed), written last as the mark of a finished run. Every file
is written to a temporary name and renamed, so a folder never holds a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import OmegaConf
from tqdm import tqdm

from simulation import __version__
from simulation.measures.index import final_summary
from simulation.model import SchoolSystem
from simulation.params.schema import ModelConfig


def config_dict(cfg: ModelConfig) -> dict[str, Any]:
    return OmegaConf.to_container(OmegaConf.structured(cfg), resolve=True, enum_to_str=True)  # type: ignore[return-value]


def config_hash(cfg: ModelConfig) -> str:
    text = json.dumps(config_dict(cfg), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def simulate(cfg: ModelConfig, progress: bool = False, years: int | None = None) -> SchoolSystem:
    model = SchoolSystem(config=cfg, rng=cfg.seed)
    steps = int(round((years if years is not None else cfg.years) * cfg.steps_per_year))
    for _ in tqdm(range(steps), desc=f"{cfg.scenario}/{cfg.strategy.name.value} seed {cfg.seed}", unit="term",
                  disable=not progress, leave=False):
        model.step()
    return model


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=Path(__file__).parent, capture_output=True, text=True,
                             timeout=5)
        return out.stdout.strip() or None if out.returncode == 0 else None
    except (OSError, subprocess.SubprocessError):
        return None


def atomic_write(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    write(tmp)
    os.replace(tmp, path)


def timeseries(model: SchoolSystem) -> pd.DataFrame:
    df = model.metrics().reset_index(drop=True)
    df.insert(0, "step", range(len(df)))
    return df


def write_run(out_dir: Path, model: SchoolSystem, figures: bool = True) -> dict[str, Any]:
    """Write a finished run's outputs into ``out_dir``; returns the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = model.cfg
    df = timeseries(model)
    atomic_write(out_dir / "timeseries.parquet", lambda p: df.to_parquet(p, index=False))
    if cfg.collect_school_panel:
        panel = model.school_panel()
        atomic_write(out_dir / "schools.parquet", lambda p: panel.to_parquet(p, index=False))
    if figures and cfg.write_figures:
        from simulation.report.plots import close, run_figure

        fig = run_figure(df, title=_title(cfg))
        atomic_write(out_dir / "attainment.png", lambda p: fig.savefig(p, format="png"))
        close(fig)  # sweep workers are reused: an open figure per job would pile up
    summary = {
        **final_summary(df),
        "scenario": cfg.scenario, "strategy": cfg.strategy.name.value, "seed": cfg.seed, "years": cfg.years,
        "config_hash": config_hash(cfg), "version": __version__, "git_commit": git_commit(),
    }
    atomic_write(out_dir / "summary.json", lambda p: p.write_text(json.dumps(summary, indent=2)))
    return summary


def _title(cfg: ModelConfig) -> str:
    return f"{cfg.scenario} - {cfg.strategy.name.value} - seed {cfg.seed}"


__all__ = ["simulate", "write_run", "config_hash", "config_dict", "timeseries"]
