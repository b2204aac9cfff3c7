"""Every option of every config group composes (Hydra's compose API) and validates against
the schema through ``simulation.params.hydra.validated``; experiment presets hold only what differs."""

from __future__ import annotations

import itertools

import pytest
import yaml
from omegaconf import OmegaConf

from simulation.params.hydra import validated
from simulation.params.loading import CONF_DIR, available
from simulation.params.schema import ModelConfig
from simulation.run.collect import sweep_size
from simulation.run.sweeps import compose

SCENARIOS = available("scenario")
STRATEGIES = available("strategy")
EXPERIMENTS = available("experiment")
LAUNCHERS = ["basic", "joblib", "ray", *sorted(p.stem for p in (CONF_DIR / "hydra" / "launcher").glob("*.yaml"))]
EXPECTED_JOBS = {"strategy_comparison": 80, "london_challenge": 40, "floor_standards": 120, "brokering": 80, "brokering_ablation": 100,
                 "growing_the_top_pilot": 20, "sensitivity": 1, "collaboration_scope": 320}


def check(overrides: list[str]) -> ModelConfig:
    cfg = compose(overrides)
    assert "hydra" not in cfg
    return validated(cfg)


def test_groups_are_there():
    assert {"teaching", "london_challenge", "central_south_wales", "growing_the_top_pilot", "cold_spots", "england"} <= set(SCENARIOS)
    assert set(STRATEGIES) == {"status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"}
    assert set(EXPERIMENTS) == set(EXPECTED_JOBS)
    assert {"slurm", "ray_cluster"} <= set(LAUNCHERS)


@pytest.mark.parametrize("scenario, strategy", list(itertools.product(SCENARIOS, STRATEGIES)))
def test_scenario_x_strategy_validates(scenario, strategy):
    cfg = check([f"scenario={scenario}", f"strategy={strategy}"])
    assert cfg.scenario == scenario and cfg.strategy.name.value == strategy


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_validates_with_every_swept_value(experiment):
    """The preset itself, and each value its sweep gives each swept key (seeds excepted)."""
    check([f"+experiment={experiment}"])
    params = compose([f"+experiment={experiment}"], hydra=True).hydra.sweeper.params or {}
    from hydra.core.override_parser.overrides_parser import OverridesParser

    for key, values in params.items():
        if key == "seed":
            continue
        sweep = OverridesParser.create().parse_override(f"{key}={values}")
        for value in sweep.sweep_string_iterator():
            check([f"+experiment={experiment}", f"{key}={value}"])


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_sweep_size_and_folder(experiment):
    cfg = compose([f"+experiment={experiment}"], hydra=True)
    assert sweep_size(OmegaConf.to_container(cfg.hydra)) == EXPECTED_JOBS[experiment]
    assert cfg.hydra.sweep.dir.startswith(f"outputs/experiments/{experiment}/")


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_experiment_holds_only_what_differs(experiment):
    """Every value a preset sets (outside `defaults` and `hydra`) differs from what its scenario
    and strategy already give."""
    preset = yaml.safe_load((CONF_DIR / "experiment" / f"{experiment}.yaml").read_text())
    groups = [f"{key.split('/')[-1]}={value}" for item in preset.get("defaults", []) for key, value in item.items()]
    base = compose(groups)
    ours = OmegaConf.to_container(compose([f"+experiment={experiment}"]))
    leaves = {k: v for k, v in preset.items() if k not in ("defaults", "hydra")}
    for key in leaves:
        assert OmegaConf.select(base, key) != ours[key], f"{experiment} sets {key} to its default"


def test_command_line_beats_experiment_preset():
    cfg = check(["+experiment=london_challenge", "scenario=teaching", "strategy=growing_the_top", "seed=7"])
    got = (cfg.scenario, cfg.strategy.name.value, cfg.seed, cfg.system.n_schools)
    assert got == ("teaching", "growing_the_top", 7, 40)


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_launcher_options_compose(launcher):
    cfg = compose([f"hydra/launcher={launcher}"], hydra=True)
    target = cfg.hydra.launcher._target_
    assert {"basic": "BasicLauncher", "joblib": "JoblibLauncher", "ray": "RayLauncher", "ray_cluster": "RayLauncher",
            "slurm": "SlurmLauncher"}[launcher] in target
    validated(compose([f"hydra/launcher={launcher}"]))


def test_ray_cluster_reads_ray_address(monkeypatch):
    monkeypatch.setenv("RAY_ADDRESS", "127.0.0.1:6380")
    cfg = compose(["hydra/launcher=ray_cluster"], hydra=True)
    assert cfg.hydra.launcher.ray.init.address == "127.0.0.1:6380"
    assert cfg.hydra.launcher.ray.init.object_store_memory is None
