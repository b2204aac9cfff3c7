"""Prove a refactor leaves results bit-identical: hashes of every scenario x strategy run (2 seeds
x 10 years; england 2 years) - the metrics and the final staff and school state.

    python scripts/identity_hashes.py --write   # before the change: record outputs/identity_hashes.json
    python scripts/identity_hashes.py --check   # after it: exit 1 and list the runs that differ

Used for the layered reorganisation ("One house"), whose results stayed bit-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

from simulation import SchoolSystem
from simulation.params.scenarios import scenarios
from simulation.strategies import STRATEGIES

RECORD = Path("outputs/identity_hashes.json")


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
    return {f"{sc}/{stg}/{seed}": run_hash(sc, stg, seed) for sc in scenarios() for stg in STRATEGIES for seed in (0, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help=f"record the hashes in {RECORD}")
    mode.add_argument("--check", action="store_true", help=f"compare with {RECORD}; exit 1 on any difference")
    args = parser.parse_args(argv)
    hashes = all_hashes()
    if args.write:
        RECORD.parent.mkdir(parents=True, exist_ok=True)
        RECORD.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
        print(f"{len(hashes)} runs recorded in {RECORD}")
        return 0
    recorded = json.loads(RECORD.read_text())
    differ = sorted(k for k in recorded if hashes.get(k) != recorded[k])
    print(f"{len(recorded) - len(differ)} of {len(recorded)} runs bit-identical" + (f"; differ: {differ}" if differ else ""))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
