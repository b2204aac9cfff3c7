"""Many runs, few files: a sweep's results written in batches, one Parquet file per chunk of runs (``upconv -m --runs-per-file N``), read back by ``upconv-collect``.

Each run of a sweep normally gets its own folder of files (Hydra's ``.hydra/`` files, the tables,
the figure, ``summary.json``). At thousands of runs that is a great many small files, which shared
file systems on clusters handle badly. In batch mode (``--runs-per-file N``) Hydra writes no job
folders and no per-job files (``hydra.output_subdir=null``, every job's output folder is the sweep
folder, one shared log), and the runs' rows go to::

    SWEEP/batches/timeseries/part-00000.parquet     jobs 0 .. N-1
    SWEEP/batches/timeseries/part-00001.parquet     jobs N .. 2N-1 ...
    SWEEP/batches/schools/part-00000.parquet        (runs with collect_school_panel=true)
    SWEEP/batches/errors/17.txt                     the traceback of a failed job, if any

Each file holds the rows of a collected table (``job``, ``scenario``, ``strategy``, ``seed``, the
job's overrides, the run's columns) plus ``config_hash``. A finished job first writes its rows
to ``batches/TABLE/staging/CHUNK/JOB.parquet``; the job that completes a chunk (every job of the
chunk finished or failed) merges the chunk into its part file and removes the staged ones, and the
launching process merges whatever is left when the sweep ends. Every file is written to a
temporary name and renamed, and merging is idempotent, so a job killed at any point loses only
itself. Running the same command again (with the same ``hydra.sweep.dir``) skips every job whose
rows are stored with the same config hash.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from simulation.run.runner import atomic_write, config_hash, run_parameters, write_parquet

BATCHES = "batches"
ENV = "UPCONV_RUNS_PER_FILE"  # set for each job through hydra.job.env_set by `upconv --runs-per-file`
TABLES = ("timeseries", "schools")


def runs_per_file(hydra_cfg: Any) -> int | None:
    """N of a job launched with ``--runs-per-file N`` (from its Hydra config), else None."""
    value = (hydra_cfg.job.get("env_set") or {}).get(ENV)
    return int(value) if value else None


def part_path(sweep: Path, table: str, chunk: int) -> Path:
    return sweep / BATCHES / table / f"part-{chunk:05d}.parquet"


def staged_path(sweep: Path, table: str, chunk: int, num: int) -> Path:
    return sweep / BATCHES / table / "staging" / f"{chunk:05d}" / f"{num:07d}.parquet"


def error_path(sweep: Path, num: int) -> Path:
    return sweep / BATCHES / "errors" / f"{num}.txt"


@functools.lru_cache(maxsize=8)
def _stored(path: str, mtime_ns: int) -> dict[str, str]:
    """job -> config hash of the rows in one Parquet file (cached per file version)."""
    table = pq.read_table(path, columns=["job", "config_hash"])
    return dict(zip(table.column("job").to_pylist(), table.column("config_hash").to_pylist(), strict=True))


def stored_hashes(path: Path) -> dict[str, str]:
    try:
        return _stored(str(path), path.stat().st_mtime_ns)
    except (OSError, pa.ArrowException):
        return {}


def finished(sweep: Path, num: int, per_file: int, digest: str) -> bool:
    """Whether job ``num`` is stored (staged or merged) with this config hash."""
    chunk = num // per_file
    for path in (staged_path(sweep, "timeseries", chunk, num), part_path(sweep, "timeseries", chunk)):
        if stored_hashes(path).get(str(num)) == digest:
            return True
    return False


def write_job(sweep: Path, num: int, per_file: int, total: int | None, tables: dict[str, pd.DataFrame],
              config: dict[str, Any], overrides: list[str], cfg: Any) -> None:
    """Stage one finished job's tables, then merge its chunk if the chunk is complete."""
    params = {"job": str(num), **run_parameters(config, overrides)}
    chunk = num // per_file
    for name, df in tables.items():
        df = df.copy()
        for i, (key, value) in enumerate(params.items()):
            df.insert(i, key if key not in df.columns else f"param.{key}", value)
        df["config_hash"] = config_hash(cfg)
        path = staged_path(sweep, name, chunk, num)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_parquet(df, path)
    error_path(sweep, num).unlink(missing_ok=True)
    if total is not None:
        merge(sweep, chunk, per_file, total)


def record_error(sweep: Path, num: int, text: str) -> None:
    path = error_path(sweep, num)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, lambda p: p.write_text(text))


def _failed(sweep: Path) -> set[int]:
    folder = sweep / BATCHES / "errors"
    return {int(p.stem) for p in folder.glob("*.txt") if p.stem.isdigit()} if folder.is_dir() else set()


