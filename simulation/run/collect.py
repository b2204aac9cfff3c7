"""`upconv-collect SWEEP_DIR`: one tidy table from every job of a Hydra sweep.

    upconv-collect outputs/multirun/2026-11-24/10-00-00            # -> SWEEP_DIR/collected.parquet
    upconv-collect SWEEP_DIR --out table.parquet --table schools    # school panels instead
    upconv-collect SWEEP_DIR --csv                                  # collected.csv next to it

A job is any folder under ``SWEEP_DIR`` holding ``.hydra/overrides.yaml`` (Hydra's multirun
layout ``SWEEP_DIR/N/``; nested sweeps are found too). A job is *finished* when it has
``summary.json`` (``simulation.run.runner.write_run`` writes it last); folders without it are
reported as failed (or still running; a failed job's ``error.txt`` is quoted), and job
numbers the sweep defines (from its ``multirun.yaml``) without a folder are reported as
missing. The table has one row per
finished run x step: ``job`` (the folder, relative to ``SWEEP_DIR``), ``scenario``,
``strategy`` and ``seed`` from the job's composed config, one column per command-line
override (the swept parameters, named by their key without ``+``/``~``, e.g.
``strategy.brokering``), then every column of the job's ``timeseries.parquet``. The Parquet
file carries each column's unit and description (and the grade codes of a school table) in its
schema metadata (``simulation.run.runner.parquet_metadata``).

Exit status: 0 when every job the sweep defines finished; 1 when any failed or is missing (the
table of the finished ones is still written; ``--allow-missing`` makes that 0) or when none
finished (nothing written); 2 when there is no such folder or the arguments are wrong.

The same from Python (a notebook): ``from simulation.run.collect import collect; collect(path)``.
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hydra.errors import HydraException
from tqdm import tqdm

from simulation.run import batches
from simulation.run.runner import IDENTITY, run_parameters, write_parquet

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pyyaml without libyaml
    _Loader = yaml.SafeLoader

FINISHED = "summary.json"
ERROR = "error.txt"  # a failed job's traceback (simulation.run.cli)


@dataclass
class SweepStatus:
    """The jobs of a sweep folder: finished, failed (no summary.json) and missing (never started)."""

    root: Path
    finished: list[Path] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _rel(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix()
    return rel if rel != "." else path.name


def _job_key(path: Path) -> tuple:
    return tuple(int(p) if p.isdigit() else math.inf for p in path.parts) + (str(path),)


def scan(sweep_dir: str | Path) -> SweepStatus:
    """Find the jobs under ``sweep_dir`` and sort them into finished, failed and missing."""
    root = Path(sweep_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"no sweep folder {root}")
    status = SweepStatus(root)
    jobs = sorted((p.parent.parent for p in root.rglob(".hydra/overrides.yaml")),
                  key=lambda p: _job_key(p.relative_to(root)))
    for job in jobs:
        (status.finished if (job / FINISHED).exists() else status.failed).append(job)
    for multirun in sorted(root.rglob("multirun.yaml")):
        n = expected_jobs(multirun)
        if n is None:
            continue
        present = {int(p.name) for p in multirun.parent.iterdir() if p.is_dir() and p.name.isdigit()}
        prefix = _rel(multirun.parent, root) + "/" if multirun.parent != root else ""
        status.missing += [f"{prefix}{i}" for i in range(n) if i not in present]
    return status


def expected_jobs(multirun_yaml: Path) -> int | None:
    """How many jobs a sweep makes (from its ``multirun.yaml``); None if unknown."""
    try:
        return sweep_size(yaml.load(multirun_yaml.read_text(), Loader=_Loader)["hydra"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError, HydraException):
        # an unreadable or foreign multirun.yaml: fall back to the folders found
        return None


def sweep_size(hydra_cfg: dict) -> int | None:
    """Jobs the basic sweeper makes of ``hydra.sweeper.params`` and the command-line overrides
    (``hydra.overrides.task``) of a composed ``hydra`` node; None for another sweeper."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
    from hydra.core.override_parser.overrides_parser import OverridesParser

    if "basic_sweeper" not in str(hydra_cfg.get("sweeper", {}).get("_target_", "")):
        return None
    params = hydra_cfg["sweeper"].get("params") or {}
    args = [f"{k}={v}" for k, v in params.items()] + list(hydra_cfg["overrides"]["task"])
    batches = BasicSweeper.split_arguments(OverridesParser.create().parse_overrides(args), None)
    return sum(len(b) for b in batches)


