"""`upconv`: the command line (a Hydra app) that runs one simulation per job.

    upconv scenario=london_challenge strategy=upwards_convergence seed=3 years=30

Thin by design: ``main`` registers the schema with Hydra and checks every override
(:mod:`simulation.params.hydra`), Hydra composes the config from ``conf/`` against the typed
schema, then ``run_job`` (a plain function, testable without Hydra) validates it, runs the model with a
progress bar and writes ``timeseries.parquet``, ``attainment.png`` and ``summary.json`` into
the job's output folder.

Two flags of its own, taken before Hydra starts: ``--dry-run`` lists, checks and estimates every
job of a sweep and writes nothing (:mod:`simulation.run.plan`); ``--runs-per-file N`` writes a
sweep's runs into one Parquet file per N runs instead of a folder per run
(:mod:`simulation.run.batches`). docs/cluster.md describes both.

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
from simulation.run import batches
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


def run_batched_job(cfg: DictConfig, sweep: Path, num: int, per_file: int, overrides: list[str]) -> dict:
    """Run one job of a batch-mode sweep (``--runs-per-file``): its rows go to the sweep's batch
    files (:mod:`simulation.run.batches`); a job stored with the same config is not re-run."""
    from simulation.measures.index import final_summary
    from simulation.run.collect import expected_jobs
    from simulation.run.runner import timeseries

    logging.getLogger("MESA").setLevel(logging.WARNING)
    model_cfg = validated(cfg)
    identity = {"scenario": model_cfg.scenario, "strategy": model_cfg.strategy.name.value, "seed": model_cfg.seed}
    if batches.finished(sweep, num, per_file, config_hash(model_cfg)):
        return {**identity, "skipped": True}
    model = simulate(model_cfg)
    tables = {"timeseries": timeseries(model)}
    if model_cfg.collect_school_panel:
        tables["schools"] = model.school_panel()
    batches.write_job(sweep, num, per_file, expected_jobs(sweep / "multirun.yaml"), tables,
                      OmegaConf.to_container(cfg, resolve=True), overrides, model_cfg)  # type: ignore[arg-type]
    return {**identity, **final_summary(tables["timeseries"])}


@hydra.main(version_base=None, config_path=str(CONF_DIR), config_name="config")
def _hydra_main(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    multirun = hc.mode == RunMode.MULTIRUN
    per_file = batches.runs_per_file(hc) if multirun else None
    if multirun and os.environ.get(LAUNCHER_PID, str(os.getpid())) != str(os.getpid()):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a sweep worker (joblib): Ctrl-C is the launcher's to handle

    def keep_error() -> Path:
        if per_file:
            batches.record_error(Path(hc.sweep.dir), int(hc.job.num), traceback.format_exc())
            return batches.error_path(Path(hc.sweep.dir), int(hc.job.num))
        record_failure(out_dir)
        return out_dir / ERROR_FILE

    try:
        if per_file:
            summary = run_batched_job(cfg, Path(hc.sweep.dir), int(hc.job.num), per_file, list(hc.overrides.task))
        else:
            summary = run_job(cfg, out_dir, progress=not multirun)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if multirun:
            keep_error()
            return
        sys.exit(2)
    except Exception as exc:  # noqa: BLE001 - a failed job must not end the sweep
        where = keep_error()
        print(f"error: job failed ({type(exc).__name__}: {exc}); traceback in {where}", file=sys.stderr)
        if multirun:
            return
        sys.exit(1)
    name = f"{summary['scenario']} / {summary['strategy']} / seed {summary['seed']}"
    if summary.get("skipped") and per_file:
        print(f"{name} already finished -> {batches.BATCHES}/ in {hc.sweep.dir}")
        return
    verb = "already finished" if summary.get("skipped") else "done"
    print(f"{name} {verb}: mean attainment {100 * summary['mean_attainment']:.1f}%, "
          f"UCI {summary['upwards_convergence_index']:.1f} -> {out_dir}")


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
        from simulation.run.collect import collect_batched, scan

        if batches.is_batched(where):  # batch mode: runs are rows of the batch files, not folders
            a = collect_batched(where).attrs
            finished, total = len(a["finished"]), len(a["finished"]) + len(a["failed"]) + len(a["missing"])
        else:
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


DRY_RUN = "--dry-run"
RUNS_PER_FILE = "--runs-per-file"


def own_flags(args: list[str]) -> tuple[list[str], bool, int | None]:
    """Take upconv's own flags (``--dry-run``, ``--runs-per-file N``) out of the arguments Hydra gets."""
    rest, dry, per_file = [], False, None
    it = iter(args)
    for arg in it:
        if arg == DRY_RUN:
            dry = True
        elif arg == RUNS_PER_FILE or arg.startswith(RUNS_PER_FILE + "="):
            given = arg.partition("=")[2] if "=" in arg else next(it, "nothing")
            if not given.isdigit() or int(given) < 2:
                raise ConfigError(f"{RUNS_PER_FILE} must be a whole number of runs of at least 2 (e.g. 250); "
                                  f"got {given!r}.")
            per_file = int(given)
        else:
            rest.append(arg)
    multirun = any(a in ("-m", "--multirun") for a in rest)
    if per_file and not multirun:
        raise ConfigError(f"{RUNS_PER_FILE} writes the runs of a sweep in batches: add -m (upconv -m "
                          f"{RUNS_PER_FILE} {per_file} ...); got a single run.")
    return rest, dry, per_file


