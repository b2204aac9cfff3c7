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

import dataclasses
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from simulation.params.checks import ConfigError, validate


class _Named(str, Enum):
    """A string enum that prints as its value (so it reads well in paths and tables)."""

    def __str__(self) -> str:
        return self.value


class StrategyName(_Named):
    status_quo = "status_quo"
    reducing_disparity = "reducing_disparity"
    growing_the_top = "growing_the_top"
    upwards_convergence = "upwards_convergence"
    custom = "custom"


class Targeting(_Named):
    """Which schools a strategy's discretionary budget reaches."""

    all = "all"  # spread evenly over every school
    weakest = "weakest"  # the weakest share by the broker's estimate
    strongest = "strongest"  # the strongest share
    readiness = "readiness"  # staged: internal first, external once a school is ready


class BrokeringMode(_Named):
    none = "none"  # no new partnerships are arranged
    self_selected = "self_selected"  # schools choose near, similar partners ("cosy")
    data_informed = "data_informed"  # the broker matches a weakness with a strength
    school_improvement_groups = "school_improvement_groups"  # mixed SIGs, pairs inside


class Grade(int, Enum):
    outstanding = 1
    good = 2
    requires_improvement = 3
    inadequate = 4


class PartnershipType(int, Enum):
    """The partnership spectrum of the sources, from informal to hard governance."""

    collaborative = 0  # informal, self-selected collaboration
    network = 1  # external network / research engagement (growing the top)
    peer_review = 2  # quality-assurance review by peers
    trio = 3  # facilitated trio of stand-out schools
    support = 4  # a strong school supports a weaker one with released experts
    sig_pair = 5  # pairing brokered inside a school improvement group
    federation = 6  # hard governance, deepest


CALIBRATED = "calibrated to England 2002-2011 (docs/calibration.md)"


def param(default: Any, lo: float | None = None, hi: float | None = None, unit: str = "",
          help: str = "", source: str = "assumption") -> Any:
    """A schema field with its allowed range and documentation attached as metadata."""
    meta = {"range": (lo, hi), "unit": unit, "help": help, "source": source}
    if isinstance(default, (list, dict)) or dataclasses.is_dataclass(default):
        return field(default_factory=lambda: _copy(default), metadata=meta)
    return field(default=default, metadata=meta)


def _copy(value: Any) -> Any:
    import copy

    return copy.deepcopy(value)


@dataclass
class FloorStep:
    """From ``year`` on, a school is below the floor when fewer than ``share`` of its pupils
    reach the benchmark."""

    year: int = 2002
    share: float = 0.25


ENGLAND_FLOOR = [FloorStep(2002, 0.25), FloorStep(2008, 0.30), FloorStep(2011, 0.35),
                 FloorStep(2012, 0.40)]


@dataclass
class SystemConfig:
    n_schools: int = param(40, 1, 50_000, "schools", "Number of schools.")
    share_secondary: float = param(0.17, 0, 1, "share", "Share of schools that are secondary.",
                                   "DfE 2013/14: 3,372 of 20,159 primary+secondary")
    pupils_primary: int = param(280, 10, 5000, "pupils", "Mean pupils in a primary school.")
    pupils_secondary: int = param(950, 10, 5000, "pupils", "Mean pupils in a secondary school.")
    pupils_per_teacher_primary: float = param(20.5, 5, 60, "pupils/FTE", "Pupil-teacher ratio, primary.")
    pupils_per_teacher_secondary: float = param(16.0, 5, 60, "pupils/FTE", "Pupil-teacher ratio, secondary.")
    n_regions: int = param(1, 1, 1000, "regions", "Regions (local authorities) schools are placed in.")
    initial_attainment: float = param(0.421, 0.01, 0.99, "share",
                                      "Mean share of pupils reaching the benchmark at the start; sets the benchmark score.",
                                      "England 5+ A*-C incl. English and maths, 2001/02: 42.1%")
    between_school_variance: float = param(0.15, 0.0, 0.9, "share",
                                           "Share of pupil-score variance lying between schools at the start.",
                                           "model brief s.4: about 15%")
    cohort_noise: float = param(0.10, 0, 1, "pupil SD", "Year-to-year noise of a school's cohort mean.")


