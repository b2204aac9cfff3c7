"""The floor: a minimal pure-NumPy staff kernel, the least one staff step can cost.

One call of :func:`floor_step` does, for every staff member, the work any model of teacher
careers must do at least once per step: ageing, learning from experience, learning from a
random peer in the same school, a leaving hazard by experience, hiring into the vacated post,
and school totals (``bincount``) stored as a per-step collection. Staff are stored sorted by
school, as in ``simulation.state.tables``. The same kernel serves for a year or a term (only ``dt``
changes), so its cost is the floor for one ``SchoolSystem.step()`` per staff member.

    python scripts/bench_floor.py --staff 455000 --steps 90
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np

from simulation.state.memory import reuse_freed_memory

EXPERIENCE_GAIN = 0.05  # pupil SD per year, early career
EXPERIENCE_DECAY = 3.0  # years
PEER_RATE = 0.1  # share of the gap to a better peer closed per year
HAZARD = (0.13, 0.08, 0.06)  # first year, years 1-5, established
KNOWLEDGE_SD = 0.25


def build(n_staff: int, mean_school_size: float = 21.2, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    n_schools = max(1, int(round(n_staff / mean_school_size)))
    size = np.maximum(2, rng.poisson(mean_school_size, n_schools))
    size[-1] = max(2, size[-1] + n_staff - int(size.sum()))  # exactly n_staff posts (if possible)
    start = np.concatenate([[0], np.cumsum(size)])
    n = int(start[-1])
    school = np.repeat(np.arange(n_schools), size)
    pull = rng.normal(0, 0.1, n_schools)
    return {
        "rng": rng, "school": school, "start": start, "size": size, "pull": pull,
        "knowledge": pull[school] + rng.normal(0, KNOWLEDGE_SD, n), "experience": rng.exponential(12.0, n),
        "n_schools": n_schools, "n": n,
    }


def floor_step(s: dict, dt: float, out: np.ndarray) -> int:
    """One step for every staff member; writes school mean knowledge into ``out``."""
    rng, school, k, x = s["rng"], s["school"], s["knowledge"], s["experience"]
    n = s["n"]
    # ageing and learning from experience
    x += dt
    k += EXPERIENCE_GAIN * dt * np.exp(-x / EXPERIENCE_DECAY)
    # learning from a random peer in the same school (posts contiguous per school)
    peer = s["start"][school] + (rng.random(n) * s["size"][school]).astype(np.int64)
    k += PEER_RATE * dt * np.maximum(k[peer] - k, 0.0)
    # leaving hazard by experience, and hiring into the vacated post
    hazard = np.where(x < 1, HAZARD[0], np.where(x < 5, HAZARD[1], HAZARD[2]))
    leavers = np.flatnonzero(rng.random(n) < 1 - (1 - hazard) ** dt)
    k[leavers] = -0.1 + s["pull"][school[leavers]] + rng.normal(0, KNOWLEDGE_SD, leavers.size)
    x[leavers] = 0.0
    # school totals
    out[:] = np.bincount(school, weights=k, minlength=s["n_schools"]) / s["size"]
    return leavers.size


def run_floor(n_staff: int = 455_000, steps: int = 90, steps_per_year: int = 3, seed: int = 0) -> dict:
    reuse_freed_memory()  # the allocator settings the model uses, so the comparison is fair
    t0 = time.perf_counter()
    s = build(n_staff, seed=seed)
    t1 = time.perf_counter()
    c1 = time.process_time()
    collected = np.empty((steps, s["n_schools"]))  # school means, every step
    leavers = 0
    for i in range(steps):
        leavers += floor_step(s, 1.0 / steps_per_year, collected[i])
    t2 = time.perf_counter()
    c2 = time.process_time()
    return {
        "staff": s["n"], "schools": s["n_schools"], "steps": steps, "build_s": t1 - t0, "run_s": t2 - t1,
        "ns_per_staff_step": (t2 - t1) / (s["n"] * steps) * 1e9,
        "ns_per_staff_step_cpu": (c2 - c1) / (s["n"] * steps) * 1e9, "leavers_per_year": leavers / (steps / steps_per_year),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--staff", type=int, default=455_000)
    p.add_argument("--steps", type=int, default=90)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    print(json.dumps(run_floor(args.staff, args.steps, seed=args.seed)))


if __name__ == "__main__":
    main()
