"""What a run leaves behind says what it is: the version in summary.json, each column's unit and
description and the grade codes in the Parquet metadata, and CSV next to Parquet on request."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import simulation
from simulation import SchoolSystem
from simulation.measures.registry import METRICS
from simulation.params.schema import ModelConfig
from simulation.run.runner import GRADE_CODES, PANEL_COLUMNS, read_units, write_run

UPCONV = str(Path(sys.executable).parent / "upconv")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("outputs") / "run"
    res = subprocess.run([UPCONV, "years=1", "seed=2", "collect_school_panel=true", "write_figures=false",
                          f"hydra.run.dir={out}"], capture_output=True, text=True, timeout=300, cwd=out.parent)
    assert res.returncode == 0, res.stderr
    return out


def test_summary_records_the_version(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["version"] == simulation.__version__  # the one source of the version
    assert re.fullmatch(r"\d+\.\d+\.\d+", summary["version"])


def test_every_time_series_column_has_its_unit_from_the_registry(run_dir):
    path = run_dir / "timeseries.parquet"
    units = read_units(path)
    df = pd.read_parquet(path)
    assert set(units) == set(df.columns)  # every column, none invented
    for name, metric in METRICS.items():
        assert units[name] == {"unit": metric.unit, "description": metric.description}
    assert units["step"]["unit"] == "term"
    meta = pq.read_schema(path).metadata
    assert meta[b"version"].decode() == simulation.__version__


def test_school_panel_has_grade_codes_and_units(run_dir):
    path = run_dir / "schools.parquet"
    meta = pq.read_schema(path).metadata
    codes = json.loads(meta[b"grade_codes"])
    assert codes == {"1": "outstanding", "2": "good", "3": "requires improvement", "4": "inadequate"}
    assert {int(k): v for k, v in codes.items()} == GRADE_CODES
    units = read_units(path)
    df = pd.read_parquet(path)
    assert set(units) == set(df.columns) and set(df.grade) <= set(GRADE_CODES)
    assert units["grade"]["unit"] == "code" and "1 outstanding" in units["grade"]["description"]
    assert all(units[c]["unit"] == PANEL_COLUMNS[c][0] for c in df.columns if c in PANEL_COLUMNS)


def test_no_csv_unless_asked(run_dir):
    assert not list(run_dir.glob("*.csv"))


def test_csv_next_to_parquet_when_the_config_asks(tmp_path, monkeypatch):
    if "write_csv" in {f.name for f in dataclasses.fields(ModelConfig)}:
        model = SchoolSystem(scenario="teaching", rng=0, collect_school_panel=True, write_csv=True)
    else:  # the schema field is to come; until then a class attribute stands in for it
        monkeypatch.setattr(ModelConfig, "write_csv", True, raising=False)
        model = SchoolSystem(scenario="teaching", rng=0, collect_school_panel=True)
    model.run_for(2)
    write_run(tmp_path, model, figures=False)
    for name in ("timeseries", "schools"):
        parquet = pd.read_parquet(tmp_path / f"{name}.parquet")
        csv = pd.read_csv(tmp_path / f"{name}.csv")
        assert list(csv.columns) == list(parquet.columns) and len(csv) == len(parquet)
        pd.testing.assert_frame_equal(csv, parquet, check_dtype=False)
    assert not list(tmp_path.glob(".*.tmp*"))


@pytest.mark.parametrize("overrides", [["scenario=teaching"], ["scenario=england", "strategy=upwards_convergence"],
                                       *[[f"+experiment={p.stem}"] for p in sorted(
                                           (Path(__file__).resolve().parents[2] / "conf" / "experiment").glob("*.yaml"))]])
def test_config_dict_is_omegaconfs_container(overrides):
    """The config hash (resuming sweeps) reads the config as OmegaConf's container would, only faster."""
    from omegaconf import OmegaConf

    from simulation.run.runner import config_dict
    from simulation.run.sweeps import model_config

    cfg = model_config(overrides)
    assert config_dict(cfg) == OmegaConf.to_container(OmegaConf.structured(cfg), resolve=True, enum_to_str=True)
