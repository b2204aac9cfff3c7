"""Your own schools: a list of schools (CSV or Parquet) to start a scenario from.

``system.schools_file=PATH`` replaces the generated schools by the rows of a file. Column names
follow England's public school register (Get Information about Schools, GIAS) and the school
performance tables where they exist, so a downloaded file needs little renaming; the short
names work too. One row per school:

=================  ==================================  =========================================
column             also accepted                       meaning
=================  ==================================  =========================================
id (required)      URN                                 unique school identifier
pupils (required)  NumberOfPupils                      pupils on roll (whole number >= 1)
phase (required)   PhaseOfEducation (name)             primary / secondary (GIAS: Primary,
                                                       Middle deemed primary, Secondary, Middle
                                                       deemed secondary, All-through)
easting, northing  Easting, Northing                   British National Grid metres; or
latitude,          Latitude, Longitude                 degrees (either pair is required)
longitude
region (required)  local_authority, LA (name),         the local authority (or region) a school
                   GOR (name)                          belongs to, any label
name               EstablishmentName                   optional
grade              OfstedRating (name),                latest inspection: 1-4 or Outstanding /
                   ofsted_grade                        Good / Requires improvement /
                                                       Inadequate (Serious Weaknesses, Special
                                                       Measures count as inadequate)
attainment         attainment_percent                  share (0-1) or percent (0-100) of pupils
                                                       at the benchmark
disadvantaged      disadvantaged_percent, PTFSM6CLA1A  share (0-1) or percent (0-100) of
                                                       disadvantaged pupils
teachers           teachers_fte                        full-time-equivalent teachers
=================  ==================================  =========================================

What a file leaves out is drawn from the calibrated defaults, and :func:`filled_in` says what.
Every problem gives one sentence naming the file, the row (1 = first data row) or column, the
allowed values and the value given; nothing runs on a bad file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulation.params.checks import ConfigError

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "URN", "urn"),
    "pupils": ("pupils", "NumberOfPupils"),
    "phase": ("phase", "PhaseOfEducation (name)"),
    "easting": ("easting", "Easting"),
    "northing": ("northing", "Northing"),
    "latitude": ("latitude", "Latitude"),
    "longitude": ("longitude", "Longitude"),
    "region": ("region", "local_authority", "LA (name)", "GOR (name)"),
    "name": ("name", "EstablishmentName"),
    "grade": ("grade", "ofsted_grade", "OfstedRating (name)"),
    "attainment": ("attainment", "attainment_percent"),
    "disadvantaged": ("disadvantaged", "disadvantaged_percent", "PTFSM6CLA1A"),
    "teachers": ("teachers", "teachers_fte"),
}
REQUIRED = ("id", "pupils", "phase", "region")
OPTIONAL = ("name", "grade", "attainment", "disadvantaged", "teachers")
PHASES = {"primary": False, "middle deemed primary": False, "infant": False, "junior": False,
          "secondary": True, "middle deemed secondary": True, "all-through": True, "all through": True}
GRADES = {"outstanding": 1, "good": 2, "requires improvement": 3, "satisfactory": 3, "inadequate": 4,
          "serious weaknesses": 4, "special measures": 4}


@dataclass(frozen=True)
class SchoolsTable:
    """A validated list of schools; optional columns hold NaN (or -1 for grade) where not given."""

    path: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    pupils: np.ndarray  # int
    secondary: np.ndarray  # bool
    x: np.ndarray  # location, km east of the westernmost school
    y: np.ndarray
    region: np.ndarray  # int code of the region / local authority label
    region_names: tuple[str, ...]
    grade: np.ndarray  # int 1-4, -1 where not given
    attainment: np.ndarray  # share, NaN where not given
    disadvantaged: np.ndarray  # share, NaN where not given
    teachers: np.ndarray  # FTE, NaN where not given
    columns: tuple[str, ...]  # which of the canonical columns the file gave

    @property
    def n(self) -> int:
        return self.pupils.size


def filled_in(table: SchoolsTable) -> list[str]:
    """What the run draws from the calibrated defaults because the file does not give it."""
    out = []
    for column, values, missing in (("grade", table.grade, table.grade < 0),
                                    ("attainment", table.attainment, np.isnan(table.attainment)),
                                    ("teachers", table.teachers, np.isnan(table.teachers))):
        if missing.all():
            out.append(f"{column} (all schools)")
        elif missing.any():
            out.append(f"{column} ({int(missing.sum())} of {table.n} schools)")
    if "disadvantaged" not in table.columns and "attainment" not in table.columns:
        out.append("intake context (all schools, from the calibrated distribution)")
    return out


def read_schools(path: str) -> SchoolsTable:
    """The validated schools of a CSV or Parquet file (cached while the file is unchanged)."""
    p = Path(path)
    if not p.is_file():
        raise ConfigError(f"system.schools_file must be an existing CSV or Parquet file; got {path!r}, which does not exist.")
    return _read(str(p.resolve()), p.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _read(path: str, _mtime: int) -> SchoolsTable:
    import pandas as pd

    name = Path(path).name
    try:
        frame = pd.read_parquet(path) if path.endswith((".parquet", ".pq")) else pd.read_csv(path, comment="#")
    except Exception as exc:  # any reader failure is a bad file, said in one sentence
        raise ConfigError(f"system.schools_file {name} must be a CSV or Parquet table of schools; it could not be "
                          f"read ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'empty'}).") from None
    columns = _canonical_columns(frame, name)
    if len(frame) == 0:
        raise ConfigError(f"system.schools_file {name} must list at least one school; it has no rows.")
    col = {canon: frame[source] for canon, source in columns.items()}

    ids = [str(v).strip() for v in col["id"]]
    _no_blanks(name, "id", col["id"], [v == "" for v in ids])
    seen: dict[str, int] = {}
    for row, v in enumerate(ids, start=1):
        if v in seen:
            raise ConfigError(f"{name} row {row}, column {columns['id']}: ids must be unique; {v!r} is also on row {seen[v]}.")
        seen[v] = row
    pupils = _numbers(name, columns["pupils"], col["pupils"], lo=1, whole=True)
    secondary = _phases(name, columns["phase"], col["phase"])
    x, y = _locations(name, columns, col)
    labels = [str(v).strip() for v in col["region"]]
    _no_blanks(name, columns["region"], col["region"], [v == "" or v.lower() == "nan" for v in labels])
    region_names = tuple(sorted(set(labels)))
    region = np.searchsorted(np.array(region_names), np.array(labels)).astype(np.int64)
    n = len(frame)
    grade = _grades(name, columns["grade"], col["grade"]) if "grade" in col else np.full(n, -1, dtype=np.int64)
    attainment = _shares(name, columns["attainment"], col["attainment"]) if "attainment" in col else np.full(n, np.nan)
    disadvantaged = (_shares(name, columns["disadvantaged"], col["disadvantaged"]) if "disadvantaged" in col
                     else np.full(n, np.nan))
    teachers = (_numbers(name, columns["teachers"], col["teachers"], lo=1, optional=True) if "teachers" in col
                else np.full(n, np.nan))
    names = tuple(str(v) for v in col["name"]) if "name" in col else tuple(ids)
    return SchoolsTable(path=path, ids=tuple(ids), names=names, pupils=pupils.astype(np.int64), secondary=secondary,
                        x=x, y=y, region=region, region_names=region_names, grade=grade, attainment=attainment,
                        disadvantaged=disadvantaged, teachers=teachers, columns=tuple(columns))


def _canonical_columns(frame, name: str) -> dict[str, str]:
    """Canonical name -> the file's column, each canonical column from one file column."""
    out = {}
    for canon, aliases in ALIASES.items():
        present = [a for a in aliases if a in frame.columns]
        if len(present) > 1:
            raise ConfigError(f"{name} must give {canon} in one column; it has {present}.")
        if present:
            out[canon] = present[0]
    missing = [c for c in REQUIRED if c not in out]
    if missing:
        c = missing[0]
        raise ConfigError(f"{name} must have a column {c} (or one of {list(ALIASES[c][1:])}); its columns are "
                          f"{list(frame.columns)}.")
    grid, geo = {"easting", "northing"} <= set(out), {"latitude", "longitude"} <= set(out)
    if not (grid or geo):
        raise ConfigError(f"{name} must locate schools by easting and northing or by latitude and longitude; its "
                          f"columns are {list(frame.columns)}.")
    return out


