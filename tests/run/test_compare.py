"""`upconv-compare` as a user runs it: your own mix labelled in every output, bad input refused
with one sentence and exit 2 before anything is written, every option explained in --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from simulation.run.compare import InputError, parse_arm, parse_overrides

BIN = Path(sys.executable).parent
MIX = "mymix=upwards_convergence:strategy.internal_coaching=0.5,strategy.school_support=0.1"
TINY = ["--scenario", "teaching", "--seeds", "2", "--years", "2", "--workers", "2"]


def compare(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "upconv-compare"), *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """status_quo and a custom mix, with a global override, 2 seeds x 2 years."""
    root = tmp_path_factory.mktemp("cmp")
    res = compare(*TINY, "--strategy", "status_quo", "--strategy", MIX, "--set", "coaching.coaching_time=6",
                  "--out", str(root / "out"), cwd=root)
    assert res.returncode == 0, res.stderr[-3000:]
    return root / "out", res.stdout


def test_custom_mix_is_labelled_in_the_table(mixed):
    out, _ = mixed
    table = pd.read_parquet(out / "timeseries.parquet")
    assert list(dict.fromkeys(table.strategy)) == ["status_quo", "mymix"]
    mix = table[table.strategy == "mymix"]
    assert set(mix.label) == {"mymix: coaching 50%, support 10%, networks 25%, innovation 15%"}
    assert set(mix.base_strategy) == {"upwards_convergence"}
    assert mix["strategy.internal_coaching"].eq(0.5).all() and mix["strategy.school_support"].eq(0.1).all()
    assert "coaching.coaching_time=6" in mix.overrides.iloc[0] and "strategy.internal_coaching=0.5" in mix.overrides.iloc[0]
    assert set(table[table.strategy == "status_quo"].label) == {"Status quo"}
    assert len(table) == 2 * 2 * (2 * 3 + 1)


def test_custom_mix_is_labelled_in_console_summary_md_and_json(mixed):
    out, stdout = mixed
    assert "mymix" in stdout and "50/10/25/15/0" in stdout and "upwards_convergence " not in stdout
    md = (out / "summary.md").read_text()
    assert "**mymix**: coaching 50%, support 10%, networks 25%, innovation 15% (`upwards_convergence` with" in md
    assert arms_label(out) == "mymix: coaching 50%, support 10%, networks 25%, innovation 15%"
    assert "| mymix " in md and "50/10/25/15/0" in md
    summary = json.loads((out / "summary.json").read_text())
    arms = {a["name"]: a for a in summary["arms"]}
    assert set(arms) == {"status_quo", "mymix"}
    assert arms["mymix"]["budget"]["internal_coaching"] == 0.5 and arms["mymix"]["base_strategy"] == "upwards_convergence"
    mean = arms["mymix"]["final_year"]["mean"]
    assert mean["p10_over_seeds"] <= mean["median"] <= mean["p90_over_seeds"]
    assert summary["seeds"] == 2


def test_summary_md_gives_intervals_and_the_seed_count(mixed):
    md = (mixed[0] / "summary.md").read_text()
    assert "median over 2 seeds" in md and "10–90% range across the 2 seeds" in md
    row = next(line for line in md.splitlines() if line.startswith("| mymix"))
    assert row.count("[") >= 9 and "–" in row  # every figure as median [low–high]


def test_figures_are_written(mixed):
    for name in ("attainment_fans.png", "grades.png", "convergence.png"):
        assert (mixed[0] / name).stat().st_size > 5000


@pytest.mark.parametrize("args, words", [
    (["--strategy", "nosuch"], ["--strategy", "status_quo", "upwards_convergence", "'nosuch'"]),
    (["--strategy", "upwards_convergence:strategy.internal_coaching=0.5"], ["--strategy", "needs a name", "NAME=BASE"]),
    (["--strategy", "mix=nosuch:strategy.innovation=0.1"], ["--strategy", "base", "status_quo", "'nosuch'"]),
    (["--strategy", "mix=upwards_convergence:strategy.internal_coaching"], ["--strategy", "KEY=VALUE",
                                                                             "'strategy.internal_coaching'"]),
    (["--strategy", "mix=upwards_convergence:strategy.internal_coching=0.5"], ["--strategy", "unknown parameter",
                                                                                "strategy.internal_coaching"]),
    (["--strategy", "mix=upwards_convergence:strategy.internal_coaching=abc"], ["--strategy",
                                                                                 "strategy.internal_coaching", "0 to 1",
                                                                                 "'abc'"]),
    (["--strategy", "mix=upwards_convergence:strategy.internal_coaching=0.9"], ["--strategy", "sum to 1", "0.9"]),
    (["--strategy", "status_quo", "--strategy", "a=status_quo", "--strategy", "a=status_quo"], ["--strategy", "'a'"]),
    (["--set", "coaching.coaching_time=-1"], ["--set", "coaching.coaching_time", "between 0 and 50", "-1"]),
    (["--set", "seed=3"], ["--set", "--seeds"]),
    (["--scenario", "atlantis"], ["--scenario", "teaching", "regional", "'atlantis'"]),
    (["--seeds", "0"], ["--seeds", "at least 1", "0"]),
    (["--years", "0"], ["--years", "1 to 200", "0"]),
    (["--seeds", "two"], ["--seeds", "'two'"]),
])
def test_bad_input_one_sentence_exit_2_nothing_written(tmp_path, args, words):
    out = tmp_path / "out"
    res = compare("--scenario", "teaching", "--seeds", "1", "--years", "1", *args, "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.stderr, res.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_help_documents_every_option(tmp_path):
    res = compare("--help", cwd=tmp_path)
    assert res.returncode == 0
    text = " ".join(res.stdout.split())
    for option in ("--scenario", "--seeds", "--years", "--workers", "--strategy", "--set", "--out"):
        assert option in text
    from simulation.run.compare import parser

    for action in parser()._actions:
        assert action.help and len(action.help) > 15, action.option_strings
    for words in ("NAME=BASE:KEY=VALUE", "regional", "10-90%", "mymix=upwards_convergence"):
        assert words in text, words


def test_the_mix_syntax():
    arm = parse_arm(MIX)
    assert (arm.name, arm.base, arm.custom) == ("mymix", "upwards_convergence", True)
    assert arm.overrides == {"strategy.internal_coaching": 0.5, "strategy.school_support": 0.1}
    assert parse_arm("status_quo").custom is False
    renamed = parse_arm("sq2=status_quo")
    assert renamed.custom and renamed.overrides == {}
    assert parse_overrides("coaching__coaching_time=6,floor_schedule=[{year: 2002, share: 0.3}]", "--set") == {
        "coaching.coaching_time": 6, "floor_schedule": [{"year": 2002, "share": 0.3}]}
    with pytest.raises(InputError, match="--strategy"):
        parse_arm("upwards_convergence=status_quo")


def arms_label(out: Path) -> str:
    return {a["name"]: a for a in json.loads((out / "summary.json").read_text())["arms"]}["mymix"]["label"]


def test_compare_table_carries_units(tmp_path):
    """The comparison's timeseries.parquet says each column's unit, like every run's."""
    import subprocess
    import sys
    from pathlib import Path

    from simulation.run.runner import read_units

    out = tmp_path / "cmp"
    res = subprocess.run([str(Path(sys.executable).parent / "upconv-compare"), "--scenario", "teaching", "--seeds", "1",
                          "--years", "1", "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    units = read_units(out / "timeseries.parquet")
    assert units["mean_attainment"]["unit"] == "share" and "total_staff_days" in units
