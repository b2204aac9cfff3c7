"""Mesa agents: schools, staff posts, the local authority (broker) and the inspectorate.

Agents are the model's interface: each ``School`` and ``Staff`` is a thin view onto a row of
the array state, so that the hot path stays vectorised (see ``simulation.state.tables``). A
``Staff`` agent is a *post*: when its holder leaves, the next holder takes the same row and
agent. The two system actors own the schedule's decisions and call the vectorised
mechanisms for every school at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent

from simulation.mechanisms.accountability import information
from simulation.mechanisms.accountability import inspection
from simulation.mechanisms.accountability import intervention
from simulation.mechanisms.accountability import monitoring
from simulation.mechanisms.between_schools import brokering
from simulation import strategies
from simulation.params.schema import Grade, PartnershipType

if TYPE_CHECKING:
    from simulation.model import SchoolSystem


class School(Agent):
    """A school: a view onto row ``index`` of the school arrays."""

    def __init__(self, model: SchoolSystem, index: int) -> None:
        super().__init__(model)
        self.index = index

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
    """A staff post: a view onto row ``index`` of the staff arrays, reused across holders."""

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
    """The local authority / consortium / broker: knows the schools, spends the budget,
    brokers and monitors partnerships, and intervenes (Ainscow's four tasks)."""

    def know_the_schools(self) -> None:
        information.estimate(self.model)

    def allocate_budget(self) -> dict[str, float]:
        return strategies.allocate(self.model)

    def broker_partnerships(self) -> None:
        brokering.spontaneous_collaboration(self.model)
        brokering.spontaneous_support(self.model)

    def monitor_and_intervene(self) -> None:
        """Spend officer capacity: statutory intervention first, then monitoring, then reviews."""
        m = self.model
        remaining = m.officer_days_per_step() + m.officer_carry - m.officer_days_used
        remaining -= intervention.intervene(m, max(remaining, 0.0))
        if m.new_year:
            remaining -= monitoring.monitor(m, max(remaining, 0.0))
        remaining -= information.review_with_spare_days(m, max(remaining, 0.0))
        m.officer_days_used = m.officer_days_per_step() + m.officer_carry - remaining
        m.officer_carry = remaining


class Inspectorate(Agent):
    """The inspectorate: inspects on a cycle and revises its framework."""

    def revise_framework(self) -> None:
        m = self.model
        interval = m.cfg.inspection.framework_interval
        if m.new_year and m.years_elapsed > 0 and round(m.years_elapsed) % interval == 0:
            inspection.revise_framework(m)

    def inspect(self) -> None:
        inspection.inspect(self.model)
