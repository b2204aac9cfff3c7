"""docs/architecture.md, generated from the code: the layers, the package map, the term's
schedule and the table of mechanism x state (what each mechanism reads and writes, from its
declarations).

    python -m simulation.report.architecture > docs/architecture.md

A test regenerates it and fails when the committed file and the code disagree.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from simulation.mechanisms import GROUPS, REGISTRY
from simulation.mechanisms.declare import declarations, module_footprint
from simulation.state import FIELDS, TABLES

PACKAGE = Path(__file__).resolve().parents[1]

# The layers, lowest first: a module imports its own layer and those below, never above
# (tests/test_architecture.py holds this). `simulation` itself is the public API.
LAYERS: list[tuple[str, tuple[str, ...], str]] = [
    ("params", ("simulation.params",),
     "the typed schema (every number that changes behaviour, with range, unit, source), loading, the one input "
     "checker, Hydra registration"),
    ("state", ("simulation.state",), "typed tables (staff, schools, partnerships), the per-term plan, system state, "
     "tally and clock, and the Context handed to mechanisms"),
    ("mechanisms", ("simulation.mechanisms",), "one module per claim of the theory: its rule, NumPy form and "
     "compiled kernel, and what state it reads and writes"),
    ("measures", ("simulation.measures",), "the metric registry, the metrics computed from the state each term "
     "(feeding the DataCollector), the convergence index"),
    ("core", ("simulation", "simulation.strategies", "simulation.geography", "simulation.population", "simulation.model",
              "simulation.agents"),
     "strategies (the budget's allocation), population (the starting state), the model (the term's schedule), "
     "the Mesa agents"),
    ("top", ("simulation.run", "simulation.report", "simulation.viz", "simulation.checks", "simulation.docking",
             "simulation.explore"),
     "command line and sweeps, reports and figures, the browser page, calibration and pattern checks, the "
     "March (1991) docking model, robustness studies and the EMA Workbench adapter; nothing below imports them"),
]


def _first_line(path: Path) -> str:
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return " ".join(doc.split("\n\n")[0].split())


def package_map() -> list[str]:
    lines = ["| module | what it holds |", "|---|---|"]
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).as_posix()
        if path.name == "__init__.py" and len(path.read_text().splitlines()) < 3:
            continue
        lines.append(f"| `{rel}` | {_first_line(path).replace('|', '/')} |")
    return lines


def schedule() -> list[str]:
    """The calls of ``SchoolSystem.step``, in order, read from its source."""
    from simulation.model import SchoolSystem

    tree = ast.parse(inspect.getsource(SchoolSystem.step).strip())
    out = []
    for node in tree.body[0].body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            out.append(f"{len(out) + 1}. `{ast.unparse(node.value.func).replace('self.', '')}`")
    return out


def _cell(names: frozenset[str], table: str) -> str:
    fields = sorted(n.split(".", 1)[1] for n in names if n.startswith(table + "."))
    return " ".join(fields) if len(fields) < len(FIELDS[table]) or not fields else "*all*"


def state_table() -> list[str]:
    decl = declarations()
    lines = []
    for group, names in GROUPS.items():
        lines += [f"**{group.replace('_', ' ')}**", "", "| mechanism | | " + " | ".join(TABLES) + " |",
                  "|---|---|" + "---|" * len(TABLES)]
        for name in names:
            fp = module_footprint(decl[name])
            for kind, names_ in (("reads", fp.reads), ("writes", fp.writes)):
                label = f"`{name}`" if kind == "reads" else ""
                lines.append(f"| {label} | {kind} | " + " | ".join(_cell(names_, t) for t in TABLES) + " |")
        lines.append("")
    return lines


def function_table() -> list[str]:
    lines = ["| function | reads | writes |", "|---|---|---|"]
    for name, fns in declarations().items():
        for fn, d in fns.items():
            lines.append(f"| `{name}.{fn}` | {' '.join(sorted(d.reads - d.writes)) or '-'} | "
                         f"{' '.join(sorted(d.writes)) or '-'} |")
    return lines


TEMPLATE = Path(__file__).with_name("architecture_template.md")


def markdown() -> str:
    layers = ["| layer | packages | holds |", "|---|---|---|"]
    layers += [f"| {i + 1}. {name} | {', '.join(f'`{p}`' for p in pkgs)} | {text} |"
               for i, (name, pkgs, text) in enumerate(LAYERS)]
    blocks = {"LAYERS": layers, "SCHEDULE": schedule(), "STATE_TABLE": state_table(),
              "FUNCTION_TABLE": function_table(), "PACKAGE_MAP": package_map(),
              "TABLE_FIELDS": [f"- `{t}`: {', '.join(FIELDS[t])}" for t in TABLES]}
    text = TEMPLATE.read_text()
    for key, lines in blocks.items():
        text = text.replace("{{" + key + "}}", "\n".join(lines))
    return text


def main() -> None:
    for path in REGISTRY.values():
        importlib.import_module(path)
    print(markdown(), end="")


if __name__ == "__main__":
    main()
