"""Docking of March (1991), "Exploration and exploitation in organizational learning".

March, J. G. (1991). Organization Science 2(1), 71-87.

What the model is
-----------------
An organisation of ``n`` individuals faces an external reality of ``m``
independent dimensions, each +1 or -1.  Every individual holds a belief on
each dimension (-1, 0 = "don't know", +1), and the organisation holds a shared
belief vector, the *organisational code*.  Two learning processes run at once:

* **socialisation** (rate ``p1``): individuals drift towards the code;
* **code learning** (rate ``p2``): the code drifts towards the dominant
  beliefs of the individuals who currently do better than the code.

March's central result (his Figure 1) is that slow socialisation (low
``p1``) keeps diversity alive long enough for the code to learn from it, so
equilibrium knowledge of the code is *higher* when individuals learn the code
slowly, most clearly when the code itself learns fast (high ``p2``).

Why it matters for school-system upwards convergence
----------------------------------------------------
In the upwards-convergence sources, schools or teachers who socialise quickly
to a system's "code" of good practice run the "drag and drop" risk: copying
the visible features of practice without the understanding behind them
(K. Chhatwal, 2020).  March's model is the classic formal statement of why
fast conformity can lower what the whole organisation ends up knowing.

Rules implemented (one period = one call to ``MarchModel.step``)
----------------------------------------------------------------
1. Start: reality is m values drawn +1/-1 with equal probability; each
   individual's belief on each dimension is drawn uniformly from {-1, 0, +1};
   the code starts at all 0.
2. Act and score: every individual acts on its beliefs; a 0 belief becomes a
   random +1/-1 for this period only.  Score = sum(action * reality).
3. Socialisation: on each dimension where the code is non-zero, with
   probability p1 an individual's belief moves ONE step towards the code
   (-1 -> 0 -> +1 or the reverse).
4. Code learning: the *superior group* is the individuals whose score this
   period exceeds the code's score (sum(code * reality), zeros count 0).  On
   each dimension let k be the margin of the majority of their actions (count
   of one sign minus the other).  If k > 0 and the majority sign differs from
   the code, the code takes the majority value with probability
   1 - (1 - p2) ** k.
5. Optional extensions from the paper (both off by default): turnover p3
   (each individual is replaced with probability p3 by a newcomer with fresh
   random beliefs) and turbulence p4 (each reality dimension flips with
   probability p4).  They are applied at the end of the period.
6. Equilibrium: no individual could still outscore the code (their best
   possible score counts 0 beliefs as potentially right) AND every individual
   agrees with the code wherever the code is non-zero.  With turnover or
   turbulence on there is no equilibrium, so a fixed number of periods is run.

Knowledge is measured as sum(beliefs * reality) / m, so it lies in [-1, 1].

Implementation notes: beliefs live in one (n, m) numpy array on the model and
each ``Individual`` agent is a thin view onto its row; every period is fully
vectorised and all randomness comes from the model's seeded ``self.rng``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence

import mesa
import numpy as np
import pandas as pd

__all__ = [
    "Individual",
    "MarchModel",
    "run_march",
    "figure1_table",
]

DEFAULT_MAX_PERIODS = 5000


# --------------------------------------------------------------------------
# Parameter validation
# --------------------------------------------------------------------------
def _check_probability(name: str, value: float) -> float:
    """Return ``value`` as float, or raise if it is not a probability."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if not is_number or not 0.0 <= float(value) <= 1.0:
        raise ValueError(f"{name} must be a probability in [0, 1]; got {value!r}.")
    return float(value)


def _check_positive_int(name: str, value: int) -> int:
    """Return ``value`` as int, or raise if it is not an integer >= 1."""
    is_int = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if not is_int or value < 1:
        raise ValueError(f"{name} must be an integer >= 1; got {value!r}.")
    return int(value)


