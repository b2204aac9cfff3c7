"""Fixtures of the sweep tests: one Ray head on 127.0.0.1 for the whole session (tests/run/clusters.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusters import ray_head

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def ray_cluster():
    """The environment of a driver joining a local Ray head (``RAY_ADDRESS`` and friends). The
    head's workers can import tests/run/faults.py (the fault-injection callbacks)."""
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), old) if p)
    try:
        with ray_head(num_cpus=2) as env:
            yield {**env, "PYTHONPATH": os.environ["PYTHONPATH"]}
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old
