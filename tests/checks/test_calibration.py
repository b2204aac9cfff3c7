"""Start-of-run calibration against the England figures of the model brief (s.4)."""

from __future__ import annotations

import pandas as pd
import pytest

from simulation.checks.calibration import report

TOLERANCE = {
    "share_outstanding": 0.03, "share_good": 0.04, "share_requires_improvement": 0.04, "share_inadequate": 0.015,
    "share_special_measures": 0.01, "leaving_rate": 0.02, "retained_after_1_year": 0.01,
    "retained_after_5_years": 0.02, "between_school_variance_share": 0.02, "teacher_sd_effect": 0.01,
    "coaching_effect_at_scale": 0.03, "mean_attainment": 0.01, "leaving_rate_simulated": 0.02,
}


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    frames = [report("london_challenge", seed) for seed in range(3)]
    return pd.concat(frames).groupby("figure").mean()


@pytest.mark.parametrize("figure", sorted(TOLERANCE))
def test_start_of_run_matches_england(figures, figure):
    row = figures.loc[figure]
    assert abs(row["model"] - row["target"]) <= TOLERANCE[figure], f"{figure}: {row['model']:.3f} vs {row['target']}"


def test_defaults_still_fit_the_dynamic_targets():
    """The calibrated defaults, on the calibration report's seeds, fit England's 2002-2011 figures
    about as well as the report says (loss 28.9): a model change that moves the fit shows here
    and calls for re-running the calibration (python -m experiments.calibration)."""
    from experiments.calibration.check import check_defaults

    assert check_defaults(seeds=20, workers=2) < 35.0


def test_a_rerun_of_the_point_calibration_keeps_the_posterior_section(tmp_path):
    from experiments.calibration.run import KEPT, kept_sections

    report = tmp_path / "calibration.md"
    assert kept_sections(report) == ""  # no report yet
    report.write_text(f"# Calibration\n\n## Result\ngenerated\n\n{KEPT}\nwritten by hand\n")
    assert kept_sections(report) == f"\n{KEPT}\nwritten by hand\n"
    report.write_text("# Calibration\n\n## Result\ngenerated\n")
    assert kept_sections(report) == ""
