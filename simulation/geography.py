"""Place: where the schools stand. Regions are contiguous areas of a square map (Voronoi cells
around jittered-grid centres), each cut into contiguous local authorities the same way;
distances are in kilometres. Disadvantage clusters in space as it does in England - some
regions are less advantaged than others and, inside each, a few areas (inner-city estates,
coastal and former industrial towns) are markedly so (Social Mobility Commission 2017). Schools
are handed out to places so that a school's starting quality (intake context plus recruitment
pull, drawn and calibrated in :mod:`simulation.population`) follows the advantage of its place
with rank correlation ``spatial_sorting``: the calibrated distributions are untouched, only
who stands where follows them. With ``cold_spot`` the first region lies ``cold_spot_distance_km``
beyond the others' edge and is ``cold_spot_depth`` less advantaged: a remote region with few
strong schools (Chhatwal 2020's "cold spots", "at the end of a poorly-served branch-line").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.params.schema import ModelConfig


@dataclass(frozen=True)
class Places:
    x: np.ndarray  # km
    y: np.ndarray  # km
    region: np.ndarray  # int 0..n_regions-1, contiguous areas
    authority: np.ndarray  # int, a contiguous part of one region (numbered across regions)


def place_schools(cfg: ModelConfig, quality: np.ndarray, rng: np.random.Generator) -> Places:
    """Locations, regions and local authorities for schools of starting ``quality`` (any scale,
    higher is better): draw the places, then hand them out by quality and local advantage."""
    geo, n = cfg.geography, quality.size
    n_regions = min(cfg.system.n_regions, n)
    x, y = rng.random(n) * geo.width_km, rng.random(n) * geo.width_km
    centres = _grid_centres(n_regions, geo.width_km, rng)
    region = _nearest(x, y, centres)
    region = _no_empty(region, n_regions, rng)
    if geo.cold_spot and n_regions > 1:
        x[region == 0] += geo.width_km + geo.cold_spot_distance_km  # beyond the others' edge, same size of area
    authority = _authorities(x, y, region, n_regions, geo.authorities_per_region, rng)
    advantage = _advantage(cfg, x, y, region, n_regions, centres, rng)
    order = _hand_out(quality, advantage, geo.spatial_sorting, rng)
    return Places(x=x[order], y=y[order], region=region[order], authority=authority[order])


def _grid_centres(k: int, width: float, rng: np.random.Generator) -> np.ndarray:
    """``k`` region centres on a jittered grid: regions of similar size that tile the square."""
    cols = int(np.ceil(np.sqrt(k)))
    rows = int(np.ceil(k / cols))
    cells = np.array([(c, r) for r in range(rows) for c in range(cols)], dtype=float)
    cells = cells[rng.permutation(len(cells))[:k]]
    jitter = rng.uniform(0.25, 0.75, size=(k, 2))
    return np.column_stack([(cells[:, 0] + jitter[:, 0]) * width / cols, (cells[:, 1] + jitter[:, 1]) * width / rows])


def _nearest(x: np.ndarray, y: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Index of the nearest centre of each point (Voronoi cells: contiguous, convex), in blocks
    so that England's 22,000 schools against 150 authority centres stay small in memory."""
    out = np.empty(x.size, dtype=np.int64)
    for lo in range(0, x.size, 4096):
        d = (x[lo:lo + 4096, None] - centres[None, :, 0]) ** 2 + (y[lo:lo + 4096, None] - centres[None, :, 1]) ** 2
        out[lo:lo + 4096] = d.argmin(axis=1)
    return out


def _no_empty(region: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """Every region has at least one school (only at tiny sizes can a cell be empty)."""
    counts = np.bincount(region, minlength=k)
    for r in np.flatnonzero(counts == 0):
        donor = int(np.argmax(np.bincount(region, minlength=k)))
        members = np.flatnonzero(region == donor)
        region[members[rng.integers(members.size)]] = r
    return region


def _authorities(x, y, region, n_regions: int, per_region: int, rng: np.random.Generator) -> np.ndarray:
    """Each region cut into ``per_region`` contiguous authorities around centres drawn from its own
    schools (so that dense parts get more, smaller authorities, as cities do)."""
    authority = np.zeros(x.size, dtype=np.int64)
    next_id = 0
    for r in range(n_regions):
        members = np.flatnonzero(region == r)
        k = max(1, min(per_region, members.size))
        hubs = members[rng.choice(members.size, size=k, replace=False)]
        authority[members] = next_id + _nearest(x[members], y[members], np.column_stack([x[hubs], y[hubs]]))
        next_id += k
    return authority


def _advantage(cfg: ModelConfig, x, y, region, n_regions: int, centres: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """The local advantage of each place (standardised; higher is more advantaged): a regional
    level plus dips at the areas of concentrated disadvantage, and the cold spot's deficit."""
    geo = cfg.geography
    level = geo.region_sd * rng.standard_normal(n_regions)
    field = level[region]
    n_areas = rng.poisson(geo.disadvantage_areas * n_regions)
    if n_areas:
        ax, ay = rng.random(n_areas) * geo.width_km, rng.random(n_areas) * geo.width_km
        if geo.cold_spot and n_regions > 1:  # areas fall where schools are, the cold spot included
            in_cold = _nearest(ax, ay, centres) == 0
            ax[in_cold] += geo.width_km + geo.cold_spot_distance_km
        r2 = 2 * geo.disadvantage_area_km**2
        for i in range(n_areas):  # a few areas: one vector pass each
            field = field - np.exp(-((x - ax[i]) ** 2 + (y - ay[i]) ** 2) / r2)
    field = (field - field.mean()) / max(field.std(), 1e-12)
    if geo.cold_spot and n_regions > 1:
        field = field - geo.cold_spot_depth * (region == 0)
    return field


def _hand_out(quality: np.ndarray, advantage: np.ndarray, rho: float, rng: np.random.Generator) -> np.ndarray:
    """Which place each school gets: places ranked by ``rho * advantage + noise`` go to schools
    ranked by quality (a Gaussian copula on ranks). Returns, for school i, the index of its place."""
    a = (advantage - advantage.mean()) / max(advantage.std(), 1e-12)
    key = rho * a + np.sqrt(1 - rho**2) * rng.standard_normal(a.size)
    place_of = np.empty(quality.size, dtype=np.int64)
    place_of[np.argsort(quality, kind="stable")] = np.argsort(key, kind="stable")
    return place_of


__all__ = ["Places", "place_schools"]