def _no_blanks(name: str, column: str, values, blank) -> None:
    for row, (is_blank, v) in enumerate(zip(blank, values), start=1):
        if is_blank:
            raise ConfigError(f"{name} row {row}, column {column}: a value is required; got {v!r}.")


def _numbers(name: str, column: str, values, lo: float, whole: bool = False, optional: bool = False,
             hi: float = np.inf) -> np.ndarray:
    out = np.full(len(values), np.nan)
    for row, v in enumerate(values, start=1):
        if optional and (v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == ""):
            continue
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = np.nan
        if not np.isfinite(f) or f < lo or f > hi or (whole and f != int(f)):
            kind = "a whole number" if whole else "a number"
            upper = "" if hi == np.inf else f" and at most {hi:g}"
            raise ConfigError(f"{name} row {row}, column {column}: must be {kind} of at least {lo:g}{upper}; got {v!r}.")
        out[row - 1] = f
    return out


def _shares(name: str, column: str, values) -> np.ndarray:
    """Shares 0-1; a column whose values exceed 1 is read as percent (0-100)."""
    raw = _numbers(name, column, values, lo=0, optional=True, hi=100)
    percent = "percent" in column.lower() or column.startswith("PT") or np.nanmax(raw, initial=0) > 1
    return raw / 100 if percent else raw


