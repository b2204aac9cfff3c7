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


def uptake(model, km: np.ndarray) -> np.ndarray:
    """Share of offered external knowledge a school can take in (1 when not overwhelmed)."""
    thr = model.cfg.absorption.overwhelm_threshold
    if thr <= 0:
        return np.ones_like(km)
    return np.clip(km / thr, 0.0, 1.0)


def take_in(model, gain: np.ndarray) -> None:
    """Add external knowledge gains (one per post): deep in proportion to capacity, the rest shallow."""
    st = model.staff
    km = model.schools.km_capacity[st.school]
    st.knowledge += km * gain
    np.subtract(1, km, out=km)
    km *= gain
    st.shallow += km


def consolidate(model) -> None:
    """Shallow knowledge fades or, in a school that manages knowledge, becomes deep."""
    st, cfg, dt = model.staff, model.cfg.absorption, model.dt
    converted = model.schools.km_capacity[st.school] * cfg.consolidation
    converted *= dt
    np.clip(converted, 0, 1, out=converted)
    converted *= st.shallow
    faded = np.clip(cfg.shallow_decay * dt, 0, 1) * st.shallow
    st.knowledge += converted
    faded += converted
    st.shallow -= faded
    np.minimum(st.knowledge, model.frontier, out=st.knowledge)
    # knowledge + shallow must stay within the frontier too
    np.minimum(st.shallow, np.subtract(model.frontier, st.knowledge, out=converted), out=st.shallow)
    np.maximum(st.shallow, 0.0, out=st.shallow)
