"""The parameter reference, generated from the typed schema.

    python -m simulation.report.paramdoc > docs/parameters.md     # the reference page
    python -m simulation.report.paramdoc --odd docs/ODD.md        # the table inside the ODD description

The ODD description (docs/ODD.md) carries the same table between the markers
``<!-- params:start -->`` and ``<!-- params:end -->``; ``--odd`` rewrites only that block.
Tests regenerate both and fail when a committed file and the schema disagree
(tests/report/test_paramdoc.py, tests/report/test_odd.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from enum import Enum
from pathlib import Path

from simulation.params.schema import ModelConfig


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


TABLE_HEAD = ["| parameter | meaning | default | allowed | unit | source of the default |",
              "|---|---|---|---|---|---|"]


def table_lines() -> list[str]:
    """The parameter table (header and one row per schema leaf) as Markdown lines."""
    return TABLE_HEAD + ["| " + " | ".join(str(c).replace("|", "/") for c in row) + " |" for row in rows()]


def markdown() -> str:
    head = ["# Parameter reference", "",
            "Generated from `simulation/params/schema.py` by `python -m simulation.report.paramdoc`; do not edit by hand.",
            "Rates are per year unless the unit says otherwise. Any parameter can be set from Python "
            "(`SchoolSystem(coaching_time=6)`) or the command line (`upconv coaching.coaching_time=6`).", ""]
    return "\n".join(head + table_lines()) + "\n"


ODD_START = "<!-- params:start -->"
ODD_END = "<!-- params:end -->"


def odd_block() -> str:
    """The generated block of docs/ODD.md, markers included."""
    note = ("<!-- Generated from simulation/params/schema.py by `python -m simulation.report.paramdoc --odd docs/ODD.md`; "
            "do not edit by hand. -->")
    return "\n".join([ODD_START, note, "", *table_lines(), "", ODD_END])


def odd_table(text: str) -> str:
    """The block between the markers (markers included) of an ODD document."""
    start, end = text.find(ODD_START), text.find(ODD_END)
    if start < 0 or end < start:
        raise ValueError(f"no {ODD_START} ... {ODD_END} block found")
    return text[start:end + len(ODD_END)]


def sync_odd(path: Path) -> bool:
    """Rewrite the parameter block of the ODD document at ``path``; returns True if it changed."""
    text = path.read_text()
    new = text.replace(odd_table(text), odd_block())
    if new != text:
        path.write_text(new)
    return new != text


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate the parameter reference from the schema.")
    ap.add_argument("--odd", type=Path, metavar="PATH",
                    help="rewrite the parameter table block of this ODD document in place")
    args = ap.parse_args(argv)
    if args.odd:
        changed = sync_odd(args.odd)
        print(f"{args.odd}: parameter table {'updated' if changed else 'already up to date'}", file=sys.stderr)
    else:
        print(markdown(), end="")


if __name__ == "__main__":
    main()