def batch_overrides(per_file: int) -> list[str]:
    """Hydra settings of batch mode: no job folders or per-job files, N runs per Parquet file."""
    return ["hydra.output_subdir=null", "hydra.sweep.subdir=.", f"++hydra.job.env_set.{batches.ENV}={per_file}"]


def dry_run(args: list[str], per_file: int | None) -> None:
    """``upconv --dry-run``: list, check and estimate every job; write nothing; exit 2 on a bad job."""
    from simulation.run.plan import report, sweep_plan

    try:
        if not any(a in ("-m", "--multirun") for a in args):
            precheck(args)  # a sweep without -m is refused as a run would refuse it
        plan = sweep_plan(args)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print("\n".join(report(plan, per_file)))


def main(argv: list[str] | None = None) -> None:
    """Register the schema, check the overrides first (so a typo leaves no output folder), then
    hand over to Hydra; Ctrl-C ends with one line (exit 130). ``--dry-run`` previews a sweep
    instead (:mod:`simulation.run.plan`); ``--runs-per-file N`` writes it in batches
    (:mod:`simulation.run.batches`)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        register()
        try:
            args, dry, per_file = own_flags(args)
            if dry:
                dry_run(args, per_file)
                return
            precheck(args)
        except ConfigError as exc:
            print(f"error: {exc}", file=sys.stderr)
            sys.exit(2)
        if per_file:
            args = [*args, *batch_overrides(per_file)]
        if not INFO_FLAGS & set(args):  # a command that runs something: note its folder for Ctrl-C
            sys.argv = [sys.argv[0], *args, WATCH_OVERRIDE]
        else:
            sys.argv = [sys.argv[0], *args]
        os.environ[LAUNCHER_PID] = str(os.getpid())
        _hydra_main()
        if per_file and _watched.get("dir") is not None:
            finish_batches(Path(_watched["dir"]), per_file)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the message short
        print(interrupted_message(), file=sys.stderr)
        sys.exit(INTERRUPTED)


def finish_batches(sweep: Path, per_file: int) -> None:
    """After a batch-mode sweep: merge what is still staged and say where the runs are."""
    from simulation.run.collect import expected_jobs

    batches.finish(sweep, per_file, expected_jobs(sweep / "multirun.yaml"))
    parts = sorted((sweep / batches.BATCHES).glob("*/part-*.parquet"))
    print(f"batch mode: the runs are in {len(parts)} Parquet file(s) under {sweep / batches.BATCHES} "
          f"({per_file} runs per file); upconv-collect {sweep} gathers them")


if __name__ == "__main__":
    main()
