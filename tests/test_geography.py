"""simulation.geography: regions as places, local authorities as their parts, disadvantage clustered in space."""

import numpy as np
import pytest

from simulation import SchoolSystem


def _distances(sc):
    return np.hypot(sc.x[:, None] - sc.x[None, :], sc.y[:, None] - sc.y[None, :])


@pytest.mark.parametrize("scenario", ["regional", "cold_spots", "growing_the_top_pilot"])
@pytest.mark.parametrize("seed", [0, 1])
def test_schools_in_the_same_region_are_nearer_each_other_than_schools_in_different_regions(scenario, seed):
    sc = SchoolSystem(scenario=scenario, rng=seed).schools
    d = _distances(sc)
    same = sc.region[:, None] == sc.region[None, :]
    off_diagonal = ~np.eye(sc.n, dtype=bool)
    assert d[same & off_diagonal].mean() < 0.75 * d[~same].mean()
    # and each school is nearer the middle of its own region than of any other (contiguous, convex areas)
    centre = np.array([[sc.x[sc.region == r].mean(), sc.y[sc.region == r].mean()] for r in range(sc.region.max() + 1)])
    own = np.hypot(sc.x - centre[sc.region, 0], sc.y - centre[sc.region, 1])
    nearest = np.hypot(sc.x[:, None] - centre[None, :, 0], sc.y[:, None] - centre[None, :, 1]).min(axis=1)
    assert np.mean(own <= nearest + 1e-9) > 0.9


def test_local_authorities_are_parts_of_one_region_each():
    m = SchoolSystem(scenario="cold_spots", rng=0)
    sc, geo = m.schools, m.cfg.geography
    for a in np.unique(sc.authority):
        assert np.unique(sc.region[sc.authority == a]).size == 1
    assert np.unique(sc.authority).size == m.cfg.system.n_regions * geo.authorities_per_region


def test_distances_are_in_km_within_the_scenario_area():
    m = SchoolSystem(scenario="london_challenge", rng=0)
    assert m.schools.x.max() <= m.cfg.geography.width_km and m.schools.y.max() <= m.cfg.geography.width_km
    assert 20 < np.ptp(m.schools.x) <= 45  # London is about 45 km across
    england = SchoolSystem(scenario="england", rng=0, n_schools=2000)
    assert np.ptp(england.schools.x) > 400


def _neighbour_correlation(sc, k=6):
    d = _distances(sc)
    np.fill_diagonal(d, np.inf)
    near = np.argsort(d, axis=1)[:, :k]
    quality = sc.context + sc.pull
    return np.corrcoef(quality, quality[near].mean(axis=1))[0, 1]


def test_disadvantage_clusters_in_space_only_when_schools_follow_their_place():
    sorted_, random_ = [], []
    for seed in range(4):
        sorted_.append(_neighbour_correlation(SchoolSystem(scenario="cold_spots", rng=seed).schools))
        random_.append(_neighbour_correlation(SchoolSystem(scenario="cold_spots", rng=seed, spatial_sorting=0.0).schools))
    assert np.mean(sorted_) > 0.25
    assert abs(np.mean(random_)) < 0.1


def test_placing_keeps_every_calibrated_school_attribute():
    a = SchoolSystem(scenario="regional", rng=3)
    b = SchoolSystem(scenario="regional", rng=3, spatial_sorting=0.0, n_regions=5)
    for name in ("context", "pull", "leadership", "pupils", "km_capacity", "moral_capital"):
        np.testing.assert_array_equal(getattr(a.schools, name), getattr(b.schools, name))


def test_the_cold_spot_is_remote_disadvantaged_and_has_few_strong_schools():
    gaps, outstanding = [], []
    for seed in range(4):
        m = SchoolSystem(scenario="cold_spots", rng=seed)
        sc, geo = m.schools, m.cfg.geography
        cold = sc.region == 0
        assert m.system.cold_region == 0
        assert sc.x[cold].min() >= sc.x[~cold].max() + geo.cold_spot_distance_km - geo.width_km / 2
        gaps.append(m.metrics().cold_spot_gap.iloc[0])
        outstanding.append((sc.grade[cold] == 1).mean() - (sc.grade[~cold] == 1).mean())
    assert min(gaps) > 0.03  # the rest reach the benchmark at least 3 points more often
    assert np.mean(outstanding) < 0


def test_without_a_cold_spot_the_gap_is_measured_for_the_weakest_region_and_not_at_all_with_one_region():
    m = SchoolSystem(scenario="regional", rng=0)
    sc = m.schools
    means = [np.average(sc.attainment[sc.region == r], weights=sc.pupils[sc.region == r]) for r in range(3)]
    assert m.system.cold_region == int(np.argmin(means))
    assert m.metrics().cold_spot_gap.iloc[0] > 0
    one = SchoolSystem(scenario="teaching", rng=0)
    assert one.system.cold_region == -1 and np.isnan(one.metrics().cold_spot_gap.iloc[0])
    assert one.metrics().regional_gap.iloc[0] == 0
