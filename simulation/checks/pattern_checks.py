"""Controlled experiments behind the eight patterns of the model brief (section 3) and pattern 9 (issue #13:
Chhatwal 2020, purely local collaboration and regional inequity).

Each function runs arms of one experiment for one seed and returns the figures a pattern is
judged on; ``tests/checks/test_patterns.py`` turns them into paired statistical tests over 20
seeds and ``experiments/patterns/run.py`` into the report in ``docs/patterns.md``. The arms
only set up who gets what (a programme, a partnership, a lever); the outcomes come from the
mechanisms.
"""

from __future__ import annotations

import numpy as np
import yaml
from scipy.stats import wilcoxon

from simulation.mechanisms.between_schools.brokering import link
from simulation.mechanisms.within_school import coaching
from simulation.model import SchoolSystem
from simulation.params.loading import CONF_DIR
from simulation.params.schema import PartnershipType as PT

SCENARIO = "regional"
PROGRAMME_YEARS = 3
SEEDS = 20
ALPHA = 0.01  # one-sided paired tests at the 1% level


def greater(a, b) -> float:
    """One-sided paired Wilcoxon signed-rank p-value that ``a > b`` (1.0 when every pair is equal)."""
    diff = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return 1.0 if np.all(diff == 0) else float(wilcoxon(diff, alternative="greater").pvalue)


