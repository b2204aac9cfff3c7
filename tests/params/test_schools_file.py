"""Your own schools (system.schools_file): the example file runs end to end through the real
command; every bad file, row or column gives one sentence naming it, exit 2, nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from simulation import ConfigError, SchoolSystem
from simulation.params.schools_file import filled_in, read_schools

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "example_schools.csv"
UPCONV = str(Path(sys.executable).parent / "upconv")


def _write(tmp_path, frame: pd.DataFrame, name="schools.csv") -> str:
    path = tmp_path / name
    frame.to_parquet(path) if name.endswith(".parquet") else frame.to_csv(path, index=False)
    return str(path)


def _frame() -> pd.DataFrame:
    return pd.read_csv(EXAMPLE)


def test_example_file_runs_end_to_end_through_upconv(tmp_path):
    out = tmp_path / "run"
    res = subprocess.run([UPCONV, f"system.schools_file={EXAMPLE}", "strategy=upwards_convergence", "years=2",
                          "write_figures=false", f"hydra.run.dir={out}"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["years"] == 2
    said = res.stdout + res.stderr  # Hydra sends the log to the console and to the run's cli.log
    assert "60 schools in 3 regions" in said and "attainment (6 of 60 schools)" in said
    assert "60 schools in 3 regions" in (out / "cli.log").read_text()


def test_file_sets_schools_phases_sizes_regions_and_grades():
    table = read_schools(str(EXAMPLE))
    model = SchoolSystem(rng=0, system__schools_file=str(EXAMPLE))
    sc = model.schools
    assert sc.n == 60 == model.cfg.system.n_schools
    np.testing.assert_array_equal(sc.pupils, table.pupils)
    np.testing.assert_array_equal(sc.secondary, table.secondary)
    assert set(sc.region) == {0, 1, 2}
    np.testing.assert_array_equal(sc.grade, table.grade)  # the file's latest judgements are the starting grades
    # eastings and northings become km from the south-west corner of the file's schools
    assert sc.x.min() == 0 and sc.y.min() == 0
    raw = pd.read_csv(EXAMPLE)
    assert np.isclose(sc.x.max(), np.ptp(raw["Easting"]) / 1000) and np.isclose(sc.y.max(), np.ptp(raw["Northing"]) / 1000)


def test_starting_attainment_follows_the_file():
    table = read_schools(str(EXAMPLE))
    model = SchoolSystem(rng=0, system__schools_file=str(EXAMPLE), cohort_noise=0.0)
    given = ~np.isnan(table.attainment)
    np.testing.assert_allclose(model.schools.attainment[given], table.attainment[given], atol=1e-3)


def test_disadvantage_orders_intake_context_where_attainment_is_missing(tmp_path):
    frame = _frame().drop(columns=["attainment_percent"])
    model = SchoolSystem(rng=0, system__schools_file=_write(tmp_path, frame))
    rho = spearmanr(model.schools.context, frame["disadvantaged_percent"]).statistic
    assert rho < -0.999  # ties in the rounded percentages aside, a perfect reverse order


def test_filled_in_says_what_was_drawn(tmp_path):
    frame = _frame().drop(columns=["OfstedRating (name)", "attainment_percent", "disadvantaged_percent"])
    text = "; ".join(filled_in(read_schools(_write(tmp_path, frame))))
    assert "grade (all schools)" in text and "attainment (all schools)" in text and "intake context" in text


def test_short_names_and_parquet_and_latitude_work(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "pupils": [200, 900, 300], "phase": ["primary", "secondary", "Primary"],
                          "latitude": [51.5, 51.6, 51.4], "longitude": [-0.1, -0.2, 0.0], "region": ["X", "X", "Y"],
                          "grade": [1, 2, None], "teachers": [10, 60, None]})
    model = SchoolSystem(rng=0, system__schools_file=_write(tmp_path, frame, "s.parquet"))
    assert list(model.schools.n_staff[:2]) == [10, 60] and model.schools.grade[0] == 1


BAD = [
    (lambda f: f.drop(columns=["NumberOfPupils"]), "must have a column pupils"),
    (lambda f: f.assign(**{"PhaseOfEducation (name)": ["Nursery"] + list(f["PhaseOfEducation (name)"][1:])}),
     "row 1, column PhaseOfEducation (name): must be one of primary, secondary"),
    (lambda f: f.assign(NumberOfPupils=[100, -5] + list(f.NumberOfPupils[2:])),
     "row 2, column NumberOfPupils: must be a whole number of at least 1"),
    (lambda f: f.assign(URN=[900001, 900001] + list(f.URN[2:])), "ids must be unique; '900001' is also on row 1"),
    (lambda f: f.assign(**{"OfstedRating (name)": ["Brilliant"] + list(f["OfstedRating (name)"][1:])}),
     "row 1, column OfstedRating (name): must be 1-4 or one of Outstanding"),
    (lambda f: f.drop(columns=["Easting"]), "must locate schools by easting and northing or by latitude"),
    (lambda f: f.assign(attainment_percent=[140] + list(f.attainment_percent[1:])),
     "row 1, column attainment_percent: must be a number of at least 0 and at most 100"),
]


@pytest.mark.parametrize("change, message", BAD, ids=[m[:30] for _, m in BAD])
def test_bad_file_names_file_row_column_and_value(tmp_path, change, message):
    path = _write(tmp_path, change(_frame()))
    with pytest.raises(ConfigError) as err:
        SchoolSystem(rng=0, system__schools_file=path)
    assert message in str(err.value) and "schools.csv" in str(err.value)
    assert str(err.value).count(".") >= 1 and "\n" not in str(err.value)


def test_bad_file_through_upconv_exits_2_and_writes_nothing(tmp_path):
    path = _write(tmp_path, _frame().drop(columns=["LA (name)"]))
    out = tmp_path / "run"
    res = subprocess.run([UPCONV, f"system.schools_file={path}", "years=1", f"hydra.run.dir={out}"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and "must have a column region" in res.stderr, res.stderr
    assert not out.exists()


def test_missing_file_is_one_sentence(tmp_path):
    with pytest.raises(ConfigError, match="system.schools_file must be an existing CSV or Parquet file"):
        SchoolSystem(rng=0, system__schools_file=str(tmp_path / "nope.csv"))
