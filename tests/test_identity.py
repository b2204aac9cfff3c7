"""Results stay bit-identical through the package reorganisation (issue "One house"): every
scenario x strategy, 2 seeds x 10 years (england 2 years), against hashes recorded before
anything moved (scripts/identity_hashes.py)."""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from identity_hashes import OUT, run_hash  # noqa: E402

RECORDED = json.loads(OUT.read_text())


@pytest.mark.parametrize("key", sorted(RECORDED))
def test_bit_identical_to_before_the_move(key):
    scenario, strategy, seed = key.split("/")
    assert run_hash(scenario, strategy, int(seed)) == RECORDED[key]
