"""docs/architecture.md is generated from the code (layers, schedule, declarations, package map)."""

from pathlib import Path

from simulation.report.architecture import markdown, schedule

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def test_architecture_doc_matches_the_code():
    assert DOC.read_text() == markdown(), "regenerate: python -m simulation.report.architecture > docs/architecture.md"


def test_schedule_is_read_from_the_model():
    steps = schedule()
    assert steps[0].endswith("`begin_term`") and steps[-1].endswith("`end_term`")
    assert any("coaching.coach" in s for s in steps)
