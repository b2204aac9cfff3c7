"""Staff knowledge: experience learning, forgetting (drift), embedding, and the frontier.

Encodes: knowledge sits on an absolute scale whose best point, the *frontier*, moves only
when someone innovates (Berwick: the top must keep "re-defining what outstanding practice
looks like"); all other learning moves staff toward knowledge that already exists, so it can
never pass the frontier. Practice improves with experience, fastest in the first years.
Knowledge that is not refreshed drifts back toward what a teacher keeps by habit (``base``),
the source of "the top performing schools drift" when nothing stretches them; a school with
strong knowledge management embeds new practice into habit (Berwick: "capturing their best
practice and sharing it"). Shallow, copied knowledge fades unless the school's capacity
turns it into deep knowledge (see :mod:`simulation.absorption`).
"""

from __future__ import annotations

import numpy as np

EMBEDDING_RATE = 0.3  # per year at full knowledge-management capacity


def learn_from_experience(model) -> None:
    st, cfg, dt = model.staff, model.cfg.staff, model.dt
    # gain = experience_gain * exp(-experience / experience_decay_years) * dt, in place
    gain = np.negative(st.experience)
    gain /= cfg.experience_decay_years
    np.exp(gain, out=gain)
    gain *= cfg.experience_gain
    gain *= dt
    st.base += gain
    st.knowledge += gain
    np.minimum(st.knowledge, model.frontier, out=st.knowledge)
    np.minimum(st.base, model.frontier, out=st.base)  # habit cannot hold more than anyone knows
    st.experience += dt


def drift(model) -> None:
    """Unrefreshed knowledge decays toward habit; strong knowledge management embeds it into habit."""
    st, dt = model.staff, model.dt
    embedded = model.schools.km_capacity[st.school] * EMBEDDING_RATE
    embedded *= dt
    above = st.knowledge - st.base
    embedded *= np.maximum(above, 0.0, out=above)
    st.base += embedded
    gap = np.subtract(st.knowledge, st.base, out=above)
    gap *= model.cfg.staff.drift * dt
    st.knowledge -= gap


def update_frontier(model) -> float:
    """The frontier is the best knowledge anyone holds; only innovation can raise it."""
    model.frontier = max(model.frontier, float(model.staff.knowledge.max(initial=model.frontier)))
    return model.frontier


def move_toward(knowledge: np.ndarray, target: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Gain from learning from others: a share ``rate`` of the gap to ``target``, never beyond it."""
    gain = np.subtract(target, knowledge)
    np.maximum(gain, 0.0, out=gain)
    gain *= np.minimum(np.maximum(rate, 0.0), 1.0)  # np.clip costs twice as much
    return gain
