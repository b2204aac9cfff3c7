"""The package's architecture, read from its source: layers import only downwards, no import
cycles, mechanisms never import another mechanism's internals or take the model, no module over
400 lines (docs/architecture.md)."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from simulation.report.architecture import LAYERS as ARCHITECTURE_LAYERS

PACKAGE = Path(__file__).resolve().parents[1] / "simulation"
MAX_LINES = 400

# The layers, lowest first, from the one list (simulation.report.architecture.LAYERS, which
# docs/architecture.md shows). A module may import its own layer and those below.
LAYERS = [(name, set(packages)) for name, packages, _ in ARCHITECTURE_LAYERS]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best, depth = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = i, prefix.count(".")
    assert best is not None, f"{module} is in no layer"
    return best


def project_imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, imported names) for every import of the project in a file, nested ones included."""
    tree = ast.parse(path.read_text())
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    out = []
    for node in _walk_runtime(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split(".")[0] == "simulation"]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != "simulation":
                continue
            names = [a.name for a in node.names]
            submodules = [f"{base}.{n}" for n in names if (PACKAGE.parent / f"{base}.{n}".replace(".", "/")).with_suffix(".py").exists()
                          or (PACKAGE.parent / f"{base}.{n}".replace(".", "/") / "__init__.py").exists()]
            out += [(m, []) for m in submodules] or [(base, names)]
            if submodules and len(submodules) < len(names):
                out.append((base, [n for n in names if f"{base}.{n}" not in submodules]))
    return out


def _walk_runtime(tree: ast.AST):
    """Every node except those under ``if TYPE_CHECKING:`` (annotations only, never imported at run time)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and getattr(child.test, "id", None) == "TYPE_CHECKING":
                todo.extend(child.orelse)
                continue
            todo.append(child)


FILES = sorted(PACKAGE.rglob("*.py"))
GRAPH = {module_name(f): sorted({m for m, _ in project_imports(f)} - {module_name(f)}) for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: module_name(p))
def test_imports_only_downwards(path):
    me = module_name(path)
    mine = layer_of(me)
    for imported in GRAPH[me]:
        theirs = layer_of(imported)
        assert theirs <= mine, (
            f"{me} ({LAYERS[mine][0]}) imports {imported} ({LAYERS[theirs][0]}), a higher layer")


@pytest.mark.parametrize("path", FILES, ids=lambda p: module_name(p))
def test_module_is_small(path):
    n = len(path.read_text().splitlines())
    assert n <= MAX_LINES, f"{module_name(path)} has {n} lines (at most {MAX_LINES})"


def test_no_import_cycles():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in GRAPH.get(m, []):
            if n not in GRAPH:
                continue
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack[stack.index(n):] + [n]))
            if n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in GRAPH:
        if m not in state:
            visit(m)


MECHANISM_FILES = [f for f in FILES if module_name(f).startswith("simulation.mechanisms.") and f.name != "__init__.py"]


@pytest.mark.parametrize("path", MECHANISM_FILES, ids=lambda p: module_name(p))
def test_mechanisms_use_no_other_mechanism_internals(path):
    for module, names in project_imports(path):
        if module.startswith("simulation.mechanisms.") and module != module_name(path):
            private = [n for n in names if n.startswith("_")]
            assert not private, f"{module_name(path)} imports internals {private} of {module}"


def test_mechanisms_take_a_context_never_the_model():
    import importlib

    from simulation.mechanisms import REGISTRY

    for path in REGISTRY.values():
        module = importlib.import_module(path)
        for name, fn in vars(module).items():
            if inspect.isfunction(fn) and fn.__module__ == module.__name__:
                params = inspect.signature(fn).parameters
                assert "model" not in params, f"{path}.{name} takes the model; mechanisms take ctx"
                if "ctx" in params:
                    assert params["ctx"].annotation == "Context", f"{path}.{name}: ctx is not typed as Context"


def test_the_rule_catches_an_upward_import(tmp_path):
    # the checker itself: a mechanism importing the model is a violation
    assert layer_of("simulation.model") > layer_of("simulation.mechanisms.within_school.coaching")
    assert layer_of("simulation.run.cli") > layer_of("simulation.model")
    assert layer_of("simulation.params.schema") == 0


USERS = ("simulation.run", "simulation.report", "simulation.viz", "simulation.docking", "simulation.explore")
INTERNALS = ("simulation.state", "simulation.mechanisms")


DESCRIBES_INTERNALS = {"simulation.report.architecture"}  # generates docs/architecture.md from the declarations


@pytest.mark.parametrize("path", [f for f in FILES if module_name(f).startswith(USERS)
                                  and module_name(f) not in DESCRIBES_INTERNALS] +
                         sorted((PACKAGE.parent / "experiments").rglob("*.py")), ids=lambda p: p.stem)
def test_users_of_the_model_need_no_internals(path):
    """The command line, reports, the page, the docking model and the experiments work through the
    public API, the registries and the measures; only simulation.checks, which sets up controlled
    unit experiments of single mechanisms, and the architecture document's generator reach in."""
    for module, _ in project_imports(path):
        assert not module.startswith(INTERNALS), f"{path.name} imports {module}"
