"""``param``: a schema field with its allowed range, unit, help and source attached as metadata
(the parameter docs and the input checker read them)."""

from __future__ import annotations

import copy
import dataclasses
from dataclasses import field
from typing import Any

CALIBRATED = "calibrated to England 2002-2011 (docs/calibration.md)"


def param(default: Any, lo: float | None = None, hi: float | None = None, unit: str = "",
          help: str = "", source: str = "assumption") -> Any:
    """A schema field with its allowed range and documentation attached as metadata."""
    meta = {"range": (lo, hi), "unit": unit, "help": help, "source": source}
    if isinstance(default, (list, dict)) or dataclasses.is_dataclass(default):
        return field(default_factory=lambda: _copy(default), metadata=meta)
    return field(default=default, metadata=meta)


def _copy(value: Any) -> Any:
    return copy.deepcopy(value)
