"""Parameters of the mechanisms within a school: staff knowledge and turnover, coaching, CPD,
absorption and leadership."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.params.fields import CALIBRATED, param


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
    embedding_rate: float = param(0.3, 0, 5, "1/year",
                                  "Rate at which knowledge above a teacher's habit is embedded into habit, at full "
                                  "knowledge-management capacity.",
                                  "Berwick: capturing best practice and sharing it; size an assumption")
    career_years: int = param(45, 5, 60, "years", "Longest career in the starting distribution of experience.")
    induction: float = param(0.3, 0, 1, "share",
                             "How far a new teacher starts toward the school's embedded practice (mean habit of its "
                             "staff), times its knowledge-management capacity: what is embedded survives turnover.",
                             "Berwick: capturing best practice so that it is not lost when staff leave; size an "
                             "assumption")
    drift: float = param(0.03, 0, 1, "1/year",
                         "Forgetting: knowledge above a teacher's habit level (base) decays toward it at this rate.")
    leave_rate_first_year: float = param(0.13, 0, 1, "1/year", "Hazard of leaving in the first year.",
                                         "about 87% still teaching after one year")
    leave_rate_early: float = param(0.055, 0, 1, "1/year", "Hazard of leaving in years 2-5.",
                                    "about 70% still teaching after five years")
    leave_rate_established: float = param(0.105, 0, 1, "1/year", "Hazard of leaving after five years (incl. retirement).",
                                          "about 10% leave the state sector each year")
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
    leadership_base: float = param(0.5, 0, 5, "leadership",
                                   "Coaching priority without leadership capacity: the coaching rate scales with "
                                   "leadership_base + leadership.",
                                   "Berwick: coaching works only as a key priority of leaders; size an assumption")
    initial_km_shape: list[float] = param([2.0, 5.0], 0.1, 100, "beta shape",
                                          "Beta(a, b) distribution of the informal knowledge-management capacity "
                                          "schools have before any programme (mean a / (a + b) = 0.29).")
    initial_km_stage_correlation: float = param(0.5, 0, 0.99, "correlation",
                                                "Rank correlation of a school's starting knowledge-management capacity "
                                                "with its stage (recruitment pull and leadership): weak schools start "
                                                "with weak systems.",
                                                "Berwick: schools at the lowest end must build internal knowledge "
                                                "management first; size an assumption")
    km_growth: float = param(0.5, 0, 5, "1/year", "Growth of knowledge-management capacity in a coaching school.")
    km_decay: float = param(0.1, 0, 5, "1/year", "Decay of knowledge-management capacity without practice.")


@dataclass
class CPDConfig:
    half_days: float = param(8.0, 0.1, 100, "staff days/teacher/year",
                             "CPD days per teacher per year giving half the full effect (courses are spread thin).")
    good_practice_quantile: float = param(0.9, 0, 1, "quantile",
                                          "CPD exposes staff to the practice at this quantile of all staff (the "
                                          "system's good practice).")


@dataclass
class AbsorptionConfig:
    overwhelm_threshold: float = param(0.4, 0, 1, "km capacity",
                                       "Below this capacity, external knowledge overwhelms a school.",
                                       "Berwick: weak schools taking external knowledge first are overwhelmed")
    overwhelm_harm: float = param(0.5, 0, 2, "share",
                                  "In an overwhelmed school, the share (1 - uptake) of external practice it cannot "
                                  "absorb is adopted without fit to its context: it lowers every teacher's deep "
                                  "knowledge by overwhelm_harm times that amount.",
                                  "Berwick: schools taking on external knowledge first 'quickly become overwhelmed'; "
                                  "Chhatwal: drag and drop; size an assumption")
    shallow_decay: float = param(1.5, 0, 10, "1/year", "Decay of shallow (copied, not embedded) knowledge.")
    consolidation: float = param(0.8, 0, 10, "1/year", "Rate at which shallow knowledge becomes deep at full capacity.")


@dataclass
class LeadershipConfig:
    initial_mean: float = param(0.55, 0, 1, "leadership", "Mean leadership capacity of a school's head.")
    initial_sd: float = param(0.12, 0, 1, "leadership", "SD of leadership capacity across heads.")
    lowest: float = param(0.05, 0, 1, "leadership", "Lowest leadership capacity a drawn head can have.")
    highest: float = param(0.95, 0, 1, "leadership", "Highest leadership capacity a drawn head can have.")
    pull_loading: float = param(0.5, 0, 2, "share of SD",
                                "Part of the starting leadership SD that goes with the school's recruitment pull.")
    own_sd_share: float = param(0.85, 0, 2, "share of SD",
                                "Part of the starting leadership SD independent of recruitment pull.")
    head_turnover: float = param(0.12, 0, 1, "1/year", "Chance per year a school gets a new head.",
                                 "heads stay about eight years; assumption")
    partnership_growth: float = param(0.05, 0, 5, "1/year",
                                      "Growth of leadership capacity from a mature partnership.",
                                      "jigsaw note: increased cadre of able school leaders")
