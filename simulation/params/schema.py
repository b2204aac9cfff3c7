"""The typed parameter schema: the single source of parameters, defaults, ranges and units.

Every tunable number of the model lives here, in dataclasses grouped by mechanism. The
Hydra configs in ``conf/`` are validated against these classes, the Python API builds them
directly, and ``docs/`` tables are generated from the field metadata (``range``, ``unit``,
``help``, ``source``). Rates are per year unless the unit says otherwise; the model converts
them to its step length (one school term by default).

Knowledge is measured on an absolute scale in *pupil standard deviations of teaching effect*:
a teacher with knowledge ``k`` raises her pupils' scores by ``k`` pupil SD relative to the
2002 baseline teacher. With a staff SD of 0.25 this matches "a one-SD-better teacher raises
pupil scores by at least 0.25 pupil SD" (model brief, section 4).
"""

from __future__ import annotations

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from simulation.params.accountability import (ENGLAND_FLOOR, FloorStep, InformationConfig, InspectionConfig,
                                              InterventionConfig, PressureConfig)
from simulation.params.between_schools import (InnovationConfig, MoralCapitalConfig, PartnershipConfig, PilotConfig,
                                               SIGConfig)
from simulation.params.checks import ConfigError, validate
from simulation.params.enums import BrokeringMode, BrokeringScope, Grade, PartnershipType, StrategyName, Targeting
from simulation.params.fields import CALIBRATED, param
from simulation.params.jigsaw import FormalisationConfig
from simulation.params.place import DistanceConfig, GeographyConfig
from simulation.params.schools_file import read_schools
from simulation.params.within_school import (AbsorptionConfig, CoachingConfig, CPDConfig, LeadershipConfig,
                                             StaffConfig)


@dataclass
class SystemConfig:
    n_schools: int = param(40, 1, 50_000, "schools", "Number of schools (the file's rows when schools_file is given).")
    schools_file: Optional[str] = param(None, help="A CSV or Parquet list of your own schools to start from "
                                                   "(simulation/params/schools_file.py; data/example_schools.csv).")
    share_secondary: float = param(0.17, 0, 1, "share", "Share of schools that are secondary.",
                                   "DfE 2013/14: 3,372 of 20,159 primary+secondary")
    pupils_primary: int = param(280, 10, 5000, "pupils", "Mean pupils in a primary school.")
    pupils_secondary: int = param(950, 10, 5000, "pupils", "Mean pupils in a secondary school.")
    pupils_per_teacher_primary: float = param(20.5, 5, 60, "pupils/FTE", "Pupil-teacher ratio, primary.")
    pupils_per_teacher_secondary: float = param(16.0, 5, 60, "pupils/FTE", "Pupil-teacher ratio, secondary.")
    pupils_sd_share: float = param(0.3, 0, 2, "share", "SD of school size as a share of its phase's mean.")
    context_pull_correlation: float = param(0.5, -1, 1, "correlation",
                                            "Correlation of a school's intake context with its recruitment pull: weak "
                                            "intakes and weak recruitment go together.")
    n_regions: int = param(1, 1, 1000, "regions",
                           "Regions schools are placed in: contiguous areas of the map (geography.*), each made of "
                           "local authorities.", "England: 9 regions")
    initial_attainment: float = param(0.421, 0.01, 0.99, "share",
                                      "Mean share of pupils reaching the benchmark at the start; sets the benchmark score.",
                                      "England 5+ A*-C incl. English and maths, 2001/02: 42.1%")
    between_school_variance: float = param(0.15, 0.0, 0.9, "share",
                                           "Share of pupil-score variance lying between schools at the start.",
                                           "model brief s.4: about 15%")
    cohort_noise: float = param(0.10, 0, 1, "pupil SD", "Year-to-year noise of a school's cohort mean.")