def job_parameters(job: Path) -> dict[str, Any]:
    """``scenario``, ``strategy``, ``seed`` from the job's config, and its command-line overrides."""
    config = yaml.load((job / ".hydra" / "config.yaml").read_text(), Loader=_Loader) or {}
    lines = yaml.load((job / ".hydra" / "overrides.yaml").read_text(), Loader=_Loader) or []
    return run_parameters(config, lines)


def collect(sweep_dir: str | Path, table: str = "timeseries", progress: bool = True) -> pd.DataFrame:
    """Every finished job's ``<table>.parquet`` in one tidy frame (one row per run x step).

    ``df.attrs`` holds the sweep's status: ``finished``, ``failed`` and ``missing`` job names. A
    sweep written in batches (``upconv -m --runs-per-file N``) is read from its Parquet parts.
    """
    if batches.is_batched(Path(sweep_dir)):
        return collect_batched(Path(sweep_dir), table)
    nested = batches.batched_sweeps(Path(sweep_dir))
    if nested:  # a folder of sweeps written in batches (e.g. one per Slurm array task: scripts/slurm_pack.sh)
        return _combine([collect_batched(s, table) for s in nested], Path(sweep_dir), table)
    status = scan(sweep_dir)
    frames = []
    for job in tqdm(status.finished, desc="collecting", unit="job", disable=not progress):
        path = job / f"{table}.parquet"
        if not path.exists():
            status.failed.append(job)
            continue
        df = pd.read_parquet(path)
        params = {"job": _rel(job, status.root), **job_parameters(job)}
        for i, (key, value) in enumerate(params.items()):
            df.insert(i, key if key not in df.columns else f"param.{key}", value)
        frames.append(df)
    status.finished = [j for j in status.finished if j not in status.failed]
    out = _tidy(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["job", *IDENTITY]))
    out.attrs = {"sweep_dir": str(status.root), "table": table,
                 "finished": [_rel(j, status.root) for j in status.finished],
                 "failed": [_rel(j, status.root) for j in status.failed], "missing": list(status.missing),
                 "errors": {_rel(j, status.root): _last_line(j / ERROR) for j in status.failed if (j / ERROR).exists()}}
    return out


def _tidy(out: pd.DataFrame) -> pd.DataFrame:
    for col in out.columns:
        if out[col].dtype == object and out[col].map(type).nunique() > 1:
            out[col] = out[col].astype(str)  # e.g. an override given as 4 in one job and "4.5" in another
    return out


def collect_batched(sweep: Path, table: str = "timeseries") -> pd.DataFrame:
    """:func:`collect` of a sweep written in batches: its part files read with pyarrow, no job folders."""
    df, failed, errors = batches.read(sweep, table)
    df = _tidy(df)
    finished = sorted(df["job"].unique(), key=int) if len(df) else []
    total = expected_jobs(sweep / "multirun.yaml")
    seen = set(finished) | set(failed)
    df.attrs = {"sweep_dir": str(sweep), "table": table, "finished": list(finished), "failed": failed,
                "missing": [str(i) for i in range(total or 0) if str(i) not in seen], "errors": errors}
    return df


