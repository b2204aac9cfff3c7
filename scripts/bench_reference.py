"""A reference Mesa model: every staff member is a Mesa agent, stepped with ``shuffle_do``.

This is how the staff mechanics would be written in plain Mesa style, and it is the yardstick
for the array design of ``simulation``: each ``RefStaff`` agent ages, learns from experience,
learns from a random peer in its school, and may leave (leaving hazard by experience); a
leaver is removed from the model and a new ``RefStaff`` agent is hired into the same post.
A DataCollector records the system mean (model reporter) and every school's mean knowledge
(``agenttype_reporters`` for ``RefSchool``) every step. The constants are those of the floor
kernel (``bench_floor.py``), so both do the same work per staff step.

    python scripts/bench_reference.py --staff 30000 --years 3
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import time

import numpy as np
from mesa import Agent, DataCollector, Model

from simulation.state.memory import reuse_freed_memory

from bench_floor import EXPERIENCE_DECAY, EXPERIENCE_GAIN, HAZARD, KNOWLEDGE_SD, PEER_RATE


class RefSchool(Agent):
    def __init__(self, model: "ReferenceModel", pull: float) -> None:
        super().__init__(model)
        self.pull = pull
        self.members: list[RefStaff] = []

    def mean_knowledge(self) -> float:
        return sum(a.knowledge for a in self.members) / len(self.members)


class RefStaff(Agent):
    def __init__(self, model: "ReferenceModel", school: RefSchool, slot: int, knowledge: float,
                 experience: float) -> None:
        super().__init__(model)
        self.school = school
        self.slot = slot
        self.knowledge = knowledge
        self.experience = experience

    def step(self) -> None:
        m = self.model
        dt = m.dt
        # ageing and learning from experience
        self.experience += dt
        self.knowledge += EXPERIENCE_GAIN * dt * math.exp(-self.experience / EXPERIENCE_DECAY)
        # learning from a random peer in the same school
        peer = m.random.choice(self.school.members)
        gap = peer.knowledge - self.knowledge
        if gap > 0:
            self.knowledge += PEER_RATE * dt * gap
        # leaving hazard by experience; the post is refilled by a new agent
        x = self.experience
        h = HAZARD[0] if x < 1 else HAZARD[1] if x < 5 else HAZARD[2]
        if m.random.random() < 1 - (1 - h) ** dt:
            self.leave()

    def leave(self) -> None:
        m, school, slot = self.model, self.school, self.slot
        self.remove()
        m.leavers += 1
        school.members[slot] = RefStaff(m, school, slot, -0.1 + school.pull + m.random.gauss(0, KNOWLEDGE_SD), 0.0)


class ReferenceModel(Model):
    def __init__(self, n_staff: int = 30_000, mean_school_size: float = 21.2, steps_per_year: int = 3,
                 rng: int = 0) -> None:
        super().__init__(rng=rng)
        self.dt = 1.0 / steps_per_year
        self.leavers = 0
        n_schools = max(1, int(round(n_staff / mean_school_size)))
        sizes = np.maximum(2, self.rng.poisson(mean_school_size, n_schools))
        for size in sizes:
            school = RefSchool(self, float(self.rng.normal(0, 0.1)))
            for slot in range(int(size)):
                k = school.pull + self.random.gauss(0, KNOWLEDGE_SD)
                school.members.append(RefStaff(self, school, slot, k, self.random.expovariate(1 / 12.0)))
        self.datacollector = DataCollector(
            model_reporters={"mean_knowledge": lambda m: m.agents_by_type[RefStaff].agg("knowledge", np.mean)},
            agenttype_reporters={RefSchool: {"mean_knowledge": lambda s: s.mean_knowledge()}},
        )
        self.datacollector.collect(self)

    @property
    def n_staff(self) -> int:
        return len(self.agents_by_type[RefStaff])

    def step(self) -> None:
        self.agents_by_type[RefStaff].shuffle_do("step")
        self.datacollector.collect(self)


def run_reference(n_staff: int = 30_000, years: float = 3, steps_per_year: int = 3, seed: int = 0) -> dict:
    reuse_freed_memory()  # the allocator settings the model uses, so the comparison is fair
    t0 = time.perf_counter()
    c0 = time.process_time()
    model = ReferenceModel(n_staff, steps_per_year=steps_per_year, rng=seed)
    t1 = time.perf_counter()
    c1 = time.process_time()
    steps = int(round(years * steps_per_year))
    model.run_for(steps)
    t2 = time.perf_counter()
    c2 = time.process_time()
    staff = model.n_staff
    return {
        "staff": staff, "schools": len(model.agents_by_type[RefSchool]), "steps": steps, "build_s": t1 - t0,
        "run_s": t2 - t1, "total_s": t2 - t0, "ns_per_staff_step": (t2 - t1) / (staff * steps) * 1e9,
        "ns_per_staff_step_cpu": (c2 - c1) / (staff * steps) * 1e9, "build_cpu_s": c1 - c0,
        "leavers_per_year": model.leavers / years,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--staff", type=int, default=30_000)
    p.add_argument("--years", type=float, default=3)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    print(json.dumps(run_reference(args.staff, args.years, seed=args.seed)))


if __name__ == "__main__":
    main()