@dataclass
class StrategyConfig:
    """How the discretionary budget is split between levers and which schools it reaches.

    Shares are of the staff-day budget and must sum to one.
    """

    name: StrategyName = param(StrategyName.status_quo, help="Strategy label.")
    budget_days_per_school: float = param(24.0, 0, 1000, "staff days/year",
                                          "Discretionary staff-day budget per school per year (same for every strategy).")
    low_leverage_cpd: float = param(1.0, 0, 1, "share", "Budget share for conferences, courses and documents for all.")
    internal_coaching: float = param(0.0, 0, 1, "share", "Budget share for coach training and released coaching time.")
    school_support: float = param(0.0, 0, 1, "share", "Budget share for strong schools releasing experts to weaker ones.")
    external_networks: float = param(0.0, 0, 1, "share", "Budget share for networks, peer review and trios.")
    innovation: float = param(0.0, 0, 1, "share", "Budget share for research engagement and structured innovation.")
    targeting: Targeting = param(Targeting.all, help="Which schools the budget reaches.")
    target_share: float = param(0.3, 0.01, 1, "share", "Share of schools counted as weakest / strongest.")
    readiness_threshold: float = param(0.5, 0, 1, "km capacity",
                                       "Knowledge-management capacity a school needs before external links (readiness staging).")
    brokering: BrokeringMode = param(BrokeringMode.self_selected, help="How partnerships are formed.")
    brokering_scope: BrokeringScope = param(BrokeringScope.national,
                                            help="How far the broker looks for a partner: within the school's local "
                                                 "authority, its region, or nationally (online where far).",
                                            source="Chhatwal 2020: 'rooted in localities, but not bounded by them'")
    facilitation: bool = param(False, help="Whether brokered partnerships get a trained facilitator.")
    peer_review: bool = param(False, help="Whether networked schools take part in peer review (better information).")


@dataclass
class ModelConfig:
    scenario: str = param("teaching", help="Scenario name (conf/scenario/*.yaml).")
    seed: int = param(0, 0, 2**63 - 1, help="Seed of every random draw.")
    years: int = param(30, 1, 200, "years", "Years simulated by the command line and run_years().")
    start_year: int = param(2002, 1900, 2100, "year", "Calendar year of the first step.")
    steps_per_year: int = param(3, 1, 12, "steps", "Steps per year (3 = school terms).")
    collect_school_panel: bool = param(False, help="Collect a school-level panel every step.")
    write_csv: bool = param(False, help="Also write timeseries.csv (and schools.csv) next to the Parquet files.")
    write_figures: bool = param(True, help="Write the per-run figure attainment.png (switch off in large sweeps).")
    floor_schedule: list[FloorStep] = param(ENGLAND_FLOOR, help="Floor standard by year (share of pupils at the benchmark).",
                                            source="DfE floor standards 2002-2015")
    system: SystemConfig = param(SystemConfig())
    staff: StaffConfig = param(StaffConfig())
    coaching: CoachingConfig = param(CoachingConfig())
    cpd: CPDConfig = param(CPDConfig())
    absorption: AbsorptionConfig = param(AbsorptionConfig())
    partnership: PartnershipConfig = param(PartnershipConfig())
    innovation: InnovationConfig = param(InnovationConfig())
    moral_capital: MoralCapitalConfig = param(MoralCapitalConfig())
    information: InformationConfig = param(InformationConfig())
    leadership: LeadershipConfig = param(LeadershipConfig())
    inspection: InspectionConfig = param(InspectionConfig())
    intervention: InterventionConfig = param(InterventionConfig())
    pressure: PressureConfig = param(PressureConfig())
    sig: SIGConfig = param(SIGConfig())
    pilot: PilotConfig = param(PilotConfig())
    formalisation: FormalisationConfig = param(FormalisationConfig())
    geography: GeographyConfig = param(GeographyConfig())
    distance: DistanceConfig = param(DistanceConfig())
    strategy: StrategyConfig = param(StrategyConfig())

    def __post_init__(self) -> None:
        if self.system.schools_file:
            table = read_schools(self.system.schools_file)
            self.system.n_schools = table.n
            if (table.grade > 0).all():  # the first grade boundaries reproduce the file's grade stock
                self.inspection.initial_shares = [float((table.grade == g).mean()) for g in (1, 2, 3, 4)]
        validate(self)


__all__ = ["ModelConfig", "SystemConfig", "StrategyConfig", "ConfigError", "FloorStep", "ENGLAND_FLOOR", "param",
           "CALIBRATED", "StaffConfig", "CoachingConfig", "CPDConfig", "AbsorptionConfig", "LeadershipConfig",
           "PartnershipConfig", "InnovationConfig", "MoralCapitalConfig", "SIGConfig", "PilotConfig",
           "InformationConfig", "InspectionConfig", "InterventionConfig", "PressureConfig", "GeographyConfig", "DistanceConfig", "BrokeringMode", "BrokeringScope", "Grade", "PartnershipType",
           "StrategyName", "Targeting"]
