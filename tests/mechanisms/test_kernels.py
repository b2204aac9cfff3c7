"""Every compiled kernel (the `*_kernel` functions of the mechanism modules and the segment kernels of simulation.state.segments) gives exactly what the NumPy expression it replaces gives."""

from __future__ import annotations

import numpy as np
import pytest

from types import SimpleNamespace

from simulation.mechanisms.between_schools import brokering, innovation, partnerships
from simulation.mechanisms.outcomes import attainment
from simulation.mechanisms.within_school import absorption, coaching, cpd, knowledge, turnover
from simulation.state import segments

# each kernel lives with its mechanism; this file checks every one against its NumPy form
kernels = SimpleNamespace(
    learn=knowledge.learn_kernel, drift=knowledge.drift_kernel, consolidate=absorption.consolidate_kernel,
    partner_gains=partnerships.partner_gains_kernel, expert_mean=partnerships.expert_mean_kernel,
    experts_learn=partnerships.experts_learn_kernel, max_per_school=partnerships.max_per_school_kernel,
    by_receiver_best_first=partnerships.by_receiver_best_first_kernel, pupil_scores=attainment.pupil_scores_kernel,
    segment_mean=segments.segment_mean, segment_count=segments.segment_count, top_per_school=segments.top_per_school,
    leaving=turnover.leaving_kernel, greedy_match=brokering.greedy_match_kernel, adopt=innovation.adopt_kernel,
    coach_mentees=coaching.coach_mentees_kernel, move_all_toward=cpd.move_all_toward_kernel,
)


@pytest.fixture
def system():
    rng = np.random.default_rng(11)
    n_staff = rng.integers(1, 30, 200)
    start = np.concatenate([[0], np.cumsum(n_staff)]).astype(np.int64)
    n = int(start[-1])
    school = np.repeat(np.arange(n_staff.size), n_staff)
    base = rng.normal(0, 0.3, n)
    return {
        "rng": rng, "start": start, "school": school, "n": n, "n_schools": n_staff.size, "n_staff": n_staff,
        "knowledge": base + np.abs(rng.normal(0, 0.1, n)), "base": base, "shallow": np.abs(rng.normal(0, 0.05, n)),
        "experience": rng.exponential(8, n), "km": rng.random(n_staff.size), "expert": rng.random(n) < 0.2,
    }


def test_learn(system):
    s = system
    k, b, x = s["knowledge"].copy(), s["base"].copy(), s["experience"].copy()
    frontier, dt, g, d = 0.5, 1 / 3, 0.05, 3.0
    decay_factor = np.exp(-x / d)
    gain = decay_factor * g * dt
    kernels.learn(k, b, x, decay_factor, frontier, dt, g)
    np.testing.assert_array_equal(k, np.minimum(s["knowledge"] + gain, frontier))
    np.testing.assert_array_equal(b, np.minimum(s["base"] + gain, frontier))
    np.testing.assert_array_equal(x, s["experience"] + dt)


def test_drift(system):
    s = system
    k, b = s["knowledge"].copy(), s["base"].copy()
    km = s["km"][s["school"]]
    base = s["base"] + 0.3 * km * 0.25 * np.maximum(s["knowledge"] - s["base"], 0)
    knowledge = s["knowledge"] - 0.05 * 0.25 * (s["knowledge"] - base)
    kernels.drift(k, b, s["start"], s["km"], 0.25, 0.3, 0.05)
    np.testing.assert_array_equal(b, base)
    np.testing.assert_array_equal(k, knowledge)


def test_consolidate(system):
    s = system
    k, h = s["knowledge"].copy(), s["shallow"].copy()
    frontier, dt = 0.6, 1 / 3
    converted = np.clip(0.8 * s["km"][s["school"]] * dt, 0, 1) * s["shallow"]
    faded = np.clip(1.5 * dt, 0, 1) * s["shallow"]
    knowledge = np.minimum(s["knowledge"] + converted, frontier)
    shallow = np.maximum(np.minimum(s["shallow"] - (faded + converted), frontier - knowledge), 0)
    kernels.consolidate(k, h, s["start"], s["km"], frontier, dt, 0.8, 1.5)
    np.testing.assert_array_equal(k, knowledge)
    np.testing.assert_array_equal(h, shallow)


def test_partner_gains_apply_partners_in_turn_and_split_deep_and_shallow(system):
    s, rng = system, system["rng"]
    receiver = np.sort(rng.choice(s["n_schools"], 120))  # some schools several times, some never
    target = rng.normal(0.2, 0.3, receiver.size)
    order = np.lexsort((-target, receiver))
    receiver, target, rate = receiver[order], target[order], rng.random(receiver.size) * 0.5
    uptake = np.clip(s["km"] / 0.4, 0, 1)
    k_ref = s["knowledge"] + s["shallow"]
    start_k = k_ref.copy()
    reach = np.where(s["expert"], 1.0, s["km"][s["school"]]) * uptake[s["school"]]
    for i in range(receiver.size):  # one partner at a time, in the order given
        posts = np.arange(s["start"][receiver[i]], s["start"][receiver[i] + 1])
        k_ref[posts] += np.maximum(target[i] - k_ref[posts], 0) * np.clip(rate[i] * reach[posts], 0, 1)
    gain = k_ref - start_k
    km = s["km"][s["school"]]

    k, h, external = s["knowledge"].copy(), s["shallow"].copy(), np.zeros(s["n_schools"])
    kernels.partner_gains(k, h, s["expert"], s["start"], s["km"], uptake, receiver, rate, target, external)
    np.testing.assert_array_equal(k, s["knowledge"] + km * gain)
    np.testing.assert_array_equal(h, s["shallow"] + (1 - km) * gain)
    np.testing.assert_allclose(external, np.bincount(s["school"], weights=gain, minlength=s["n_schools"]) / s["n_staff"],
                               rtol=1e-12, atol=1e-15)
    assert (gain >= 0).all() and gain.any()


