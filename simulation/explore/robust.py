"""`upconv-robust`: how sure are we that one strategy is best? Strategies across many parameter sets.

Draws N parameter sets - from a posterior sample file (``--posterior FILE``: Parquet or CSV, one
column per parameter named by its dotted schema key; by default the calibration posterior
experiments/calibration/posterior.parquet when it exists) or, with ``--ranges`` or without a
posterior, from the plausible ranges
of a list of uncertain parameters (deep uncertainty: a Latin hypercube or Sobol design;
``--uncertain``, default the 13 of ``simulation.explore.sampling.UNCERTAIN``) - and runs every
strategy on every set for R replicate seeds, the same seeds everywhere (common random numbers),
in parallel processes. Finished runs are kept under OUT/runs/; the same command again skips
them (resume). Writes into OUT (default outputs/robust): report.md; figures p_best.png,
regret.png, differences.png, variance.png, prim.png, feature_scores.png; tidy tables
design.parquet, runs.parquet, p_best.parquet, regret.parquet, differences.parquet,
variance.parquet, prim_trajectory.parquet, prim_box.parquet, feature_scores.parquet and
summary.json. Same options and --seed: byte-identical outputs (timing.json aside).

Defaults: regional scenario, 30 years, N = 200 sets, R = 8 seeds, the four strategies: 6,400 runs,
11 minutes on 2 cores (measured; docs/robustness.md). Bad input is one sentence, exit 2, nothing written.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.explore import analysis
from simulation.explore.runs import Study, run_all, write_json, write_table
from simulation.explore.sampling import (DESIGNS, UNCERTAIN, DesignError, default_ranges, design, draw_posterior,
                                         parse_uncertain, read_posterior)
from simulation.params.checks import ConfigError
from simulation.params.loading import load_config
from simulation.run.compare import STRATEGIES, Arm, InputError, check, parse_arm, parse_overrides

N_SETS, REPLICATES, YEARS, SCENARIO = 200, 8, 30, "regional"
OUT = Path("outputs/robust")
#: The calibration posterior (``python -m experiments.calibration.posterior``), read by default when
#: it exists (a clone of the repository); ``--ranges`` or ``--uncertain`` use the plausible ranges instead.
DEFAULT_POSTERIOR = Path(__file__).resolve().parents[2] / "experiments" / "calibration" / "posterior.parquet"


@dataclass
class Result:
    """A finished study: its design, runs, result tables and scenario discovery."""

    design: pd.DataFrame
    runs: pd.DataFrame
    tables: dict[str, pd.DataFrame]
    discovery: analysis.Discovery
    meta: dict[str, Any] = field(default_factory=dict)


def draw_sets(n: int = N_SETS, seed: int = 0, posterior: str | Path | None = None,
              ranges: dict[str, tuple[float, float]] | None = None, method: str = "lhs") -> tuple[pd.DataFrame, str]:
    """The parameter sets (column ``set`` plus one per parameter) and a sentence saying where they come from."""
    if posterior is not None:
        sets, how = draw_posterior(read_posterior(posterior), n, seed)
        source = f"posterior sample file {posterior}: {how}"
    else:
        ranges = ranges or default_ranges()
        sets = design(ranges, n, method, seed)
        name = {"lhs": "Latin hypercube", "sobol": "scrambled Sobol"}[method]
        source = (f"no posterior file given: {n} sets from a {name} design over the plausible ranges of "
                  f"{len(ranges)} uncertain parameters (deep uncertainty), not from a calibration posterior")
    sets.insert(0, "set", range(len(sets)))
    return sets, source


def analyse(runs: pd.DataFrame, sets: pd.DataFrame, outcome: str = "uci", n_boot: int = analysis.BOOTSTRAP,
            seed: int = 0, level: float = analysis.LEVEL) -> tuple[dict[str, pd.DataFrame], analysis.Discovery]:
    """The result tables of a study's runs (no files): P(best), regret, differences, variance parts,
    and scenario discovery for the preferred strategy (PRIM box, trajectory, feature scores)."""
    c = analysis.cube(runs, outcome)
    if not c.sets:
        raise ValueError("no parameter set has every run finished; nothing to analyse (see runs.parquet's error column)")
    boot = analysis.bootstrap(c, n_boot, seed, level)
    out = analysis.tables(c, boot)
    best = analysis.preferred(out["p_best"])
    means = c.means
    loses = means.argmax(axis=1) != c.strategies.index(best)
    params = [k for k in sets.columns if k not in ("set", "posterior_row")]
    x = sets.set_index("set").loc[c.sets, params]
    found = analysis.discover(x, loses, best, seed)
    second = analysis.runner_up(out["p_best"], means, c.strategies, best)
    moved = analysis.drivers(x, means[:, c.strategies.index(best)] - means[:, c.strategies.index(second)], best, second)
    expected = analysis.discover(x, moved.loses, best, seed, spread="the metamodel's losing region is a gradual "
                                 "boundary across several parameters whose effects add up, not a box of a few")
    per_set = pd.DataFrame(means, columns=c.strategies).assign(set=c.sets)
    per_set = per_set.melt(id_vars="set", var_name="strategy", value_name=outcome)
    per_set["regret"] = per_set.groupby("set")[outcome].transform("max") - per_set[outcome]
    per_set["best"] = per_set.regret == 0
    out.update(sets=per_set, prim_trajectory=found.trajectory, prim_box=found.box, feature_scores=found.scores,
               drivers=moved.effects.assign(strategy=best, runner_up=second, r2=moved.r2),
               prim_expected_trajectory=expected.trajectory, prim_expected_box=expected.box)
    return out, dataclasses.replace(found, drivers=moved, expected=expected)


def study(scenario: str = SCENARIO, years: int = YEARS, n: int = N_SETS, replicates: int = REPLICATES,
          strategies: list[str | Arm] | None = None, overrides: dict[str, Any] | None = None,
          posterior: str | Path | None = None, ranges: dict[str, tuple[float, float]] | None = None,
          method: str = "lhs", seed: int = 0, n_boot: int = analysis.BOOTSTRAP, workers: int | None = None,
          out: Path = OUT, report: bool = True, progress: bool = False) -> Result:
    """Run (or resume) a robustness study and return its tables; writes into ``out`` (the runs
    cache always, the report, figures and tables when ``report``). Raises InputError/DesignError
    on bad input before anything runs."""
    arms = [a if isinstance(a, Arm) else parse_arm(a) for a in (strategies or STRATEGIES)]
    common = overrides or {}
    check(scenario, replicates, years, workers, arms, common)
    if n < 2:
        raise InputError(f"--n must be a whole number of at least 2; got {n}.")
    sets, source = draw_sets(n, seed, posterior, ranges, method)
    fixed = sorted(set(common) & set(sets.columns))
    if fixed:
        raise InputError(f"--set {fixed[0]} is also an uncertain parameter of the design; drop one of the two.")
    bases = {a.name: load_config(scenario, a.base, seed=0, years=years, **{**common, **a.overrides}) for a in arms}
    seeds = list(range(replicates))
    the_study = Study.build(bases, seeds)
    t0 = time.time()
    show = _progress if progress else None
    runs = run_all(the_study, sets, Path(out), workers, show)
    elapsed = time.time() - t0
    tables, found = analyse(runs, sets, n_boot=n_boot, seed=seed)
    meta = {"scenario": scenario, "years": years, "n_sets": int(len(sets)), "replicates": replicates, "seeds": seeds,
            "strategies": [a.name for a in arms], "overrides": {k: str(v) for k, v in common.items()},
            "source": source, "posterior": str(posterior) if posterior else None, "design": method if not posterior
            else "posterior", "seed": seed, "bootstrap": n_boot, "level": analysis.LEVEL, "outcome": "uci",
            "runs": int(len(runs)), "failed": int((runs.error != "").sum()),
            "sets_dropped": [int(s) for s in analysis.cube(runs).dropped],
            "ranges": {k: list(v) for k, v in (ranges or default_ranges()).items()} if not posterior else None}
    result = Result(sets, runs, tables, found, meta)
    if report:
        from simulation.explore.robust_report import write_report

        write_report(result, Path(out))
        write_json({"seconds": round(elapsed, 1), "runs": len(runs)}, Path(out) / "timing.json")
    result.meta["seconds"] = elapsed
    return result


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r{done}/{total} runs")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one sentence, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="upconv-robust", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                epilog="examples:\n  upconv-robust                                   # the default study\n"
                       "  upconv-robust --scenario teaching --years 3 --n 8 --replicates 2   # a tiny one\n"
                       "  upconv-robust --posterior posterior.parquet --n 300\n"
                       "  upconv-robust --uncertain partnership.transfer_rate --uncertain staff.drift=0.02:0.05")
    p.add_argument("--posterior", type=Path, default=None, metavar="FILE",
                   help="posterior sample file (Parquet or CSV; one column per parameter, named by its dotted key; "
                        "optional weight column). Default: the calibration posterior "
                        "experiments/calibration/posterior.parquet when it exists")
    p.add_argument("--ranges", action="store_true",
                   help="draw the sets from the plausible ranges (deep uncertainty) even when the calibration "
                        "posterior exists")
    p.add_argument("--n", type=_whole, default=N_SETS, help=f"parameter sets (default {N_SETS})")
    p.add_argument("--replicates", type=_whole, default=REPLICATES,
                   help=f"seeds 0..R-1 run for every strategy and set (default {REPLICATES})")
    p.add_argument("--scenario", default=SCENARIO, help=f"scenario (default {SCENARIO})")
    p.add_argument("--years", type=_whole, default=YEARS, help=f"years simulated (default {YEARS})")
    p.add_argument("--strategy", action="append", default=None, dest="strategies", metavar="ARM",
                   help="a strategy or a named mix NAME=BASE:KEY=VALUE,... as in upconv-compare; repeat "
                        f"(default: {', '.join(STRATEGIES)})")
    p.add_argument("--set", action="append", default=[], dest="common", metavar="KEY=VALUE",
                   help="a parameter override for every run (repeatable)")
    p.add_argument("--uncertain", action="append", default=None, metavar="KEY[=LOW:HIGH]",
                   help="an uncertain parameter with its plausible range; KEY alone takes the documented range; "
                        f"repeat; replaces the default list ({', '.join(UNCERTAIN)})")
    p.add_argument("--design", default="lhs", choices=DESIGNS, help="lhs (default) or sobol")
    p.add_argument("--seed", type=_whole, default=0, help="seed of the design, the posterior draws and the bootstrap")
    p.add_argument("--bootstrap", type=_whole, default=analysis.BOOTSTRAP, help="bootstrap resamples (default 1000)")
    p.add_argument("--workers", type=_whole, default=None, help="parallel processes (default: one per core)")
    p.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT}); the same again resumes")
    return p


def main(argv: list[str] | None = None) -> None:
    p = parser()
    args = p.parse_args(argv)
    try:
        common = {k: v for text in args.common for k, v in parse_overrides(text, "--set").items()}
        arms = [parse_arm(a) for a in (args.strategies or STRATEGIES)]
        check(args.scenario, args.replicates, args.years, args.workers, arms, common)
        ranges = parse_uncertain(args.uncertain) if args.uncertain else None
        if args.posterior is not None and args.uncertain:
            raise InputError("--uncertain and --posterior exclude each other: a posterior file names its own "
                             f"parameters; got both (--posterior {args.posterior}).")
        if args.posterior is not None and args.ranges:
            raise InputError(f"--ranges and --posterior exclude each other; got both (--posterior {args.posterior}).")
        if args.posterior is None and not args.uncertain and not args.ranges and DEFAULT_POSTERIOR.is_file():
            args.posterior = DEFAULT_POSTERIOR
        if args.bootstrap < 100:
            raise InputError(f"--bootstrap must be a whole number of at least 100; got {args.bootstrap}.")
        if args.n < 2:
            raise InputError(f"--n must be a whole number of at least 2; got {args.n}.")
        if args.posterior is not None:
            read_posterior(args.posterior)
        if args.out.exists() and not args.out.is_dir():
            raise InputError(f"--out must be a folder; got {str(args.out)!r}, which is a file.")
    except (InputError, DesignError, ConfigError) as exc:
        p.exit(2, f"upconv-robust: error: {exc}\n")
    if args.posterior is None:
        print("No --posterior file given: parameter sets come from the plausible ranges of "
              f"{len(ranges or UNCERTAIN)} uncertain parameters (deep uncertainty), not from a calibration posterior.")
    elif args.posterior == DEFAULT_POSTERIOR:
        print(f"Parameter sets from the calibration posterior {DEFAULT_POSTERIOR} (the default; --ranges draws them "
              "from the plausible ranges instead).")
    logging.getLogger("MESA").setLevel(logging.WARNING)
    try:
        result = study(args.scenario, args.years, args.n, args.replicates, arms, common, args.posterior, ranges,
                       args.design, args.seed, args.bootstrap, args.workers, args.out, progress=True)
    except (InputError, DesignError, ConfigError) as exc:
        p.exit(2, f"upconv-robust: error: {exc}\n")
    except KeyboardInterrupt:
        p.exit(130, f"\nupconv-robust: interrupted; finished runs are kept in {args.out / 'runs'}: run the same "
                    "command again to resume.\n")
    from simulation.explore.robust_report import console_lines

    for line in console_lines(result):
        print(line)
    print(f"{len(result.runs)} runs in {result.meta['seconds']:.0f} s; report: {args.out / 'report.md'}")


if __name__ == "__main__":
    main()
