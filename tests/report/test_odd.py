"""docs/ODD.md: its parameter table is generated from the schema and must agree with it, and
the description covers every element of the ODD protocol and every mechanism module."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulation.mechanisms import REGISTRY

from simulation.report import paramdoc
from simulation.report.paramdoc import ODD_END, ODD_START, odd_block, odd_table, rows, sync_odd

ROOT = Path(__file__).resolve().parents[2]
ODD = ROOT / "docs" / "ODD.md"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def text() -> str:
    return ODD.read_text()


def test_parameter_table_matches_schema(text):
    assert odd_table(text) == odd_block(), (
        "docs/ODD.md's parameter table and the schema disagree: run "
        "`.venv/bin/python -m simulation.report.paramdoc --odd docs/ODD.md`")


def test_every_schema_parameter_has_a_row(text):
    table = odd_table(text)
    for name, *_ in rows():
        assert f"| {name} |" in table, f"{name} missing from the ODD parameter table"


def test_table_is_checked_cell_by_cell(text):
    """A changed default in the schema must show up as a mismatch (guards the check itself)."""
    row = next(r for r in paramdoc.rows() if r[0] == "`inspection.noise`")
    line = "| " + " | ".join(str(c) for c in row) + " |"
    assert line in odd_table(text)
    tampered = text.replace(line, line.replace(f"| {row[2]} |", "| 999 |", 1))
    assert odd_table(tampered) != odd_block()


def test_sync_rewrites_only_the_block(tmp_path):
    doc = tmp_path / "ODD.md"
    doc.write_text(f"# Title\n\nbefore\n\n{ODD_START}\nstale table\n{ODD_END}\n\nafter\n")
    assert sync_odd(doc) is True
    new = doc.read_text()
    assert new.startswith("# Title\n\nbefore\n\n") and new.endswith("\n\nafter\n")
    assert odd_table(new) == odd_block()
    assert sync_odd(doc) is False


def test_missing_markers_are_an_error():
    with pytest.raises(ValueError, match="params:start"):
        odd_table("# no table here\n")


ODD_ELEMENTS = ["Purpose and patterns", "Entities, state variables and scales", "Process overview and scheduling",
                "Design concepts", "Initialisation", "Input data", "Submodels"]
DESIGN_CONCEPTS = ["Basic principles", "Emergence", "Adaptation", "Objectives", "Learning", "Prediction", "Sensing",
                   "Interaction", "Stochasticity", "Collectives", "Observation"]


def test_all_odd_elements_present(text):
    headings = re.findall(r"^## \d+\. (.+)$", text, flags=re.M)
    for element in ODD_ELEMENTS:
        assert element in headings, f"ODD element '{element}' has no section"
    for concept in DESIGN_CONCEPTS:
        assert f"**{concept}.**" in text, f"design concept '{concept}' is not described"


SUBMODELS = {**REGISTRY, "strategies": "simulation.strategies", "system": "simulation.measures.system"}


@pytest.mark.parametrize("module", sorted(SUBMODELS))
def test_every_mechanism_module_has_a_submodel(text, module):
    assert (ROOT / (SUBMODELS[module].replace(".", "/") + ".py")).exists()
    assert re.search(rf"^### 7\.\d+[a-z]? .*\(`(?:[a-z_]+/)*{module}\.py`\)", text, flags=re.M), f"no submodel section for {module}.py"


def test_each_submodel_names_a_source(text):
    sections = re.split(r"^### ", text.split("## 7. Submodels", 1)[1].split("## 8.", 1)[0], flags=re.M)[1:]
    for section in sections:
        title = section.splitlines()[0]
        if title.startswith(("7.20", "7.21")):  # observation and constants: no source claim
            continue
        assert "*Claim.*" in section, f"submodel {title} names no source claim"


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds not present")
def test_cited_source_files_exist(text):
    cited = set(re.findall(r"`(\d{3}_[0-9a-f]{16}\.txt)`", text))
    assert len(cited) == 5
    for name in cited:
        assert (SEEDS / name).exists(), f"{name} cited in ODD.md but not in ../shared/seeds/"
