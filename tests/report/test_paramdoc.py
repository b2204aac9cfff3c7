"""docs/parameters.md is generated from the schema and must stay in sync with it."""

from pathlib import Path

from simulation.report.paramdoc import markdown


def test_parameter_reference_matches_schema():
    committed = (Path(__file__).resolve().parents[2] / "docs" / "parameters.md").read_text()
    assert committed == markdown(), "docs/parameters.md is stale: run `python -m simulation.report.paramdoc > docs/parameters.md`"


def test_odd_option_rewrites_the_block_in_place(tmp_path, capsys):
    from simulation.report.paramdoc import ODD_END, ODD_START, main, odd_block

    doc = tmp_path / "ODD.md"
    doc.write_text(f"intro\n{ODD_START}\nold\n{ODD_END}\n")
    main(["--odd", str(doc)])
    assert doc.read_text() == f"intro\n{odd_block()}\n"
    assert "updated" in capsys.readouterr().err


def test_parameter_page_and_odd_share_one_table():
    from simulation.report.paramdoc import odd_block, table_lines

    table = "\n".join(table_lines())
    assert table in markdown() and table in odd_block()
