"""The state tables are declared in one place: no code can add a field to them at run time."""

import pytest

from simulation.state import FIELDS, TABLES


def test_tables_and_context_refuse_undeclared_fields(small_model):
    ctx = small_model().ctx
    for table in TABLES:
        with pytest.raises(AttributeError):
            setattr(getattr(ctx, table), "undeclared_field", 1)
    with pytest.raises(AttributeError):
        ctx.floor = 0.3  # the old model grew such attributes; the floor lives in ctx.system


def test_fields_list_every_table_field(small_model):
    ctx = small_model().ctx
    for table in TABLES:
        for name in FIELDS[table]:
            getattr(getattr(ctx, table), name)
    assert "coaching_days" in FIELDS["plan"] and "coaching_days" not in FIELDS["schools"]


def test_plan_reset_clears_in_place(small_model):
    model = small_model(strategy="upwards_convergence")
    model.step()
    plan = model.plan
    arrays = [getattr(plan, f) for f in FIELDS["plan"]]
    plan.reset()
    assert all(getattr(plan, f) is a and not a.any() for f, a in zip(FIELDS["plan"], arrays))
