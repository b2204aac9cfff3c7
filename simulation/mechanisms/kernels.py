"""Compiled loops over staff posts (Numba), for the passes that dominate a national run.

Each kernel is the loop form of NumPy expressions in the mechanism module that calls it; the
mechanism module keeps the meaning and the docstring, the kernel only fuses what would be
several full passes over every post (and the temporaries between them) into one loop over
schools and their contiguous posts. No kernel draws random numbers: draws stay with the
model's NumPy generator, in the same order, so a seed gives the same stream. Operations are
the same IEEE operations in the same order as the NumPy forms (no fast-math), so results are
bit-identical to them; transcendental functions (exp, the normal CDF) stay with NumPy and
SciPy, whose vectorised routines are faster than scalar calls in a loop.

Compiled once per machine and cached next to this file (``cache=True``): the first use
after an install compiles for a few seconds, later processes load the cache.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _clip01(x: float) -> float:
    return min(max(x, 0.0), 1.0)


@njit(cache=True)
def by_receiver_best_first(receiver, target, n_schools):
    """Order of the rows grouped by receiving school, each school's best target first (ties in
    row order): ``np.lexsort((-target, receiver))``, as a counting sort, a school having few rows."""
    first = np.zeros(n_schools + 1, dtype=np.int64)
    for i in range(receiver.size):
        first[receiver[i] + 1] += 1
    for s in range(n_schools):
        first[s + 1] += first[s]
    order = np.empty(receiver.size, dtype=np.int64)
    filled = first[:-1].copy()
    for i in range(receiver.size):
        s = receiver[i]
        j = filled[s]
        while j > first[s] and target[order[j - 1]] < target[i]:  # insertion: stable, best first
            order[j] = order[j - 1]
            j -= 1
        order[j] = i
        filled[s] += 1
    return order


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
        for p in range(start[s], start[s + 1]):  # without branches: experts are scattered
            total += knowledge[p] * expert[p]
            count += expert[p]
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
def pupil_scores(knowledge, shallow, start, shift, benchmark, sigma, away, entrant, cover, out):
    """(k + shift_s - benchmark) / sigma for every post: the teacher's pupils' mean score in
    pupil-noise units; ``away`` marks experts released to support, covered at ``cover``
    (per school) of their lead over a new teacher."""
    for s in range(start.size - 1):
        for p in range(start[s], start[s + 1]):
            k = knowledge[p] + shallow[p]
            if away[p]:
                k -= cover[s] * max(k - entrant, 0.0)
            out[p] = ((shift[s] + k) - benchmark) / sigma
    return out


@njit(cache=True)
def learn(knowledge, base, experience, decay_factor, frontier, dt, experience_gain):
    """knowledge.learn_from_experience given ``decay_factor = exp(-experience / decay_years)``
    (NumPy's vectorised exp is several times faster than a scalar one in the loop)."""
    for p in range(knowledge.size):
        gain = decay_factor[p] * experience_gain * dt
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
            stage = (experience[p] >= 1) + (experience[p] >= 5)  # without branches: the stages are mixed
            out[p] = u[p] < p_stage[stage, s]
    return out


@njit(cache=True)
def top_per_school(values, start, count, out):
    """Mark the ``count[s]`` largest values of each school (ties: the earlier post first).
    One pass per school keeping its current top posts in order, as a school has a few
    dozen posts and a handful of experts."""
    top = np.empty(max(count.max(), 1), dtype=np.int64)
    for s in range(start.size - 1):
        lo, hi = start[s], start[s + 1]
        out[lo:hi] = False
        c = min(count[s], hi - lo)
        if c <= 0:
            continue
        filled = 0
        lowest = -np.inf  # the smallest value in a full top list
        for p in range(lo, hi):
            v = values[p]
            if filled == c and not v > lowest:
                continue
            i = min(filled, c - 1)  # slot to fill, then move up past smaller values
            while i > 0 and v > values[top[i - 1]]:
                top[i] = top[i - 1]
                i -= 1
            top[i] = p
            filled = min(filled + 1, c)
            lowest = values[top[c - 1]] if filled == c else -np.inf
        for i in range(filled):
            out[top[i]] = True


@njit(cache=True)
def max_per_school(a, b, values, n_schools):
    """For each school, the largest value over the rows where it is ``a`` or ``b`` (0 if none)."""
    out = np.zeros(n_schools)
    for i in range(values.size):
        out[a[i]] = max(out[a[i]], values[i])
        out[b[i]] = max(out[b[i]], values[i])
    return out


@njit(cache=True)
def segment_mean(values, start):
    """Mean of ``values`` over each school's posts, summed in post order (as ``np.bincount``)."""
    out = np.empty(start.size - 1)
    for s in range(start.size - 1):
        total = 0.0
        for p in range(start[s], start[s + 1]):
            total += values[p]
        out[s] = total / (start[s + 1] - start[s])
    return out


@njit(cache=True)
def segment_count(flags, start):
    """Number of set flags over each school's posts."""
    out = np.zeros(start.size - 1, dtype=np.int64)
    for s in range(start.size - 1):
        count = 0
        for p in range(start[s], start[s + 1]):
            count += flags[p]
        out[s] = count
    return out


@njit(cache=True)
def coach_mentees(knowledge, coach, trained, start, schools, days, dt, half_days, untrained_skill, efficiency,
                  leadership, intensity_out, gain_out):
    """coaching._coach_mentees for the posts of ``schools`` (in that order): per school the
    coaches' mean knowledge and skill and the days per mentee give a rate; every mentee moves
    that share of the gap to the coaches' mean. Writes each post's gain into ``gain_out`` and
    the school's coaching intensity into ``intensity_out`` (0 where no days are left)."""
    q = 0
    for i in range(schools.size):
        s = schools[i]
        lo, hi = start[s], start[s + 1]
        n_coaches, skill, coach_knowledge = 0, 0.0, 0.0
        for p in range(lo, hi):
            if coach[p]:
                n_coaches += 1
                skill += 1.0 if trained[p] else untrained_skill
                coach_knowledge += knowledge[p]
        n_mentees = (hi - lo) - n_coaches
        days_per_mentee_year = days[s] / dt / max(n_mentees, 1)
        intensity = days_per_mentee_year / (days_per_mentee_year + half_days)
        coach_knowledge /= max(n_coaches, 1)
        rate = _clip01(efficiency * dt * intensity * (skill / max(n_coaches, 1)) * (0.5 + leadership[s]))
        intensity_out[s] = intensity if days[s] > 0 else 0.0
        for p in range(lo, hi):
            gain = 0.0 if coach[p] else max(coach_knowledge - knowledge[p], 0.0) * rate
            knowledge[p] += gain
            gain_out[q] = gain
            q += 1


@njit(cache=True)
def greedy_match(seekers, order, pool, group, same_group):
    """Seekers in ``order`` each take the first unused school of ``pool`` that is not
    themselves (and, with ``same_group``, is in their group); -1 when none is left."""
    partner = np.full(seekers.size, -1, dtype=np.int64)
    used = np.zeros(pool.size, dtype=np.bool_)
    first_free = 0
    for i in order:
        while first_free < pool.size and used[first_free]:
            first_free += 1
        for j in range(first_free, pool.size):
            if used[j] or pool[j] == seekers[i] or (same_group and group[pool[j]] != group[seekers[i]]):
                continue
            partner[i] = pool[j]
            used[j] = True
            break
    return partner


@njit(cache=True)
def adopt(knowledge, expert, start, schools, change, expert_uptake):
    """innovation._adopt: for a gain, the school's most knowledgeable post (the first of equals)
    holds the new practice and its experts move ``expert_uptake`` of the way to it; for a
    loss, every expert's practice falls by it."""
    for i in range(schools.size):
        lo, hi = start[schools[i]], start[schools[i] + 1]
        delta = change[i]
        if delta > 0:
            innovator = lo
            for p in range(lo + 1, hi):
                if knowledge[p] > knowledge[innovator]:
                    innovator = p
            new_practice = knowledge[innovator] + delta
            for p in range(lo, hi):
                if expert[p]:
                    knowledge[p] += expert_uptake * (new_practice - knowledge[p])
            knowledge[innovator] = new_practice
        else:
            for p in range(lo, hi):
                if expert[p]:
                    knowledge[p] += delta


@njit(cache=True)
def move_all_toward(knowledge, shallow, start, km, schools, rate, target):
    """Every post of ``schools`` moves ``rate`` (per school) of its gap to ``target``, taken in
    as deep (share ``km``) and shallow knowledge: cpd.train_staff's move_toward and take_in."""
    for i in range(schools.size):
        s = schools[i]
        r = _clip01(rate[s])
        for p in range(start[s], start[s + 1]):
            gain = max(target - (knowledge[p] + shallow[p]), 0.0) * r
            knowledge[p] += km[s] * gain
            shallow[p] += (1 - km[s]) * gain
