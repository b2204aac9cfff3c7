"""The metric registry is the one list of metrics: the README's metrics table names exactly them."""

import re
from pathlib import Path

from simulation.measures.registry import METRICS, SUMMARY_METRICS

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_metric_table() -> set[str]:
    text = README.read_text()
    section = text.split("### Metrics", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([a-z_0-9]+)`", row.split("|")[1])}


def test_readme_lists_exactly_the_registered_metrics():
    assert _readme_metric_table() == set(METRICS)


def test_summary_metrics_are_registered_shares_and_levels():
    assert set(SUMMARY_METRICS) <= set(METRICS)
    assert "year" not in SUMMARY_METRICS and "mean_attainment" in SUMMARY_METRICS
