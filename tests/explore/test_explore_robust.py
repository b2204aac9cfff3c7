"""upconv-robust through its command and its Python API, on tiny studies (teaching scenario, 2
years): the outputs, resuming, byte-identical outputs for a seed whatever the number of workers,
posterior files, failed runs, and bad input (one sentence, exit 2, nothing written)."""

from __future__ import annotations

import filecmp
import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulation.explore import robust, runs
from simulation.explore.robust import main, study

TINY = ["--scenario", "teaching", "--years", "2", "--replicates", "2", "--bootstrap", "200",
        "--strategy", "status_quo", "--strategy", "upwards_convergence"]
API = dict(scenario="teaching", years=2, replicates=2, n_boot=200, strategies=["status_quo", "upwards_convergence"])


def test_tiny_study_writes_its_tables_figures_and_report(tmp_path, capsys):
    out = tmp_path / "study"
    main([*TINY, "--n", "8", "--workers", "1", "--ranges", "--out", str(out)])
    printed = capsys.readouterr().out
    assert "No --posterior file given" in printed
    for name in ("report.md", "p_best.png", "regret.png", "differences.png", "variance.png", "summary.json",
                 "design.parquet", "runs.parquet", "p_best.parquet", "regret.parquet", "differences.parquet",
                 "variance.parquet", "sets.parquet", "drivers.parquet"):
        assert (out / name).stat().st_size > 0, name
    table = pd.read_parquet(out / "runs.parquet")
    assert len(table) == 8 * 2 * 2 and (table.error == "").all()
    # common random numbers: every set and strategy ran on the same seeds
    assert table.groupby(["set", "strategy"]).seed.apply(tuple).nunique() == 1
    assert table.groupby("set")["staff.drift"].nunique().eq(1).all()  # one parameter set per set
    units = json.loads(pq.read_schema(out / "runs.parquet").metadata[b"units"])
    assert units["staff.drift"]["unit"] == "1/year"
    p_best = pd.read_parquet(out / "p_best.parquet")
    assert p_best.p_best.sum() == pytest.approx(1.0)
    assert ((p_best.low <= p_best.p_best) & (p_best.p_best <= p_best.high)).all()
    sets = pd.read_parquet(out / "sets.parquet")
    assert (sets.groupby("set").regret.min() == 0).all() and (sets.regret >= 0).all()
    report = (out / "report.md").read_text()
    assert "no posterior file given" in report and "Precision at this size" in report
    assert "Preferred (highest P(best))" in report
    assert "What moves the lead of" in report and "in expectation" in report
    drivers = pd.read_parquet(out / "drivers.parquet")
    assert set(drivers.parameter) == set(pd.read_parquet(out / "design.parquet").columns.drop("set"))  # every one


def test_rerunning_a_study_resumes_it(tmp_path, monkeypatch):
    out = tmp_path / "study"
    first = study(n=6, seed=1, workers=1, out=out, report=False, **API)
    calls = []
    real = runs.run_task

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "run_task", counting)
    again = study(n=6, seed=1, workers=1, out=out, report=False, **API)
    assert calls == []  # everything was finished
    pd.testing.assert_frame_equal(first.runs, again.runs)
    # lose the runs of set 2: only that set runs again, and the results are the same
    for part in (out / "runs").glob("part-*.parquet"):
        kept = pd.read_parquet(part)
        runs.write_table(kept[kept.set != 2], part)
    third = study(n=6, seed=1, workers=1, out=out, report=False, **API)
    assert calls == [2]
    pd.testing.assert_frame_equal(first.runs, third.runs)
    # a changed model (its source) gives new run keys: nothing old is reused
    monkeypatch.setattr(runs, "code_hash", lambda: "changed")
    calls.clear()
    study(n=6, seed=1, workers=1, out=out, report=False, **API)
    assert sorted(calls) == list(range(6))


def _files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file()
                  and p.name != "timing.json" and "runs" not in p.relative_to(folder).parts[:-1])


def test_same_seed_gives_byte_identical_outputs_with_one_or_two_workers(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    study(n=6, seed=3, workers=1, out=a, **API)
    study(n=6, seed=3, workers=2, out=b, **API)
    assert _files(a) == _files(b) and len(_files(a)) >= 12
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(p) for p in _files(a)], shallow=False)
    assert mismatch == [] and errors == []
    other = study(n=6, seed=4, workers=1, out=c, report=False, **API)
    assert not other.design.equals(pd.read_parquet(a / "design.parquet"))


