"""The parameter reference (docs/parameters.md), generated from the typed schema.

    python -m simulation.paramdoc > docs/parameters.md

A test regenerates it and fails when the committed file and the schema disagree.
"""

from __future__ import annotations

import dataclasses
from enum import Enum

from .schema import ModelConfig


def _fmt(value) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list):
        return ", ".join(_fmt(v) if not dataclasses.is_dataclass(v) else f"{v.year}: {v.share}" for v in value)
    return str(value)


def rows(cls: type = ModelConfig, prefix: str = ""):
    for f in dataclasses.fields(cls):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if dataclasses.is_dataclass(default) and not isinstance(default, list):
            yield from rows(type(default), f"{prefix}{f.name}.")
            continue
        lo, hi = f.metadata.get("range", (None, None))
        allowed = (f"{lo} to {hi}" if lo is not None or hi is not None else
                   " / ".join(m.value for m in type(default)) if isinstance(default, Enum) else "")
        yield (f"`{prefix}{f.name}`", f.metadata.get("help", ""), _fmt(default), allowed, f.metadata.get("unit", ""),
               f.metadata.get("source", ""))


def markdown() -> str:
    head = ["# Parameter reference", "",
            "Generated from `simulation/schema.py` by `python -m simulation.paramdoc`; do not edit by hand.",
            "Rates are per year unless the unit says otherwise. Any parameter can be set from Python "
            "(`SchoolSystem(coaching_time=6)`) or the command line (`upconv coaching.coaching_time=6`).", "",
            "| parameter | meaning | default | allowed | unit | source of the default |",
            "|---|---|---|---|---|---|"]
    body = ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows()]
    return "\n".join(head + body) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
