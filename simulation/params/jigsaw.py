"""Parameters of the partnership jigsaw: how partnerships formalise (federations, multi-academy
trusts) and how large trusts organise in clusters (simulation/mechanisms/between_schools/formalisation.py)."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.params.fields import param

JIGSAW = "jigsaw note (Making sense of the school improvement jigsaw)"


@dataclass
class FormalisationConfig:
    federation_rate: float = param(0.05, 0, 1, "1/year",
                                   "Chance per year that a mature, successful partnership of two schools federates "
                                   "(0: no federations).",
                                   f"{JIGSAW}: partnerships are dynamic, mature ones formalise (Hargreaves); rate an "
                                   "assumption")
    federation_after_years: float = param(3.0, 0, 50, "years",
                                          "Age a partnership needs before its schools consider federating.",
                                          f"{JIGSAW}: 'partnerships need time to make an impact'; federations show "
                                          "impact after 2-4 years (partnership.maturity_years); value an assumption")
    federation_improvement: float = param(0.0, -1, 1, "pupil SD",
                                          "Rise in the partner school's estimated quality since the partnership "
                                          "began that counts as success (the measure monitoring uses); the other "
                                          "school must be graded good or outstanding.",
                                          "assumption")
    trusts: bool = param(True, help="A sponsored academy joins its sponsor's multi-academy trust (the sponsor founds "
                                    "one when it first sponsors) and stays in it after the sponsor years.",
                         source=f"{JIGSAW}: 'a sponsor taking on a failing school'; spectrum up to multi-academy "
                                "trusts")
    cluster_size: int = param(4, 2, 100, "schools",
                              "A trust with more schools than this organises in clusters of about this many nearby "
                              "schools; its links run within clusters.",
                              f"{JIGSAW}: larger chains organise at cluster as well as corporate level, and "
                              "'proximity remains vital for successful cluster working'; size an assumption")
