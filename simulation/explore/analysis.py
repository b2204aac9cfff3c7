"""The statistics of a robustness study, from its runs (one row per parameter set x strategy x seed).

* ``Y[i, s]``: strategy ``s``'s outcome (the upwards-convergence index by default) in parameter
  set ``i``, averaged over the replicate seeds (the same seeds for every strategy and set).
* **P(best)**: the share of parameter sets in which a strategy has the highest ``Y``.
* **regret** of ``s`` in set ``i``: ``max_s' Y[i, s'] - Y[i, s]`` (0 where ``s`` is best); its median
  and 90th percentile over the sets.
* **difference** of two strategies: the mean over sets of ``Y[i, a] - Y[i, b]``, and the share of
  sets in which ``a`` beats ``b``; and the share of sets in which ``a``'s *expected* outcome (over
  endless seeds) beats ``b``'s, estimated as ``Phi(mean difference / parameter SD of the
  difference)`` from the variance parts below (a normal random-effects estimate: with few seeds
  the counted share is pulled toward one half by the seed noise left in each set's mean).
* **variance parts**: a random-effects split of the variance of a single run's outcome into
  *parameter uncertainty* (between sets) and *seed noise* (the seed's own effect, common to all
  sets because the seeds are, plus its interaction with the set), from a crossed set x seed ANOVA.

Intervals are percentile bootstrap intervals (95% by default) over the parameter sets: the sets
are resampled with their seeds' results, so an interval holds the luck of drawing N sets together
with the seed noise each set carries. Resampling the seeds as well would fewer distinct seeds per
set and so inflate the noise of every set's mean, biasing P(best) toward an even split; the seeds'
effect common to all sets (the same R seeds everywhere) is not in the intervals, and the variance
split shows how large it is. Draws come from a Generator seeded by
the caller. Scenario discovery (:func:`discover`) uses EMA Workbench's PRIM and feature scoring.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

LEVEL = 0.95
BOOTSTRAP = 1000
MIN_CASES = 5  # PRIM needs a few cases of interest and a few others


@dataclass
class Cube:
    """Outcome of every run as an array ``values[set, replicate, strategy]`` (complete sets only)."""

    values: np.ndarray
    sets: list[int]
    seeds: list[int]
    strategies: list[str]
    dropped: list[int]  # sets left out because a run failed

    @property
    def means(self) -> np.ndarray:
        return self.values.mean(axis=1)


def cube(runs: pd.DataFrame, outcome: str = "uci", strategies: list[str] | None = None) -> Cube:
    strategies = strategies or list(dict.fromkeys(runs.strategy))
    seeds = sorted(runs.seed.unique().tolist())
    wide = runs.pivot_table(index=["set", "seed"], columns="strategy", values=outcome, aggfunc="first",
                            dropna=False)
    wide = wide.reindex(columns=strategies)
    sets = sorted(runs.set.unique().tolist())
    full = pd.MultiIndex.from_product([sets, seeds], names=["set", "seed"])
    wide = wide.reindex(full)
    arr = wide.to_numpy(dtype=float).reshape(len(sets), len(seeds), len(strategies))
    ok = ~np.isnan(arr).any(axis=(1, 2))
    return Cube(arr[ok], [s for s, k in zip(sets, ok) if k], seeds, strategies, [s for s, k in zip(sets, ok) if not k])


def _stats(Y: np.ndarray, A: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Every statistic of one (possibly resampled) table of set means ``Y[set, strategy]``."""
    S = Y.shape[1]
    best = Y.argmax(axis=1)
    regret = Y.max(axis=1, keepdims=True) - Y
    diff = Y[:, :, None] - Y[:, None, :]
    out = {"p_best": np.array([(best == s).mean() for s in range(S)]),
           "regret_median": np.median(regret, axis=0), "regret_p90": np.quantile(regret, 0.9, axis=0),
           "regret_mean": regret.mean(axis=0), "diff_mean": diff.mean(axis=0), "diff_p_better": (diff > 0).mean(axis=0)}
    if A is not None:
        out.update(_variance(A))
        with np.errstate(divide="ignore", invalid="ignore"):  # no parameter variance: the sign of the mean decides
            z = np.where(out["diffvar_param"] > 0, out["diff_mean"] / np.sqrt(out["diffvar_param"]),
                         np.sign(out["diff_mean"]) * np.inf)
        out["diff_p_better_expected"] = special.ndtr(z)
    return out


