"""docs/parameters.md is generated from the schema and must stay in sync with it."""

from pathlib import Path

from simulation.paramdoc import markdown


def test_parameter_reference_matches_schema():
    committed = (Path(__file__).parent.parent / "docs" / "parameters.md").read_text()
    assert committed == markdown(), "docs/parameters.md is stale: run `python -m simulation.paramdoc > docs/parameters.md`"
