"""The eight patterns of the model brief and pattern 9 (place), measured over 20 seeds: a Markdown report.

The same experiments as tests/checks/test_patterns.py (simulation/checks/pattern_checks.py),
reported with their numbers: per pattern the figures compared, their means over seeds and the
one-sided paired Wilcoxon p-value; plus the final-year figures of every strategy. Writes
OUT/report.md and prints it.

    python -m experiments.patterns [--seeds 20] [--out outputs/patterns] [--workers 2]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from experiments.patterns.run import measure


def main(argv: list[str] | None = None) -> str:
    p = argparse.ArgumentParser(prog="python -m experiments.patterns", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=20, help="seeds per strategy and per pattern experiment (default 20)")
    p.add_argument("--out", type=Path, default=Path("outputs/patterns"),
                   help="folder of report.md (default outputs/patterns)")
    p.add_argument("--workers", type=int, default=2,
                   help="worker processes of the strategy runs (default 2)")
    args = p.parse_args(argv)
    text = measure(args.seeds, args.out, args.workers)
    print(text)
    return text


if __name__ == "__main__":
    main()
