"""Building a validated ModelConfig from scenario and strategy files plus overrides.

The files in ``conf/scenario`` and ``conf/strategy`` hold only what differs from the schema
defaults; the same files are Hydra config groups for the ``upconv`` command. The Python API
merges them onto the schema here, so both routes give identical configurations.
"""

from __future__ import annotations

import dataclasses
from enum import Enum
from pathlib import Path
from typing import Any

from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from simulation.params.checks import ConfigError, unknown_key_sentence
from simulation.params.schema import ModelConfig

CONF_DIR = Path(__file__).resolve().parents[2] / "conf"


def available(group: str) -> list[str]:
    return sorted(p.stem for p in (CONF_DIR / group).glob("*.yaml"))


def _group_file(group: str, name: str) -> Path:
    path = CONF_DIR / group / f"{name}.yaml"
    if not path.exists():
        raise ConfigError(f"{group} must be one of {available(group)}; got {name!r}.")
    return path


def leaf_paths(cls: type = ModelConfig, prefix: str = "") -> dict[str, list[str]]:
    """Map each leaf parameter name to the dotted paths it occurs at."""
    out: dict[str, list[str]] = {}
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if dataclasses.is_dataclass(default) and not isinstance(default, type):
            for leaf, paths in leaf_paths(type(default), path + ".").items():
                out.setdefault(leaf, []).extend(paths)
        else:
            out.setdefault(f.name, []).append(path)
    return out


def dotted_paths() -> list[str]:
    """Every parameter's dotted path (``coaching.coaching_time``, ``seed``, ...)."""
    return sorted(path for paths in leaf_paths().values() for path in paths)


def unknown_key_message(key: str) -> str:
    """One sentence for an unknown key, suggesting the closest parameter (or section) of the schema."""
    paths = dotted_paths()
    sections = {path.rsplit(".", 1)[0] for path in paths if "." in path}
    return unknown_key_sentence(key, [*paths, *sorted(sections)])


def allowed(path: str) -> str:
    """The allowed values of a dotted parameter path, in words (from the schema)."""
    cls: Any = ModelConfig
    field = None
    for part in path.split("."):
        fields = {f.name: f for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else {}
        field = fields.get(part)
        if field is None:
            return "see docs/parameters.md"
        default = field.default_factory() if field.default_factory is not dataclasses.MISSING else field.default
        cls = type(default)
    lo, hi = field.metadata.get("range", (None, None))
    unit = field.metadata.get("unit", "")
    if lo is not None or hi is not None:
        kind = "a whole number" if cls is int else "a number"
        return f"{kind} from {lo} to {hi}" + (f" ({unit})" if unit else "")
    if isinstance(cls, type) and issubclass(cls, Enum):
        return "one of " + ", ".join(m.value for m in cls)
    return f"a value of type {cls.__name__}"


def resolve_key(key: str) -> str:
    """A dotted path for a keyword such as ``coaching_time`` or ``coaching.coaching_time``."""
    key = key.replace("__", ".")
    if "." in key:
        return key
    paths = leaf_paths().get(key)
    if not paths:
        raise ConfigError(unknown_key_message(key))
    if len(paths) > 1:
        raise ConfigError(f"parameter {key!r} is ambiguous; use one of {paths}.")
    return paths[0]


def load_config(scenario: str = "teaching", strategy: str = "status_quo", **overrides: Any) -> ModelConfig:
    """A validated configuration: schema defaults, then the scenario, the strategy, and overrides."""
    base = OmegaConf.structured(ModelConfig)
    scenario_node = OmegaConf.load(_group_file("scenario", scenario))
    strategy_node = OmegaConf.create({"strategy": OmegaConf.load(_group_file("strategy", strategy))})
    dotted = OmegaConf.from_dotlist([])
    for key, value in overrides.items():
        OmegaConf.update(dotted, resolve_key(key), _plain(value), force_add=True)
    # the scenario comes after the strategy so that it can fix e.g. how partnerships are brokered
    return to_model_config(base, strategy_node, scenario_node, dotted)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return OmegaConf.structured(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_model_config(*nodes: Any) -> ModelConfig:
    """Merge nodes onto the schema and build the dataclass; one clear sentence on any error."""
    try:
        merged = OmegaConf.merge(OmegaConf.structured(ModelConfig), *nodes)
        return OmegaConf.to_object(merged)  # runs ModelConfig.__post_init__ range checks
    except ConfigError:
        raise
    except OmegaConfBaseException as exc:
        raise ConfigError(_explain(exc)) from None


def _explain(exc: OmegaConfBaseException) -> str:
    key = getattr(exc, "full_key", None) or "?"
    msg = str(exc).split("\n")[0]
    if "not in struct" in msg or "Key '" in msg and "not in" in msg:
        return unknown_key_message(key)
    if "Invalid value" in msg:
        return f"{key}: {msg}"
    return f"invalid value for {key}: {msg}"