def _variance(A: np.ndarray) -> dict[str, np.ndarray]:
    """Crossed random effects (set x seed, as the seeds are common to all sets) per strategy and
    per strategy pair (differences, paired by seed): ``Y[i, r] = m + a_i + b_r + e_ir``; parameter
    variance var(a), seed noise var(b) + var(e), from the two-way ANOVA mean squares."""
    N, R, S = A.shape
    pairs = A[:, :, :, None] - A[:, :, None, :]  # [N, R, S, S]
    out = {}
    for name, X in (("var", A), ("diffvar", pairs)):
        if R < 2 or N < 2:
            nan = np.full(X.shape[2:], np.nan)
            out[f"{name}_seed"], out[f"{name}_param"] = nan, nan
            continue
        rows, cols, grand = X.mean(axis=1), X.mean(axis=0), X.mean(axis=(0, 1))
        resid = X - rows[:, None] - cols[None, :] + grand
        ms_err = (resid ** 2).sum(axis=(0, 1)) / ((N - 1) * (R - 1))
        ms_set = R * rows.var(axis=0, ddof=1)
        ms_seed = N * cols.var(axis=0, ddof=1)
        out[f"{name}_param"] = np.maximum((ms_set - ms_err) / R, 0.0)
        out[f"{name}_seed"] = np.maximum((ms_seed - ms_err) / N, 0.0) + ms_err
    return out


def bootstrap(c: Cube, n_boot: int = BOOTSTRAP, seed: int = 0, level: float = LEVEL) -> dict[str, tuple]:
    """Point estimate and (low, high) percentile interval of every statistic of :func:`_stats`."""
    rng = np.random.default_rng([seed, 1])
    A = c.values
    N, R, _ = A.shape
    point = _stats(A.mean(axis=1), A)
    draws: dict[str, list] = {k: [] for k in point}
    for start in range(0, n_boot, 100):
        b = min(100, n_boot - start)
        i = rng.integers(0, N, size=(b, N))
        sample = A[i]  # [b, N, R, S]: resampled sets, each with all its seeds
        for k in range(b):
            for name, value in _stats(sample[k].mean(axis=1), sample[k]).items():
                draws[name].append(value)
    q = ((1 - level) / 2, 1 - (1 - level) / 2)
    with warnings.catch_warnings():  # all-NaN variance parts with a single seed
        warnings.simplefilter("ignore", RuntimeWarning)
        return {name: (point[name], np.nanquantile(np.array(draws[name]), q[0], axis=0),
                       np.nanquantile(np.array(draws[name]), q[1], axis=0)) for name in point}


def tables(c: Cube, boot: dict[str, tuple]) -> dict[str, pd.DataFrame]:
    """The tidy result tables: ``p_best``, ``regret``, ``differences``, ``variance``."""
    S = c.strategies
    p, lo, hi = boot["p_best"]
    p_best = pd.DataFrame({"strategy": S, "p_best": p, "low": lo, "high": hi})
    reg = pd.DataFrame({"strategy": S})
    for stat in ("median", "p90", "mean"):
        v, lo, hi = boot[f"regret_{stat}"]
        reg[f"regret_{stat}"], reg[f"regret_{stat}_low"], reg[f"regret_{stat}_high"] = v, lo, hi
    rows = []
    d, dlo, dhi = boot["diff_mean"]
    pb, pblo, pbhi = boot["diff_p_better"]
    pe, pelo, pehi = boot["diff_p_better_expected"]
    for a in range(len(S)):
        for b in range(len(S)):
            if a < b:
                rows.append({"a": S[a], "b": S[b], "difference": d[a, b], "low": dlo[a, b], "high": dhi[a, b],
                             "p_a_better": pb[a, b], "p_a_better_low": pblo[a, b], "p_a_better_high": pbhi[a, b],
                             "p_a_better_expected": pe[a, b], "p_a_better_expected_low": pelo[a, b],
                             "p_a_better_expected_high": pehi[a, b]})
    diffs = pd.DataFrame(rows)
    var_rows = []
    for s in range(len(S)):
        var_rows.append(_var_row(f"{S[s]}", S[s], "", boot, (s,), "var"))
    for a in range(len(S)):
        for b in range(a + 1, len(S)):
            var_rows.append(_var_row(f"{S[a]} - {S[b]}", S[a], S[b], boot, (a, b), "diffvar"))
    return {"p_best": p_best, "regret": reg, "differences": diffs, "variance": pd.DataFrame(var_rows)}