def _phases(name: str, column: str, values) -> np.ndarray:
    out = np.empty(len(values), dtype=bool)
    for row, v in enumerate(values, start=1):
        key = str(v).strip().lower()
        if key not in PHASES:
            raise ConfigError(f"{name} row {row}, column {column}: must be one of primary, secondary (or the GIAS "
                              f"phases {', '.join(k for k in PHASES if k not in ('primary', 'secondary'))}); got {v!r}.")
        out[row - 1] = PHASES[key]
    return out


def _grades(name: str, column: str, values) -> np.ndarray:
    out = np.full(len(values), -1, dtype=np.int64)
    for row, v in enumerate(values, start=1):
        if v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "":
            continue
        key = str(v).strip().lower()
        if key in GRADES:
            out[row - 1] = GRADES[key]
            continue
        try:
            g = float(key)
        except ValueError:
            g = np.nan
        if g not in (1, 2, 3, 4):
            raise ConfigError(f"{name} row {row}, column {column}: must be 1-4 or one of Outstanding, Good, Requires "
                              f"improvement, Inadequate (or empty); got {v!r}.")
        out[row - 1] = int(g)
    return out


def _locations(name: str, columns: dict[str, str], col) -> tuple[np.ndarray, np.ndarray]:
    if "easting" in col and "northing" in col:
        e = _numbers(name, columns["easting"], col["easting"], lo=-1e7, hi=1e7)
        n = _numbers(name, columns["northing"], col["northing"], lo=-1e7, hi=1e7)
    else:
        lat = _numbers(name, columns["latitude"], col["latitude"], lo=-90, hi=90)
        lon = _numbers(name, columns["longitude"], col["longitude"], lo=-180, hi=180)
        # equirectangular metres around the mean latitude: distances stay right within a country
        e = np.radians(lon) * 6_371_000 * np.cos(np.radians(lat.mean()))
        n = np.radians(lat) * 6_371_000
    return (e - e.min()) / 1000.0, (n - n.min()) / 1000.0  # km from the south-west corner
