"""The one registry of metrics: every column of the model's time series, with its unit and
meaning. The DataCollector, the run summaries, the figures, the browser page and the docs all
read it; a test holds that the model reports exactly these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    unit: str  # "share" values are fractions 0-1, shown as percentages
    description: str
    in_summary: bool = True  # reported as a final-year figure of a run

    @property
    def is_share(self) -> bool:
        return self.unit == "share"


def _m(name: str, unit: str, description: str, in_summary: bool = True) -> Metric:
    return Metric(name, unit, description, in_summary)


METRICS: dict[str, Metric] = {m.name: m for m in (
    _m("year", "year", "Calendar year (fractional: terms).", False),
    _m("mean_attainment", "share", "Pupil-weighted mean across schools of the share of pupils reaching the benchmark."),
    _m("sd_attainment", "share", "Pupil-weighted SD across schools of the share reaching the benchmark."),
    _m("p10_attainment", "share", "10th percentile of schools' share reaching the benchmark."),
    _m("p90_attainment", "share", "90th percentile of schools' share reaching the benchmark."),
    _m("top_decile_attainment", "share", "Mean share reaching the benchmark in the best 10% of schools."),
    _m("mean_score", "pupil SD",
       "Pupil-weighted mean pupil score relative to the benchmark score: what pupils learn, which focus on the "
       "benchmark does not raise (the distribution-wide outcome beside the benchmark share)."),
    _m("focus_lift", "share",
       "Pupil-weighted share of pupils over the benchmark only through focus on pupils near it: the part of "
       "mean_attainment that is not learning."),
    _m("p10_score", "pupil SD", "10th percentile of schools' mean pupil score relative to the benchmark score."),
    _m("disadvantage_gap", "share",
       "Mean benchmark share of the fifth of schools with the most advantaged intakes minus that of the most "
       "disadvantaged fifth."),
    _m("regional_gap", "share",
       "Pupil-weighted mean benchmark share of the best region minus the worst (0 in a one-region system)."),
    _m("cold_spot_gap", "share",
       "Pupil-weighted mean benchmark share of the schools outside the cold spot minus inside it. The cold spot is "
       "the scenario's remote region (geography.cold_spot), else the region with the lowest published results at the "
       "start; empty (NaN) in a one-region system."),
    _m("frontier", "pupil SD", "Best knowledge any teacher holds (moved only by innovation)."),
    _m("mean_knowledge", "pupil SD", "Mean effective staff knowledge.", False),
    _m("share_outstanding", "share", "Share of schools graded outstanding."),
    _m("share_good", "share", "Share of schools graded good."),
    _m("share_requires_improvement", "share", "Share of schools graded requires improvement."),
    _m("share_inadequate", "share", "Share of schools graded inadequate."),
    _m("share_special_measures", "share", "Share of schools in special measures (a subset of inadequate)."),
    _m("floor", "share", "Floor standard in force (share of pupils at the benchmark).", False),
    _m("share_below_floor", "share", "Share of schools below the floor standard."),
    _m("mean_pressure", "0-1",
       "Mean accountability pressure schools feel (1: below the floor, inadequate or in special measures).", False),
    _m("academies", "schools", "Schools converted to sponsored academies so far (cumulative).", False),
    _m("leaving_rate", "1/year", "Teachers leaving this term, as an annual share of all posts."),
    _m("heads_changed", "heads", "New heads so far (cumulative).", False),
    _m("share_outstanding_supporting", "share", "Share of outstanding schools releasing staff to support another school."),
    _m("mean_moral_capital", "0-1", "Mean moral capital (willingness to help other schools)."),
    _m("mean_km_capacity", "0-1", "Mean knowledge-management capacity."),
    _m("mean_leadership", "0-1", "Mean leadership capacity.", False),
    _m("n_partnerships", "partnerships", "Live partnerships."),
    _m("online_share", "share", "Share of live partnerships whose partners meet online (far apart).", False),
    _m("staff_days_used", "staff days/term", "Strategy-budget staff days spent this term.", False),
    _m("officer_days_used", "officer days/term",
       "Officer days spent this term: the local authority's and the central officers' of academy orders.", False),
    _m("central_officer_days", "officer days/term",
       "Central officer days of academy orders this term (part of officer_days_used; a consequence of schools staying "
       "below the floor, not a budget a strategy spends).", False),
    _m("resource_used", "days/term", "Budget staff days plus officer days spent this term."),
    _m("own_staff_days", "staff days/term",
       "Staff days schools give from their own time this term: every self-funded partnership for every term it runs "
       "(collaboratives, support offered unasked, sponsor links) and the pilot.", False),
    _m("total_staff_days", "staff days/term",
       "All staff days released for improvement this term: the strategy budget plus the schools' own days.", False),
    _m("interventions", "schools", "Interventions so far (cumulative).", False),
    # the partnership jigsaw (formalisation.py): hard-governance forms
    _m("federations", "partnerships", "Live federations: two schools under one governing body.", False),
    _m("share_federated", "share", "Share of schools in a federation.", False),
    _m("trusts", "trusts", "Multi-academy trusts with at least two schools.", False),
    _m("share_in_trusts", "share", "Share of schools in a multi-academy trust.", False),
)}

SUMMARY_METRICS: list[str] = [name for name, m in METRICS.items() if m.in_summary]
