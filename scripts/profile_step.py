"""Where a term's time goes: each mechanism of the step wrapped with a timer, ms per term.

    python scripts/profile_step.py [--scenario england] [--strategy upwards_convergence] [--years 30]

Nested entries (a mechanism called inside another) are part of their parent's time. The
first call of the compiled kernels in a process (about 0.2 s) falls into whichever mechanism
calls one first during construction, not into the table.
"""

from __future__ import annotations

import argparse
import collections
import functools
import time

from simulation import agents, strategies
from simulation.mechanisms.accountability import intervention
from simulation.mechanisms.between_schools import brokering, innovation, moral_capital, partnerships
from simulation.mechanisms.outcomes import attainment
from simulation.mechanisms.within_school import absorption, coaching, cpd, knowledge, leadership, turnover
from simulation.model import SchoolSystem

TIMED = [
    (partnerships, "exchange"), (partnerships, "_take_from_partners"), (partnerships, "lapse"), (absorption, "misfit"),
    (attainment, "update_attainment"), (turnover, "turnover"), (knowledge, "learn_from_experience"),
    (knowledge, "drift"), (absorption, "consolidate"), (cpd, "train_staff"), (coaching, "coach"),
    (innovation, "innovate"), (moral_capital, "role_model"), (leadership, "grow_leaders"),
    (leadership, "change_heads"), (partnerships, "mark_experts"), (brokering, "_self_select"),
    (brokering, "_admissible"), (strategies, "allocate"), (intervention, "intervene"),
    (agents.LocalAuthority, "know_the_schools"), (agents.LocalAuthority, "broker_partnerships"),
    (agents.LocalAuthority, "spend_officer_days"), (agents.Inspectorate, "inspect"),
    (SchoolSystem, "end_term"),
]


def _timed(owner, name: str, totals: collections.Counter) -> None:
    original = getattr(owner, name)
    label = f"{getattr(owner, '__name__', owner).split('.')[-1]}.{name}"

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--scenario", default="england")
    p.add_argument("--strategy", default="upwards_convergence")
    p.add_argument("--years", type=float, default=30)
    args = p.parse_args(argv)
    totals: collections.Counter = collections.Counter()
    for owner, name in TIMED:
        _timed(owner, name, totals)
    model = SchoolSystem(scenario=args.scenario, strategy=args.strategy, rng=0, create_staff_agents=False)
    totals.clear()  # construction is not a term
    terms = int(round(args.years * model.cfg.steps_per_year))
    start = time.perf_counter()
    for _ in range(terms):
        model.step()
    elapsed = time.perf_counter() - start
    print(f"{args.scenario}, {args.strategy}: {model.staff.n:,} posts, {terms} terms, "
          f"{elapsed / terms * 1e3:.1f} ms per term")
    for label, seconds in totals.most_common():
        print(f"  {label:40s} {seconds / terms * 1e3:7.2f} ms  {seconds / elapsed:6.1%}")


if __name__ == "__main__":
    main()
