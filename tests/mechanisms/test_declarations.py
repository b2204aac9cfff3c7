"""Every mechanism touches only the state it declares (simulation.mechanisms.declare).

Each public mechanism function runs against a recording context taken from live models (three
strategies and brokering modes, some years in, a pilot running), and fails when it reads or
writes a field its declaration does not name. New mechanism functions must be declared and
given an example call here."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from simulation import SchoolSystem
from simulation.mechanisms import REGISTRY
from simulation.mechanisms.declare import declarations, declared_functions, footprint
from simulation.params.schema import BrokeringMode as BM
from simulation.params.schema import PartnershipType as PT


def _weak(ctx, n=4):
    return ctx.system.estimate_order[:n].copy()


def _strong(ctx, n=4):
    return ctx.system.estimate_order[::-1][:n].copy()


# extra arguments for functions that take more than the context
EXAMPLES = {
    "information.review": lambda ctx: (_weak(ctx),),
    "information.take_reading": lambda ctx: (_weak(ctx), np.zeros(4), 0.1),
    "information.read_capacity": lambda ctx: (_weak(ctx),),
    "information.review_with_spare_days": lambda ctx: (20.0,),
    "inspection.judge": lambda ctx: (np.arange(5),),
    "intervention.intervene": lambda ctx: (200.0,),
    "monitoring.monitor": lambda ctx: (200.0,),
    "brokering.choose": lambda ctx: (_weak(ctx), _strong(ctx), BM.data_informed),
    "brokering.leverage_draw": lambda ctx: (4, True),
    "brokering.link": lambda ctx: (_strong(ctx, 2), _weak(ctx, 2), PT.support),
    "brokering.willing_supporters": lambda ctx: (_strong(ctx),),
    "brokering.broker_support": lambda ctx: (_weak(ctx), _strong(ctx), BM.data_informed, True),
    "brokering.broker_networks": lambda ctx: (_strong(ctx, 6), 2, BM.data_informed, True),
    "partnerships.maturity": lambda ctx: (ctx.links.live(),),
    "partnerships.strength": lambda ctx: (ctx.links.live(),),
    "partnerships.link_days": lambda ctx: (ctx.links.live(),),
    "brokering.scope_groups": lambda ctx: (BM.data_informed,),
    "distance.between": lambda ctx: (_strong(ctx, 3), _weak(ctx, 3)),
    "distance.meets_online": lambda ctx: (np.array([1.0, 80.0]),),
    "distance.contact_share": lambda ctx: (ctx.links.live(),),
    "distance.day_share": lambda ctx: (ctx.links.live(),),
    "distance.deepening": lambda ctx: (ctx.links.live(),),
    "distance.depth_reach": lambda ctx: (ctx.links.live(),),
    "absorption.uptake": lambda ctx: (ctx.schools.km_capacity.copy(),),
    "absorption.take_in": lambda ctx: (np.full(ctx.staff.n, 0.01),),
    "coaching.identify_coaches": lambda ctx: (_weak(ctx),),
    "turnover.recruit": lambda ctx: (np.arange(0, ctx.staff.n, 7),),
    "formalisation.join_trust": lambda ctx: (_strong(ctx, 2), _weak(ctx, 2)),
}
KEYWORDS = {"brokering.link": {"brokered": True, "facilitated": True}}

MODELS = [
    dict(scenario="teaching", strategy="upwards_convergence", n_trios=2, start_after_years=2.0, duration_years=3.0,
         brokering_scope="region"),
    dict(scenario="teaching", strategy="status_quo"),
    dict(scenario="teaching", strategy="reducing_disparity", brokering="school_improvement_groups"),
]
FUNCTIONS = sorted(f"{name}.{fn}" for name, path in REGISTRY.items()
                   for fn in declared_functions(importlib.import_module(path)))


def _live_model(i: int, seed: int = 0) -> SchoolSystem:
    model = SchoolSystem(rng=seed, **MODELS[i])
    model.run_years(3)
    model.ctx.clock.new_year = True  # so that yearly branches run too
    return model


def _call(qualified: str, model: SchoolSystem):
    module, fn_name = qualified.split(".")
    fn = getattr(importlib.import_module(REGISTRY[module]), fn_name)
    args = EXAMPLES.get(qualified, lambda ctx: ())(model.ctx)
    return fn, footprint(fn, model.ctx, *args, **KEYWORDS.get(qualified, {}))[1]


def test_every_public_mechanism_function_is_declared():
    missing = [f"{m}.{fn}" for m, fns in declarations().items() for fn, d in fns.items() if d is None]
    assert not missing, f"undeclared mechanism functions: {missing}"


@pytest.mark.parametrize("qualified", FUNCTIONS)
@pytest.mark.parametrize("state", range(len(MODELS)))
def test_mechanism_touches_only_declared_state(qualified, state):
    fn, seen = _call(qualified, _live_model(state))
    declared = fn.__declares__
    undeclared_reads = seen.reads - declared.reads - declared.writes
    undeclared_writes = seen.writes - declared.writes
    assert not undeclared_reads, f"{qualified} reads undeclared {sorted(undeclared_reads)}"
    assert not undeclared_writes, f"{qualified} writes undeclared {sorted(undeclared_writes)}"


def test_the_recorder_catches_an_undeclared_write():
    from simulation.mechanisms.declare import mechanism

    @mechanism(reads={"schools": "grade"})
    def sneaky(ctx):
        ctx.schools.leadership[0] += 0.1  # in place, not declared
        return ctx.schools.grade[0]

    model = _live_model(1)
    _, seen = footprint(sneaky, model.ctx)
    assert "schools.leadership" in seen.writes - sneaky.__declares__.writes
