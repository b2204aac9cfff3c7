"""`upconv`: the command line (a Hydra app) that runs one simulation per job.

    upconv scenario=london_challenge strategy=upwards_convergence seed=3 years=30

Thin by design: Hydra composes the config from ``conf/`` against the typed schema, then
``run_job`` (a plain function, testable without Hydra) validates it, runs the model with a
progress bar and writes ``timeseries.parquet``, ``attainment.png`` and ``summary.json`` into
the job's output folder.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path
from typing import Any

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig

from .config import CONF_DIR, to_model_config
from .runner import simulate, write_run
from .schema import ConfigError, ModelConfig

ConfigStore.instance().store(name="base_config", node=ModelConfig)


def unknown_keys(node: Any, cls: type = ModelConfig, prefix: str = "") -> list[str]:
    """Keys present in the composed config but not in the schema (e.g. from ``+typo=1``)."""
    if not isinstance(node, DictConfig):
        return []
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out = []
    for key in node.keys():
        if key not in fields:
            out.append(f"{prefix}{key}")
            continue
        sub = fields[key].default_factory() if fields[key].default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(sub):
            out += unknown_keys(node[key], type(sub), f"{prefix}{key}.")
    return out


def validated(cfg: DictConfig) -> ModelConfig:
    extra = unknown_keys(cfg)
    if extra:
        raise ConfigError(f"unknown parameter {extra[0]!r}; see docs/parameters.md for the allowed names.")
    return to_model_config(cfg)


def run_job(cfg: DictConfig, out_dir: Path, progress: bool = True) -> dict:
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    model_cfg = validated(cfg)
    model = simulate(model_cfg, progress=progress)
    summary = write_run(out_dir, model)
    return summary


@hydra.main(version_base=None, config_path=str(CONF_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    out_dir = Path(hydra.core.hydra_config.HydraConfig.get().runtime.output_dir)
    try:
        summary = run_job(cfg, out_dir)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print(f"{summary['scenario']} / {summary['strategy']} / seed {summary['seed']}: "
          f"mean attainment {100 * summary['mean_attainment']:.1f}%, UCI {summary['upwards_convergence_index']:.1f}"
          f" -> {out_dir}")


def main() -> None:
    _hydra_main()


if __name__ == "__main__":
    main()