@dataclass
class StaffConfig:
    knowledge_sd: float = param(0.25, 0.01, 2, "pupil SD", "SD of staff knowledge at the start.",
                                "model brief s.4: one-SD-better teacher = 0.25 pupil SD")
    knowledge_between_share: float = param(0.30, 0, 0.95, "share",
                                           "Share of staff-knowledge variance lying between schools at the start.")
    entrant_shift: float = param(0.0, -2, 2, "pupil SD",
                                 "Shift of new teachers' knowledge from the 2002 entrant level (initial training policy).")
    entrant_tracking: float = param(0.87, 0, 1, "share",
                                    "How far initial teacher training follows the system's mean knowledge.", CALIBRATED)
    experience_gain: float = param(0.05, 0, 1, "pupil SD/year", "Knowledge gained from practice by a new teacher.",
                                   "returns to experience are concentrated in the first years")
    experience_decay_years: float = param(3.0, 0.1, 40, "years", "Time scale over which experience gains fade.")
    drift: float = param(0.03, 0, 1, "1/year",
                         "Forgetting: knowledge above a teacher's habit level (base) decays toward it at this rate.")
    leave_rate_first_year: float = param(0.13, 0, 1, "1/year", "Hazard of leaving in the first year.",
                                         "about 87% still teaching after one year")
    leave_rate_early: float = param(0.055, 0, 1, "1/year", "Hazard of leaving in years 2-5.",
                                    "about 70% still teaching after five years")
    leave_rate_established: float = param(0.105, 0, 1, "1/year", "Hazard of leaving after five years (incl. retirement).",
                                          "about 10% leave the state sector each year")
    weak_school_turnover: float = param(0.5, 0, 5, "multiplier",
                                        "Extra leaving hazard in a school below the floor or in special measures.")
    partnership_retention: float = param(0.15, 0, 1, "share",
                                         "Reduction of the leaving hazard in a school with a mature partnership.",
                                         "jigsaw note: improved staff retention")


@dataclass
class CoachingConfig:
    coach_share: float = param(0.2, 0.01, 0.5, "share", "Share of a school's staff trained as coaches.")
    identification_noise: float = param(0.15, 0, 2, "pupil SD",
                                        "Noise when identifying relatively better staff from pupil outcomes.")
    coach_training_days: float = param(5.0, 0, 50, "staff days", "Training days per new coach.")
    coaching_time: float = param(4.0, 0, 50, "staff days/year", "Released coaching days per mentee per year.")
    coaching_efficiency: float = param(0.6, 0, 5, "share/year",
                                       "Share of the coach-mentee knowledge gap closed per year at full intensity.",
                                       "calibrated: coaching effect about +0.18 pupil SD (Kraft et al. 2018), halved at scale")
    coaching_half_days: float = param(4.0, 0.1, 50, "staff days/year", "Coaching days per year giving half the full effect.")
    untrained_skill: float = param(0.3, 0, 1, "share", "Coaching skill of an untrained coach (trained = 1).")
    km_growth: float = param(0.5, 0, 5, "1/year", "Growth of knowledge-management capacity in a coaching school.")
    km_decay: float = param(0.1, 0, 5, "1/year", "Decay of knowledge-management capacity without practice.")


@dataclass
class AbsorptionConfig:
    overwhelm_threshold: float = param(0.4, 0, 1, "km capacity",
                                       "Below this capacity, external knowledge overwhelms a school.",
                                       "Berwick: weak schools taking external knowledge first are overwhelmed")
    shallow_decay: float = param(1.5, 0, 10, "1/year", "Decay of shallow (copied, not embedded) knowledge.")
    consolidation: float = param(0.8, 0, 10, "1/year", "Rate at which shallow knowledge becomes deep at full capacity.")


