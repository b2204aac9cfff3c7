"""Running one simulation and writing its outputs: used by the CLI, `make run` and experiments.

Outputs of a run folder: ``timeseries.parquet`` (one row per step), ``attainment.png``,
``schools.parquet`` (with ``collect_school_panel=true``), ``timeseries.csv`` / ``schools.csv``
next to them when the config asks for CSV (``write_csv``), and ``summary.json`` (final-year
metrics, the upwards-convergence index, config hash, package version, git commit, seed),
written last as the mark of a finished run. Every file is written to a temporary name and
renamed, so a folder never holds a half-written file.

Every Parquet table carries in its schema metadata what its columns mean
(:func:`parquet_metadata`): ``units`` (JSON, column -> ``{"unit", "description"}``, from the
metric registry :data:`simulation.measures.registry.METRICS`, the schema's parameter units and
:data:`PANEL_COLUMNS`), ``version`` (the package's) and, for tables with a ``grade`` column,
``grade_codes`` (:data:`GRADE_CODES`). Read it with :func:`read_units`.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import os
import subprocess
import typing
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from simulation import __version__
from simulation.measures.index import final_summary
from simulation.measures.registry import METRICS
from simulation.model import SchoolSystem
from simulation.params.enums import Grade
from simulation.params.schema import ModelConfig

#: The school panel's ``grade`` integers (the inspectorate's four grades).
GRADE_CODES: dict[int, str] = {g.value: g.name.replace("_", " ") for g in Grade}

#: Unit and meaning of the columns of the school panel (``schools.parquet``) and of the tables'
#: bookkeeping columns; the time series' own columns come from the metric registry.
PANEL_COLUMNS: dict[str, tuple[str, str]] = {
    "step": ("term", "Terms since the start of the run (0 = the initial state)."),
    "school": ("index", "The school's row in the run (0 .. n_schools - 1)."),
    "attainment": ("share", "Share of the school's pupils reaching the benchmark."),
    "grade": ("code", "Latest inspection grade: 1 outstanding, 2 good, 3 requires improvement, 4 inadequate."),
    "knowledge": ("pupil SD", "Mean effective knowledge of the school's staff."),
    "km_capacity": ("0-1", "The school's knowledge-management capacity."),
    "moral_capital": ("0-1", "The school's moral capital (willingness to help other schools)."),
    "leadership": ("0-1", "The school's leadership capacity."),
    "special_measures": ("bool", "In special measures (inadequate without leadership capacity)."),
    "below_floor": ("bool", "Below the floor standard in force."),
    "supporting": ("bool", "Releasing staff to support another school."),
    "degree": ("partnerships", "Live partnerships the school is in."),
    "coaching_days": ("staff days/term", "Staff days for coach training and released coaching time this term."),
    "external_gain": ("pupil SD", "Mean knowledge gain per post from partners this term."),
    "pilot": ("bool", "Member of a Growing the Top pilot trio."),
    "secondary": ("bool", "A secondary school (else primary)."),
    "pupils": ("pupils", "Pupils on roll."),
    "job": ("-", "The job's folder, relative to the sweep folder."),
    "scenario": ("-", "Scenario (conf/scenario/)."),
    "strategy": ("-", "Strategy (conf/strategy/)."),
    "seed": ("-", "Random seed of the run."),
}


def config_dict(cfg: ModelConfig) -> dict[str, Any]:
    """The config as plain data (enums by name), as ``OmegaConf.to_container(OmegaConf.structured(cfg),
    enum_to_str=True)`` gives it, in a fraction of a millisecond instead of a tenth of a second
    (which every job of a sweep pays to hash its config)."""
    return _plain(cfg)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def config_hash(cfg: ModelConfig) -> str:
    text = json.dumps(config_dict(cfg), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def simulate(cfg: ModelConfig, progress: bool = False, years: int | None = None) -> SchoolSystem:
    model = SchoolSystem(config=cfg, rng=cfg.seed)
    steps = int(round((years if years is not None else cfg.years) * cfg.steps_per_year))
    terms: Any = range(steps)
    if progress:  # no tqdm at all otherwise: its lock is a semaphore that a killed sweep worker would leak
        terms = tqdm(terms, desc=f"{cfg.scenario}/{cfg.strategy.name.value} seed {cfg.seed}", unit="term", leave=False)
    for _ in terms:
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
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:  # an error or Ctrl-C mid-write: no temporary file left behind
        tmp.unlink(missing_ok=True)
        raise


# --- what the columns mean --------------------------------------------------------------------

def _parameter(path: str) -> tuple[str, str] | None:
    """Unit and help of a schema parameter given by its dotted path (``coaching.coaching_time``)."""
    cls: Any = ModelConfig
    found = None
    for part in path.split("."):
        if not dataclasses.is_dataclass(cls):
            return None
        field = {f.name: f for f in dataclasses.fields(cls)}.get(part)
        if field is None:
            return None
        found, cls = field, typing.get_type_hints(cls).get(part)
    if found is None or not found.metadata:
        return None
    return found.metadata.get("unit") or "-", found.metadata.get("help", "")


def column_units(columns: list[str]) -> dict[str, dict[str, str]]:
    """Unit and description of each column that has one: metrics, panel columns, parameters."""
    out = {}
    for col in columns:
        name = col.removeprefix("param.")
        if name in METRICS:
            unit, text = METRICS[name].unit, METRICS[name].description
        elif name in PANEL_COLUMNS:
            unit, text = PANEL_COLUMNS[name]
        elif (doc := _parameter(name)) is not None:
            unit, text = doc[0], f"Parameter {name}: {doc[1]}"
        else:
            continue
        out[col] = {"unit": unit, "description": text}
    return out


def parquet_metadata(df: pd.DataFrame) -> dict[str, str]:
    """The schema metadata of one of our tables: ``units``, ``version``, ``grade_codes``."""
    meta = {"units": json.dumps(column_units(list(df.columns))), "version": __version__}
    if "grade" in df.columns:
        meta["grade_codes"] = json.dumps({str(k): v for k, v in GRADE_CODES.items()})
    return meta


def write_parquet(df: pd.DataFrame, path: Path, metadata: dict[str, str] | None = None) -> None:
    """``df.to_parquet(path, index=False)`` with :func:`parquet_metadata` in the schema, written atomically."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    extra = parquet_metadata(df) if metadata is None else metadata
    if df.attrs:  # as pandas' own to_parquet keeps them (read back by pd.read_parquet)
        extra = {"PANDAS_ATTRS": json.dumps(df.attrs), **extra}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           **{k.encode(): v.encode() for k, v in extra.items()}})
    atomic_write(Path(path), lambda p: pq.write_table(table, p))


