"""SchoolSystem: the Mesa model of a school system learning its way to upwards convergence."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from mesa import DataCollector, Model

from simulation.mechanisms.accountability import floor_standards
from simulation.mechanisms.accountability import information
from simulation.mechanisms.accountability import inspection
from simulation.mechanisms.between_schools import brokering
from simulation.mechanisms.between_schools import innovation
from simulation.mechanisms.between_schools import moral_capital
from simulation.mechanisms.between_schools import partnerships
from simulation.mechanisms.between_schools import pilot
from simulation.mechanisms.outcomes import attainment
from simulation.mechanisms.within_school import absorption
from simulation.mechanisms.within_school import coaching
from simulation.mechanisms.within_school import cpd
from simulation.mechanisms.within_school import knowledge
from simulation.mechanisms.within_school import leadership
from simulation import population
from simulation.agents import Inspectorate, LocalAuthority, School, Staff
from simulation.measures.system import model_reporters, school_panel, system_metrics
from simulation.mechanisms.within_school import turnover
from simulation.params.loading import load_config
from simulation.params.schema import BrokeringMode, ConfigError, ModelConfig
from simulation.state.memory import check_memory, reuse_freed_memory
from simulation.state.tables import PartnershipState, posts_of, school_mean, segments_of

EAGER_STAFF_AGENTS = 50_000  # above this, Staff agents are created on first use of model.staff_agents


class SchoolSystem(Model):
    """A school system of schools and staff under one strategy.

    ``SchoolSystem(scenario="teaching", strategy="upwards_convergence", rng=0)``; any other
    parameter as a keyword (``coaching_time=6`` or ``coaching__coaching_time=6``), or a full
    ``config=ModelConfig(...)``. One step is one school term by default. Staff agents are
    thin views onto array rows; in systems above 50,000 staff they are created when
    ``model.staff_agents`` is first used (``create_staff_agents=True`` forces it).
    """

    def __init__(self, scenario: str = "teaching", strategy: str = "status_quo", rng: Any = None,
                 config: ModelConfig | None = None, create_staff_agents: bool | None = None,
                 **overrides: Any) -> None:
        cfg = config if config is not None else load_config(scenario, strategy, **overrides)
        seed = _seed_from(rng, cfg.seed)
        check_memory(cfg, staff_agents=bool(create_staff_agents))
        reuse_freed_memory()
        super().__init__(rng=seed)
        self.cfg = cfg
        self.seed = seed
        self.dt = 1.0 / cfg.steps_per_year
        self._init_counters()
        self.schools = population.build_schools(cfg, self.rng)
        self.staff = population.build_staff(cfg, self.schools, self.rng)
        self.links = PartnershipState(capacity=max(64, 2 * self.schools.n))
        self.frontier = float(self.staff.knowledge.max())
        self.initial_mean_knowledge = self.mean_knowledge()
        self.initial_entrant_level = float(-population.experience_profile(cfg, self.staff.experience).mean()
                                           + population.experience_profile(cfg, np.zeros(1))[0])
        self.pupil_sigma = population.within_sd(cfg)
        self.benchmark = population.benchmark_for(cfg.system.initial_attainment, self.staff.effective(),
                                                  self.schools, self.staff.school, self.pupil_sigma)
        population.mark_experts(self.staff, self.schools, cfg.partnership.expert_share)
        self.schools.reset_plan()
        inspection.first_inspections(self)  # also places the first grade boundaries
        information.estimate(self)
        if cfg.strategy.brokering == BrokeringMode.school_improvement_groups:
            brokering.assign_sigs(self)
        attainment.update_attainment(self)
        floor_standards.apply_floor(self)

        self.school_agents = [School(self, i) for i in range(self.schools.n)]
        self._staff_agents: list[Staff] | None = None
        eager = create_staff_agents if create_staff_agents is not None else self.staff.n <= EAGER_STAFF_AGENTS
        if eager:
            _ = self.staff_agents
        self.local_authority = LocalAuthority(self)
        self.inspectorate = Inspectorate(self)
        self.current_metrics = system_metrics(self)
        self.panel: list[pd.DataFrame] = []
        self.datacollector = DataCollector(model_reporters=model_reporters())
        self.datacollector.collect(self)
        self._collect_panel()

    @property
    def staff_agents(self) -> list[Staff]:
        """One Mesa agent per staff post (created on first use in very large systems)."""
        if self._staff_agents is None:
            self._staff_agents = [Staff(self, i) for i in range(self.staff.n)]
        return self._staff_agents

    def _init_counters(self) -> None:
        self.term = 0  # completed terms
        self.new_year = True
        self.framework_revisions = 0
        self.inspection_log: list = []
        self.staff_days_used = 0.0
        self.officer_days_used = 0.0
        self.officer_carry = 0.0
        self.own_staff_days = 0.0
        self.interventions = 0
        self.innovations_adopted = 0
        self.innovations_harmful = 0
        self.partnerships_rebrokered = 0
        self.coaching_gain = 0.0
        self.leavers_total = 0
        self.spend: dict[str, float] = {}
        self.pilot_started = False
        self.yearly_attainment: list[np.ndarray] = []  # mean attainment of each past year, per school
        self._attainment_sum = None
        self._group_counter = 0

    # --- time -------------------------------------------------------------------------
    @property
    def years_elapsed(self) -> float:
        """Model time in years: completed terms (Mesa counts ``steps`` before the step runs)."""
        return self.term * self.dt

    @property
    def calendar_year(self) -> float:
        return self.cfg.start_year + self.years_elapsed

    # --- the schedule -------------------------------------------------------------------
    def step(self) -> None:
        """One school term."""
        self.new_year = self.term % self.cfg.steps_per_year == 0
        self._start_step()
        self.inspectorate.revise_framework()
        self.local_authority.know_the_schools()
        self.spend = self.local_authority.allocate_budget()
        self.local_authority.broker_partnerships()
        pilot.start_pilot(self)
        self.own_staff_days += pilot.pilot_days(self)
        coaching.coach(self)
        partnerships.exchange(self)
        cpd.train_staff(self)
        innovation.innovate(self)
        knowledge.update_frontier(self)
        knowledge.learn_from_experience(self)
        knowledge.drift(self)
        absorption.consolidate(self)
        moral_capital.role_model(self)
        leadership.grow_leaders(self)
        leadership.change_heads(self)
        turnover.turnover(self)
        partnerships.lapse(self)
        attainment.update_attainment(self)
        floor_standards.apply_floor(self)
        self.inspectorate.inspect()
        self.local_authority.monitor_and_intervene()
        self.term += 1
        self._end_step()

    def _start_step(self) -> None:
        self.staff_days_used = 0.0
        self.officer_days_used = 0.0
        self.own_staff_days = 0.0  # the per-term plan (released, external_gain, ...) is reset by allocate
        if self.new_year:
            population.mark_experts(self.staff, self.schools, self.cfg.partnership.expert_share)

    def _end_step(self) -> None:
        self.staff_days_used = float(sum(self.spend.values()))
        self._record_year()
        self.current_metrics = system_metrics(self)
        self.datacollector.collect(self)
        self._collect_panel()

    def _record_year(self) -> None:
        """Keep each school's mean attainment per school year (selection filters use two years)."""
        if self._attainment_sum is None:
            self._attainment_sum = np.zeros(self.schools.n)
        self._attainment_sum += self.schools.attainment
        if self.term % self.cfg.steps_per_year == 0:
            self.yearly_attainment = (self.yearly_attainment + [self._attainment_sum / self.cfg.steps_per_year])[-2:]
            self._attainment_sum = None

    def _collect_panel(self) -> None:
        if self.cfg.collect_school_panel:
            frame = pd.DataFrame(school_panel(self))
            frame.insert(0, "year", self.calendar_year)
            frame.insert(0, "step", self.term)
            self.panel.append(frame)

    def run_years(self, years: float) -> None:
        self.run_for(int(round(years * self.cfg.steps_per_year)))

    # --- derived quantities used by mechanisms ---------------------------------------------
    def mean_knowledge(self) -> float:
        return float(self.staff.effective().mean())

    def school_knowledge(self, schools: np.ndarray | None = None) -> np.ndarray:
        """Mean effective knowledge of every school's staff, or of ``schools`` only."""
        st, sc = self.staff, self.schools
        if schools is None:
            return school_mean(st.effective(), sc.start)
        posts = posts_of(schools, sc.start)
        return school_mean(st.knowledge[posts] + st.shallow[posts], segments_of(schools, sc.start))

    def entrant_level(self) -> float:
        return turnover.entrant_level(self)

    def partnership_maturity_by_school(self) -> np.ndarray:
        return partnerships.maturity_by_school(self)

    def officer_days_per_step(self) -> float:
        return self.cfg.intervention.officer_days_per_school * self.schools.n * self.dt

    def next_group_id(self) -> int:
        self._group_counter += 1
        return self._group_counter

    # --- results --------------------------------------------------------------------------
    def metrics(self) -> pd.DataFrame:
        """Model-level metrics, one row per step (initial state included)."""
        return self.datacollector.get_model_vars_dataframe()

    def school_panel(self) -> pd.DataFrame:
        """School-level panel (needs ``collect_school_panel=True``)."""
        if not self.panel:
            raise ValueError("collect_school_panel is False; build the model with collect_school_panel=True.")
        return pd.concat(self.panel, ignore_index=True)


def _seed_from(rng: Any, default: int) -> int:
    """The model's seed: the browser sends a string, so accept anything int-like."""
    if rng is None:
        return int(default)
    if isinstance(rng, str):
        try:
            rng = int(rng.strip())
        except ValueError:
            raise ConfigError(f"seed must be a whole number between 0 and {2**63 - 1}; got {rng!r}.") from None
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool):
        if not 0 <= int(rng) < 2**63:
            raise ConfigError(f"seed must be a whole number between 0 and {2**63 - 1}; got {rng!r}.")
        return int(rng)
    raise ConfigError(f"seed must be a whole number between 0 and {2**63 - 1}; got {rng!r} ({type(rng).__name__}).")
