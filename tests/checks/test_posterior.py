"""The calibration posterior (experiments.calibration.posterior) on a tiny budget: 40-school
settings, 6 particles, 2 generations. The pipeline writes its posterior file (dotted keys, weights
summing to 1) that upconv-robust reads, the same seed gives the same posterior whatever the number
of workers and when resumed, the width table marks a shrunk posterior as identified (by its
weights, not its raw spread), and a bad posterior file is one sentence, exit 2."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("pyabc")

from experiments.calibration import fit  # noqa: E402
from experiments.calibration import posterior as post  # noqa: E402
from experiments.calibration.posterior_report import IDENTIFIED, weighted_quantiles, widths  # noqa: E402
from simulation.explore import robust  # noqa: E402
from simulation.explore.sampling import draw_posterior, read_posterior  # noqa: E402

TINY = dict(population=6, generations=2, national_seeds=1, london_seeds=1, seed=11,
            scenario_overrides={"system.n_schools": 40})
KEYS = [f.key for f in fit.FREE]


def tiny(tmp, **kw) -> post.Settings:
    return post.Settings(**{**TINY, "workers": 1, "ppc_draws": 0, "db": tmp / "post.db", "out": tmp / "out",
                            "docs": None, **kw})


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("posterior")
    return tmp, post.run(tiny(tmp, ppc_draws=3, docs=tmp / "docs"))


def test_pipeline_writes_the_posterior_file_tables_and_report(done):
    tmp, out = done
    table = pd.read_parquet(tmp / "out" / "posterior.parquet")
    assert list(table.columns) == [*KEYS, "weight", "distance"]
    assert len(table) == TINY["population"] and table.weight.sum() == pytest.approx(1.0)
    for f in fit.FREE:  # inside the prior, on the natural scale
        assert table[f.key].between(f.low, f.high).all(), f.key
    assert out["history"].max_t == TINY["generations"] - 1
    assert not list((tmp / "out").glob(".*tmp*"))  # written atomically: no temporary left
    w = pd.read_csv(tmp / "out" / "posterior_widths.csv")
    assert list(w.parameter) == KEYS and w.width_ratio.gt(0).all()
    ppc = pd.read_csv(tmp / "out" / "posterior_ppc.csv")
    assert set(t.name for t in fit.TARGETS) <= set(ppc.target)
    assert ppc.dropna(subset=["observed"]).posterior_p.between(0, 1).all()
    doc = (tmp / "docs" / "calibration_posterior.md").read_text()
    assert "## Prior vs posterior" in doc and "## Predictive checks" in doc and "## Discrepancy terms" in doc
    assert (tmp / "docs" / "figures" / "posterior_ppc.png").stat().st_size > 0
    assert (tmp / "docs" / "figures" / "posterior_widths.png").stat().st_size > 0


def test_distance_is_scaled_by_tolerance_and_discrepancy():
    s = post.scales()
    att = fit.TARGET_BY_NAME["attainment_2011"]
    assert s["attainment_2011"] == pytest.approx(math.hypot(att.scale, post.DISCREPANCY["attainment_2011"][0]))
    # the national rise the model cannot reach (about 44% against 58.3%) is about one combined SD, not five
    assert abs(0.44 - att.value) / s["attainment_2011"] < 1.0
    assert set(post.DISCREPANCY) == set(s) == {t.name for t in fit.TARGETS}
    assert post.min_epsilon(post.Settings()) == pytest.approx(math.sqrt(len(fit.TARGETS) + 2))


def test_same_seed_same_posterior_whatever_the_workers_and_when_resumed(done, tmp_path):
    tmp, _ = done
    straight = pd.read_parquet(tmp / "out" / "posterior.parquet")
    post.run(tiny(tmp_path, generations=1, workers=2))
    first = pd.read_parquet(tmp_path / "out" / "posterior.parquet")
    resumed = post.run(tiny(tmp_path, generations=2, workers=2, resume=True))
    assert resumed["history"].max_t == 1
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "out" / "posterior.parquet"), straight)
    assert not first.equals(straight)  # the second generation did run


def test_resume_without_a_database_says_so(tmp_path):
    with pytest.raises(SystemExit, match="no database"):
        post.infer(tiny(tmp_path, resume=True), map)


def test_width_table_marks_a_shrunk_posterior_identified_by_its_weights():
    rng = np.random.default_rng(0)
    n = 400
    table = pd.DataFrame({f.key: (10 ** rng.uniform(math.log10(f.low), math.log10(f.high), n) if f.log
                                  else rng.uniform(f.low, f.high, n)) for f in fit.FREE})
    noise = fit.FREE[0]  # inspection.noise: particles everywhere, weight only near 0.1
    near = (table[noise.key] - 0.1).abs() < 0.02 * (noise.high - noise.low)
    table["weight"] = np.where(near, 1.0, 1e-9)
    w = widths(table).set_index("parameter")
    assert w.loc[noise.key, "identified"] and w.loc[noise.key, "width_ratio"] < 0.1
    assert 0.09 < w.loc[noise.key, "posterior_median"] < 0.11
    # the same particles unweighted are the prior: not identified
    flat = widths(table.assign(weight=1.0)).set_index("parameter")
    assert not flat.identified.any() and flat.width_ratio.between(0.8, 1.2).all()
    # a log-scale parameter is measured in log10: log-uniform particles are not identified either
    assert flat.loc["moral_capital.initial_mean", "scale"] == "log"
    assert IDENTIFIED == 0.5


def test_weighted_quantiles():
    x, w = np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 0.0, 1.0, 0.0])
    assert weighted_quantiles(x, w) == pytest.approx([2.0, 2.0, 2.0])
    assert weighted_quantiles(np.arange(101.0), np.ones(101), [0.5])[0] == pytest.approx(50.0)


TINY_STUDY = ["--scenario", "teaching", "--years", "2", "--replicates", "1", "--bootstrap", "100",
              "--strategy", "status_quo", "--strategy", "upwards_convergence", "--workers", "1"]


def test_robust_draws_from_the_posterior_by_default(done, tmp_path, monkeypatch, capsys):
    tmp, _ = done
    path = tmp / "out" / "posterior.parquet"
    table = read_posterior(path)
    sets, how = draw_posterior(table, 5, seed=3)
    assert "weighted" in how and list(sets.columns) == ["posterior_row", *KEYS]
    monkeypatch.setattr(robust, "DEFAULT_POSTERIOR", path)
    robust.main([*TINY_STUDY, "--n", "3", "--out", str(tmp_path / "s")])
    assert "from the calibration posterior" in capsys.readouterr().out
    design = pd.read_parquet(tmp_path / "s" / "design.parquet")
    assert set(KEYS) <= set(design.columns) and "posterior_row" in design
    robust.main([*TINY_STUDY, "--n", "3", "--ranges", "--out", str(tmp_path / "r")])
    assert "No --posterior file given" in capsys.readouterr().out
    assert "posterior_row" not in pd.read_parquet(tmp_path / "r" / "design.parquet")


@pytest.mark.parametrize("bad, words", [
    (pd.DataFrame({"inspection.noise": [0.1, 0.2], "weight": [0.5, -0.5]}), ["column 'weight'", "non-negative"]),
    (pd.DataFrame({"inspection.nois": [0.1], "weight": [1.0]}), ["column 'inspection.nois'"]),
    (pd.DataFrame({"inspection.noise": [0.1, 9.0]}), ["row 2 column 'inspection.noise'"]),
])
def test_a_bad_posterior_file_is_one_sentence_exit_2(tmp_path, monkeypatch, capsys, bad, words):
    path = tmp_path / "bad.parquet"
    bad.to_parquet(path)
    for argv, default in (([f"--posterior={path}"], tmp_path / "none.parquet"), ([], path)):
        monkeypatch.setattr(robust, "DEFAULT_POSTERIOR", default)  # the default location too
        with pytest.raises(SystemExit) as exc:
            robust.main([*TINY_STUDY, "--n", "3", *argv, "--out", str(tmp_path / "s")])
        err = capsys.readouterr().err
        assert exc.value.code == 2 and err.count("\n") == 1 and str(path) in err, err
        for word in words:
            assert word in err, err
        assert not (tmp_path / "s").exists()


def test_ranges_and_posterior_exclude_each_other(tmp_path, capsys):
    path = tmp_path / "p.csv"
    path.write_text("staff.drift\n0.02\n")
    with pytest.raises(SystemExit) as exc:
        robust.main([*TINY_STUDY, "--posterior", str(path), "--ranges", "--out", str(tmp_path / "s")])
    assert exc.value.code == 2 and "exclude each other" in capsys.readouterr().err
