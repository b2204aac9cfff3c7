"""Run an experiment preset's sweep with ``upconv`` and then its analysis: the common entry point
of every experiment that has a Hydra preset (``conf/experiment/NAME.yaml``).

``python -m experiments.NAME [OVERRIDE ...] [--launcher L] [--sweep-dir DIR] [--analyse-only]
[--out DIR]`` is ``upconv -m +experiment=NAME hydra/launcher=L OVERRIDE ... hydra.sweep.dir=DIR``
followed by ``experiments/NAME/analyse.py`` on DIR. The sweep runs in a subprocess (the real
``upconv`` command, so Hydra's global state never leaks into the analysis, and a failed job
shows as a non-zero exit); re-running with the same ``--sweep-dir`` resumes it, because
``upconv`` skips every job whose folder already holds its ``summary.json``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from simulation.run.sweeps import EXPERIMENTS_DIR, latest_sweep

LAUNCHERS = ("basic", "joblib", "ray", "ray_cluster", "slurm")  # conf/hydra/launcher/ and Hydra's basic
SWEEP_DIR_KEY = "hydra.sweep.dir="


def upconv_command() -> str:
    """The ``upconv`` script of this Python environment (next to the interpreter), else on PATH."""
    beside = Path(sys.executable).parent / "upconv"
    found = str(beside) if beside.exists() else shutil.which("upconv")
    if not found:
        raise SystemExit("upconv not found: install the project (make venv) and run with its Python")
    return found


def default_sweep_dir(name: str) -> Path:
    """The preset's own default, outputs/experiments/NAME/DATE_TIME, fixed now so it is known."""
    return EXPERIMENTS_DIR / name / time.strftime("%Y-%m-%d_%H-%M-%S")


def sweep_command(name: str, overrides: Sequence[str] = (), launcher: str | None = "joblib",
                  sweep_dir: Path | None = None) -> tuple[list[str], Path]:
    """The ``upconv -m`` command of preset ``name`` and the folder it writes. An override
    ``hydra/launcher=…`` or ``hydra.sweep.dir=…`` among ``overrides`` wins over ``launcher`` and
    ``sweep_dir`` (giving both a ``--sweep-dir`` and a ``hydra.sweep.dir=`` override is an error)."""
    overrides = list(overrides)
    given = [o for o in overrides if o.startswith(SWEEP_DIR_KEY)]
    if given and sweep_dir is not None:
        raise SystemExit("give the sweep folder once: --sweep-dir or hydra.sweep.dir=, not both")
    cmd = [upconv_command(), "-m", f"+experiment={name}"]
    if launcher and not any(o.startswith("hydra/launcher=") for o in overrides):
        cmd.append(f"hydra/launcher={launcher}")
    cmd += overrides
    if given:
        folder = Path(given[-1][len(SWEEP_DIR_KEY):])
    else:
        folder = sweep_dir or default_sweep_dir(name)
        cmd.append(f"{SWEEP_DIR_KEY}{folder}")
    return cmd, folder


def run_sweep(name: str, overrides: Sequence[str] = (), launcher: str | None = "joblib",
              sweep_dir: Path | None = None) -> Path:
    """Run the preset's sweep (output streamed to this terminal); return its folder."""
    cmd, folder = sweep_command(name, overrides, launcher, sweep_dir)
    print("$ " + " ".join(cmd), flush=True)
    result = subprocess.run(cmd, check=False)
    if result.returncode != 0:
        raise SystemExit(f"the sweep failed (exit {result.returncode}); re-run the same command with "
                         f"--sweep-dir {folder} to resume it")
    return folder


def parser(name: str, doc: str) -> argparse.ArgumentParser:
    """The options every preset experiment takes."""
    p = argparse.ArgumentParser(prog=f"python -m experiments.{name}", description=doc,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("overrides", nargs="*", metavar="OVERRIDE",
                   help=f"Hydra overrides on top of conf/experiment/{name}.yaml; the command line wins, e.g. "
                        "scenario=teaching 'seed=range(0,2)' years=3 for a tiny version (quote ranges)")
    p.add_argument("--launcher", default="joblib", choices=LAUNCHERS,
                   help="where the sweep's jobs run (hydra/launcher): basic = one after the other in one process, "
                        "joblib = all local cores (default), ray = a private local Ray, ray_cluster = the cluster at "
                        "$RAY_ADDRESS, slurm = a Slurm job array (see docs/experiments.md)")
    p.add_argument("--sweep-dir", type=Path, default=None, metavar="DIR",
                   help=f"the sweep folder (default: a new {EXPERIMENTS_DIR}/{name}/DATE_TIME); running again with "
                        "the same folder resumes the sweep: finished jobs are skipped")
    p.add_argument("--analyse-only", action="store_true",
                   help="skip the sweep and only analyse an existing one: --sweep-dir (a sweep folder or its "
                        f"collected .parquet), by default the newest under {EXPERIMENTS_DIR}/{name}/")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="where the figures and report.md go (default: SWEEP_DIR/analysis)")
    return p


def preset_main(name: str, doc: str, analyse: Callable[[list[str]], list[Path]],
                argv: list[str] | None = None) -> list[Path]:
    """Parse the options, run the sweep (unless --analyse-only), then ``analyse([SWEEP, --out DIR])``
    (the ``main`` of the experiment's analyse.py). Returns the paths the analysis wrote."""
    args = parser(name, doc).parse_intermixed_args(argv)
    if args.analyse_only:
        if args.overrides:
            raise SystemExit("--analyse-only runs no sweep: overrides have no effect; drop them")
        folder = args.sweep_dir or latest_sweep(name)
    else:
        folder = run_sweep(name, args.overrides, args.launcher, args.sweep_dir)
    paths = analyse([str(folder), *(["--out", str(args.out)] if args.out else [])])
    print(f"analysis of {folder}: " + ", ".join(str(p) for p in paths))
    return paths
