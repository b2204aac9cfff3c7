"""Parameters of accountability: knowing the schools, inspection, intervention and monitoring,
and the floor standard schedule."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.params.fields import CALIBRATED, param


@dataclass
class FloorStep:
    """From ``year`` on, a school is below the floor when fewer than ``share`` of its pupils
    reach the benchmark."""

    year: int = 2002
    share: float = 0.25


ENGLAND_FLOOR = [FloorStep(2002, 0.25), FloorStep(2008, 0.30), FloorStep(2011, 0.35),
                 FloorStep(2012, 0.40)]


@dataclass
class InformationConfig:
    data_noise: float = param(0.08, 0.001, 2, "pupil SD",
                              "Noise of one year's published results as a reading of a school's quality.")
    review_noise: float = param(0.03, 0.001, 2, "pupil SD", "Noise of a peer review (QAR) as a reading of quality.")
    review_valid_years: float = param(2.0, 0, 20, "years",
                                      "A school is reviewed again only after this long (a review stays current).")
    drift_sd: float = param(0.03, 0, 1, "pupil SD/sqrt(year)",
                            "How far a school's quality may move unseen: the authority's uncertainty about a school "
                            "grows by drift_sd^2 a year between readings (random-walk prior).")
    km_noise: float = param(0.1, 0, 1, "km capacity",
                            "Noise of a reading of a school's knowledge-management capacity, taken at each inspection "
                            "(leadership and management) and peer review.")
    review_officer_days: float = param(2.0, 0.1, 100, "officer days", "Officer days one school review takes.")


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
    cycle_jitter: float = param(0.2, 0, 0.9, "share", "Inspection dates vary by up to this share of the cycle.")
    framework_interval: int = param(4, 1, 50, "years", "Years between framework revisions.")
    relative_weight: float = param(0.5, 0, 1, "share",
                                   "At a framework revision the boundaries move this share of the way to where the "
                                   "inspectorate's latest judgements would give the starting grade stock (0: a purely "
                                   "absolute bar that rises by bar_rise; 1: purely relative).",
                                   "assumption; Ofsted statistics: outstanding stayed within about 10-25% and inadequate "
                                   "1-5% of schools through the framework revisions 2005-2019")
    bar_rise: float = param(0.04, 0, 1, "pupil SD", "Rise of every grade boundary at each revision.",
                            "Berwick: the Ofsted framework's challenge rose with each iteration")
    leadership_noise: float = param(0.1, 0, 1, "leadership",
                                    "Noise of the inspectors' reading of a school's leadership capacity, on which "
                                    "special measures are decided.")
    special_measures_leadership: float = param(0.55, 0, 1, "leadership",
                                               "An inadequate school below this leadership capacity is put in special measures.",
                                               CALIBRATED)


@dataclass
class InterventionConfig:
    officer_days_per_school: float = param(0.6, 0, 100, "officer days/year", "Officer capacity per school in the system.")
    days_per_intervention: float = param(20.0, 0.1, 500, "officer days", "Officer days one intervention takes.")
    leadership_after: float = param(0.65, 0, 1, "leadership", "Mean leadership capacity of new leadership.")
    leadership_after_sd: float = param(0.1, 0, 1, "leadership", "SD of the leadership capacity of new leadership.")
    cooldown_years: float = param(3.0, 0, 20, "years", "No new intervention in the same school for this long.")
    engagement_years: float = param(1.0, 0.1, 10, "years", "An intervention's officer days are spread over this time.")
    sponsor_years: float = param(2.0, 0, 20, "years", "A sponsor's support partnership ends after this long.")
    brokering_days: float = param(1.0, 0, 100, "officer days", "Officer days to broker one partnership.")
    monitoring_days: float = param(0.25, 0, 100, "officer days", "Officer days to monitor one partnership per year.")
    improvement_needed: float = param(0.0, -1, 1, "pupil SD",
                                      "Rise in the receiving school's estimate a monitored partnership must show to "
                                      "continue.")
    monitoring: bool = param(True, help="Whether officers monitor partnerships and re-broker idle ones.")


@dataclass
class PressureConfig:
    """How schools respond to floor standards, league tables and inspection grades, and what it costs them
    (issue "Floor standards and accountability as levers with consequences")."""

    near_floor_margin: float = param(0.05, 0, 0.5, "share",
                                     "A school whose published results are less than this above the floor feels "
                                     "`near_floor` pressure.",
                                     "assumption: schools just above a floor feared falling below it (National "
                                     "Challenge 2008 named every school under 30%)")
    near_floor: float = param(0.5, 0, 1, "0-1", "Pressure on a school just above the floor (1 = below it).")
    requires_improvement: float = param(0.5, 0, 1, "0-1",
                                        "Pressure on a school graded requires improvement (inadequate, special "
                                        "measures and below the floor: 1).")
    league_tables: float = param(0.2, 0, 1, "0-1",
                                 "Pressure every school feels from published league tables: it shapes focus, "
                                 "not jobs.",
                                 "Burgess, Wilson & Worth (2013), J. Public Econ. 106: ending league tables in Wales "
                                 "lowered school effectiveness; size calibrated (docs/calibration.md)")
    focus: float = param(0.25, 0, 1, "share",
                         "Under full pressure, the share of the pupils just below the benchmark (within "
                         "`focus_band`) whom extra effort and entries lift over it.",
                         "Gillborn & Youdell (2000) Rationing Education; Burgess, Propper, Slater & Wilson (2005) "
                         "CMPO WP 05/128: pupils near the C/D threshold gain most under league tables; Wolf (2011): "
                         "equivalent qualifications; size calibrated (docs/calibration.md)")
    focus_band: float = param(0.5, 0, 3, "pupil SD", "How far below the benchmark a pupil may be and still be lifted "
                              "over it by focus.",
                              "assumption: about one GCSE grade, the C/D borderline of the triage studies; calibrated "
                              "within 0.2-1 (docs/calibration.md)")
    focus_cost: float = param(0.02, 0, 0.5, "pupil SD",
                              "Mean score all pupils lose under full focus: effort and curriculum narrowed toward the "
                              "benchmark.", "assumption (Wolf 2011 on narrowed entries)")
    staff_turnover: float = param(0.5, 0, 5, "multiplier",
                                  "Extra leaving hazard of teachers under full pressure (below the floor, inadequate "
                                  "or in special measures; less when requires improvement or near the floor).",
                                  "assumption (was weak_school_turnover, below the floor or in special measures)")
    head_risk: float = param(0.15, 0, 1, "1/year", "Extra chance per year that a head under full pressure "
                                 "leaves (heads' jobs at risk).", "assumption")
    structural_intervention: bool = param(True, help="Whether schools persistently below the floor become sponsored "
                                                     "academies.")
    persistent_years: float = param(2.0, 0.3, 20, "years", "Years below the floor (published results) before a school "
                                    "becomes a sponsored academy.",
                                    "assumption; DfE 2010-: academy orders for schools persistently below the floor")
    academy_sponsor_years: float = param(6.0, 0, 30, "years", "How long an academy sponsor supports its school.",
                                 "assumption (sponsors run their academies for years: Eyles & Machin 2019, JEEA)")
    conversion_officer_days: float = param(15.0, 0, 500, "officer days", "Central officer days to convert one school "
                                           "(brokering the sponsor, the academy order).", "assumption")
