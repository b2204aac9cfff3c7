"""Innovation: the only source of new knowledge, and a risky one.

Encodes Berwick's growing-the-top strand: schools "develop and engage with research and
innovation so that they are constantly re-defining what outstanding practice looks like",
and "ultimately, these schools will have to learn how to handle innovation so that it
benefits, rather than detracts". Each step a school attempts an innovation with a rate set
by its released innovation days (plus a small base rate and a boost from research
networks). The outcome is a change to its experts' practice, drawn from
``N(step_mean, step_sd)``: often negative. The school judges the outcome with noise that its
knowledge-management capacity halves, and adopts what looks good. An adopted gain above the
current best practice moves the frontier.
"""

from __future__ import annotations

import numpy as np

from simulation.mechanisms import kernels
from simulation.params.schema import PartnershipType as PT
from simulation.state.tables import of_types

NETWORK_BOOST = 1.0  # extra attempts per year for a school in a research network
EXPERT_UPTAKE = 0.5  # share of the new practice a school's other experts take up at once


def attempt_rate(model) -> np.ndarray:
    cfg, sc = model.cfg.innovation, model.schools
    days = sc.innovation_days / model.dt
    rate = cfg.base_rate + cfg.max_attempts * days / (days + cfg.half_days)
    links = model.links
    rows = links.live()
    rows = rows[of_types(links.ptype[rows], (PT.network, PT.trio, PT.peer_review))]
    networked = np.zeros(sc.n, dtype=bool)
    networked[links.a[rows]] = True
    networked[links.b[rows]] = True
    return rate + NETWORK_BOOST * cfg.base_rate * networked


def innovate(model) -> None:
    cfg, sc = model.cfg.innovation, model.schools
    p = 1 - np.exp(-attempt_rate(model) * model.dt)
    trying = np.flatnonzero(model.rng.random(sc.n) < p)
    if trying.size == 0:
        return
    outcome = model.rng.normal(cfg.step_mean, cfg.step_sd, trying.size)
    noise = cfg.evaluation_noise * (1 - 0.5 * sc.km_capacity[trying])
    adopted = outcome + model.rng.normal(0, 1, trying.size) * noise > 0
    model.innovations_adopted += int(adopted.sum())
    model.innovations_harmful += int((outcome[adopted] < 0).sum())
    _adopt(model, trying[adopted], outcome[adopted])


def _adopt(model, schools: np.ndarray, change: np.ndarray) -> None:
    """A good innovation is new practice beyond the school's best: the innovator holds it and
    the school's experts take up part of it. A bad one makes the experts' practice worse."""
    st = model.staff
    kernels.adopt(st.knowledge, st.expert, model.schools.start, schools, change, EXPERT_UPTAKE)
