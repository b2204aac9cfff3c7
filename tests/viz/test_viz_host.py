"""`make viz` binds the visualiser to 127.0.0.1 unless the user gives a host explicitly (VIZ_HOST).

Fast: only `make -n` (print the commands, run nothing), no server and no browser.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _viz_command(*make_args: str, env_extra: dict[str, str] | None = None) -> list[str]:
    """The argv of the `solara run` command that `make viz` would run (`make -n` runs nothing)."""
    # a clean environment: under `make test` MAKEFLAGS carries the outer command line's variables
    env = {k: v for k, v in os.environ.items()
           if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "VIZ_HOST", "VIZ_PORT"}}
    env.update(env_extra or {})
    out = subprocess.run(["make", "-n", "--no-print-directory", "viz", *make_args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    # the recipe is one logical line continued with backslashes
    text = out.replace("\\\n", " ")
    lines = [line for line in text.splitlines() if "solara run" in line or "bin/solara" in line]
    assert len(lines) == 1, f"expected one solara command in `make -n viz`, got:\n{out}"
    argv = shlex.split(lines[0])
    assert "run" in argv and "simulation/viz/app.py" in argv, lines[0]
    return argv


def _hosts(argv: list[str]) -> list[str]:
    hosts = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "--host"]
    hosts += [arg.split("=", 1)[1] for arg in argv if arg.startswith("--host=")]
    return hosts


def test_viz_binds_to_loopback_by_default():
    argv = _viz_command()
    assert _hosts(argv) == ["127.0.0.1"], argv
    assert "--port" in argv and argv[argv.index("--port") + 1] == "8765"


def test_viz_host_on_the_command_line_is_honoured():
    assert _hosts(_viz_command("VIZ_HOST=0.0.0.0")) == ["0.0.0.0"]
    assert _hosts(_viz_command("VIZ_HOST=192.0.2.7", "VIZ_PORT=9001")) == ["192.0.2.7"]


def test_viz_host_from_the_environment_is_honoured():
    assert _hosts(_viz_command(env_extra={"VIZ_HOST": "::1"})) == ["::1"]
