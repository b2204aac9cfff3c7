"""The one input checker: every value that reaches the model is checked here, with one
sentence naming the key, the allowed values and what was given (ranges and consistency of a
configuration, the seed, the memory a system needs, keys the schema does not have, with the
closest valid key suggested). Unknown keys and sweep overrides are checked against the schema
in :mod:`simulation.params.loading` and :mod:`simulation.params.hydra` with the helpers here,
and raise the same :class:`ConfigError`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simulation.params.enums import PartnershipType

SEED_MAX = 2**63 - 1


class ConfigError(ValueError):
    """A configuration value is invalid; the message names the key, the allowed values and what was given."""


def _check_ranges(obj: Any, prefix: str) -> None:
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            _check_ranges(value, key + ".")
            continue
        lo, hi = f.metadata.get("range", (None, None))
        values = value if isinstance(value, list) and all(isinstance(v, (int, float)) for v in value) else [value]
        for v in values:
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                continue
            if v != v or (lo is not None and v < lo) or (hi is not None and v > hi):
                raise ConfigError(f"{key} must be between {lo} and {hi} ({f.metadata.get('unit') or 'value'}); got {value!r}.")


def validate(cfg) -> None:
    """Raise ConfigError with one clear sentence for any invalid or inconsistent value."""
    _check_ranges(cfg, "")
    s = cfg.strategy
    shares = [s.low_leverage_cpd, s.internal_coaching, s.school_support, s.external_networks, s.innovation]
    if abs(sum(shares) - 1.0) > 1e-6:
        raise ConfigError("strategy budget shares (low_leverage_cpd, internal_coaching, school_support, "
                          f"external_networks, innovation) must sum to 1; got {shares} (sum {sum(shares):.3f}).")
    grades = cfg.inspection.initial_shares
    if len(grades) != 4 or abs(sum(grades) - 1.0) > 1e-6:
        raise ConfigError(f"inspection.initial_shares must be four shares summing to 1; got {grades}.")
    if len(cfg.inspection.cycle_years) != 4:
        raise ConfigError(f"inspection.cycle_years must have four entries, one per grade; got {cfg.inspection.cycle_years}.")
    if 3 * cfg.pilot.n_trios > cfg.system.n_schools:
        raise ConfigError(f"pilot.n_trios needs 3 schools per trio, so at most {cfg.system.n_schools // 3} with "
                          f"system.n_schools={cfg.system.n_schools}; got {cfg.pilot.n_trios}.")
    sc = cfg.system
    for phase in ("primary", "secondary"):
        pupils, ratio = getattr(sc, f"pupils_{phase}"), getattr(sc, f"pupils_per_teacher_{phase}")
        if pupils < ratio:
            raise ConfigError(f"system.pupils_{phase}={pupils} with system.pupils_per_teacher_{phase}={ratio} gives "
                              "fewer staff than schools; pupils per school must be at least the pupils per teacher.")
    n_types = len(PartnershipType)
    for key in ("initial_depth", "depth_cap"):
        values = getattr(cfg.partnership, key)
        if len(values) != n_types:
            raise ConfigError(f"partnership.{key} must have {n_types} entries, one per partnership type "
                              f"({', '.join(t.name for t in PartnershipType)}); got {values}.")
    if any(a > b for a, b in zip(cfg.partnership.initial_depth, cfg.partnership.depth_cap)):
        raise ConfigError("partnership.initial_depth must not exceed partnership.depth_cap for any type; got "
                          f"{cfg.partnership.initial_depth} and {cfg.partnership.depth_cap}.")
    if len(cfg.coaching.initial_km_shape) != 2:
        raise ConfigError(f"coaching.initial_km_shape must be two Beta shape parameters [a, b]; got "
                          f"{cfg.coaching.initial_km_shape}.")
    if cfg.leadership.lowest > cfg.leadership.highest:
        raise ConfigError(f"leadership.lowest must not exceed leadership.highest; got {cfg.leadership.lowest} and "
                          f"{cfg.leadership.highest}.")
    years = [step.year for step in cfg.floor_schedule]
    if any(b <= a for a, b in zip(years, years[1:])):
        raise ConfigError(f"floor_schedule years must be strictly increasing; got {years}.")
    for step in cfg.floor_schedule:
        if not 0 <= step.share <= 1:
            raise ConfigError(f"floor_schedule share must be between 0 and 1; got {step.share} for year {step.year}.")


def unknown_keys(node: Any, cls: type, prefix: str = "") -> list[str]:
    """Dotted keys present in a mapping (e.g. a config Hydra composed, with ``+typo=1``) but not in
    the dataclass schema ``cls``."""
    if not isinstance(node, Mapping):
        return []
    fields = {f.name: f for f in dataclasses.fields(cls)}
    out = []
    for key in node.keys():
        if key not in fields:
            out.append(f"{prefix}{key}")
            continue
        f = fields[key]
        sub = f.default_factory() if f.default_factory is not dataclasses.MISSING else None
        if dataclasses.is_dataclass(sub):
            out += unknown_keys(node[key], type(sub), f"{prefix}{key}.")
    return out


def closest_key(key: str, paths: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The valid dotted path closest to a mistyped ``key`` (difflib), or None if none is close:
    first over whole paths (``coaching.coching_time``), then over the last part alone when
    that names one path (``coching_time`` -> ``coaching.coaching_time``)."""
    paths = list(paths)
    key = key.lstrip("+~")
    match = difflib.get_close_matches(key, paths, n=1, cutoff=cutoff)
    if match:
        return match[0]
    by_leaf: dict[str, list[str]] = {}
    for path in paths:
        by_leaf.setdefault(path.rsplit(".", 1)[-1], []).append(path)
    leaf = difflib.get_close_matches(key.rsplit(".", 1)[-1], list(by_leaf), n=1, cutoff=cutoff)
    if leaf and len(by_leaf[leaf[0]]) == 1:
        return by_leaf[leaf[0]][0]
    return None


