"""Memory: refusing systems too large, and reusing freed arrays."""

from __future__ import annotations

import sys

import pytest

from simulation.state.memory import reuse_freed_memory


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_glibc_accepts_the_allocator_settings():
    assert reuse_freed_memory() is True