def _var_row(label: str, a: str, b: str, boot: dict, idx: tuple, name: str) -> dict:
    seed_v, param_v = boot[f"{name}_seed"][0][idx], boot[f"{name}_param"][0][idx]
    total = seed_v + param_v
    return {"quantity": label, "a": a, "b": b, "seed_variance": seed_v, "parameter_variance": param_v,
            "seed_share": seed_v / total if total > 0 else np.nan,
            "seed_sd": np.sqrt(seed_v), "parameter_sd": np.sqrt(param_v)}


def preferred(p_best: pd.DataFrame) -> str:
    """The strategy with the highest P(best) (the first in order on a tie)."""
    return str(p_best.sort_values("p_best", ascending=False, kind="stable").strategy.iloc[0])


# --- scenario discovery ---------------------------------------------------------------------

@dataclass
class Discovery:
    """Where the preferred strategy loses: PRIM's peeling trajectory and chosen box, feature scores."""

    strategy: str
    n_loses: int
    n_sets: int
    trajectory: pd.DataFrame  # one row per box on the peeling trajectory
    box: pd.DataFrame  # restricted parameters of the chosen box: low, high, range, quasi-p values
    chosen: int | None  # the chosen box on the trajectory
    scores: pd.DataFrame  # parameter, score (extra-trees importance for "loses")
    note: str = ""
    drivers: Drivers | None = None  # what moves its lead over the runner-up (a metamodel over the sets)
    expected: Discovery | None = None  # PRIM on the sets where the metamodel says it loses in expectation


MAX_DIMS = 3  # a box a reader can take in: at most three restricted parameters
WEAK_LIFT = 1.5  # a box whose density is less than 1.5 times the overall share barely concentrates the cases


def choose_box(trajectory: pd.DataFrame, min_coverage: float = 0.5, max_dims: int = MAX_DIMS) -> int:
    """The densest box that still covers ``min_coverage`` of the cases and restricts at most
    ``max_dims`` parameters (fewer restrictions on a tie); the whole space if none does."""
    ok = trajectory[(trajectory.coverage >= min_coverage) & (trajectory.res_dim <= max_dims)]
    ok = ok if len(ok) else trajectory.iloc[:1]
    best = ok.sort_values(["density", "res_dim"], ascending=[False, True], kind="stable")
    return int(best.index[0])


SEED_NOISE = "they are spread over the space, as when seed noise decides close calls"


