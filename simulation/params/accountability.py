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
