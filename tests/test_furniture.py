"""The project's furniture: licence, citation, changelog and one version everywhere."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import yaml

import simulation

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_version_has_one_source():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "simulation.__version__"}
    written = re.findall(r'^__version__ = "([^"]+)"', (ROOT / "simulation" / "__init__.py").read_text(), re.M)
    assert written == [simulation.__version__] == ["0.4.0"]


def test_installed_version_is_the_package_version():
    # fails until the environment is reinstalled after a version change (pip install -e .)
    assert importlib.metadata.version("upwards-convergence") == simulation.__version__


def test_licence_is_mit_in_the_non_deprecated_form():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "The upwards-convergence developers" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]  # SPDX string, not a table
    requires = PYPROJECT["build-system"]["requires"]
    assert any(re.fullmatch(r"setuptools>=(\d+)", r) and int(r.split(">=")[1]) >= 77 for r in requires), requires
    assert importlib.metadata.metadata("upwards-convergence")["License-Expression"] == "MIT"


def test_citation_file():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == simulation.__version__
    assert cff["license"] == "MIT" and cff["title"] and cff["message"]
    assert cff["authors"] == [{"name": "The upwards-convergence developers"}]  # an entity, not a person
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    assert "repository-code" not in cff or cff["repository-code"].startswith("https://")


def test_changelog_starts_with_this_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## (\S+) – (\d{4}-\d{2}-\d{2})$", text, re.M)
    assert first and first.group(1) == simulation.__version__
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert first.group(2) == str(cff["date-released"])
    for topic in ("One house", "Context", "30 constants", "Registries", "python -m experiments.NAME",
                  "register()", "Did you mean", "upconv-collect", "Ctrl-C", "units", "LICENSE"):
        assert topic in text, topic


def test_readme_links_the_furniture():
    readme = (ROOT / "README.md").read_text()
    assert "## Citing and licence" in readme
    for name in ("LICENSE", "CITATION.cff", "CHANGELOG.md"):
        assert f"]({name})" in readme
