"""A sweep before it runs (``upconv --dry-run -m ...``): every job with its overrides, every job's whole config checked as a run checks it, and an estimate of CPU time and disk from a short calibration run; nothing is written.

Why a flag and not a Hydra option: Hydra's own ``--cfg job`` prints one composed config and
``--info`` the search path, but nothing lists the jobs of a multirun (Hydra issue #2759), and a
launcher or sweeper plugin cannot preview without writing: the sweeper creates the sweep folder
and its ``multirun.yaml`` before any launcher runs. So ``upconv`` takes ``--dry-run`` before Hydra
starts (as it checks every override first) and expands the sweep with Hydra's own pieces: the
config loader composes the sweep in MULTIRUN mode, the basic sweeper's ``split_arguments`` makes
the jobs in the order Hydra numbers them, and each job is composed with
``load_sweep_config`` as the launchers do, then checked by :func:`simulation.params.hydra.validated`,
the checker every real job runs first.

The estimate comes from timing, for each distinct system size in the sweep (scenario, number of
schools, schools file), one simulated year of its first job, and from writing that run's outputs
into a temporary folder that is deleted: seconds to build a model, seconds per simulated year,
bytes per run. It leaves out launcher overheads (a few tenths of a second a job with joblib,
Slurm's start-up per array task).
"""

from __future__ import annotations

import copy
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import DictConfig, OmegaConf, open_dict
from tqdm import tqdm

from simulation.params.checks import ConfigError
from simulation.params.hydra import register, validated
from simulation.params.loading import CONF_DIR
from simulation.params.schema import ModelConfig

HYDRA_FILES = 4  # .hydra/config.yaml, hydra.yaml, overrides.yaml and the job's log in every job folder


@dataclass
class Job:
    num: int
    overrides: list[str]
    cfg: ModelConfig | None = None


@dataclass
class Calibration:
    """One simulated year of one job: what a run of each size costs."""

    label: str
    build_s: float
    year_s: float
    fixed_bytes: int  # summary, figure and Hydra's files of one run
    row_bytes: float  # timeseries (and school panel) bytes per step
    files: int  # files a run writes (outside batch mode)


@dataclass
class Plan:
    sweep_dir: str
    launcher: str
    jobs: list[Job] = field(default_factory=list)
    check_s: float = 0.0  # seconds composing and checking one job: every job pays that too


def sweep_plan(args: list[str]) -> Plan:
    """Every job of ``upconv -m ARGS`` (without running anything), each config checked; raises
    ConfigError naming the first bad job."""
    from hydra import initialize_config_dir
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException
    from hydra.types import RunMode

    from simulation.params.hydra import precheck, user_overrides

    register()
    bad: Job | None = None
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        loader = GlobalHydra.instance().config_loader()
        try:
            master = loader.load_configuration("config", user_overrides(args), run_mode=RunMode.MULTIRUN)
        except HydraException as exc:
            master, first = None, str(exc).splitlines()[0]
        if master is not None:
            hc = master.hydra
            if "basic_sweeper" not in str(hc.sweeper.get("_target_", "")):
                raise ConfigError(f"--dry-run needs Hydra's basic sweeper; got {hc.sweeper._target_}.")
            params = [f"{k}={v}" for k, v in (hc.sweeper.get("params") or {}).items()] + list(hc.overrides.task)
            parsed = OverridesParser.create(config_loader=loader).parse_overrides(params)
            lists = [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]
            plan = Plan(sweep_dir=str(hc.sweep.dir), launcher=str(hc.runtime.choices.get("hydra/launcher", "basic")))
            composer = _Composer(loader, master)
            started = time.perf_counter()
            for num, overrides in enumerate(tqdm(lists, desc="checking jobs", unit="job", leave=False,
                                                 disable=len(lists) < 50)):
                job = Job(num, list(overrides))
                try:
                    job.cfg = composer.validated(job.overrides)
                except ConfigError as exc:
                    raise _bad(job, str(exc)) from None
                except HydraException as exc:  # explained below, outside this Hydra context
                    bad, first = job, str(exc).splitlines()[0]
                    break
                plan.jobs.append(job)
            plan.check_s = (time.perf_counter() - started) / max(len(plan.jobs), 1)
    if master is None or bad is not None:  # the checker's one sentence for what Hydra could not compose
        try:
            precheck(args if bad is None else bad.overrides)
        except ConfigError as exc:
            first = str(exc)
        raise ConfigError(first) if bad is None else _bad(bad, first)
    return plan


class _Composer:
    """Each job's config as a launcher composes it (``load_sweep_config``), the defaults tree
    composed once per choice of config groups: Hydra composes the groups, then applies the value
    overrides (``key=value``) to the result, and so does this, with Hydra's own function."""

    def __init__(self, loader, master: DictConfig) -> None:
        from hydra.core.override_parser.overrides_parser import OverridesParser

        self.loader, self.master, self.parser = loader, master, OverridesParser.create()
        self.trees: dict[tuple[str, ...], DictConfig] = {}

    def validated(self, overrides: list[str]) -> ModelConfig:
        from hydra._internal.config_loader_impl import ConfigLoaderImpl

        parsed = self.parser.parse_overrides(overrides)
        groups = tuple(o.input_line for o in parsed if self._is_group(o.key_or_group))
        if groups not in self.trees:
            self.trees[groups] = self.loader.load_sweep_config(self.master, list(groups))
        cfg = copy.deepcopy(self.trees[groups])
        values = [o for o in parsed if o.input_line not in groups]
        ConfigLoaderImpl._apply_overrides_to_config(values, cfg)
        with open_dict(cfg):
            cfg.pop("hydra")
        return validated(cfg)

    def _is_group(self, key: str) -> bool:
        return bool(self.loader.get_group_options(key.lstrip("+~")))


