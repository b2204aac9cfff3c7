"""The one registry of scenarios: the files in ``conf/scenario`` (each file's opening comment is
its description). The page, compare, experiments, docs and tests read this, never a typed list."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from omegaconf import OmegaConf

from simulation.params.loading import CONF_DIR

BROWSER_MAX_SCHOOLS = 1_000  # above this a scenario is too slow for the browser page (england: 22,000)


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    n_schools: int
    start_year: int | None

    @property
    def fits_browser(self) -> bool:
        return self.n_schools <= BROWSER_MAX_SCHOOLS


def _describe(text: str) -> str:
    lines = [line[1:].strip() for line in text.splitlines() if line.startswith("#") and "@package" not in line]
    return " ".join(lines).strip()


@cache
def scenarios() -> dict[str, Scenario]:
    """Every scenario by name, in file-name order."""
    out = {}
    for path in sorted((CONF_DIR / "scenario").glob("*.yaml")):
        node = OmegaConf.load(path)
        out[path.stem] = Scenario(name=path.stem, description=_describe(path.read_text()),
                                  n_schools=int(OmegaConf.select(node, "system.n_schools", default=40)),
                                  start_year=OmegaConf.select(node, "start_year", default=None))
    return out


def browser_scenarios() -> list[str]:
    """Scenarios small enough for the browser page, smallest first."""
    return [s.name for s in sorted(scenarios().values(), key=lambda s: s.n_schools) if s.fits_browser]
