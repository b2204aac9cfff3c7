"""`upconv`: the command line (a Hydra app) that runs one simulation per job.

    upconv scenario=london_challenge strategy=upwards_convergence seed=3 years=30

Thin by design: ``main`` registers the schema with Hydra and checks every override
(:mod:`simulation.params.hydra`), Hydra composes the config from ``conf/`` against the typed
schema, then ``run_job`` (a plain function, testable without Hydra) validates it, runs the model with a
progress bar and writes ``timeseries.parquet``, ``attainment.png`` and ``summary.json`` into
the job's output folder.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from simulation.params.checks import ConfigError, unknown_keys  # noqa: F401  unknown_keys: re-exported
from simulation.params.hydra import precheck, register, validated
from simulation.params.loading import CONF_DIR
from simulation.run.runner import atomic_write, config_hash, simulate, write_run


def run_job(cfg: DictConfig, out_dir: Path, progress: bool = True) -> dict:
    """Run one job into ``out_dir``; a job already finished with the same config is not re-run."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Mesa logs every step at INFO
    model_cfg = validated(cfg)
    done = finished_summary(out_dir, config_hash(model_cfg))
    if done is not None:
        return {**done, "skipped": True}
    model = simulate(model_cfg, progress=progress)
    summary = write_run(out_dir, model)
    (out_dir / ERROR_FILE).unlink(missing_ok=True)
    return summary


ERROR_FILE = "error.txt"


def finished_summary(out_dir: Path, digest: str) -> dict | None:
    """The summary of a finished run of the same config in ``out_dir``, if there is one."""
    path = out_dir / "summary.json"
    try:
        summary = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return summary if summary.get("config_hash") == digest else None


def record_failure(out_dir: Path) -> None:
    """Keep the traceback of a failed job in its folder (the sweep goes on)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write(out_dir / ERROR_FILE, lambda p: p.write_text(traceback.format_exc()))


@hydra.main(version_base=None, config_path=str(CONF_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    multirun = hc.mode == RunMode.MULTIRUN
    try:
        summary = run_job(cfg, out_dir, progress=not multirun)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if multirun:
            record_failure(out_dir)
            return
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - a failed job must not end the sweep
        record_failure(out_dir)
        print(f"error: job failed ({type(exc).__name__}: {exc}); traceback in {out_dir / ERROR_FILE}",
              file=sys.stderr)
        if multirun:
            return
        sys.exit(1)
    verb = "already finished" if summary.get("skipped") else "done"
    print(f"{summary['scenario']} / {summary['strategy']} / seed {summary['seed']} {verb}: "
          f"mean attainment {100 * summary['mean_attainment']:.1f}%, UCI {summary['upwards_convergence_index']:.1f}"
          f" -> {out_dir}")


def main(argv: list[str] | None = None) -> None:
    """Register the schema, check the overrides first (so a typo leaves no output folder), then
    hand over to Hydra."""
    args = sys.argv[1:] if argv is None else argv
    register()
    try:
        precheck(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    _hydra_main()


if __name__ == "__main__":
    main()