@dataclass
class PartnershipConfig:
    transfer_rate: float = param(1.9, 0, 5, "share/year",
                                 "Share of the gap to a partner's expert practice closed per year by a mature, deep, high-leverage partnership with unlimited days.",
                                 CALIBRATED)
    half_days: float = param(4.0, 0.1, 100, "staff days/term",
                             "Partnership days per school per term giving half the full effect.")
    low_leverage_factor: float = param(0.15, 0, 1, "share",
                                       "Relative effect of low-leverage activity (conferences, documents, toolkits).",
                                       "Ainscow 2013: low-leverage activity changes the look, not the work")
    maturity_years: float = param(2.0, 0.1, 20, "years", "Time scale for a partnership to reach maturity.",
                                  "federations show impact after 2-4 years")
    depth_growth: float = param(0.15, 0, 5, "1/year", "Growth of depth with age and hard governance.")
    facilitation_gain: float = param(0.3, 0, 2, "share", "Extra effect of a facilitated partnership.",
                                     "Growing the Top: facilitation rated 5.6-5.9 of 6")
    supporter_learning: float = param(0.4, 0, 2, "share",
                                      "Knowledge a supporting school's experts generate, relative to the receiver's gain (joint practice development).",
                                      "Ainscow 2013: by helping others you help yourself")
    support_release_cost: float = param(0.02, 0, 1, "share",
                                        "Share of a released expert's teaching effect lost to cover while away.")
    expert_share: float = param(0.2, 0.01, 1, "share", "Share of a school's staff whose practice is shared with partners.")
    research_reach: float = param(0.3, 0, 1, "share",
                                  "How far a network, peer-review or trio link pulls toward the frontier rather than the partner's practice.",
                                  "Berwick: expert coaches locate the latest best practice in the system")
    high_leverage_brokered: float = param(0.8, 0, 1, "probability", "Chance a brokered partnership runs high-leverage activity.")
    high_leverage_self_selected: float = param(0.3, 0, 1, "probability",
                                               "Chance a self-selected partnership runs high-leverage activity rather than meetings.",
                                               "Ainscow 2013: 'cosy relationships that have no impact'")
    days_per_term: float = param(4.0, 0, 100, "staff days/term", "Staff days each school gives a partnership per term.")
    network_size: int = param(3, 2, 20, "schools", "Schools in a network or trio group.")
    max_partnerships: int = param(3, 1, 20, "partnerships", "Most partnerships one school holds at once.")
    self_selection_rate: float = param(0.05, 0, 1, "1/year", "Chance per year a school forms a self-selected partnership.")
    dissolution_rate: float = param(0.15, 0, 1, "1/year", "Chance per year an unmonitored partnership lapses.")
    proximity_scale: float = param(0.25, 0.001, 10, "map units", "Distance scale of self-selected partnering.")


@dataclass
class InnovationConfig:
    base_rate: float = param(0.02, 0, 1, "1/year", "Chance per year a school innovates without resources.")
    max_attempts: float = param(1.0, 0, 20, "1/year", "Innovation attempts per year of a school with unlimited released days.")
    half_days: float = param(40.0, 0.1, 1000, "staff days/year", "Released innovation days per year giving half the maximum attempts.")
    max_days: float = param(80.0, 0, 1000, "staff days/year", "Most innovation days one school can use in a year.")
    step_mean: float = param(0.02, -1, 1, "pupil SD", "Mean knowledge gain of an innovation over current best practice.")
    step_sd: float = param(0.06, 0, 1, "pupil SD", "SD of innovation outcomes (risk: many innovations detract).")
    evaluation_noise: float = param(0.06, 0, 1, "pupil SD",
                                    "Noise when a school judges an innovation; high capacity halves it.")


@dataclass
class MoralCapitalConfig:
    initial_mean: float = param(0.004, 0, 1, "share", "Mean moral capital (willingness to support others) at the start.",
                                CALIBRATED)
    role_modelling: float = param(0.51, 0, 10, "1/year", "Growth of moral capital from seeing peers support others.",
                                  CALIBRATED + "; mechanism: Berwick, outstanding schools saw peers role-model moral behaviour")
    own_support_gain: float = param(0.1, 0, 5, "1/year", "Growth of moral capital from supporting others.")
    decay: float = param(0.13, 0, 5, "1/year", "Decay of moral capital.", CALIBRATED)
    spontaneous_support: float = param(0.022, 0, 1, "1/year", "Chance per year a willing strong school offers support unasked.",
                                       CALIBRATED)


@dataclass
class LeadershipConfig:
    initial_mean: float = param(0.55, 0, 1, "leadership", "Mean leadership capacity of a school's head.")
    initial_sd: float = param(0.12, 0, 1, "leadership", "SD of leadership capacity across heads.")
    head_turnover: float = param(0.12, 0, 1, "1/year", "Chance per year a school gets a new head.",
                                 "heads stay about eight years; assumption")
    partnership_growth: float = param(0.05, 0, 5, "1/year",
                                      "Growth of leadership capacity from a mature partnership.",
                                      "jigsaw note: increased cadre of able school leaders")


@dataclass
class InformationConfig:
    data_noise: float = param(0.08, 0, 2, "pupil SD", "Noise of data-only knowledge of a school's quality.")
    review_noise: float = param(0.03, 0, 2, "pupil SD", "Noise once a school has had a peer review (QAR).")


