"""Hashes of every scenario x strategy run (2 seeds x 10 years; england 2 years), to prove a
refactor leaves results bit-identical. ``python scripts/identity_hashes.py --write`` records
them in tests/data/identity_hashes.json; without ``--write`` prints them."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from simulation import SchoolSystem

SCENARIOS = ["teaching", "regional", "london_challenge", "central_south_wales", "growing_the_top_pilot", "england"]
STRATEGIES = ["status_quo", "reducing_disparity", "growing_the_top", "upwards_convergence"]
OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "identity_hashes.json"


def run_hash(scenario: str, strategy: str, seed: int) -> str:
    years = 2 if scenario == "england" else 10
    model = SchoolSystem(scenario=scenario, strategy=strategy, rng=seed, create_staff_agents=False)
    model.run_years(years)
    h = hashlib.sha256()
    h.update(np.ascontiguousarray(model.metrics().to_numpy(dtype=float)).tobytes())
    st, sc = model.staff, model.schools
    for arr in (st.knowledge, st.shallow, st.base, sc.grade, sc.estimate, sc.moral_capital, sc.km_capacity):
        h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def all_hashes() -> dict[str, str]:
    return {f"{sc}/{stg}/{seed}": run_hash(sc, stg, seed) for sc in SCENARIOS for stg in STRATEGIES for seed in (0, 1)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    hashes = all_hashes()
    if args.write:
        OUT.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    print(json.dumps(hashes, indent=1))