def weak_programme(seed: int, order: tuple[str, str]) -> tuple[float, float]:
    """Weakest 20% of schools (by the authority's estimate) get two phases of PROGRAMME_YEARS
    each - "internal" coaching, "external" support from strong schools, or "none" - in the given
    order, then nothing. Support partnerships are set up at the start of an external phase and
    run through it (they mature), ending when it ends. Returns their mean knowledge gain at the
    end of the programme and four years later (what they kept)."""
    model = SchoolSystem(scenario=SCENARIO, strategy="status_quo", rng=seed, budget_days_per_school=0.0,
                         spontaneous_support=0.0, self_selection_rate=0.0)
    sc = model.schools
    targets = np.argsort(sc.estimate)[: sc.n // 5]
    strong = np.argsort(-sc.estimate)[: targets.size]
    start = model.school_knowledge()[targets].mean()
    phases = [order[0]] * PROGRAMME_YEARS + [order[1]] * PROGRAMME_YEARS + ["none"] * 4
    results = []
    for year, phase in enumerate(phases):
        if year == 0 or phase != phases[year - 1]:
            set_phase(model, phase, targets, strong)
        model.run_years(1)
        if year + 1 in (2 * PROGRAMME_YEARS, len(phases)):
            results.append(model.school_knowledge()[targets].mean() - start)
    return results[0], results[1]


def set_phase(model, phase, targets, strong):
    links = model.links
    live = links.live()
    links.end(live[links.funded[live]])
    if phase == "external":
        link(model.ctx, strong, targets, PT.support, brokered=True, facilitated=True, funded=True)
    model.local_authority.broker_partnerships = lambda: coach(model, targets if phase == "internal" else [])


def coach(model, targets):
    """In place of the strategy's budget: coaching for ``targets`` at full cost, nothing else."""
    model.plan.reset()
    model.plan.coaching_days[targets] = coaching.full_cost(model.ctx)[targets]
    model.tally.spend = {}


def supporting_share(seed: int, **overrides) -> tuple[float, float]:
    model = SchoolSystem(scenario=SCENARIO, strategy="upwards_convergence", rng=seed, **overrides)
    model.run_years(1)
    early = model.metrics().share_outstanding_supporting.iloc[1:].mean()
    model.run_years(9)
    late = model.metrics().share_outstanding_supporting.iloc[-3:].mean()
    return early, late


def support_effect(seed: int) -> float:
    """Strong schools split at random: half support a weak school for five years. Returns the
    supporters' attainment change minus the non-supporters' (percentage points; attainment
    averaged over a year to smooth cohort noise; 400 schools for power)."""
    model = SchoolSystem(scenario="london_challenge", strategy="status_quo", rng=seed, spontaneous_support=0.0)
    sc = model.schools
    strong = np.argsort(-sc.estimate)[: sc.n // 5]
    weak = np.argsort(sc.estimate)[: sc.n // 5]
    supporters = model.rng.permutation(strong)[: strong.size // 2]
    others = np.setdiff1d(strong, supporters)
    link(model.ctx, supporters, weak[: supporters.size], PT.support, brokered=True, facilitated=True, funded=True)
    before = sc.attainment.copy()
    model.run_years(4)
    after = np.zeros(sc.n)
    for _ in range(model.cfg.steps_per_year):
        model.step()
        after += sc.attainment / model.cfg.steps_per_year
    change = after - before
    return 100 * (change[supporters].mean() - change[others].mean())


def weak_gain(seed: int, brokering: str | None = None, **overrides) -> float:
    """Attainment gain (pp, 10 years) of the weakest fifth by the authority's first estimate, under
    reducing disparity with the whole budget on support from strong schools."""
    if brokering is not None:
        overrides["strategy.brokering"] = brokering
    model = SchoolSystem(scenario=SCENARIO, strategy="reducing_disparity", rng=seed, internal_coaching=0.0,
                         school_support=1.0, **overrides)
    weakest = np.argsort(model.schools.estimate)[: model.schools.n // 5]
    before = model.schools.attainment[weakest].mean()
    model.run_years(10)
    return 100 * (model.schools.attainment[weakest].mean() - before)


def levers(arm: str, group: str = "brokering_levers") -> dict[str, object]:
    """The overrides of an experiment arm, read from its file ``conf/GROUP/ARM.yaml`` (the one list of arms,
    also swept by the experiment preset) as dotted keys."""
    def leaves(node, prefix=""):
        for key, value in node.items():
            yield from leaves(value, f"{prefix}{key}.") if isinstance(value, dict) else [(f"{prefix}{key}", value)]
    return dict(leaves(yaml.safe_load((CONF_DIR / group / f"{arm}.yaml").read_text())))


# The brokering ablation (pattern 7): which lever of brokering lifts the weakest schools.
ABLATION = {arm: levers(arm) for arm in ("none", "matching_only", "facilitation_only", "monitoring_only", "all_three")}

# Collaboration scope (pattern 9): local, regional, national face to face, national with online.
SCOPES = {arm: levers(arm, "collaboration_scope") for arm in ("local", "regional", "national", "national_online")}
PLACE_SCENARIO = "cold_spots"


def place_gaps(seed: int, arm: str, strategy: str = "upwards_convergence", years: int = 30) -> dict[str, float]:
    """Final-year regional gap, cold-spot gap and mean attainment (pp) in the cold_spots scenario under
    ``strategy`` with the collaboration scope ``arm``."""
    model = SchoolSystem(scenario=PLACE_SCENARIO, strategy=strategy, rng=seed, **SCOPES[arm])
    model.run_years(years)
    last = model.metrics().iloc[-1]
    return {k: 100 * float(last[k]) for k in ("regional_gap", "cold_spot_gap", "mean_attainment")}


def ablation_gain(seed: int, arm: str) -> float:
    """Gain of the weakest fifth (pp, 10 years) when support is arranged with the arm's levers:
    data-informed matching, a trained facilitator, monitoring and re-brokering."""
    return weak_gain(seed, **ABLATION[arm])


def mean_after(seed: int, strategy: str, years: int = 10, **overrides) -> float:
    model = SchoolSystem(scenario=SCENARIO, strategy=strategy, rng=seed, **overrides)
    model.run_years(years)
    return 100 * model.metrics().mean_attainment.iloc[-1]


def yearly_gains(seed: int, years: int = 4) -> np.ndarray:
    """Knowledge gain per year of the weakest schools after support partnerships begin."""
    model = SchoolSystem(scenario=SCENARIO, strategy="status_quo", rng=seed, budget_days_per_school=0.0,
                         spontaneous_support=0.0, self_selection_rate=0.0)
    sc = model.schools
    targets = np.argsort(sc.estimate)[: sc.n // 5]
    controls = np.argsort(sc.estimate)[sc.n // 5: 2 * (sc.n // 5)]
    strong = np.argsort(-sc.estimate)[: targets.size]
    link(model.ctx, strong, targets, PT.support, brokered=True, facilitated=True, funded=True)
    gains, previous = [], model.school_knowledge()
    for _ in range(years):
        model.run_years(1)
        now = model.school_knowledge()
        gains.append((now - previous)[targets].mean() - (now - previous)[controls].mean())
        previous = now
    return np.array(gains)
