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
from numba import njit

from simulation.mechanisms.declare import mechanism
from simulation.state import Context


@mechanism(reads={"system": "frontier"}, writes={"staff": "base experience knowledge"})
def learn_from_experience(ctx: Context) -> None:
    """gain = experience_gain * exp(-experience / experience_decay_years) * dt, to knowledge and
    habit alike, neither beyond the frontier."""
    st, cfg = ctx.staff, ctx.cfg.staff
    decay_factor = np.negative(st.experience)
    decay_factor /= cfg.experience_decay_years
    learn_kernel(st.knowledge, st.base, st.experience, np.exp(decay_factor, out=decay_factor), ctx.system.frontier,
                 ctx.dt, cfg.experience_gain)


@mechanism(reads={"schools": "km_capacity"}, writes={"staff": "base knowledge"})
def drift(ctx: Context) -> None:
    """Unrefreshed knowledge decays toward habit; strong knowledge management embeds it into habit:
    base += embedding_rate * km * dt * max(knowledge - base, 0), then
    knowledge -= drift * dt * (knowledge - base)."""
    st, cfg = ctx.staff, ctx.cfg.staff
    drift_kernel(st.knowledge, st.base, ctx.schools.start, ctx.schools.km_capacity, ctx.dt, cfg.embedding_rate,
                 cfg.drift)


@mechanism(reads={"staff": "knowledge"}, writes={"system": "frontier"})
def update_frontier(ctx: Context) -> float:
    """The frontier is the best knowledge anyone holds; only innovation can raise it."""
    ctx.system.frontier = max(ctx.system.frontier, float(ctx.staff.knowledge.max(initial=ctx.system.frontier)))
    return ctx.system.frontier


def move_toward(knowledge: np.ndarray, target: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Gain from learning from others: a share ``rate`` of the gap to ``target``, never beyond it.

    The reference form of the rule; coaching, partnerships and CPD apply it inside compiled
    loops (:mod:`simulation.mechanisms.kernels`) with the same operations, checked against it in the tests."""
    gain = np.subtract(target, knowledge)
    np.maximum(gain, 0.0, out=gain)
    gain *= np.minimum(np.maximum(rate, 0.0), 1.0)  # np.clip costs twice as much
    return gain


# --- compiled kernels: the loop forms of the rules above (same operations, same order) ---


@njit(cache=True)
def learn_kernel(knowledge, base, experience, decay_factor, frontier, dt, experience_gain):
    """knowledge.learn_from_experience given ``decay_factor = exp(-experience / decay_years)``
    (NumPy's vectorised exp is several times faster than a scalar one in the loop)."""
    for p in range(knowledge.size):
        gain = decay_factor[p] * experience_gain * dt
        base[p] = min(base[p] + gain, frontier)
        knowledge[p] = min(knowledge[p] + gain, frontier)
        experience[p] += dt


@njit(cache=True)
def drift_kernel(knowledge, base, start, km, dt, embedding, drift_rate):
    """knowledge.drift: embedding of knowledge above habit, then decay toward habit."""
    decay = drift_rate * dt
    for s in range(start.size - 1):
        embed = km[s] * embedding * dt
        for p in range(start[s], start[s + 1]):
            b = base[p] + embed * max(knowledge[p] - base[p], 0.0)
            base[p] = b
            knowledge[p] -= (knowledge[p] - b) * decay
