"""simulation.checks.pattern_checks: the pieces the pattern tests and reports share (fast checks)."""

import numpy as np

from simulation.checks import pattern_checks as pc
from simulation.params.loading import CONF_DIR, load_config


def test_ablation_arms_are_the_files_of_conf_brokering_levers():
    assert set(pc.ABLATION) == {p.stem for p in (CONF_DIR / "brokering_levers").glob("*.yaml")}


def test_each_ablation_arm_sets_the_three_levers_and_they_differ():
    keys = {"strategy.brokering", "strategy.facilitation", "intervention.monitoring"}
    assert all(set(arm) == keys for arm in pc.ABLATION.values())
    assert len({tuple(sorted(arm.items())) for arm in pc.ABLATION.values()}) == len(pc.ABLATION)
    cfg = load_config("regional", "reducing_disparity", **pc.ABLATION["matching_only"])
    assert cfg.strategy.brokering.name == "data_informed" and not cfg.strategy.facilitation
    assert not cfg.intervention.monitoring


def test_greater_is_one_sided():
    a = np.arange(20.0) + 1
    assert pc.greater(a, a - 1) < 0.01 < pc.greater(a - 1, a)
    assert pc.greater(a, a) == 1.0