def test_expert_mean(system):
    s = system
    count = np.maximum(1, np.bincount(s["school"], weights=s["expert"], minlength=s["n_schools"]))
    expected = np.bincount(s["school"], weights=np.where(s["expert"], s["knowledge"], 0.0), minlength=s["n_schools"])
    np.testing.assert_array_equal(kernels.expert_mean(s["knowledge"], s["expert"], s["start"]), expected / count)


def test_experts_learn_only_in_the_given_schools(system):
    s = system
    k = s["knowledge"].copy()
    schools, rate = np.array([3, 7, 50]), np.array([0.2, 1.5, 0.1])
    kernels.experts_learn(k, s["expert"], s["start"], schools, rate, 0.4)
    per_school = np.zeros(s["n_schools"])
    per_school[schools] = rate
    gain = np.maximum(0.4 - s["knowledge"], 0) * np.clip(per_school[s["school"]], 0, 1) * s["expert"]
    np.testing.assert_array_equal(k, s["knowledge"] + gain)


def test_pupil_scores_and_school_means(system):
    s, rng = system, system["rng"]
    shift, away = rng.normal(0, 0.2, s["n_schools"]), rng.random(s["n"]) < 0.05
    cover = rng.random(s["n_schools"]) * 0.3
    k = s["knowledge"] + s["shallow"]
    k = np.where(away, k - cover[s["school"]] * np.maximum(k - 0.05, 0), k)
    z = (shift[s["school"]] + k - 0.3) / 0.9
    ours = kernels.pupil_scores(s["knowledge"], s["shallow"], s["start"], shift, 0.3, 0.9, away, 0.05, cover,
                                np.empty(s["n"]))
    np.testing.assert_array_equal(ours, z)
    np.testing.assert_array_equal(kernels.segment_mean(z, s["start"]),
                                  np.bincount(s["school"], weights=z) / s["n_staff"])


def test_leaving(system):
    s, rng = system, system["rng"]
    p_stage = rng.random((3, s["n_schools"])) * 0.3
    u = rng.random(s["n"])
    stage = (s["experience"] >= 1).astype(int) + (s["experience"] >= 5)
    np.testing.assert_array_equal(kernels.leaving(s["experience"], s["start"], p_stage, u),
                                  u < p_stage[stage, s["school"]])


def test_top_per_school(system):
    s = system
    count = np.maximum(1, np.round(0.2 * s["n_staff"])).astype(np.int64)
    out = np.zeros(s["n"], dtype=bool)
    kernels.top_per_school(s["knowledge"], s["start"], count, out)
    order = np.lexsort((-s["knowledge"], s["school"]))
    rank = np.empty(s["n"], dtype=np.int64)
    rank[order] = np.arange(s["n"]) - s["start"][s["school"][order]]
    np.testing.assert_array_equal(out, rank < count[s["school"]])


def test_max_per_school():
    a, b = np.array([0, 2, 0, 3]), np.array([1, 0, 3, 2])
    values = np.array([0.2, 0.5, 0.1, 0.7])
    np.testing.assert_array_equal(kernels.max_per_school(a, b, values, 5), [0.5, 0.2, 0.7, 0.7, 0.0])


def test_top_per_school_takes_the_earlier_of_equal_values():
    out = np.zeros(4, dtype=bool)
    kernels.top_per_school(np.array([0.3, 0.5, 0.5, 0.1]), np.array([0, 4]), np.array([1]), out)
    np.testing.assert_array_equal(out, [False, True, False, False])


def test_by_receiver_best_first_is_lexsort():
    rng = np.random.default_rng(5)
    receiver = rng.integers(0, 40, 300)
    target = rng.choice([0.1, 0.2, 0.3, 0.5], 300)  # many ties: the row order must decide them
    np.testing.assert_array_equal(kernels.by_receiver_best_first(receiver, target, 40),
                                  np.lexsort((-target, receiver)))


@pytest.mark.parametrize("same_group", [False, True])
def test_greedy_match_is_the_loop_over_seekers(same_group):
    rng = np.random.default_rng(8)
    seekers = rng.choice(60, 25, replace=False)
    pool = rng.permutation(60)[:30]  # overlaps the seekers: nobody may take itself
    group = rng.integers(0, 4, 60)
    order = rng.permutation(seekers.size)
    expected = np.full(seekers.size, -1)
    used = np.zeros(pool.size, dtype=bool)
    for i in order:
        ok = ~used & (pool != seekers[i]) & ((group[pool] == group[seekers[i]]) if same_group else True)
        if ok.any():
            expected[i] = pool[np.flatnonzero(ok)[0]]
            used[np.flatnonzero(ok)[0]] = True
    np.testing.assert_array_equal(kernels.greedy_match(seekers, order, pool, group, same_group), expected)


def test_adopt_gain_and_loss():
    k = np.array([0.1, 0.4, 0.2, 0.3, 0.0, 0.5])
    expert = np.array([False, True, True, False, True, True])
    start = np.array([0, 4, 6])
    kernels.adopt(k, expert, start, np.array([0, 1]), np.array([0.1, -0.05]), 0.5)
    # school 0: the innovator (post 1, the best) holds 0.5; expert post 2 moves half way to it
    np.testing.assert_allclose(k, [0.1, 0.5, 0.35, 0.3, -0.05, 0.45])
