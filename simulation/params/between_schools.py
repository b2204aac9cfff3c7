"""Parameters of the mechanisms between schools: partnerships, innovation, moral capital,
school improvement groups and the Growing the Top pilot."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.params.fields import CALIBRATED, param


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
    high_leverage: float = param(0.3, 0, 1, "probability",
                                 "Chance a partnership without a facilitator runs high-leverage activity (coaching, joint "
                                 "practice development) rather than meetings; the same for brokered and self-chosen links.",
                                 "Ainscow 2013: 'cosy relationships that have no impact'; value an assumption")
    facilitated_high_leverage: float = param(0.8, 0, 1, "probability",
                                             "Chance a partnership with a trained facilitator runs high-leverage activity.",
                                             "Growing the Top: facilitated visits rated 5.6-5.9 of 6; value an assumption")
    days_per_term: float = param(4.0, 0, 100, "staff days/term", "Staff days each school gives a partnership per term.")
    terms_per_year: int = param(3, 1, 12, "terms", "School terms in a year (partnership days are given per term).",
                                "England: three school terms")
    initial_depth: list[float] = param([0.3, 0.5, 0.6, 0.6, 0.6, 0.6, 0.8, 0.8], 0, 1, "depth",
                                       "Depth of a new partnership by type (collaborative, network, peer_review, trio, "
                                       "support, sig_pair, federation, trust): harder governance starts deeper.",
                                       "jigsaw note: depth grows with formality; values an assumption")
    depth_cap: list[float] = param([0.6, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0], 0, 1, "depth",
                                   "Deepest a partnership of each type can become (same order as initial_depth).",
                                   "jigsaw note: depth grows with formality; values an assumption")
    similarity_scale: float = param(0.05, 0.001, 10, "pupil SD",
                                    "How strongly self-selected partnering prefers schools of similar estimated quality.",
                                    "Ainscow 2013: cosy relationships; size an assumption")
    ask_interval_years: float = param(1.0, 0, 20, "years",
                                      "A school that declined to support is not asked again for this long.")
    network_size: int = param(3, 2, 20, "schools", "Schools in a network or trio group.")
    max_partnerships: int = param(3, 1, 20, "partnerships", "Most partnerships one school holds at once.")
    self_selection_rate: float = param(0.05, 0, 1, "1/year", "Chance per year a school forms a self-selected partnership.")
    dissolution_rate: float = param(0.15, 0, 1, "1/year", "Chance per year an unmonitored partnership lapses.")
    proximity_scale: float = param(15.0, 0.1, 1000, "km",
                                   "Distance scale of self-selected partnering: a partner this far away is chosen e^-1 "
                                   "times as often as one next door.",
                                   "jigsaw note: 'proximity remains vital for successful cluster working'; size an assumption")


@dataclass
class InnovationConfig:
    base_rate: float = param(0.02, 0, 1, "1/year", "Chance per year a school innovates without resources.")
    max_attempts: float = param(1.0, 0, 20, "1/year", "Innovation attempts per year of a school with unlimited released days.")
    half_days: float = param(40.0, 0.1, 1000, "staff days/year", "Released innovation days per year giving half the maximum attempts.")
    max_days: float = param(80.0, 0, 1000, "staff days/year", "Most innovation days one school can use in a year.")
    step_mean: float = param(0.02, -1, 1, "pupil SD", "Mean knowledge gain of an innovation over current best practice.")
    step_sd: float = param(0.06, 0, 1, "pupil SD", "SD of innovation outcomes (risk: many innovations detract).")
    network_boost: float = param(1.0, 0, 20, "x base_rate",
                                 "Extra innovation attempts of a school in a research network, in units of base_rate.")
    expert_uptake: float = param(0.5, 0, 1, "share",
                                 "Share of an adopted innovation a school's other experts take up at once.")
    capacity_noise_reduction: float = param(0.5, 0, 1, "share",
                                            "Share of the evaluation noise removed at full knowledge-management "
                                            "capacity.")
    evaluation_noise: float = param(0.06, 0, 1, "pupil SD",
                                    "Noise when a school judges an innovation; high capacity halves it.")


@dataclass
class MoralCapitalConfig:
    initial_mean: float = param(0.004, 0, 1, "share", "Mean moral capital (willingness to support others) at the start.",
                                CALIBRATED)
    initial_shape: float = param(2.0, 0.1, 100, "beta shape",
                                 "First shape parameter of the starting Beta distribution of moral capital (the "
                                 "second follows from initial_mean).")
    role_modelling: float = param(0.51, 0, 10, "1/year", "Growth of moral capital from seeing peers support others.",
                                  CALIBRATED + "; mechanism: Berwick, outstanding schools saw peers role-model moral behaviour")
    own_support_gain: float = param(0.1, 0, 5, "1/year", "Growth of moral capital from supporting others.")
    decay: float = param(0.13, 0, 5, "1/year", "Decay of moral capital.", CALIBRATED)
    spontaneous_support: float = param(0.022, 0, 1, "1/year", "Chance per year a willing strong school offers support unasked.",
                                       CALIBRATED)


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
