"""Registration of the schema with Hydra is explicit (simulation.params.hydra.register), the
params layer imports nothing above it, and the input checks give one sentence each."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from simulation.params import hydra as params_hydra
from simulation.params.checks import ConfigError, closest_key, unknown_key_sentence, unknown_keys
from simulation.params.hydra import combinations, precheck, register, validated
from simulation.params.loading import dotted_paths, load_config, resolve_key, unknown_key_message
from simulation.params.schema import ModelConfig

PARAMS_DIR = Path(params_hydra.__file__).parent


def fresh(code: str) -> str:
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def test_params_modules_import_only_params_and_third_party():
    for path in sorted(PARAMS_DIR.glob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            for name in names:
                if name == "simulation" or name.startswith("simulation."):
                    assert name.startswith("simulation.params"), f"{path.name} imports {name}"


def test_importing_params_does_not_import_run_nor_register():
    code = ("import sys; from hydra.core.config_store import ConfigStore\n"
            "import simulation.params.hydra, simulation.params.loading, simulation.params.checks\n"
            "print(any(m == 'simulation.run' or m.startswith('simulation.run.') for m in sys.modules),"
            " 'base_config.yaml' in ConfigStore.instance().repo)")
    assert fresh(code) == "False False"


def test_importing_the_command_does_not_register_but_register_does():
    code = ("from hydra.core.config_store import ConfigStore\n"
            "import simulation.run.cli, simulation.run.sweeps\n"
            "from simulation.params.hydra import register, is_registered\n"
            "before = is_registered(); register(); node = ConfigStore.instance().repo['base_config.yaml']\n"
            "register(); print(before, is_registered(), ConfigStore.instance().repo['base_config.yaml'] is node)")
    assert fresh(code) == "False True True"


def test_compose_registers_and_validates():
    cfg = params_hydra.compose(["strategy=growing_the_top", "seed=4"])
    assert params_hydra.is_registered()
    model_cfg = validated(cfg)
    assert isinstance(model_cfg, ModelConfig) and model_cfg.seed == 4
    assert model_cfg.strategy.name.value == "growing_the_top"


def test_unknown_keys_are_found_and_named():
    node = OmegaConf.create({"seed": 1, "typo": 2, "coaching": {"coching_time": 3, "coaching_time": 1}})
    assert unknown_keys(node, ModelConfig) == ["typo", "coaching.coching_time"]
    plain = OmegaConf.to_container(params_hydra.compose([]))
    plain["coaching"]["coching_time"] = 3
    cfg = OmegaConf.create(plain)
    with pytest.raises(ConfigError, match=r"unknown parameter 'coaching\.coching_time' \(did you mean "
                                          r"coaching\.coaching_time\?\); see docs/parameters\.md"):
        validated(cfg)


@pytest.mark.parametrize("typo, near", [
    ("coaching.coching_time", "coaching.coaching_time"),
    ("+coaching.coching_time", "coaching.coaching_time"),
    ("coching_time", "coaching.coaching_time"),
    ("system.n_school", "system.n_schools"),
    ("coching", "coaching"),
    ("completely_unrelated_words", None),
])
def test_did_you_mean_suggests_the_closest_key(typo, near):
    paths = dotted_paths()
    assert "coaching.coaching_time" in paths and "seed" in paths
    sections = {p.rsplit(".", 1)[0] for p in paths if "." in p}
    assert closest_key(typo, [*paths, *sections]) == near
    message = unknown_key_message(typo.lstrip("+"))
    assert (f"did you mean {near}?" in message) == (near is not None), message
    assert message.count("\n") == 0 and "docs/parameters.md" in message


def test_suggestion_through_the_python_api():
    with pytest.raises(ConfigError, match=r"unknown parameter 'coching_time' \(did you mean coaching\.coaching_time\?\)"):
        resolve_key("coching_time")
    with pytest.raises(ConfigError, match=r"did you mean coaching\.coaching_time\?"):
        load_config(**{"coaching.coching_time": 3})


def test_no_suggestion_when_nothing_is_close():
    assert unknown_key_sentence("zzz", ["seed", "years"]) == \
        "unknown parameter 'zzz'; see docs/parameters.md for the allowed names."


@pytest.mark.parametrize("sweep", ["seed=range(0,0)", "seed=range(3,3)", "+seed=range(0,0)"])
def test_empty_sweep_range_is_one_sentence(sweep):
    with pytest.raises(ConfigError) as info:
        combinations([sweep, "years=1"])
    message = str(info.value)
    assert message.startswith("seed must be swept over at least one value") and "range(" in message
    assert "\n" not in message


def test_precheck_checks_every_value_of_a_sweep():
    precheck(["-m", "strategy=status_quo,growing_the_top", "seed=range(0,3)", "years=1"])
    with pytest.raises(ConfigError, match="strategy must be one of .*got 'nonsense'"):
        precheck(["-m", "strategy=status_quo,nonsense", "years=1"])
    with pytest.raises(ConfigError, match="seed must be a whole number"):
        precheck(["-m", "seed=1,abc"])
    assert combinations(["seed=range(0,1000)"])[0] == ["seed=0"] and len(combinations(["seed=range(0,1000)"])) == 20


@pytest.mark.parametrize("sweep, meant", [
    ("seed=range(5,0)", "range(0,5)"),
    ("seed=range(10,0,2)", "range(10,0,-2)"),
    ("seed=range(0,10,-1)", "range(0,10)"),
    ("seed=range(3,3)", None),
])
def test_reversed_range_names_the_range_meant(sweep, meant):
    with pytest.raises(ConfigError) as info:
        combinations([sweep])
    message = str(info.value)
    assert message.startswith("seed must be swept over at least one value") and "\n" not in message
    assert (f"did you mean {meant}?" in message) == (meant is not None), message


def test_a_sweep_needs_multirun():
    assert len(combinations(["seed=1,2"], multirun=True)) == 2
    with pytest.raises(ConfigError, match=r"seed=range\(0,3\) gives several values, which makes a sweep: add -m"):
        combinations(["seed=range(0,3)"], multirun=False)
    with pytest.raises(ConfigError, match="add -m"):
        precheck(["seed=1,2"])
    precheck(["seed=1", "hydra.mode=MULTIRUN", "strategy=status_quo,growing_the_top"])  # -m given as a setting


def test_hydra_group_options_are_checked():
    precheck(["-m", "hydra/launcher=joblib", "seed=0"])
    with pytest.raises(ConfigError, match=r"hydra/launcher must be one of \[.*'joblib'.*\]; got 'nope'\."):
        precheck(["-m", "hydra/launcher=nope", "seed=0"])
