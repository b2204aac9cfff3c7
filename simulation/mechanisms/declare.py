"""What a mechanism may touch: each public mechanism function declares the state it reads and
the state it writes, next to its rule::

    @mechanism(reads={"staff": "knowledge coach", "plan": "coaching_days"},
               writes={"staff": "knowledge", "plan": "coaching_intensity"})
    def coach(ctx): ...

Names are ``table.field`` of :mod:`simulation.state` (tables: staff, schools, links, plan,
system, tally); ``"*"`` names every field of a table (creating partnerships writes them all).
A table's layout (``staff.school``, ``schools.start``, ``schools.n_staff``, ``n``), the
configuration, the generator and the clock are free to read and never written by a mechanism. A declaration covers everything the function does, including what it calls.
:func:`footprint` records what a call actually touched; the state-declaration test runs every
declared function through it and fails on anything undeclared, and docs/architecture.md is
generated from the declarations.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import types
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Callable

import numpy as np

from simulation.mechanisms import REGISTRY
from simulation.state import FIELDS, TABLES, Context


@dataclass(frozen=True)
class Declaration:
    reads: frozenset[str]
    writes: frozenset[str]


def _names(spec: dict[str, str] | None) -> frozenset[str]:
    out = set()
    for table, names in (spec or {}).items():
        if table not in TABLES:
            raise ValueError(f"unknown state table {table!r}; the tables are {', '.join(TABLES)}")
        names = " ".join(FIELDS[table]) if names.strip() == "*" else names
        out |= {f"{table}.{name}" for name in names.split()}
    return frozenset(out)


def mechanism(*, reads: dict[str, str] | None = None, writes: dict[str, str] | None = None) -> Callable:
    """Declare the state a mechanism function reads and writes (no wrapper: no cost per call)."""

    def attach(fn: Callable) -> Callable:
        fn.__declares__ = Declaration(_names(reads), _names(writes))
        return fn

    return attach


def declared_functions(module: types.ModuleType) -> dict[str, Callable]:
    """The module's public functions that take a context, by name."""
    return {name: fn for name, fn in vars(module).items()
            if inspect.isfunction(fn) and fn.__module__ == module.__name__ and not name.startswith("_")
            and next(iter(inspect.signature(fn).parameters), None) == "ctx"}


def declarations() -> dict[str, dict[str, Declaration]]:
    """Every mechanism module's declared functions: {module: {function: Declaration}}."""
    out = {}
    for name, path in REGISTRY.items():
        module = importlib.import_module(path)
        out[name] = {fn_name: getattr(fn, "__declares__", None) for fn_name, fn in declared_functions(module).items()}
    return out


def module_footprint(module_declarations: dict[str, Declaration]) -> Declaration:
    reads, writes = set(), set()
    for d in module_declarations.values():
        reads |= d.reads
        writes |= d.writes
    return Declaration(frozenset(reads - writes), frozenset(writes))


# --- recording what a call touches ----------------------------------------------------------

class _Recorded:
    """A view of one state table that logs every field read and every field assigned."""

    def __init__(self, table: str, target: Any, log: dict[str, set]) -> None:
        object.__setattr__(self, "_table", table)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_log", log)

    def __getattr__(self, name: str) -> Any:
        target = object.__getattribute__(self, "_target")
        table = object.__getattribute__(self, "_table")
        layout = getattr(type(target), "LAYOUT", ())
        on_class = inspect.getattr_static(type(target), name, None)
        if name in layout or name.isupper() or name.startswith("_"):  # _name: a table's private cache
            return getattr(target, name)
        if isinstance(on_class, property):
            return on_class.fget(self)  # its own reads are recorded through this view
        if inspect.isfunction(on_class):
            return types.MethodType(on_class, self)
        if isinstance(on_class, classmethod):
            return getattr(target, name)
        object.__getattribute__(self, "_log")["reads"].add(f"{table}.{name}")
        return getattr(target, name)

    def __setattr__(self, name: str, value: Any) -> None:
        table = object.__getattribute__(self, "_table")
        if not name.startswith("_"):  # a private cache, kept by the table's own methods, is not state
            object.__getattribute__(self, "_log")["assigned"].add(f"{table}.{name}")
        setattr(object.__getattribute__(self, "_target"), name, value)


def _field_names(obj: Any) -> list[str]:
    if is_dataclass(obj):
        return [f.name for f in fields(obj)]
    return [name for name in getattr(type(obj), "__slots__", ()) if not name.startswith("_")]


def _snapshot(ctx: Context) -> dict[str, Any]:
    out = {}
    for table in TABLES:
        obj = getattr(ctx, table)
        for name in _field_names(obj):
            value = getattr(obj, name)
            out[f"{table}.{name}"] = value.copy() if isinstance(value, np.ndarray) else copy.deepcopy(value)
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    try:
        return bool(a == b) or (a != a and b != b)
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Footprint:
    reads: frozenset[str]
    writes: frozenset[str]  # changed in value, or assigned


def footprint(fn: Callable, ctx: Context, *args: Any, **kwargs: Any) -> tuple[Any, Footprint]:
    """Call ``fn(recording context, *args)`` and return its result and the state it touched.
    Also fails if it wrote the clock."""
    log: dict[str, set] = {"reads": set(), "assigned": set()}
    views = {table: _Recorded(table, getattr(ctx, table), log) for table in TABLES}
    before = _snapshot(ctx)
    clock = copy.copy(ctx.clock)
    recording = Context(cfg=ctx.cfg, rng=ctx.rng, clock=ctx.clock, **views)
    result = fn(recording, *args, **kwargs)
    after = _snapshot(ctx)
    changed = {key for key in before if not _same(before[key], after[key])}
    if (clock.term, clock.new_year, clock.dt) != (ctx.clock.term, ctx.clock.new_year, ctx.clock.dt):
        changed.add("clock")
    return result, Footprint(frozenset(log["reads"]), frozenset(changed | log["assigned"]))
