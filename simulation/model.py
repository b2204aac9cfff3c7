"""SchoolSystem: the Mesa model of a school system learning its way to upwards convergence."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from mesa import DataCollector, Model

from simulation import population
from simulation.agents import Inspectorate, LocalAuthority, School, Staff
from simulation.measures.system import model_reporters, regional_means, school_panel, system_metrics
from simulation.mechanisms.accountability import academies, floor_standards, information, inspection, pressure
from simulation.mechanisms.between_schools import brokering, innovation, moral_capital, partnerships, pilot
from simulation.mechanisms.between_schools import formalisation
from simulation.mechanisms.outcomes import attainment
from simulation.mechanisms.within_school import absorption, coaching, cpd, knowledge, leadership, turnover
from simulation.params.checks import check_memory, seed_from
from simulation.params.loading import load_config
from simulation.params.schema import BrokeringMode, ModelConfig
from simulation.params.schools_file import filled_in, read_schools
from simulation.state import Clock, Context, PartnershipState, SystemState, Tally, TermPlan
from simulation.state.memory import reuse_freed_memory
from simulation.state.segments import mean_knowledge, school_knowledge

logger = logging.getLogger(__name__)

INSPECTION_COLUMNS = ["school", "year", "score", "boundary_inadequate_ri", "boundary_ri_good",
                      "boundary_good_outstanding", "grade", "previous_grade", "special_measures"]
EAGER_STAFF_AGENTS = 50_000  # above this, Staff agents are created on first use of model.staff_agents


class SchoolSystem(Model):
    """A school system of schools and staff under one strategy.

    ``SchoolSystem(scenario="teaching", strategy="upwards_convergence", rng=0)``; any other
    parameter as a keyword (``coaching_time=6`` or ``coaching__coaching_time=6``), or a full
    ``config=ModelConfig(...)``. ``scenario`` is the *name* of a scenario file
    (``conf/scenario/<name>.yaml``, kept as ``model.scenario_name``); Mesa's own
    ``model.scenario`` object is left as Mesa builds it. One step is one school term by default.
    All state lives in typed tables in ``model.ctx`` (see :mod:`simulation.state`); Staff
    agents are thin views onto its rows, created when ``model.staff_agents`` is first used in
    systems above 50,000 staff (``create_staff_agents=True`` forces it).

    ``record_terms=False`` (a study's many runs) skips the per-term metrics and data collection:
    only the starting metrics, each term's total staff days (``term_staff_days``) and, on demand,
    the current metrics (``system_metrics(model.ctx)``) are available. The run itself is the same
    - metrics are observation; no actor reads them - and ``model.metrics()`` is then unavailable.
    """

    def __init__(self, scenario: str = "teaching", strategy: str = "status_quo", rng: Any = None,
                 config: ModelConfig | None = None, create_staff_agents: bool | None = None,
                 record_terms: bool = True, **overrides: Any) -> None:
        cfg = config if config is not None else load_config(scenario, strategy, **overrides)
        seed = seed_from(rng, cfg.seed)
        check_memory(cfg, staff_agents=bool(create_staff_agents))
        reuse_freed_memory()
        super().__init__(rng=seed)
        self.cfg = cfg
        self.seed = seed
        self.scenario_name = cfg.scenario
        self.record_terms = record_terms
        self.term_staff_days: list[float] = []
        self.ctx = self._build_state(cfg)
        self._first_term()

        self.school_agents = [School(self, i) for i in range(self.schools.n)]
        self._staff_agents: list[Staff] | None = None
        eager = create_staff_agents if create_staff_agents is not None else self.staff.n <= EAGER_STAFF_AGENTS
        if eager:
            _ = self.staff_agents
        self.local_authority = LocalAuthority(self)
        self.inspectorate = Inspectorate(self)
        self.current_metrics = system_metrics(self.ctx)
        self.panel: list[pd.DataFrame] = []
        self.datacollector = DataCollector(model_reporters=model_reporters())
        self.datacollector.collect(self)
        self._collect_panel()

    def _build_state(self, cfg: ModelConfig) -> Context:
        """Schools and staff calibrated to the start year (:mod:`simulation.population`)."""
        schools = population.build_schools(cfg, self.rng)
        staff = population.build_staff(cfg, schools, self.rng)
        pupil_sigma = population.within_sd(cfg)
        self.schools_table = table = read_schools(cfg.system.schools_file) if cfg.system.schools_file else None
        share = cfg.system.initial_attainment
        if table is not None and not np.isnan(table.attainment).all():
            given = ~np.isnan(table.attainment)
            share = float(np.average(table.attainment[given], weights=table.pupils[given]))
        self._start_share = share
        benchmark = population.benchmark_for(share, staff.effective(), schools, staff.school, pupil_sigma)
        if table is not None:
            population.fit_context_to_attainment(schools, staff, benchmark, pupil_sigma, table.attainment)
            filled = filled_in(table)
            logger.warning("schools file %s: %d schools in %d regions; drawn from the calibrated defaults: %s",
                           table.path, table.n, len(table.region_names), "; ".join(filled) or "nothing")
        system = SystemState(
            frontier=float(staff.knowledge.max()),
            initial_mean_knowledge=mean_knowledge(staff),
            initial_entrant_level=population.initial_entrant_level(cfg, staff.experience),
            pupil_sigma=pupil_sigma,
            benchmark=benchmark,
        )
        clock = Clock(dt=1.0 / cfg.steps_per_year, steps_per_year=cfg.steps_per_year)
        return Context(cfg=cfg, rng=self.rng, clock=clock, staff=staff, schools=schools,
                       links=PartnershipState(capacity=max(64, 2 * schools.n)), plan=TermPlan.empty(schools.n),
                       system=system, tally=Tally())

    def _first_term(self) -> None:
        """What is known before the first step: experts, first inspections, the authority's first
        estimate, improvement groups, the first results and the floor."""
        ctx = self.ctx
        partnerships.mark_experts(ctx)
        known = self.schools_table.grade if self.schools_table is not None else None
        inspection.first_inspections(ctx, known)  # also places the first grade boundaries
        information.estimate(ctx)
        if self.cfg.strategy.brokering == BrokeringMode.school_improvement_groups:
            brokering.assign_sigs(ctx)
        cohort = attainment.update_attainment(ctx)
        ctx.system.cold_region = self._cold_region()
        floor_standards.apply_floor(ctx)
        pressure.feel_pressure(ctx)
        if ctx.schools.focus.any():
            # accountability was in force before the start (league tables since 1992, floors): the published
            # starting share already includes the pupils focus lifts, so the benchmark is set with it
            cfg, table = self.cfg.pressure, self.schools_table
            ctx.system.benchmark = population.benchmark_for(self._start_share, self.staff.effective(), self.schools,
                                                            self.staff.school, ctx.system.pupil_sigma,
                                                            cfg.focus_band, cfg.focus_cost)
            if table is not None:  # a schools file's published results are matched school by school
                population.fit_context_to_attainment(self.schools, self.staff, ctx.system.benchmark,
                                                     ctx.system.pupil_sigma, table.attainment, cfg.focus_band,
                                                     cfg.focus_cost)
            attainment.update_attainment(ctx, cohort)
            floor_standards.apply_floor(ctx)
            pressure.feel_pressure(ctx)

    def _cold_region(self) -> int:
        """The region the cold-spot gap is measured for: the scenario's remote, disadvantaged region
        (geography.cold_spot), else the one with the lowest published results at the start."""
        sc = self.schools
        n_regions = int(sc.region.max()) + 1
        if n_regions < 2:
            return -1
        if self.cfg.geography.cold_spot and self.schools_table is None:
            return 0
        return int(np.argmin(np.where(np.bincount(sc.region) > 0, regional_means(sc), np.inf)))

    @property
    def staff_agents(self) -> list[Staff]:
        """One Mesa agent per staff post (created on first use in very large systems)."""
        if self._staff_agents is None:
            self._staff_agents = [Staff(self, i) for i in range(self.staff.n)]
        return self._staff_agents

    # --- the schedule -------------------------------------------------------------------
    def step(self) -> None:
        """One school term."""
        ctx = self.ctx
        self.begin_term()
        self.inspectorate.revise_framework()
        self.local_authority.know_the_schools()
        self.local_authority.broker_partnerships()
        School.seek_partners(ctx)
        pilot.start_pilot(ctx)
        coaching.coach(ctx)
        partnerships.exchange(ctx)
        absorption.misfit(ctx)
        cpd.train_staff(ctx)
        innovation.innovate(ctx)
        knowledge.update_frontier(ctx)
        knowledge.learn_from_experience(ctx)
        knowledge.drift(ctx)
        absorption.consolidate(ctx)
        moral_capital.role_model(ctx)
        leadership.grow_leaders(ctx)
        leadership.change_heads(ctx)
        turnover.turnover(ctx)
        partnerships.lapse(ctx)
        formalisation.formalise(ctx)
        attainment.update_attainment(ctx)
        floor_standards.apply_floor(ctx)
        floor_standards.track_persistence(ctx)
        self.inspectorate.inspect()
        pressure.feel_pressure(ctx)
        self.local_authority.spend_officer_days()
        academies.convert(ctx)
        self.end_term()

    def begin_term(self) -> None:
        """Open the term: clear the term's plan and tallies; experts are re-marked each year."""
        clock, tally = self.ctx.clock, self.ctx.tally
        clock.new_year = clock.term % clock.steps_per_year == 0
        tally.staff_days_used = 0.0
        tally.officer_days_used = 0.0
        tally.own_staff_days = 0.0
        self.ctx.plan.reset()
        if clock.new_year:
            partnerships.mark_experts(self.ctx)

    def end_term(self) -> None:
        """Close the term: count the budget spent, keep the year's results, collect the metrics."""
        ctx = self.ctx
        ctx.clock.term += 1
        ctx.tally.staff_days_used = float(sum(ctx.tally.spend.values()))
        ctx.tally.own_staff_days = self.own_days_this_term()
        self._record_year()
        if not self.record_terms:  # a study's run: the days are summed over the run, nothing else is kept
            self.term_staff_days.append(float(ctx.tally.staff_days_used + ctx.tally.own_staff_days))
            return
        self.current_metrics = system_metrics(ctx)
        self.datacollector.collect(self)
        self._collect_panel()

    def own_days_this_term(self) -> float:
        """Staff days schools gave this term from their own time, every term a partnership runs:
        both schools' ``days_per_term`` for each self-funded link, less online (the pilot's trios at
        the pilot's own ``days_per_school`` instead)."""
        ctx = self.ctx
        rows = np.setdiff1d(partnerships.self_funded_rows(ctx), pilot.pilot_links(ctx), assume_unique=True)
        return float(partnerships.link_days(ctx, rows).sum()) + pilot.pilot_days(ctx)

    def _record_year(self) -> None:
        """Keep each school's mean attainment per school year (selection filters use two years)."""
        system, clock = self.ctx.system, self.ctx.clock
        if system.attainment_sum is None:
            system.attainment_sum = np.zeros(self.schools.n)
        system.attainment_sum += self.schools.attainment
        if clock.term % clock.steps_per_year == 0:
            system.yearly_attainment = (system.yearly_attainment + [system.attainment_sum / clock.steps_per_year])[-2:]
            system.attainment_sum = None

    def _collect_panel(self) -> None:
        if self.cfg.collect_school_panel:
            frame = pd.DataFrame(school_panel(self.ctx))
            frame.insert(0, "year", self.calendar_year)
            frame.insert(0, "step", self.term)
            self.panel.append(frame)

    def run_years(self, years: float) -> None:
        self.run_for(int(round(years * self.cfg.steps_per_year)))

    # --- read-only views of the state ---------------------------------------------------------
    @property
    def schools(self):
        return self.ctx.schools

    @property
    def staff(self):
        return self.ctx.staff

    @property
    def links(self):
        return self.ctx.links

    @property
    def plan(self):
        return self.ctx.plan

    @property
    def system(self):
        return self.ctx.system

    @property
    def tally(self):
        return self.ctx.tally

    @property
    def frontier(self) -> float:
        return self.ctx.system.frontier

    @property
    def dt(self) -> float:
        return self.ctx.clock.dt

    @property
    def term(self) -> int:
        """Completed terms."""
        return self.ctx.clock.term

    @property
    def years_elapsed(self) -> float:
        return self.ctx.years_elapsed

    @property
    def calendar_year(self) -> float:
        return self.ctx.calendar_year

    def mean_knowledge(self) -> float:
        return mean_knowledge(self.staff)

    def school_knowledge(self, schools: np.ndarray | None = None) -> np.ndarray:
        """Mean effective knowledge of every school's staff, or of ``schools`` only."""
        return school_knowledge(self.staff, self.schools, schools)

    # --- results --------------------------------------------------------------------------
    def metrics(self) -> pd.DataFrame:
        """Model-level metrics, one row per step (initial state included)."""
        if not self.record_terms:
            raise RuntimeError("this run was made with record_terms=False: it kept no per-term metrics")
        return self.datacollector.get_model_vars_dataframe()

    def inspections(self) -> pd.DataFrame:
        """Every inspection so far, one row each: school, calendar year, the judgement score the
        grade is cut from (pupil SD), the grade boundaries in force, grade (1 outstanding .. 4
        inadequate), previous grade (0 at the first inspection), special measures."""
        log = self.tally.inspection_log
        if not log:
            return pd.DataFrame(columns=INSPECTION_COLUMNS)
        sizes = [r.schools.size for r in log]
        bounds = np.repeat(np.array([r.boundaries for r in log]), sizes, axis=0)
        return pd.DataFrame({
            "school": np.concatenate([r.schools for r in log]),
            "year": np.repeat([self.cfg.start_year + r.years for r in log], sizes),
            "score": np.concatenate([r.score for r in log]),
            "boundary_inadequate_ri": bounds[:, 0], "boundary_ri_good": bounds[:, 1],
            "boundary_good_outstanding": bounds[:, 2],
            "grade": np.concatenate([r.grade for r in log]),
            "previous_grade": np.concatenate([r.previous for r in log]),
            "special_measures": np.concatenate([r.special_measures for r in log]),
        }, columns=INSPECTION_COLUMNS)

    def school_panel(self) -> pd.DataFrame:
        """School-level panel (needs ``collect_school_panel=True``)."""
        if not self.panel:
            raise ValueError("collect_school_panel is False; build the model with collect_school_panel=True.")
        return pd.concat(self.panel, ignore_index=True)
