"""The schema and Hydra: registration (called explicitly), composing, and checking what
Hydra composes, including every override of an ``upconv`` command before Hydra starts.

:func:`register` stores :class:`~simulation.params.schema.ModelConfig` in Hydra's ConfigStore
as ``base_config`` (the first entry of ``conf/config.yaml``'s defaults). Nothing registers on
import: every entry point that composes configs (``upconv``, :mod:`simulation.run.sweeps`,
the tests) calls it. Hydra's joblib and Ray launchers carry the ConfigStore to their workers.

:func:`precheck` validates the overrides of a command, so that a typo gives one sentence and
leaves no output folder behind. Every override is parsed with Hydra's own parser. For a sweep
(``-m``) each value of each swept key is checked once, combined with the first value of the
others, so a bad value anywhere in ``strategy=a,b,c`` is caught up front (of a very long list,
such as ``seed=range(0,1000)``, the first and last ten values); a sweep with no values is an
error. Keys of Hydra itself (``hydra.*``, ``hydra/launcher=...``) are left to Hydra.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException

from simulation.params.checks import ConfigError, unknown_keys
from simulation.params.loading import CONF_DIR, allowed, available, to_model_config, unknown_key_message
from simulation.params.schema import ModelConfig

BASE_CONFIG = "base_config"
GROUPS = ("scenario", "strategy", "experiment")
MAX_CHECKED = 10  # values checked at each end of a long sweep list
FLAGS_WITH_VALUE = {"--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd", "--experimental-rerun"}


# --- registration and composing ------------------------------------------------------------

def register() -> None:
    """Store the schema in Hydra's ConfigStore as ``base_config`` (once; calling again is harmless)."""
    store = ConfigStore.instance()
    if f"{BASE_CONFIG}.yaml" not in store.repo:
        store.store(name=BASE_CONFIG, node=ModelConfig)


def is_registered() -> bool:
    return f"{BASE_CONFIG}.yaml" in ConfigStore.instance().repo


def compose(overrides: Sequence[str] = (), hydra: bool = False) -> DictConfig:
    """The config ``upconv`` would run with these overrides (e.g. ``["+experiment=brokering"]``);
    with ``hydra=True`` including the ``hydra`` node (launcher, sweeper, sweep folder)."""
    register()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        return hydra_compose(config_name="config", overrides=list(overrides), return_hydra_config=hydra)


def validated(cfg: DictConfig) -> ModelConfig:
    """The ModelConfig of a config Hydra composed; unknown keys (e.g. from ``+typo=1``) rejected."""
    extra = unknown_keys(cfg, ModelConfig)
    if extra:
        raise ConfigError(unknown_key_message(extra[0]))
    return to_model_config(cfg)


# --- checking a command's overrides before Hydra starts -----------------------------------

def user_overrides(args: list[str]) -> list[str]:
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in FLAGS_WITH_VALUE:
            skip = True
            continue
        if arg.startswith("-"):
            continue
        out.append(arg)
    return out


def combinations(overrides: list[str]) -> list[list[str]]:
    """One override list per value of each swept key (others at their first value)."""
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except HydraException as exc:
        raise ConfigError(f"could not read the overrides {overrides}: {str(exc).splitlines()[0]}") from None
    plain, values = [], []
    for o in parsed:
        if o.is_hydra_override():
            continue
        key = o.get_key_element()
        if o.type.name == "DEL":
            plain.append(key)
            continue
        options = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        if not options:
            given = o.input_line.partition("=")[2] if o.input_line else "nothing"
            raise ConfigError(f"{key.lstrip('+~')} must be swept over at least one value "
                              f"(e.g. {key.lstrip('+~')}=range(0,10)); got {given}, which gives none.")
        if len(options) > 2 * MAX_CHECKED:  # e.g. seed=range(0,1000): the ends show a type or range error
            options = options[:MAX_CHECKED] + options[-MAX_CHECKED:]
        values.append((key, options))
    base = [f"{k}={opts[0]}" for k, opts in values] + plain
    out = [base]
    for i, (key, options) in enumerate(values):
        for option in options[1:]:
            combo = list(base)
            combo[i] = f"{key}={option}"
            out.append(combo)
    return out


def precheck(args: list[str]) -> None:
    """Raise ConfigError (one sentence) if any job of this command would get an invalid config."""
    register()
    overrides = user_overrides(args)
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        for combo in combinations(overrides):
            _check_groups(combo)
            try:
                cfg = hydra_compose(config_name="config", overrides=combo)
            except (HydraException, OmegaConfBaseException) as exc:
                raise ConfigError(_explain(exc)) from None
            OmegaConf.set_struct(cfg, False)
            validated(cfg)


def _check_groups(combo: list[str]) -> None:
    for item in combo:
        key, _, value = item.partition("=")
        group = key.lstrip("+~")
        if group in GROUPS and value and value not in available(group):
            raise ConfigError(f"{group} must be one of {available(group)}; got {value!r}.")


def _explain(exc: Exception) -> str:
    cause: Any = exc.__cause__ if isinstance(exc.__cause__, OmegaConfBaseException) else None
    if cause is not None:
        key = getattr(cause, "full_key", "") or "?"
        first = str(cause).splitlines()[0].rstrip(".")
        if isinstance(cause, ConfigKeyError) or " not in " in first:
            return unknown_key_message(key)
        return f"{key} must be {allowed(key)}: {first}."
    text = " ".join(str(exc).split())
    missing = re.search(r"Could not override '([^']+)'", text) or re.search(r"Key '([^']+)' is not in struct", text)
    if missing:
        return unknown_key_message(missing.group(1))
    if "Key '" in text:
        return f"{text.split('. ')[0]}; see docs/parameters.md for the allowed names and values."
    return text.split(" Config search path")[0]


__all__ = ["BASE_CONFIG", "combinations", "compose", "is_registered", "precheck", "register", "user_overrides",
           "validated"]