def read_units(path: str | Path) -> dict[str, dict[str, str]]:
    """Column -> ``{"unit", "description"}`` from a Parquet file's schema metadata ({} if none)."""
    meta = pq.read_schema(path).metadata or {}
    return json.loads(meta.get(b"units", b"{}"))


def timeseries(model: SchoolSystem) -> pd.DataFrame:
    df = model.metrics().reset_index(drop=True)
    df.insert(0, "step", range(len(df)))
    return df


def write_run(out_dir: Path, model: SchoolSystem, figures: bool = True) -> dict[str, Any]:
    """Write a finished run's outputs into ``out_dir``; returns the summary."""
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = model.cfg
    df = timeseries(model)
    csv = bool(getattr(cfg, "write_csv", False))  # a schema field to come; False until it exists
    write_parquet(df, out_dir / "timeseries.parquet")
    if csv:
        atomic_write(out_dir / "timeseries.csv", lambda p: df.to_csv(p, index=False))
    if cfg.collect_school_panel:
        panel = model.school_panel()
        write_parquet(panel, out_dir / "schools.parquet")
        if csv:
            atomic_write(out_dir / "schools.csv", lambda p: panel.to_csv(p, index=False))
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


#: The columns that name a run in a collected table, from its config (then its overrides).
IDENTITY = ("scenario", "strategy", "seed")


def run_parameters(config: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """A run's ``scenario``, ``strategy`` and ``seed`` from its composed config, then one entry
    per command-line override (named by its key without ``+``/``~``; numbers stay numbers, lists
    and dicts are kept as their override text): the first columns of a collected table."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    strategy = config.get("strategy")
    out: dict[str, Any] = {"scenario": config.get("scenario"),
                           "strategy": strategy.get("name") if isinstance(strategy, dict) else strategy,
                           "seed": config.get("seed")}
    for override in OverridesParser.create().parse_overrides(list(overrides)):
        key = override.key_or_group
        if key in IDENTITY or override.is_delete():
            continue
        value = override.value()
        out[key] = value if isinstance(value, (bool, int, float, str)) or value is None \
            else override.get_value_element_as_str()
    return out


def _title(cfg: ModelConfig) -> str:
    return f"{cfg.scenario} - {cfg.strategy.name.value} - seed {cfg.seed}"


__all__ = ["GRADE_CODES", "IDENTITY", "PANEL_COLUMNS", "column_units", "config_dict", "config_hash", "parquet_metadata",
           "read_units", "run_parameters", "simulate", "timeseries", "write_parquet", "write_run"]
