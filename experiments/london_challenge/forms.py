"""The partnership jigsaw in a London-Challenge-like region: federations and multi-academy trusts
formed, and staff retention and leadership succession per partnership form (beyond attainment).

    python -m experiments.london_challenge.forms                      # status quo and upwards convergence, seed 0, 30 years
    python -m experiments.london_challenge.forms --seeds 0 1 2 --years 20 --scenario regional

Prints, per strategy and seed, the federations and trusts at the end and the table of
:func:`simulation.measures.forms.by_partnership_form` (leaving rate per post-year, new heads per
school-year, mean leadership now); the model's retention and leadership effects follow a
partnership's maturity, not its form (docs/model.md, "The partnership jigsaw").
"""

from __future__ import annotations

import argparse

import pandas as pd

from simulation import SchoolSystem
from simulation.measures.forms import by_partnership_form

STRATEGIES = ("status_quo", "upwards_convergence")


def run(scenario: str, strategy: str, seed: int, years: int) -> tuple[dict, pd.DataFrame]:
    model = SchoolSystem(scenario=scenario, strategy=strategy, rng=seed, create_staff_agents=False)
    model.run_years(years)
    last = model.metrics().iloc[-1]
    counts = {k: float(last[k]) for k in ("federations", "share_federated", "trusts", "share_in_trusts", "academies")}
    return counts, by_partnership_form(model)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="london_challenge")
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0])
    parser.add_argument("--years", type=int, default=30)
    args = parser.parse_args(argv)
    pd.set_option("display.width", 160)
    for strategy in args.strategies:
        for seed in args.seeds:
            counts, table = run(args.scenario, strategy, seed, args.years)
            print(f"\n{args.scenario} / {strategy} / seed {seed} / {args.years} years: "
                  + ", ".join(f"{k} {v:.3g}" for k, v in counts.items()))
            print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
