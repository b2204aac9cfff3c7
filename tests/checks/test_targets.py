"""No config can make the program instantiate a class named by user input (`_target_`):
the project never calls Hydra's instantiate, and a `_target_` key in the model config is an
unknown parameter. Hydra's own launcher configs are the only `_target_`s, from an allow-list."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = re.compile(r"^hydra_plugins\.hydra_(joblib|ray|submitit)_launcher\.")


def test_package_never_instantiates_from_config():
    for path in (ROOT / "simulation").glob("*.py"):
        text = path.read_text()
        for call in ("instantiate(", "hydra.utils", "get_class(", "get_method(", "import_module("):
            assert call not in text, f"{path} uses {call}"


def _targets(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "_target_":
                yield value
            yield from _targets(value)
    elif isinstance(node, list):
        for value in node:
            yield from _targets(value)


def test_conf_targets_are_only_hydra_launchers():
    for path in (ROOT / "conf").rglob("*.yaml"):
        for target in _targets(yaml.safe_load(path.read_text()) or {}):
            assert ALLOWED.match(str(target)), f"{path}: _target_ {target!r} is outside the allow-list"


def test_user_target_is_rejected(tmp_path):
    upconv = str(Path(sys.executable).parent / "upconv")
    for override in ("+_target_=os.system", "+strategy._target_=subprocess.Popen"):
        res = subprocess.run([upconv, override, "years=1", f"hydra.run.dir={tmp_path / 'x'}"], cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert res.returncode == 2 and "unknown parameter" in res.stderr and "_target_" in res.stderr, res.stderr
