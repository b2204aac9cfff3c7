"""Fault injection for the Ray tests, as a Hydra callback (it runs inside each job, in the Ray
worker): report the worker's pid when a given job starts and hold that job's first attempt (so the
test can kill that process from outside, mid-job, without a timing race), or make a given job's model
run raise. Nothing here is used outside the tests.

    +hydra.callbacks.faults._target_=faults.Faults +hydra.callbacks.faults.report_job=2
    +hydra.callbacks.faults.report_dir=/tmp/x +hydra.callbacks.faults.raise_job=1
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback


class InjectedFault(RuntimeError):
    """The error a job is made to raise."""


class Faults(Callback):
    def __init__(self, report_job: int = -1, report_dir: str = "", raise_job: int = -1) -> None:
        self.report_job, self.report_dir, self.raise_job = report_job, report_dir, raise_job
        self._saved: Any = None

    def on_job_start(self, config: Any, **kwargs: Any) -> None:
        num = int(config.hydra.job.num)
        if num == self.report_job:
            folder = Path(self.report_dir)
            folder.mkdir(parents=True, exist_ok=True)
            attempt = len(list(folder.glob("attempt-*")))
            (folder / f"attempt-{attempt}").write_text(str(os.getpid()))
            if attempt == 0:  # hold the first attempt mid-job until the test kills it (no timing race)
                deadline = time.time() + 120
                while time.time() < deadline and not (folder / "release").exists():
                    time.sleep(0.05)
        if num == self.raise_job:
            from simulation.run import cli

            def broken(*args: Any, **kw: Any) -> Any:
                raise InjectedFault(f"injected fault in job {num}")

            self._saved, cli.simulate = cli.simulate, broken

    def on_job_end(self, config: Any, **kwargs: Any) -> None:
        if self._saved is not None:  # Ray reuses the worker for other jobs: undo the patch
            from simulation.run import cli

            cli.simulate, self._saved = self._saved, None
