"""Mesa agents: schools, staff posts, the local authority (broker) and the inspectorate.

Agents are the model's interface: each ``School`` and ``Staff`` is a thin view onto a row of
the state tables, so that the hot path stays vectorised (see :mod:`simulation.state`). A
``Staff`` agent is a *post*: when its holder leaves, the next holder takes the same row and
agent. The system actors own their decisions and call the vectorised mechanisms for every
school at once: the local authority does Ainscow's four tasks (know the schools, broker
partnerships, monitor them, intervene), the inspectorate inspects, and schools choose
partners of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from simulation.mechanisms.accountability import information, inspection, intervention, monitoring
from simulation.mechanisms.between_schools import brokering
from simulation.params.schema import Grade, PartnershipType
from simulation.state import Context
from simulation.strategies import allocate

if TYPE_CHECKING:
    from simulation.model import SchoolSystem


class School(Agent):
    """A school: a view onto row ``index`` of the school table."""

    def __init__(self, model: SchoolSystem, index: int) -> None:
        super().__init__(model)
        self.index = index

    @staticmethod
    def seek_partners(ctx: Context) -> None:
        """Schools' own act, for all schools at once: some form self-selected collaboratives, and
        willing outstanding schools offer support unasked; both are paid from the schools' own days."""
        brokering.spontaneous_collaboration(ctx)
        brokering.spontaneous_support(ctx)

    def _get(self, name: str):
        return getattr(self.model.schools, name)[self.index]

    @property
    def grade(self) -> Grade:
        return Grade(int(self._get("grade")))

    @property
    def attainment(self) -> float:
        return float(self._get("attainment"))

    @property
    def pupils(self) -> int:
        return int(self._get("pupils"))

    @property
    def secondary(self) -> bool:
        return bool(self._get("secondary"))

    @property
    def leadership(self) -> float:
        return float(self._get("leadership"))

    @property
    def km_capacity(self) -> float:
        return float(self._get("km_capacity"))

    @property
    def moral_capital(self) -> float:
        return float(self._get("moral_capital"))

    @property
    def special_measures(self) -> bool:
        return bool(self._get("special_measures"))

    @property
    def posts(self) -> slice:
        start = self.model.schools.start
        return slice(int(start[self.index]), int(start[self.index + 1]))

    def staff_knowledge(self) -> np.ndarray:
        return self.model.staff.effective()[self.posts]

    def coaches(self) -> np.ndarray:
        return np.flatnonzero(self.model.staff.coach[self.posts]) + self.posts.start

    def partners(self) -> list[tuple[int, PartnershipType]]:
        links = self.model.links
        rows = links.live()
        out = []
        for r in rows[(links.a[rows] == self.index) | (links.b[rows] == self.index)]:
            other = links.b[r] if links.a[r] == self.index else links.a[r]
            out.append((int(other), PartnershipType(int(links.ptype[r]))))
        return out


class Staff(Agent):
    """A staff post: a view onto row ``index`` of the staff table, reused across holders."""

    def __init__(self, model: SchoolSystem, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def school(self) -> int:
        return int(self.model.staff.school[self.index])

    @property
    def knowledge(self) -> float:
        return float(self.model.staff.effective()[self.index])

    @property
    def experience(self) -> float:
        return float(self.model.staff.experience[self.index])

    @property
    def is_coach(self) -> bool:
        return bool(self.model.staff.coach[self.index])


class LocalAuthority(Agent):
    """The local authority / consortium / broker, doing Ainscow's four tasks: it knows the
    schools, brokers partnerships (spending the strategy's budget), monitors them and
    intervenes, within its officers' days."""

    @property
    def ctx(self) -> Context:
        return self.model.ctx

    def know_the_schools(self) -> None:
        """This term's estimate of every school, from data and any fresh peer review."""
        information.estimate(self.ctx)

    def broker_partnerships(self) -> None:
        """Spend the term's staff-day budget as the strategy says: fund coaching, broker support
        and network partnerships, release innovation days, the rest as CPD."""
        self.ctx.tally.spend = allocate(self.ctx)

    def officer_days_per_step(self) -> float:
        cfg = self.ctx.cfg
        return cfg.intervention.officer_days_per_school * self.ctx.schools.n * self.ctx.dt

    def intervene(self, days: float) -> float:
        """Statutory intervention in failing schools; returns officer days used."""
        return intervention.intervene(self.ctx, days)

    def monitor(self, days: float) -> float:
        """Once a year, check brokered partnerships and end idle ones; returns officer days used."""
        return monitoring.monitor(self.ctx, days) if self.ctx.clock.new_year else 0.0

    def review_schools(self, days: float) -> float:
        """Peer reviews with the days left over (knowing the schools better); returns days used."""
        return information.review_with_spare_days(self.ctx, days)

    def spend_officer_days(self) -> None:
        """Officer capacity this term, by priority: intervention, then monitoring, then reviews.
        What is left carries over."""
        tally = self.ctx.tally
        available = self.officer_days_per_step() + tally.officer_carry
        remaining = available - tally.officer_days_used  # brokering this term already used some
        remaining -= self.intervene(max(remaining, 0.0))
        remaining -= self.monitor(max(remaining, 0.0))
        remaining -= self.review_schools(max(remaining, 0.0))
        tally.officer_days_used = self.officer_days_per_step() + tally.officer_carry - remaining
        tally.officer_carry = remaining


class Inspectorate(Agent):
    """The inspectorate: inspects on a cycle and revises its framework."""

    def revise_framework(self) -> None:
        ctx = self.model.ctx
        interval = ctx.cfg.inspection.framework_interval
        if ctx.clock.new_year and ctx.years_elapsed > 0 and round(ctx.years_elapsed) % interval == 0:
            inspection.revise_framework(ctx)

    def inspect(self) -> None:
        inspection.inspect(self.model.ctx)
