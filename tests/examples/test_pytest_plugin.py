"""The pytest plugin: one item per example, doctest-like failures, inert unless enabled."""

from __future__ import annotations

import textwrap
from importlib import metadata
from pathlib import Path

import pytest
import tomllib
import yaml  # noqa: F401 - imported here, before pytester snapshots sys.modules: PyYAML's C

# parser cannot be imported twice in one process, and in-process runs drop modules they import.
import om_markdoc.examples.runner  # noqa: F401 - same reason, for the plugin's own modules

pytest_plugins = ["pytester"]

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "om_markdoc.examples.pytest_plugin"


@pytest.fixture
def tree(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # Load the plugin explicitly, whether or not the pytest11 entry point is installed.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makefile(
        ".yml",
        **{
            "om-markdoc": textwrap.dedent(
                """
                examples:
                  validators:
                    numbers:
                      type: jsonschema
                      schema: schema.json
                  rules:
                    - {contains: '^count:', validator: numbers}
                """
            )
        },
    )
    pytester.makefile(
        ".json", schema='{"type": "object", "properties": {"count": {"type": "integer"}}, "additionalProperties": false}'
    )
    docs = pytester.mkdir("docs")
    (docs / "guide.md").write_text(
        textwrap.dedent(
            """
            # Guide

            ```yaml
            count: 3
            ```

            ```yaml
            count: three
            ```

            ```yaml {% validate="numbers" expect="invalid" %}
            cuont: 3
            ```

            ```yaml {% skip=true %}
            count: [
            ```

            ```text
            not an example anyone checks
            ```
            """
        ).lstrip()
    )
    return pytester


def test_items_named_by_doc_and_line(tree: pytest.Pytester) -> None:
    result = tree.runpytest("-p", PLUGIN, "--om-markdoc", "docs", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        ["docs/guide.md::guide.md:3", "docs/guide.md::guide.md:7", "docs/guide.md::guide.md:11", "docs/guide.md::guide.md:15"]
    )
    assert "guide.md:19" not in result.stdout.str()


def test_doctest_like_failure_report(tree: pytest.Pytester) -> None:
    result = tree.runpytest("-p", PLUGIN, "--om-markdoc", "docs")
    result.assert_outcomes(passed=2, failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/guide.md:7: yaml example, validator 'numbers'",
            ">*8 count: three",
            "*^",
            "docs/guide.md:8:8: 'three' is not of type 'integer' (at $.count) [validator numbers] [example-invalid]",
        ]
    )


def test_selection_and_exitfirst(tree: pytest.Pytester) -> None:
    result = tree.runpytest("-p", PLUGIN, "--om-markdoc", "docs", "-k", "guide.md:3")
    result.assert_outcomes(passed=1, deselected=3)
    result = tree.runpytest("-p", PLUGIN, "--om-markdoc", "docs", "-x")
    result.assert_outcomes(passed=1, failed=1)


def test_ini_option_enables(tree: pytest.Pytester) -> None:
    tree.makeini("[pytest]\nom_markdoc_examples = true\n")
    result = tree.runpytest("-p", PLUGIN, "docs")
    result.assert_outcomes(passed=2, failed=1, skipped=1)


def test_inert_unless_enabled(tree: pytest.Pytester) -> None:
    tree.makepyfile(test_unit="def test_one():\n    assert True\n")
    result = tree.runpytest("-p", PLUGIN, ".")
    result.assert_outcomes(passed=1)
    assert "guide.md" not in result.stdout.str()


def test_entry_point_declared() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["entry-points"]["pytest11"] == {"om_markdoc": PLUGIN}
    assert any(d.startswith("jsonschema") for d in project["dependencies"])
    installed = [e for e in metadata.entry_points(group="pytest11") if e.name == "om_markdoc"]
    if installed:  # an up-to-date editable install registers it
        assert installed[0].value == PLUGIN
