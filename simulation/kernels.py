"""Compiled loops over staff posts (Numba), for the passes that dominate a national run.

Each kernel is the loop form of NumPy expressions in the mechanism module that calls it; the
mechanism module keeps the meaning and the docstring, the kernel only fuses what would be
several full passes over every post (and the temporaries between them) into one loop over
schools and their contiguous posts. No kernel draws random numbers: draws stay with the
model's NumPy generator, in the same order, so a seed gives the same stream. Operations are
the same IEEE operations in the same order as the NumPy forms (no fast-math), apart from
``exp`` and ``erfc``, which come from the C library instead of NumPy's own routines.

Compiled once per machine and cached next to this file (``cache=True``): the first import
after an install compiles for a few seconds, later processes load the cache.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

SQRT1_2 = 1.0 / math.sqrt(2.0)


@njit(cache=True)
def _clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


@njit(cache=True)
def ndtr(x: float) -> float:
    """Standard normal CDF, as Cephes/SciPy compute it."""
    t = x * SQRT1_2
    z = abs(t)
    if z < SQRT1_2:
        return 0.5 + 0.5 * math.erf(t)
    y = 0.5 * math.erfc(z)
    return 1.0 - y if t > 0 else y


@njit(cache=True)
def partner_gains(knowledge, shallow, expert, start, km, uptake, receiver, rate, target, external_gain):
    """Partnership exchange for the receiving schools (``receiver`` sorted, each school's
    partners best target first): every post moves toward each partner's practice in turn by
    ``rate * reach``; the gain enters as deep (share ``km``) and shallow knowledge."""
    i, n = 0, receiver.size
    while i < n:
        s = receiver[i]
        j_end = i
        while j_end < n and receiver[j_end] == s:
            j_end += 1
        total = 0.0
        for p in range(start[s], start[s + 1]):
            reach = (1.0 if expert[p] else km[s]) * uptake[s]
            k0 = knowledge[p] + shallow[p]
            k = k0
            for j in range(i, j_end):
                k += max(target[j] - k, 0.0) * _clip01(rate[j] * reach)
            gain = k - k0
            total += gain
            knowledge[p] += km[s] * gain
            shallow[p] += (1 - km[s]) * gain
        external_gain[s] += total / (start[s + 1] - start[s])
        i = j_end


@njit(cache=True)
def expert_mean(knowledge, expert, start):
    """Mean deep knowledge of each school's experts (0 where it has none)."""
    out = np.zeros(start.size - 1)
    for s in range(start.size - 1):
        total, count = 0.0, 0
        for p in range(start[s], start[s + 1]):
            if expert[p]:
                total += knowledge[p]
                count += 1
        out[s] = total / max(count, 1)
    return out


@njit(cache=True)
def experts_learn(knowledge, expert, start, schools, rate, frontier):
    """Experts of ``schools`` move a share ``rate`` (per school) of their gap to the frontier."""
    for i in range(schools.size):
        s = schools[i]
        r = _clip01(rate[i])
        for p in range(start[s], start[s + 1]):
            if expert[p]:
                knowledge[p] += max(frontier - knowledge[p], 0.0) * r


@njit(cache=True)
def school_attainment(knowledge, shallow, start, shift, benchmark, sigma, away, entrant, cover):
    """Mean over each school's teachers of Phi((k + shift - benchmark) / sigma), the share of
    pupils reaching the benchmark; ``away`` marks experts released to support, covered at
    ``cover`` (per school) of their lead over a new teacher."""
    out = np.empty(start.size - 1)
    for s in range(start.size - 1):
        total = 0.0
        for p in range(start[s], start[s + 1]):
            k = knowledge[p] + shallow[p]
            if away[p]:
                k -= cover[s] * max(k - entrant, 0.0)
            total += ndtr(((shift[s] + k) - benchmark) / sigma)
        out[s] = total / (start[s + 1] - start[s])
    return out


@njit(cache=True)
def learn(knowledge, base, experience, frontier, dt, experience_gain, experience_decay):
    """knowledge.learn_from_experience: a gain that falls with experience, capped by the frontier."""
    for p in range(knowledge.size):
        gain = math.exp(-experience[p] / experience_decay) * experience_gain * dt
        base[p] = min(base[p] + gain, frontier)
        knowledge[p] = min(knowledge[p] + gain, frontier)
        experience[p] += dt


@njit(cache=True)
def drift(knowledge, base, start, km, dt, embedding, drift_rate):
    """knowledge.drift: embedding of knowledge above habit, then decay toward habit."""
    decay = drift_rate * dt
    for s in range(start.size - 1):
        embed = km[s] * embedding * dt
        for p in range(start[s], start[s + 1]):
            b = base[p] + embed * max(knowledge[p] - base[p], 0.0)
            base[p] = b
            knowledge[p] -= (knowledge[p] - b) * decay


@njit(cache=True)
def consolidate(knowledge, shallow, start, km, frontier, dt, consolidation, shallow_decay):
    """absorption.consolidate: shallow knowledge becomes deep (at ``consolidation * km``) or fades."""
    faded_share = _clip01(shallow_decay * dt)
    for s in range(start.size - 1):
        convert = _clip01(km[s] * consolidation * dt)
        for p in range(start[s], start[s + 1]):
            h = shallow[p]
            converted = convert * h
            k = min(knowledge[p] + converted, frontier)
            h -= faded_share * h + converted
            knowledge[p] = k
            shallow[p] = max(min(h, frontier - k), 0.0)


@njit(cache=True)
def leaving(experience, start, p_stage, u):
    """Whether each post holder leaves: a uniform draw ``u`` below the leaving probability of
    their career stage (first year, years 2-5, established) at their school."""
    out = np.empty(experience.size, dtype=np.bool_)
    for s in range(start.size - 1):
        for p in range(start[s], start[s + 1]):
            x = experience[p]
            stage = 0 if x < 1 else (1 if x < 5 else 2)
            out[p] = u[p] < p_stage[stage, s]
    return out


@njit(cache=True)
def top_per_school(values, start, count, out):
    """Mark the ``count[s]`` largest values of each school (ties: the earlier post first)."""
    for s in range(start.size - 1):
        lo, hi = start[s], start[s + 1]
        out[lo:hi] = False
        order = np.argsort(-values[lo:hi], kind="mergesort")
        for r in range(min(count[s], hi - lo)):
            out[lo + order[r]] = True
