"""One process pool for the experiments that map a plain function over a list of jobs
(calibration, validation): joblib's, the library behind the ``hydra/launcher=joblib`` sweeps.

    with Pool(workers=2) as pool:
        results = pool.map(function, jobs)   # a list, in the order of jobs

``function`` must be importable (defined at module level in ``simulation`` or ``experiments``);
every job carries its own seed, so the results do not depend on the number of workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from joblib import Parallel, delayed


class Pool:
    """``workers`` processes, kept for every ``map`` inside the ``with`` block."""

    def __init__(self, workers: int | None = None):
        self._parallel = Parallel(n_jobs=workers or -1)

    def __enter__(self) -> Pool:
        self._parallel.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._parallel.__exit__(*exc)

    def map(self, function: Callable[[Any], Any], jobs: Iterable[Any]) -> list[Any]:
        return list(self._parallel(delayed(function)(job) for job in jobs))
