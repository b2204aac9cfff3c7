"""State: typed tables of staff posts, schools and partnerships, the per-term plan, and the
system state, all declared here and handed to mechanisms in one :class:`Context`."""

from simulation.state.context import FIELDS, TABLES, Context
from simulation.state.partnerships import PartnershipState
from simulation.state.plan import TermPlan
from simulation.state.schools import SchoolState
from simulation.state.staff import StaffState
from simulation.state.system import Clock, SystemState, Tally

__all__ = ["Context", "FIELDS", "TABLES", "Clock", "PartnershipState", "SchoolState", "StaffState", "SystemState", "Tally",
           "TermPlan"]