def merge(sweep: Path, chunk: int, per_file: int, total: int | None, force: bool = False) -> bool:
    """Merge the staged runs of a chunk into its part file (with the runs already there), when every
    job of the chunk has finished or failed, or always with ``force``. Safe to run twice at once:
    both write the same file, and a merge that finds a staged file gone leaves the work to the other."""
    expected = set(range(chunk * per_file, (chunk + 1) * per_file if total is None else
                         min((chunk + 1) * per_file, total)))
    stage = sweep / BATCHES / "timeseries" / "staging" / f"{chunk:05d}"
    staged = {int(p.stem) for p in stage.glob("*.parquet")} if stage.is_dir() else set()
    if not staged:
        return False
    present = staged | {int(j) for j in stored_hashes(part_path(sweep, "timeseries", chunk))} | _failed(sweep)
    if not force and not expected <= present:
        return False
    for table in TABLES:
        folder = sweep / BATCHES / table / "staging" / f"{chunk:05d}"
        files = sorted(folder.glob("*.parquet")) if folder.is_dir() else []
        if not files:
            continue
        try:
            new = [pq.read_table(p) for p in files]
        except (FileNotFoundError, pa.ArrowException):
            return False  # another process is merging this chunk
        part = part_path(sweep, table, chunk)
        old = pq.read_table(part) if part.exists() else None
        if old is not None:
            redone = pa.array(sorted({str(int(p.stem)) for p in files}))
            old = old.filter(pc.invert(pc.is_in(old.column("job"), value_set=redone)))
        frame = concat([t for t in ([old] if old is not None else []) + new])
        write_parquet(_sorted(frame), part)
        for p in files:
            p.unlink(missing_ok=True)
        _remove_empty(folder)
    return True


def finish(sweep: Path, per_file: int, total: int | None) -> None:
    """Merge every chunk still staged (the launching process, once the sweep has ended)."""
    stage = sweep / BATCHES / "timeseries" / "staging"
    for folder in sorted(stage.glob("*")) if stage.is_dir() else []:
        if folder.name.isdigit():
            merge(sweep, int(folder.name), per_file, total, force=True)


def _remove_empty(folder: Path) -> None:
    for path in (folder, folder.parent):
        try:
            path.rmdir()
        except OSError:
            return


def concat(tables: list[pa.Table]) -> pd.DataFrame:
    """Parquet tables of runs in one frame; a column given as whole numbers in some runs and
    decimals in others becomes decimal, as in a collected table."""
    table = pa.concat_tables([t.replace_schema_metadata(None) for t in tables], promote_options="permissive")
    return table.to_pandas()


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    order = df["job"].astype(int).to_numpy()
    keys = [order, df["step"].to_numpy()] if "step" in df.columns else [order]
    return df.iloc[pd.MultiIndex.from_arrays(keys).argsort(kind="stable")].reset_index(drop=True)


def is_batched(sweep: Path) -> bool:
    return (Path(sweep) / BATCHES).is_dir()


def batched_sweeps(root: Path) -> list[Path]:
    """The sweeps written in batches inside ``root`` (one level or two down), sorted."""
    found = {p.parent for pattern in ("*/batches", "*/*/batches") for p in Path(root).glob(pattern) if p.is_dir()}
    return sorted(found, key=lambda p: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", p.as_posix())])


def read(sweep: Path, table: str = "timeseries") -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """Every stored run of a batched sweep (part files and anything still staged), one row per run
    x step, sorted by job and step; with the jobs that failed (and are not stored) and their last
    error line. A job stored twice (merged and staged again) counts once, its newest rows."""
    folder = Path(sweep) / BATCHES / table
    parts = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    staged = sorted(folder.glob("staging/*/*.parquet")) if folder.is_dir() else []
    tables = [pq.read_table(p) for p in parts + staged]
    df = concat(tables) if tables else pd.DataFrame(columns=["job"])
    if staged and not df.empty:
        df = df.drop_duplicates(["job", "step"] if "step" in df.columns else ["job"], keep="last")
    df = _sorted(df) if not df.empty else df
    stored = set(df["job"].unique())
    failed = sorted((str(n) for n in _failed(Path(sweep)) if str(n) not in stored), key=int)
    errors = {n: _last_line(error_path(Path(sweep), int(n))) for n in failed}
    return df.drop(columns="config_hash", errors="ignore"), failed, errors


def _last_line(path: Path) -> str:
    lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def count_files(sweep: Path) -> int:
    """Files under the sweep folder (what batch mode keeps small)."""
    return sum(len(files) for _, _, files in os.walk(sweep))


__all__ = ["BATCHES", "ENV", "batched_sweeps", "count_files", "error_path", "finish", "finished", "is_batched", "merge", "read",
           "record_error", "runs_per_file", "write_job"]