def unknown_key_sentence(key: str, paths: Iterable[str]) -> str:
    """One sentence for a key the schema does not have, with the closest valid key if there is one."""
    near = closest_key(key, paths)
    hint = f" (did you mean {near}?)" if near and near != key else ""
    return f"unknown parameter {key!r}{hint}; see docs/parameters.md for the allowed names."


def seed_from(rng: Any, default: int) -> int:
    """The model's seed: the browser sends a string, so accept anything int-like."""
    if rng is None:
        return int(default)
    if isinstance(rng, str):
        try:
            rng = int(rng.strip())
        except ValueError:
            raise ConfigError(f"seed must be a whole number between 0 and {SEED_MAX}; got {rng!r}.") from None
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if not 0 <= int(rng) <= SEED_MAX:
            raise ConfigError(f"seed must be a whole number between 0 and {SEED_MAX}; got {rng!r}.")
        return int(rng)
    raise ConfigError(f"seed must be a whole number between 0 and {SEED_MAX}; got {rng!r} ({type(rng).__name__}).")


# --- memory: refuse a system too large for this machine before allocating it -----------------
# Measured peak resident memory is about 500-700 bytes per staff post (arrays, temporaries of a
# step, data collection) plus the Mesa agents when they are created (about 530 bytes each). The
# estimate is deliberately on the high side; a scenario whose estimate exceeds the memory
# available now (MemAvailable in /proc/meminfo) is refused with one sentence, so nothing is half-built.

BYTES_PER_POST = 1200
BYTES_PER_AGENT = 600
BYTES_PER_SCHOOL = 4000
BASE_BYTES = 250 * 2**20  # Python, NumPy, Mesa, pandas


def expected_staff(cfg) -> int:
    sc = cfg.system
    per_school = ((1 - sc.share_secondary) * sc.pupils_primary / sc.pupils_per_teacher_primary
                  + sc.share_secondary * sc.pupils_secondary / sc.pupils_per_teacher_secondary)
    return int(sc.n_schools * max(per_school, 2))


def estimate_bytes(cfg, staff_agents: bool) -> int:
    staff = expected_staff(cfg)
    per_post = BYTES_PER_POST + (BYTES_PER_AGENT if staff_agents else 0)
    return BASE_BYTES + staff * per_post + cfg.system.n_schools * BYTES_PER_SCHOOL


def available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def check_memory(cfg, staff_agents: bool) -> None:
    need, have = estimate_bytes(cfg, staff_agents), available_bytes()
    if have is not None and need > have:
        raise ConfigError(
            f"system.n_schools={cfg.system.n_schools} (about {expected_staff(cfg):,} staff) needs an estimated "
            f"{need / 2**30:.1f} GiB of memory but only {have / 2**30:.1f} GiB is available; use fewer schools.")
