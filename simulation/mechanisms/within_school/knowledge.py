"""Staff knowledge: experience learning, forgetting (drift), embedding, and the frontier.

Encodes: knowledge sits on an absolute scale whose best point, the *frontier*, moves only
when someone innovates (Berwick: the top must keep "re-defining what outstanding practice
looks like"); all other learning moves staff toward knowledge that already exists, so it can
never pass the frontier. Practice improves with experience, fastest in the first years.
Knowledge that is not refreshed drifts back toward what a teacher keeps by habit (``base``),
the source of "the top performing schools drift" when nothing stretches them; a school with
strong knowledge management embeds new practice into habit (Berwick: "capturing their best
practice and sharing it"). Shallow, copied knowledge fades unless the school's capacity
turns it into deep knowledge (see :mod:`simulation.mechanisms.within_school.absorption`).
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels

EMBEDDING_RATE = 0.3  # per year at full knowledge-management capacity


def learn_from_experience(model) -> None:
    """gain = experience_gain * exp(-experience / experience_decay_years) * dt, to knowledge and
    habit alike, neither beyond the frontier."""
    st, cfg = model.staff, model.cfg.staff
    decay_factor = np.negative(st.experience)
    decay_factor /= cfg.experience_decay_years
    kernels.learn(st.knowledge, st.base, st.experience, np.exp(decay_factor, out=decay_factor), model.frontier,
                  model.dt, cfg.experience_gain)


def drift(model) -> None:
    """Unrefreshed knowledge decays toward habit; strong knowledge management embeds it into habit:
    base += EMBEDDING_RATE * km * dt * max(knowledge - base, 0), then
    knowledge -= drift * dt * (knowledge - base)."""
    st = model.staff
    kernels.drift(st.knowledge, st.base, model.schools.start, model.schools.km_capacity, model.dt, EMBEDDING_RATE,
                  model.cfg.staff.drift)


def update_frontier(model) -> float:
    """The frontier is the best knowledge anyone holds; only innovation can raise it."""
    model.frontier = max(model.frontier, float(model.staff.knowledge.max(initial=model.frontier)))
    return model.frontier


def move_toward(knowledge: np.ndarray, target: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Gain from learning from others: a share ``rate`` of the gap to ``target``, never beyond it.

    The reference form of the rule; coaching, partnerships and CPD apply it inside compiled
    loops (:mod:`simulation.mechanisms.kernels`) with the same operations, checked against it in the tests."""
    gain = np.subtract(target, knowledge)
    np.maximum(gain, 0.0, out=gain)
    gain *= np.minimum(np.maximum(rate, 0.0), 1.0)  # np.clip costs twice as much
    return gain
