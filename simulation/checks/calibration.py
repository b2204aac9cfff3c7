"""Start-of-run calibration checks against the England figures of the model brief (s.4).

Each function measures a figure from a freshly built model (or a short run of it) the same
way the public statistic is defined, so the README can state how close the defaults are:

* grade distribution of the first inspections (target 20/50/28/2, special measures ~1.1%);
* teachers leaving per year (target about 10%), still teaching after one and five years
  (targets 87% and 70%);
* share of pupil-score variance lying between schools (target about 15%);
* effect of a teacher one SD better (target at least 0.25 pupil SD);
* effect of a year of coaching on coached teachers' pupils (target +0.18 SD, about half
  at scale: +0.09), from a simulated trial: coaching in a random half of schools.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.mechanisms.within_school import coaching
from simulation.model import SchoolSystem
from simulation.params.loading import load_config
from simulation.population import stationary_experience
from simulation.state.segments import school_mean

TARGETS = {
    "share_outstanding": 0.20, "share_good": 0.50, "share_requires_improvement": 0.28, "share_inadequate": 0.02,
    "share_special_measures": 0.011, "leaving_rate": 0.10, "retained_after_1_year": 0.87,
    "retained_after_5_years": 0.70, "between_school_variance_share": 0.15, "teacher_sd_effect": 0.25,
    "coaching_effect_at_scale": 0.09, "mean_attainment": 0.421,
}


def grade_distribution(model: SchoolSystem) -> dict[str, float]:
    g = np.bincount(model.schools.grade, minlength=5)[1:] / model.schools.n
    return {"share_outstanding": g[0], "share_good": g[1], "share_requires_improvement": g[2],
            "share_inadequate": g[3], "share_special_measures": float(model.schools.special_measures.mean())}


def variance_shares(model: SchoolSystem) -> dict[str, float]:
    """Between-school share of pupil-score variance, pupil-weighted."""
    sc, st = model.schools, model.staff
    school_score = school_mean(st.effective(), sc.start) + sc.context
    w = sc.pupils / sc.pupils.sum()
    between = float(np.sum(w * (school_score - np.sum(w * school_score)) ** 2))
    within_teacher = float(np.sum(w * school_mean((st.effective() - school_mean(st.effective(), sc.start)[st.school]) ** 2,
                                                   sc.start)))
    total = between + within_teacher + model.system.pupil_sigma**2
    return {"between_school_variance_share": between / total,
            "teacher_sd_effect": float(st.effective().std() / np.sqrt(total))}


def retention(model: SchoolSystem, years: int = 5, cohort: int = 200_000) -> dict[str, float]:
    """Leaving rate from the hazards over the staff's experience mix, and a new cohort's survival."""
    cfg = model.cfg.staff
    x = stationary_experience(model.cfg, model.rng, cohort)
    h = np.where(x < 1, cfg.leave_rate_first_year, np.where(x < 5, cfg.leave_rate_early, cfg.leave_rate_established))
    survive = np.cumprod(1 - np.array([cfg.leave_rate_first_year] + [cfg.leave_rate_early] * (years - 1)))
    return {"leaving_rate": float(h.mean()), "retained_after_1_year": float(survive[0]),
            "retained_after_5_years": float(survive[years - 1])}


def simulated_leaving_rate(scenario: str = "regional", seed: int = 0, years: int = 3) -> float:
    """Leavers per post per year in a status-quo run (includes weak-school and partnership effects)."""
    model = SchoolSystem(scenario=scenario, strategy="status_quo", rng=seed)
    model.run_years(years)
    return model.tally.leavers_total / model.staff.n / years


def coaching_effect(scenario: str = "regional", seed: int = 0) -> float:
    """Mean knowledge gain of mentees after a year of coaching at the configured intensity, in
    pupil SD (a random half of schools coached; nothing else happens during the trial year)."""
    model = SchoolSystem(scenario=scenario, strategy="status_quo", rng=seed)
    sc, st = model.schools, model.staff
    treated = np.flatnonzero(model.rng.random(sc.n) < 0.5)
    before = st.knowledge.copy()
    ctx = model.ctx
    for step in range(model.cfg.steps_per_year):
        ctx.clock.new_year = step == 0
        ctx.plan.reset()
        ctx.plan.coaching_days[treated] = coaching.full_cost(ctx)[treated]
        coaching.coach(ctx)
    mentees = ~st.coach & np.isin(st.school, treated)
    return float((st.knowledge - before)[mentees].mean())


def report(scenario: str = "regional", seed: int = 0) -> pd.DataFrame:
    """Every calibration figure: target, model value and the difference."""
    model = SchoolSystem(scenario=scenario, strategy="status_quo", rng=seed)
    values = {**grade_distribution(model), **variance_shares(model), **retention(model)}
    values["coaching_effect_at_scale"] = coaching_effect(scenario, seed)
    values["mean_attainment"] = float(np.average(model.schools.attainment, weights=model.schools.pupils))
    values["leaving_rate_simulated"] = simulated_leaving_rate(scenario, seed)
    targets = {**TARGETS, "leaving_rate_simulated": TARGETS["leaving_rate"]}
    rows = [{"figure": k, "target": targets[k], "model": values[k], "difference": values[k] - targets[k]}
            for k in targets]
    return pd.DataFrame(rows)


if __name__ == "__main__":  # python -m simulation.checks.calibration
    print(report().round(4).to_string(index=False))
    cfg = load_config("regional")
    print(f"\nscenario regional, seed 0, {cfg.system.n_schools} schools")
