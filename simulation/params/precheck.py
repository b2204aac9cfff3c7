"""Validate `upconv` overrides before Hydra starts, so that a typo gives one sentence and
leaves no output folder behind.

Every override is parsed with Hydra's own parser. For a sweep (``-m``) each value of each
swept key is checked once, combined with the first value of the others, so a bad value
anywhere in ``strategy=a,b,c`` is caught up front (of a very long list, such as
``seed=range(0,1000)``, the first and last ten values). Keys of Hydra itself (``hydra.*``,
``hydra/launcher=...``) are left to Hydra.
"""

from __future__ import annotations

from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import OmegaConf
from omegaconf.errors import OmegaConfBaseException

from simulation.params.loading import CONF_DIR, allowed, available
from simulation.params.schema import ConfigError

GROUPS = ("scenario", "strategy", "experiment")
MAX_CHECKED = 10  # values checked at each end of a long sweep list
FLAGS_WITH_VALUE = {"--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd", "--experimental-rerun"}


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
        options = list(o.sweep_string_iterator()) if o.is_sweep_override() else [o.get_value_element_as_str()]
        if len(options) > 2 * MAX_CHECKED:  # e.g. seed=range(0,1000): the ends show a type or range error
            options = options[:MAX_CHECKED] + options[-MAX_CHECKED:]
        if o.type.name == "DEL":
            plain.append(key)
            continue
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
    from simulation.run.cli import validated  # registers the schema with Hydra's ConfigStore

    overrides = user_overrides(args)
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base=None):
        for combo in combinations(overrides):
            _check_groups(combo)
            try:
                cfg = compose(config_name="config", overrides=combo)
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
    cause = exc.__cause__ if isinstance(exc.__cause__, OmegaConfBaseException) else None
    if cause is not None:
        key = getattr(cause, "full_key", "") or "?"
        first = str(cause).splitlines()[0].rstrip(".")
        return f"{key} must be {allowed(key)}: {first}."
    text = " ".join(str(exc).split())
    if "Could not override" in text or "Key '" in text:
        return f"{text.split('. ')[0]}; see docs/parameters.md for the allowed names and values."
    return text.split(" Config search path")[0]
