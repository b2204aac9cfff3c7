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
such as ``seed=range(0,1000)``, the first and last ten values); a sweep with no values (such as
the reversed ``seed=range(5,0)``, with the range meant as a suggestion) is an error, and so is a
sweep without ``-m``. Of Hydra's own keys, the options of its groups (``hydra/launcher=...``)
are checked; the rest (``hydra.*``) is left to Hydra.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hydra import compose as hydra_compose
from hydra import initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
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


def _parse(overrides: list[str]) -> list[Any]:
    try:
        return OverridesParser.create().parse_overrides(overrides)
    except HydraException as exc:
        raise ConfigError(f"could not read the overrides {overrides}: {str(exc).splitlines()[0]}") from None


def _no_values(key: str, override: Any) -> str:
    """The sentence for a sweep that gives no values, with the range meant if it was reversed."""
    name = key.lstrip("+~")
    given = override.input_line.partition("=")[2] if override.input_line else "nothing"
    text = f"{name} must be swept over at least one value (e.g. {name}=range(0,10)); got {given}, which gives none"
    value = override.value()
    start, stop, step = (getattr(value, k, None) for k in ("start", "stop", "step"))
    if None not in (start, stop, step) and start != stop and (start > stop) == (step > 0):
        meant = {1: f"range({stop},{start})", -1: f"range({start},{stop})"}.get(step, f"range({start},{stop},{-step})")
        direction = "up" if step > 0 else "down"
        text += f" (a range counts {direction} from its start and stops before its end: did you mean {meant}?)"
    return text + "."


def combinations(overrides: list[str], multirun: bool = True) -> list[list[str]]:
    """One override list per value of each swept key (others at their first value); without
    ``multirun`` a sweep is refused (Hydra would need ``-m``)."""
    plain, values = [], []
    for o in _parse(overrides):
        if o.is_hydra_override():
            continue
        key = o.get_key_element()
        if o.type.name == "DEL":
            plain.append(key)
            continue
        options = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        if not options:
            raise ConfigError(_no_values(key, o))
        if o.is_sweep_override() and not multirun:
            raise ConfigError(f"{o.input_line} gives several values, which makes a sweep: add -m "
                              f"(upconv -m {o.input_line} ...) to run one job per value.")
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
    multirun = any(a in ("-m", "--multirun") or a.replace(" ", "").lower() == "hydra.mode=multirun" for a in args)
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        _check_hydra_groups(overrides)
        for combo in combinations(overrides, multirun=multirun):
            _check_groups(combo)
            try:
                cfg = hydra_compose(config_name="config", overrides=combo)
            except (HydraException, OmegaConfBaseException) as exc:
                raise ConfigError(_explain(exc)) from None
            OmegaConf.set_struct(cfg, False)
            validated(cfg)


def _check_groups(combo: list[str]) -> None:
    for item in combo:
        key, sep, value = item.partition("=")
        group = key.lstrip("+~")
        if group in GROUPS and sep and value not in available(group):
            raise ConfigError(f"{group} must be one of {available(group)}; got {value!r}.")


def _check_hydra_groups(overrides: list[str]) -> None:
    """Options of Hydra's own groups (``hydra/launcher=joblib``), inside an initialised Hydra."""
    loader = GlobalHydra.instance().config_loader()
    for o in _parse(overrides):
        group = o.key_or_group
        if not (o.is_hydra_override() and "/" in group) or o.type.name == "DEL":
            continue
        options = loader.get_group_options(group)
        chosen = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        for value in chosen:
            if value not in options:
                raise ConfigError(f"{group} must be one of {options}; got {value!r}.")


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
