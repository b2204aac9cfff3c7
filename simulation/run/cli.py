"""`upconv`: the command line (a Hydra app) that runs one simulation per job.

    upconv scenario=london_challenge strategy=upwards_convergence seed=3 years=30

Thin by design: ``main`` registers the schema with Hydra and checks every override
(:mod:`simulation.params.hydra`), Hydra composes the config from ``conf/`` against the typed
schema, then ``run_job`` (a plain function, testable without Hydra) validates it, runs the model with a
progress bar and writes ``timeseries.parquet``, ``attainment.png`` and ``summary.json`` into
the job's output folder.

Ctrl-C (SIGINT) ends the command with one line, not a traceback: how many jobs of the sweep
finished and how to resume it (the same command with the same ``hydra.sweep.dir`` skips
finished jobs), exit status 130. To know the sweep folder in the launching process whatever
the launcher, ``main`` adds a Hydra callback (:class:`SweepWatch`, ``hydra.callbacks.upconv_watch``)
that notes the folder when the run or sweep starts.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Any

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from simulation.params.checks import ConfigError
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
    for stale in out_dir.glob(".*.tmp*"):  # left by an earlier attempt killed mid-write (a lost worker)
        stale.unlink(missing_ok=True)
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
    if multirun and os.environ.get(LAUNCHER_PID, str(os.getpid())) != str(os.getpid()):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a sweep worker (joblib): Ctrl-C is the launcher's to handle
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


# --- Ctrl-C -----------------------------------------------------------------------------------

INTERRUPTED = 130  # the shell's exit status for a command ended by SIGINT
LAUNCHER_PID = "UPCONV_LAUNCHER_PID"  # set by main; worker processes inherit it
WATCH_OVERRIDE = f"++hydra.callbacks.upconv_watch._target_={__name__}.SweepWatch"
INFO_FLAGS = {"--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c", "--shell-completion", "-sc"}
_watched: dict[str, Any] = {}  # what SweepWatch saw in this (the launching) process


class SweepWatch(Callback):
    """Notes the run or sweep folder when Hydra starts, in the process that launches the jobs."""

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        _watched.update(mode="run", dir=Path(str(config.hydra.run.dir)))

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        given = OmegaConf.to_container(config.hydra.sweep, resolve=False).get("dir", "")
        # the same cached ${now:...} value the sweeper uses (Hydra's resolver caches per config)
        _watched.update(mode="multirun", dir=Path(str(config.hydra.sweep.dir)), dated="${now:" in str(given))


def interrupted_message() -> str:
    """One line: what an interrupted command leaves and how to resume it."""
    where = _watched.get("dir")
    if _watched.get("mode") == "multirun" and where is not None:
        from simulation.run.collect import scan

        status = scan(where) if where.is_dir() else None
        finished = len(status.finished) if status else 0
        total = finished + len(status.failed) + len(status.missing) if status else 0
        again = (f"add hydra.sweep.dir={where} to the same command to resume" if _watched.get("dated")
                 else "run the same command again to resume")
        return (f"interrupted: {finished} of {total or '?'} jobs finished in {where}; {again} "
                f"(finished jobs are skipped).")
    if _watched.get("mode") == "run" and where is not None:
        return f"interrupted: the run did not finish ({where} has no summary.json); run the command again to redo it."
    return "interrupted before any job started; nothing was written."


def main(argv: list[str] | None = None) -> None:
    """Register the schema, check the overrides first (so a typo leaves no output folder), then
    hand over to Hydra; Ctrl-C ends with one line (exit 130)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        register()
        try:
            precheck(args)
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
        if not INFO_FLAGS & set(args):  # a command that runs something: note its folder for Ctrl-C
            sys.argv = [sys.argv[0], *args, WATCH_OVERRIDE]
        os.environ[LAUNCHER_PID] = str(os.getpid())
        _hydra_main()
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the message short
        print(interrupted_message(), file=sys.stderr)
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    main()