def _bad(job: Job, reason: str) -> ConfigError:
    return ConfigError(f"job {job.num} ({' '.join(job.overrides)}) cannot run: {reason.removeprefix('error: ')}")


def size_key(cfg: ModelConfig) -> tuple:
    return cfg.scenario, cfg.system.n_schools, cfg.system.schools_file, cfg.collect_school_panel


_warm: list[bool] = []


def calibrate(cfg: ModelConfig) -> Calibration:
    """Build one model and run one year of it; write its outputs to a temporary folder (deleted)
    to measure their size."""
    import logging

    from simulation.model import SchoolSystem
    from simulation.run.runner import timeseries, write_parquet, write_run

    logging.getLogger("MESA").setLevel(logging.WARNING)
    if not _warm:  # load the compiled kernels first: a sweep pays that once per worker, not per run
        import dataclasses

        tiny = dataclasses.replace(cfg, system=dataclasses.replace(cfg.system, n_schools=5, schools_file=None))
        SchoolSystem(config=tiny, rng=0).step()
        _warm.append(True)
    start = time.perf_counter()
    model = SchoolSystem(config=cfg, rng=cfg.seed)
    built = time.perf_counter()
    for _ in range(int(cfg.steps_per_year)):
        model.step()
    year = time.perf_counter() - built
    folder = Path(tempfile.mkdtemp(prefix="upconv-dry-run-"))
    try:
        write_run(folder, model)
        files = [p for p in folder.iterdir() if p.is_file()]
        total = sum(p.stat().st_size for p in files)
        tables = [p for p in files if p.suffix in (".parquet", ".csv")]
        write_parquet(timeseries(model).head(1), folder / "one_row.parquet")  # a table's fixed part
        header = (folder / "one_row.parquet").stat().st_size * len(tables)
        steps = int(cfg.steps_per_year)
        row_bytes = max(sum(p.stat().st_size for p in tables) - header, 0) / max(steps, 1)
        hydra_bytes = 2 * len(OmegaConf.to_yaml(OmegaConf.structured(cfg))) + 300  # config, hydra, overrides, log
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    label = f"{cfg.scenario}, {cfg.system.n_schools} schools"
    return Calibration(label, built - start, year, total - int(row_bytes * steps) + hydra_bytes, row_bytes,
                       len(files) + HYDRA_FILES)


def estimate(plan: Plan, runs_per_file: int | None = None) -> tuple[list[Calibration], float, int, int]:
    """Calibrations, CPU seconds, bytes and files of the whole sweep."""
    calibrations: dict[tuple, Calibration] = {}
    cpu = 0.0
    disk = files = 0
    for job in plan.jobs:
        cfg = job.cfg
        assert cfg is not None
        key = size_key(cfg)
        if key not in calibrations:
            calibrations[key] = calibrate(copy.deepcopy(cfg))
        cal = calibrations[key]
        steps = int(round(cfg.years * cfg.steps_per_year))
        cpu += plan.check_s + cal.build_s + cal.year_s * cfg.years
        disk += int(cal.row_bytes * (steps + 1)) if runs_per_file else cal.fixed_bytes + int(cal.row_bytes * steps)
        files += 0 if runs_per_file else cal.files
    if runs_per_file:  # one Parquet file per chunk of runs, and the sweep's one log
        files = -(-len(plan.jobs) // runs_per_file) + 1
    return list(calibrations.values()), cpu, disk, files + 1  # + multirun.yaml


def _size(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def _duration(s: float) -> str:
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min" if s < 7200 else f"{s / 3600:.1f} h"


def report(plan: Plan, runs_per_file: int | None = None, cores: int | None = None) -> list[str]:
    """The dry run's lines: the jobs, the check, the calibration and the estimate."""
    import os

    lines = [f"dry run: {len(plan.jobs)} job(s) with the {plan.launcher} launcher into {plan.sweep_dir}; "
             f"nothing was run or written", "  job  overrides"]
    width = len(str(len(plan.jobs) - 1))
    lines += [f"  {job.num:>{max(width, 3)}}  {' '.join(job.overrides) or '(defaults)'}" for job in plan.jobs]
    lines.append(f"checked: all {len(plan.jobs)} configs are valid (the checks every run makes first)")
    calibrations, cpu, disk, files = estimate(plan, runs_per_file)
    for cal in calibrations:
        lines.append(f"calibration ({cal.label}, 1 simulated year): {cal.build_s:.2f} s to build the model, "
                     f"{cal.year_s:.2f} s per simulated year")
    cores = cores or os.cpu_count() or 1
    per_job = cpu / max(len(plan.jobs), 1)
    parallel = cpu / min(cores, max(len(plan.jobs), 1))
    mode = f"in batches of {runs_per_file} runs per file" if runs_per_file else "one folder per run"
    lines.append(f"estimate: {_duration(cpu)} of CPU time ({per_job:.2f} s a run; about {_duration(parallel)} on "
                 f"{cores} cores; {plan.check_s:.2f} s of it composing and checking the config), {_size(disk)} on disk in about {files} files ({mode})")
    return lines


__all__ = ["Calibration", "Job", "Plan", "calibrate", "estimate", "report", "sweep_plan"]