@dataclass
class InspectionConfig:
    initial_shares: list[float] = param([0.20, 0.50, 0.28, 0.02], 0, 1, "share",
                                        "Grade stock at the start: outstanding, good, requires improvement, inadequate.",
                                        "Ofsted August 2011: 20/50/28/2")
    noise: float = param(0.15, 0, 2, "pupil SD", "Noise of an inspection judgement.", CALIBRATED)
    context_bias: float = param(0.22, 0, 1, "share", "How much a school's intake context leaks into its grade.",
                                CALIBRATED)
    cycle_years: list[float] = param([5.0, 4.0, 2.0, 1.0], 0.3, 10, "years",
                                     "Years between inspections by grade (outstanding..inadequate).")
    framework_interval: int = param(4, 1, 50, "years", "Years between framework revisions.")
    bar_rise: float = param(0.04, 0, 1, "pupil SD", "Rise of every grade boundary at each revision.",
                            "Berwick: the Ofsted framework's challenge rose with each iteration")
    special_measures_leadership: float = param(0.55, 0, 1, "leadership",
                                               "An inadequate school below this leadership capacity is put in special measures.",
                                               CALIBRATED)


@dataclass
class InterventionConfig:
    officer_days_per_school: float = param(0.6, 0, 100, "officer days/year", "Officer capacity per school in the system.")
    days_per_intervention: float = param(20.0, 0.1, 500, "officer days", "Officer days one intervention takes.")
    leadership_after: float = param(0.65, 0, 1, "leadership", "Mean leadership capacity of new leadership.")
    brokering_days: float = param(1.0, 0, 100, "officer days", "Officer days to broker one partnership.")
    monitoring_days: float = param(0.25, 0, 100, "officer days", "Officer days to monitor one partnership per year.")
    monitoring: bool = param(True, help="Whether officers monitor partnerships and re-broker idle ones.")


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
    facilitation: bool = param(False, help="Whether brokered partnerships get a trained facilitator.")
    peer_review: bool = param(False, help="Whether networked schools take part in peer review (better information).")


@dataclass
class SIGConfig:
    primary_group_size: int = param(10, 2, 50, "schools", "Schools per primary improvement group.", "CSW: 36 groups of about 10")
    secondary_group_size: int = param(6, 2, 50, "schools", "Schools per secondary improvement group.", "CSW: 10 groups of 6")


@dataclass
class PilotConfig:
    n_trios: int = param(0, 0, 1000, "trios", "Trios of stand-out schools in a Growing the Top pilot (0 = no pilot).",
                         "Growing the Top: 21 schools in 7 trios")
    start_after_years: float = param(2.0, 0, 100, "years", "When the pilot starts (selection needs two years of results).")
    duration_years: float = param(1.0, 0.1, 20, "years", "How long the trios run.", "Growing the Top: one year")
    days_per_school: float = param(12.0, 0, 200, "staff days/year",
                                   "Days each school gives: three visit days and three cohort days, two leaders.",
                                   "Growing the Top: 6 days per person per year")


@dataclass
class ModelConfig:
    scenario: str = param("teaching", help="Scenario name (conf/scenario/*.yaml).")
    seed: int = param(0, 0, 2**63 - 1, help="Seed of every random draw.")
    years: int = param(30, 1, 200, "years", "Years simulated by the command line and run_years().")
    start_year: int = param(2002, 1900, 2100, "year", "Calendar year of the first step.")
    steps_per_year: int = param(3, 1, 12, "steps", "Steps per year (3 = school terms).")
    collect_school_panel: bool = param(False, help="Collect a school-level panel every step.")
    write_figures: bool = param(True, help="Write the per-run figure attainment.png (switch off in large sweeps).")
    floor_schedule: list[FloorStep] = param(ENGLAND_FLOOR, help="Floor standard by year (share of pupils at the benchmark).",
                                            source="DfE floor standards 2002-2015")
    system: SystemConfig = param(SystemConfig())
    staff: StaffConfig = param(StaffConfig())
    coaching: CoachingConfig = param(CoachingConfig())
    absorption: AbsorptionConfig = param(AbsorptionConfig())
    partnership: PartnershipConfig = param(PartnershipConfig())
    innovation: InnovationConfig = param(InnovationConfig())
    moral_capital: MoralCapitalConfig = param(MoralCapitalConfig())
    information: InformationConfig = param(InformationConfig())
    leadership: LeadershipConfig = param(LeadershipConfig())
    inspection: InspectionConfig = param(InspectionConfig())
    intervention: InterventionConfig = param(InterventionConfig())
    sig: SIGConfig = param(SIGConfig())
    pilot: PilotConfig = param(PilotConfig())
    strategy: StrategyConfig = param(StrategyConfig())

    def __post_init__(self) -> None:
        validate(self)


__all__ = ["ConfigError", "ModelConfig", "FloorStep", "ENGLAND_FLOOR", "param"]