def test_posterior_file_mode(tmp_path, capsys):
    post = tmp_path / "posterior.csv"
    pd.DataFrame({"partnership.transfer_rate": np.linspace(1.0, 3.0, 5), "staff.drift": [0.02, 0.03, 0.04, 0.03, 0.02],
                  "log_likelihood": -3.0}).to_csv(post, index=False)
    out = tmp_path / "study"
    main([*TINY, "--posterior", str(post), "--n", "5", "--workers", "1", "--out", str(out)])
    assert "No --posterior file given" not in capsys.readouterr().out
    design = pd.read_parquet(out / "design.parquet")
    assert sorted(design.posterior_row) == [0, 1, 2, 3, 4]
    assert list(design.columns) == ["set", "posterior_row", "partnership.transfer_rate", "staff.drift"]
    assert f"posterior sample file {post}" in (out / "report.md").read_text()


def test_a_failed_run_is_kept_with_its_message_and_its_set_left_out(tmp_path, monkeypatch):
    real = runs.run_outcomes

    def sometimes(cfg):
        if cfg.staff.drift > 0.045 and cfg.strategy.name.value == "status_quo":
            raise RuntimeError("drift too high for this test")
        return real(cfg)

    monkeypatch.setattr(runs, "run_outcomes", sometimes)
    result = study(n=8, seed=0, workers=1, out=tmp_path / "s", **API)
    failed = result.runs[result.runs.error != ""]
    assert len(failed) > 0 and failed.error.str.contains("RuntimeError: drift too high").all()
    assert sorted(result.meta["sets_dropped"]) == sorted(failed.set.unique().tolist())
    assert set(result.tables["sets"].set).isdisjoint(result.meta["sets_dropped"])
    assert "left out of the statistics because a run failed" in (tmp_path / "s" / "report.md").read_text()


@pytest.mark.parametrize("extra, words", [
    (["--uncertain", "partnership.transfer_rte"], ["did you mean partnership.transfer_rate"]),
    (["--uncertain", "staff.drift=0:9"], ["staff.drift", "between 0 and 1"]),
    (["--posterior", "MISSING.parquet"], ["--posterior", "does not exist"]),
    (["--n", "1"], ["--n", "at least 2", "got 1"]),
    (["--strategy", "best_one"], ["--strategy must be one of", "best_one"]),
    (["--bootstrap", "5"], ["--bootstrap", "at least 100"]),
    (["--years", "0"], ["--years", "got 0"]),
    (["--set", "staff.drift=0.02", "--uncertain", "staff.drift"], ["staff.drift", "also an uncertain parameter"]),
    (["--posterior", "POST", "--uncertain", "staff.drift"], ["exclude each other"]),
    (["--scenario", "atlantis"], ["--scenario must be one of", "atlantis"]),
])
def test_bad_input_is_one_sentence_exit_2_and_nothing_written(tmp_path, capsys, extra, words):
    post = tmp_path / "p.csv"
    post.write_text("staff.drift\n0.02\n")
    extra = [str(tmp_path / e) if e == "MISSING.parquet" else str(post) if e == "POST" else e for e in extra]
    out = tmp_path / "study"
    with pytest.raises(SystemExit) as exc:
        main(["--n", "4", "--replicates", "1", "--years", "1", "--scenario", "teaching", *extra, "--out", str(out)])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("upconv-robust: error:") and err.count("\n") == 1, err
    for word in words:
        assert word in err, err
    assert not out.exists()


def test_python_api_returns_the_tables(tmp_path):
    res = robust.study(n=6, seed=0, workers=1, out=tmp_path / "s", report=False, **API)
    assert set(res.tables) >= {"p_best", "regret", "differences", "variance", "sets", "prim_box", "feature_scores"}
    assert not (tmp_path / "s" / "report.md").exists() and (tmp_path / "s" / "runs").is_dir()
    tables, found = robust.analyse(res.runs, res.design, seed=0, n_boot=200)
    pd.testing.assert_frame_equal(tables["p_best"], res.tables["p_best"])
    assert found.strategy in API["strategies"]
