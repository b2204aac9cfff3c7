"""The typed context every mechanism receives instead of the model: the configuration, the
model's seeded generator, and the state tables. Slotted, so no mechanism can add state that
is not declared here."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from simulation.params.schema import ModelConfig
from simulation.state.partnerships import PartnershipState
from simulation.state.plan import TermPlan
from simulation.state.schools import SchoolState
from simulation.state.staff import StaffState
from simulation.state.system import Clock, SystemState, Tally

TABLES = ("staff", "schools", "links", "plan", "system", "tally")  # the state a mechanism may read or write
FIELDS: dict[str, tuple[str, ...]] = {  # every field of every table
    "staff": tuple(f.name for f in fields(StaffState)), "schools": tuple(f.name for f in fields(SchoolState)),
    "links": tuple(f for f in PartnershipState.__slots__ if not f.startswith("_")), "plan": tuple(f.name for f in fields(TermPlan)),
    "system": tuple(f.name for f in fields(SystemState)), "tally": tuple(f.name for f in fields(Tally)),
}


@dataclass(slots=True)
class Context:
    cfg: ModelConfig
    rng: np.random.Generator
    clock: Clock
    staff: StaffState
    schools: SchoolState
    links: PartnershipState
    plan: TermPlan
    system: SystemState
    tally: Tally

    @property
    def dt(self) -> float:
        return self.clock.dt

    @property
    def years_elapsed(self) -> float:
        """Model time in years: completed steps."""
        return self.clock.term * self.clock.dt

    @property
    def calendar_year(self) -> float:
        return self.cfg.start_year + self.years_elapsed