def _combine(frames: list[pd.DataFrame], root: Path, table: str) -> pd.DataFrame:
    """Several collected sweeps as one, their job names prefixed with the sweep's folder."""
    parts, attrs = [], {"sweep_dir": str(root), "table": table, "finished": [], "failed": [], "missing": [],
                        "errors": {}}
    for df in frames:
        prefix = Path(df.attrs["sweep_dir"]).relative_to(root).as_posix() + "/"
        df = df.assign(job=prefix + df["job"].astype(str))
        for key in ("finished", "failed", "missing"):
            attrs[key] += [prefix + j for j in df.attrs[key]]
        attrs["errors"].update({prefix + j: e for j, e in df.attrs["errors"].items()})
        parts.append(df)
    out = _tidy(pd.concat(parts, ignore_index=True))
    out.attrs = attrs
    return out


def _last_line(path: Path) -> str:
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


EXIT_STATUS = ("exit status: 0 when every job of the sweep finished; 1 when any job failed or is missing (the table "
               "of the finished jobs is still written; --allow-missing makes this 0) or when no job finished (nothing "
               "written); 2 when SWEEP_DIR does not exist or the arguments are wrong.")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0].strip("`: "), epilog=EXIT_STATUS)
    p.add_argument("sweep_dir", type=Path, help="a Hydra multirun folder (or a folder of several)")
    p.add_argument("--out", "-o", type=Path, default=None,
                   help="output Parquet file (default SWEEP_DIR/collected.parquet)")
    p.add_argument("--table", default="timeseries", help="which per-job table to gather: timeseries (default) or schools")
    p.add_argument("--csv", action="store_true", help="write the table as CSV too (same name, .csv)")
    p.add_argument("--allow-missing", action="store_true",
                   help="exit 0 even when some jobs failed or are missing (if at least one finished)")
    p.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)  # the default now; kept for old scripts
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    args = p.parse_args(argv)
    try:
        df = collect(args.sweep_dir, args.table, progress=not args.quiet)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    print("\n".join(report_lines(df)), file=sys.stderr)
    if df.empty:
        print("error: no job finished; nothing written", file=sys.stderr)
        sys.exit(1)
    name = "collected.parquet" if args.table == "timeseries" else f"collected_{args.table}.parquet"
    out = args.out or args.sweep_dir / name
    write_parquet(df, out)
    if args.csv:
        df.to_csv(out.with_suffix(".csv"), index=False)
    swept = [c for c in df.columns[1: list(df.columns).index("step")] if df[c].nunique(dropna=False) > 1] \
        if "step" in df.columns else []
    print(f"{len(df)} rows ({df['job'].nunique()} runs x steps), swept: {', '.join(swept) or 'nothing'} -> {out}"
          + (f" and {out.with_suffix('.csv')}" if args.csv else ""))
    incomplete = len(df.attrs["failed"]) + len(df.attrs["missing"])
    if incomplete and not args.allow_missing:
        print(f"error: {incomplete} job(s) failed or missing; the table holds the finished ones "
              f"(--allow-missing to accept that)", file=sys.stderr)
        sys.exit(1)


def report_lines(df: pd.DataFrame) -> list[str]:
    """What ``collect`` found: jobs finished, failed and missing."""
    a = df.attrs
    total = len(a["finished"]) + len(a["failed"]) + len(a["missing"])
    lines = [f"{len(a['finished'])} of {total} jobs finished"]
    if a["failed"]:
        lines.append(f"failed or unfinished (no {FINISHED} or no {a.get('table', 'timeseries')}.parquet): "
                     f"{', '.join(a['failed'][:20])}"
                     + (" ..." if len(a["failed"]) > 20 else ""))
    for job, error in list(a.get("errors", {}).items())[:5]:
        lines.append(f"  job {job}: {error} (see {job}/{ERROR})")
    if a["missing"]:
        lines.append(f"missing (no folder): {', '.join(a['missing'][:20])}" + (" ..." if len(a["missing"]) > 20 else ""))
    return lines


if __name__ == "__main__":
    main()
