"""The per-term plan: what the strategy's budget buys each school this term, and what the term's
exchange brought. Reset once at the start of every term by the model's schedule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(slots=True)
class TermPlan:
    coaching_days: np.ndarray  # staff days for coach training and released coaching time
    cpd_days: np.ndarray  # staff days of low-leverage CPD
    innovation_days: np.ndarray  # released innovation days
    external_gain: np.ndarray  # mean knowledge gain per post from partners this term (pupil SD)
    coaching_intensity: np.ndarray  # 0-1: coaching days per mentee, with diminishing returns
    released: np.ndarray  # number of support partnerships the school releases experts to

    @classmethod
    def empty(cls, n_schools: int) -> TermPlan:
        return cls(*(np.zeros(n_schools) for _ in range(6)))

    def reset(self) -> None:
        for name in self.__slots__:
            getattr(self, name)[:] = 0.0