def discover(x: pd.DataFrame, loses: np.ndarray, strategy: str, seed: int = 0, spread: str = SEED_NOISE) -> Discovery:
    """PRIM (``ema_workbench.analysis.prim``) on the parameter sets ``x`` with ``loses`` as the cases
    of interest, and extra-trees feature scores (``ema_workbench.analysis.feature_scoring``)."""
    import logging

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "ipyparallel not installed"
        from ema_workbench.analysis import feature_scoring, prim
        from ema_workbench.analysis.scenario_discovery_util import RuleInductionType

    logging.getLogger("EMA").setLevel(logging.WARNING)
    x = x.reset_index(drop=True).astype(float)
    y = np.asarray(loses, dtype=bool)
    n, k = len(y), int(y.sum())
    empty_box = pd.DataFrame(columns=["parameter", "low", "high", "range_low", "range_high", "qp_low", "qp_high"])
    if k < MIN_CASES or n - k < MIN_CASES:
        note = (f"{strategy} loses in {k} of {n} parameter sets; PRIM needs at least {MIN_CASES} sets where it "
                "loses and where it does not, so no box is drawn.")
        return Discovery(strategy, k, n, pd.DataFrame(), empty_box, None, pd.DataFrame(columns=["parameter", "score"]),
                         note)
    scores, _ = feature_scoring.get_ex_feature_scores(x, y.astype(int), mode=RuleInductionType.CLASSIFICATION,
                                                      random_state=int(seed) % 2**32)
    scores = scores.reset_index().set_axis(["parameter", "score"], axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pandas inplace deprecation inside EMA 3.0
        alg = prim.Prim(x, y, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05)
        box = alg.find_box()
    trajectory = box.peeling_trajectory.reset_index(drop=True)
    chosen = choose_box(trajectory)
    _, limits = box.inspect(chosen, style="data")[0]
    full = box.box_lims[0]
    rows = []
    for param in limits.index:
        lim = limits.loc[param].to_numpy()
        rows.append({"parameter": param, "low": float(lim[0]), "high": float(lim[1]),
                     "range_low": float(full[param].iloc[0]), "range_high": float(full[param].iloc[1]),
                     "qp_low": float(lim[2]), "qp_high": float(lim[3])})
    lift = trajectory.loc[chosen, "density"] / (k / n)
    note = "" if lift >= WEAK_LIFT else (
        f"weak: the chosen box holds the losing sets only {lift:.2f} times as densely as the whole space; no "
        f"region of at most {MAX_DIMS} parameters concentrates them ({spread})")
    return Discovery(strategy, k, n, trajectory, pd.DataFrame(rows, columns=empty_box.columns), chosen, scores, note)


__all__ = ["BOOTSTRAP", "Cube", "Discovery", "LEVEL", "bootstrap", "choose_box", "cube", "discover", "preferred",
           "tables"]


# --- what moves the lead: a metamodel that averages the seed noise out -----------------------

@dataclass
class Drivers:
    """A linear metamodel of the preferred strategy's lead over the runner-up across the sets."""

    strategy: str
    runner_up: str
    effects: pd.DataFrame  # parameter, effect (change over the sampled range), se, t
    r2: float
    loses: np.ndarray  # sets where the metamodel's lead is below 0: loses in expectation


def runner_up(p_best: pd.DataFrame, means: np.ndarray, strategies: list[str], best: str) -> str:
    """The strategy other than ``best`` with the highest P(best) (the highest mean outcome on a tie)."""
    others = p_best[p_best.strategy != best].assign(mean=[means[:, strategies.index(s)].mean()
                                                          for s in p_best.strategy if s != best])
    return str(others.sort_values(["p_best", "mean"], ascending=False, kind="stable").strategy.iloc[0])


def drivers(x: pd.DataFrame, lead: np.ndarray, strategy: str, other: str) -> Drivers:
    """Ordinary least squares of the lead (set mean of ``strategy`` minus ``other``) on every
    parameter scaled to its sampled range (0 at the low end, 1 at the high end), so an effect is
    the change in the lead from one end of the range to the other, with its standard error.

    Why: with few seeds a set's lead carries seed noise larger than the parameters' own effect
    (the variance split says how much), so whether a set is "lost" is mostly chance and PRIM on
    those sets finds no region; a regression over all sets averages that noise out. It assumes
    the effects add up linearly; ``r2`` (adjusted R^2) says how much of the lead's variance it explains.
    ``turns_at``: the value at which the expected lead reaches 0 when only that parameter moves
    and the others stay at their mean over the sets (NaN: it does not turn inside the range)."""
    x = x.astype(float)
    span = (x.max() - x.min()).replace(0, 1.0)
    z = ((x - x.min()) / span).to_numpy()
    A = np.column_stack([np.ones(len(z)), z])
    y = np.asarray(lead, dtype=float)
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    fitted = A @ coef
    resid = y - fitted
    dof = max(len(y) - A.shape[1], 1)
    cov = np.linalg.pinv(A.T @ A) * (resid @ resid / dof)
    se = np.sqrt(np.diag(cov))[1:]
    # where the expected lead reaches 0 moving one parameter, the others at their mean over the sets
    u = np.divide(z.mean(axis=0) * coef[1:] - y.mean(), coef[1:], out=np.full(len(se), np.nan), where=coef[1:] != 0)
    inside = (u >= 0) & (u <= 1)
    effects = pd.DataFrame({"parameter": list(x.columns), "effect": coef[1:], "se": se,
                            "t": np.divide(coef[1:], se, out=np.zeros_like(se), where=se > 0),
                            "turns_at": np.where(inside, x.min().to_numpy() + u * span.to_numpy(), np.nan),
                            "low": x.min().to_numpy(), "high": x.max().to_numpy()})
    effects = effects.reindex(effects.t.abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
    # adjusted R^2: with a dozen parameters and a few hundred sets the plain R^2 fits some noise too
    ss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - (float(resid @ resid) / dof) / (ss / max(len(y) - 1, 1)) if ss > 0 else 0.0
    return Drivers(strategy, other, effects, r2, fitted < 0)

