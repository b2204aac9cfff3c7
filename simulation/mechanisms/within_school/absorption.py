"""Absorptive capacity, the "overwhelmed" effect, and shallow versus deep knowledge.

Encodes Berwick: schools at the lowest end "will need to focus on their internal knowledge
management systems first. If they start by taking on external knowledge they will quickly
become overwhelmed and improvements won't be sustainable"; and Chhatwal's warning against
"drag and drop" copying of visible features without understanding. External knowledge a
school takes in is split by its knowledge-management capacity (``km``): the share ``km``
becomes deep knowledge, the rest is shallow. Below ``overwhelm_threshold`` the school takes
in less in the first place (it is overwhelmed). Shallow knowledge acts on pupils while it
lasts but fades at ``shallow_decay`` and is turned into deep knowledge at ``consolidation *
km`` meanwhile: only a school that manages knowledge keeps what it copied.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels


def uptake(model, km: np.ndarray) -> np.ndarray:
    """Share of offered external knowledge a school can take in (1 when not overwhelmed)."""
    thr = model.cfg.absorption.overwhelm_threshold
    if thr <= 0:
        return np.ones_like(km)
    return np.clip(km / thr, 0.0, 1.0)


def take_in(model, gain: np.ndarray) -> None:
    """Add external knowledge gains (one per post): deep in proportion to capacity, the rest shallow.

    The reference form of the rule; the compiled loops of partnership exchange and CPD
    (:mod:`simulation.mechanisms.kernels`) apply it with the same operations, checked against it in the tests."""
    st = model.staff
    km = model.schools.km_capacity[st.school]
    st.knowledge += km * gain
    np.subtract(1, km, out=km)
    km *= gain
    st.shallow += km


def consolidate(model) -> None:
    """Shallow knowledge fades (at ``shallow_decay``) or, in a school that manages knowledge,
    becomes deep (at ``consolidation * km``); knowledge plus shallow stays within the frontier."""
    st, cfg, sc = model.staff, model.cfg.absorption, model.schools
    kernels.consolidate(st.knowledge, st.shallow, sc.start, sc.km_capacity, model.frontier, model.dt,
                        cfg.consolidation, cfg.shallow_decay)