# --------------------------------------------------------------------------
# Agents
# --------------------------------------------------------------------------
class Individual(mesa.Agent):
    """One member of the organisation: a view onto a row of the belief matrix.

    The state lives on the model so that a period can be computed for all
    individuals at once; the agent only remembers which row is its own.
    """

    def __init__(self, model: MarchModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    @property
    def beliefs(self) -> np.ndarray:
        """This individual's beliefs (a writable view, values in {-1, 0, 1})."""
        return self.model.beliefs[self.row]

    @property
    def knowledge(self) -> float:
        """Share of reality this individual knows, net of wrong beliefs."""
        return float(self.beliefs @ self.model.reality) / self.model.m

    @property
    def last_score(self) -> int:
        """Score obtained in the most recent period (0 before the first)."""
        return int(self.model.scores[self.row])

    @property
    def entry_period(self) -> int:
        """Period in which the current occupant of this row joined (turnover)."""
        return int(self.model.entry_period[self.row])


# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------
class MarchModel(mesa.Model):
    """March's (1991) mutual-learning model of an organisational code.

    Args:
        p1: socialisation rate (individuals learning from the code).
        p2: code learning rate (code learning from the superior group).
        m: number of reality dimensions.
        n: number of individuals.
        p3: turnover probability per individual and period (0 = off).
        p4: turbulence probability per dimension and period (0 = off).
        max_periods: safeguard on the number of periods run; with turnover or
            turbulence on, it is the fixed number of periods that is run.
        rng: seed or numpy Generator, passed to ``mesa.Model``.
    """

    def __init__(
        self,
        p1: float = 0.1,
        p2: float = 0.5,
        m: int = 30,
        n: int = 50,
        p3: float = 0.0,
        p4: float = 0.0,
        max_periods: int = DEFAULT_MAX_PERIODS,
        rng=None,
    ) -> None:
        super().__init__(rng=rng)
        self.p1 = _check_probability("p1", p1)
        self.p2 = _check_probability("p2", p2)
        self.p3 = _check_probability("p3", p3)
        self.p4 = _check_probability("p4", p4)
        self.m = _check_positive_int("m", m)
        self.n = _check_positive_int("n", n)
        self.max_periods = _check_positive_int("max_periods", max_periods)

        self.reality = self.rng.choice(np.array([-1, 1], dtype=np.int64), size=self.m)
        self.beliefs = self._random_beliefs(self.n)
        self.code = np.zeros(self.m, dtype=np.int64)
        self.scores = np.zeros(self.n, dtype=np.int64)
        self.entry_period = np.zeros(self.n, dtype=np.int64)
        self.period = 0
        self.converged = False

        Individual.create_agents(self, self.n, row=list(range(self.n)))

        self.datacollector = mesa.DataCollector(
            model_reporters={
                "code_knowledge": "code_knowledge",
                "mean_individual_knowledge": "mean_individual_knowledge",
            }
        )
        self.datacollector.collect(self)

    # ------------------------------------------------------------------
    # Measures
    # ------------------------------------------------------------------
    @property
    def dynamic(self) -> bool:
        """True when turnover or turbulence is on (no equilibrium exists)."""
        return self.p3 > 0.0 or self.p4 > 0.0

    @property
    def code_score(self) -> int:
        """Score the code would get: zeros contribute nothing."""
        return int(self.code @ self.reality)

    @property
    def code_knowledge(self) -> float:
        """Knowledge of the code, sum(code * reality) / m."""
        return self.code_score / self.m

    @property
    def mean_individual_knowledge(self) -> float:
        """Mean over individuals of sum(beliefs * reality) / m."""
        return float((self.beliefs @ self.reality).mean()) / self.m

    # ------------------------------------------------------------------
    # Rules (each a small, separately testable function)
    # ------------------------------------------------------------------
    def _random_beliefs(self, rows: int) -> np.ndarray:
        """Beliefs drawn uniformly from {-1, 0, +1}."""
        return self.rng.integers(-1, 2, size=(rows, self.m), dtype=np.int64)

    def act(self) -> np.ndarray:
        """Actions for this period: 0 beliefs are resolved by a coin flip.

        The coin is drawn for every cell so the number of draws does not
        depend on the state, which keeps runs easy to compare.
        """
        coin = self.rng.choice(np.array([-1, 1], dtype=np.int64), size=self.beliefs.shape)
        return np.where(self.beliefs == 0, coin, self.beliefs)

    def socialise(self) -> None:
        """Move beliefs one step towards the code, w.p. p1, where code != 0."""
        gap = np.sign(self.code - self.beliefs)  # broadcast over rows
        chance = self.rng.random(self.beliefs.shape) < self.p1
        move = chance & (self.code != 0) & (gap != 0)
        self.beliefs += np.where(move, gap, 0)

    def learn_code(self, actions: np.ndarray, scores: np.ndarray) -> None:
        """Update the code from the majority of the superior group's actions."""
        superior = scores > self.code_score
        votes = actions[superior].sum(axis=0)  # sign = majority, |.| = margin k
        k = np.abs(votes)
        majority = np.sign(votes)
        differs = (k > 0) & (majority != self.code)
        adopt_probability = 1.0 - (1.0 - self.p2) ** k
        adopt = differs & (self.rng.random(self.m) < adopt_probability)
        self.code = np.where(adopt, majority, self.code)

    def turnover(self) -> None:
        """Replace each individual w.p. p3 by a newcomer with random beliefs."""
        leave = self.rng.random(self.n) < self.p3
        fresh = self._random_beliefs(self.n)
        self.beliefs = np.where(leave[:, None], fresh, self.beliefs)
        self.entry_period = np.where(leave, self.period, self.entry_period)

    def turbulence(self) -> None:
        """Flip each reality dimension w.p. p4."""
        flip = self.rng.random(self.m) < self.p4
        self.reality = np.where(flip, -self.reality, self.reality)

    # ------------------------------------------------------------------
    # Equilibrium
    # ------------------------------------------------------------------
    def best_possible_scores(self) -> np.ndarray:
        """Highest score each individual could reach if all its 0s were right."""
        unknown = (self.beliefs == 0).sum(axis=1)
        return unknown + self.beliefs @ self.reality

    def is_equilibrium(self) -> bool:
        """Nobody can outscore the code and everybody agrees with its non-zeros."""
        nobody_better = bool(np.all(self.best_possible_scores() <= self.code_score))
        coded = self.code != 0
        all_agree = bool(np.all(self.beliefs[:, coded] == self.code[coded]))
        return nobody_better and all_agree

    # ------------------------------------------------------------------
    # Time
    # ------------------------------------------------------------------
    def step(self) -> None:
        """Run one period: act, socialise, learn the code, then extensions."""
        actions = self.act()
        self.scores = actions @ self.reality
        # The code learns from what people did this period, before socialising
        # changed their beliefs, so both processes see the same state.
        self.socialise()
        self.learn_code(actions, self.scores)
        self.period += 1
        if self.p3 > 0.0:
            self.turnover()
        if self.p4 > 0.0:
            self.turbulence()
        self.datacollector.collect(self)
        if not self.dynamic and self.is_equilibrium():
            self.converged = True
            self.running = False

    def run_to_equilibrium(self) -> float:
        """Run until equilibrium (or ``max_periods``); return code knowledge.

        With turnover or turbulence on there is no equilibrium, so exactly
        ``max_periods`` periods are run and ``converged`` stays False.
        """
        if not self.dynamic and self.is_equilibrium():
            self.converged = True
            self.running = False
        while self.running and self.period < self.max_periods:
            self.step()
        return self.code_knowledge


# --------------------------------------------------------------------------
# Experiment helpers
# --------------------------------------------------------------------------
def run_march(
    p1: float,
    p2: float,
    seed,
    m: int = 30,
    n: int = 50,
    p3: float = 0.0,
    p4: float = 0.0,
    max_periods: int = DEFAULT_MAX_PERIODS,
) -> float:
    """Run one model to equilibrium and return the code's knowledge."""
    model = MarchModel(p1=p1, p2=p2, m=m, n=n, p3=p3, p4=p4, max_periods=max_periods, rng=seed)
    return model.run_to_equilibrium()


def _cell_seeds(seed: int, cell: int, runs: int) -> list[np.random.SeedSequence]:
    """Independent, reproducible seeds for the runs of one grid cell."""
    return [np.random.SeedSequence(seed, spawn_key=(cell, run)) for run in range(runs)]


def _run_cell(args: tuple) -> dict:
    """Run all replications of one (p1, p2) cell and summarise them."""
    p1, p2, seeds, kwargs = args
    values = np.array([run_march(p1, p2, s, **kwargs) for s in seeds])
    sd = float(values.std(ddof=1)) if len(values) > 1 else float("nan")
    return {
        "p1": p1,
        "p2": p2,
        "mean": float(values.mean()),
        "sd": sd,
        "sem": sd / np.sqrt(len(values)),
        "n_runs": len(values),
    }


def figure1_table(
    p1_values: Sequence[float],
    p2_values: Sequence[float],
    runs: int,
    seed: int,
    workers: int = 1,
    **model_kwargs,
) -> pd.DataFrame:
    """Equilibrium code knowledge over a p1 x p2 grid (March's Figure 1).

    Every cell gets its own independent seeds derived from ``seed`` and the
    cell's position, so results do not depend on ``workers``.

    Returns:
        DataFrame with columns p1, p2, mean, sd, sem, n_runs.
    """
    runs = _check_positive_int("runs", runs)
    cells = [(float(p1), float(p2)) for p2 in p2_values for p1 in p1_values]
    jobs = [
        (p1, p2, _cell_seeds(seed, index, runs), model_kwargs)
        for index, (p1, p2) in enumerate(cells)
    ]
    if workers > 1:
        # Imported lazily: most callers run serially and need no pool.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # "spawn" because forking a process that may hold threads (pytest,
        # BLAS) can deadlock; workers only need this importable module.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            rows = list(pool.map(_run_cell, jobs))
    else:
        rows = [_run_cell(job) for job in jobs]
    return pd.DataFrame(rows, columns=["p1", "p2", "mean", "sd", "sem", "n_runs"])
