"""The staff table: one row per post, contiguous per school; a post is reused when its holder leaves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(slots=True)
class StaffState:
    school: np.ndarray  # int, sorted: the school a post belongs to (layout, never changes)
    knowledge: np.ndarray  # deep knowledge, pupil SD (absolute scale)
    base: np.ndarray  # knowledge kept without refreshment (talent + experience + embedded practice)
    shallow: np.ndarray  # copied, not yet embedded knowledge ("drag and drop"); decays
    experience: np.ndarray  # years in teaching
    coach: np.ndarray  # bool: identified as a coach
    trained: np.ndarray  # bool: has had coach training
    expert: np.ndarray  # bool: among the school's experts shared with partners

    LAYOUT = ("school", "n")  # what never changes after construction: free to read, never written

    @property
    def n(self) -> int:
        return self.school.size

    def effective(self) -> np.ndarray:
        """Knowledge as it acts on pupils this term: deep plus what is still remembered of shallow."""
        return self.knowledge + self.shallow
