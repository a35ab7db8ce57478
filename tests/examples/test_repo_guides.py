"""Every example in this repository's guides passes (and those marked ``expect="invalid"`` fail).

The guides are checked twice: with the ``examples`` block of ``mkdocs.yml``, whose schemas are the
repository's own (``schemas/openmetadata-1.7``, written for these guides), and with
``tests/examples/fixtures/repo-examples.yml``, the same validators over OpenMetadata 1.7's published
schemas in ``../shared`` (``corpus`` tests: they need what a clone does not carry). The two agree
on every example, so the own schemas neither reject what the real ones accept nor let the
invalid-on-purpose example through.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.examples import check_examples
from om_markdoc.examples.runner import ExampleSession
from om_markdoc.site.config_file import plugin_options, read_config
from om_markdoc.site.project import Project

REPO = Path(__file__).resolve().parents[2]
UPSTREAM = REPO / "tests" / "examples" / "fixtures" / "repo-examples.yml"

SCHEMA_SETS = [
    pytest.param(None, id="own-schemas"),
    pytest.param(UPSTREAM, id="openmetadata-schemas", marks=pytest.mark.corpus),
]


@pytest.fixture(scope="module", params=SCHEMA_SETS)
def session(request: pytest.FixtureRequest) -> ExampleSession:
    return ExampleSession(Project.around(REPO), config=request.param)


def test_every_guide_example_passes(session: ExampleSession) -> None:
    outcomes = session.run_all(["docs/v1.6.x/*", "docs/v1.7.x/*"])
    failures = [d.format(include_chain=True) for o in outcomes for d in o.diagnostics()]
    assert failures == []
    statuses = {o.status for o in outcomes}
    assert statuses <= {"passed", "xfailed", "unchecked", "skipped"}


def test_guides_exercise_every_validator(session: ExampleSession) -> None:
    outcomes = session.run_all(["docs/v1.7.x/*"])
    checked = {o.binding.validator for o in outcomes if o.status in ("passed", "xfailed")}
    assert {"openmetadata-server", "openmetadata-env", "openmetadata-helm", "ingestion-workflow", "yaml"} <= checked
    # tabs of codeWithLanguageSelector are bound by content
    tabs = {(o.example.language, o.binding.validator) for o in outcomes if o.example.language in ("implicit", "authcode")}
    assert tabs == {
        ("implicit", "openmetadata-env"),
        ("authcode", "openmetadata-env"),
        ("implicit", "openmetadata-server"),
        ("authcode", "openmetadata-server"),
        ("implicit", "openmetadata-helm"),
        ("authcode", "openmetadata-helm"),
    }
    expected_invalid = [o for o in outcomes if o.binding.expect == "invalid"]
    assert [o.status for o in expected_invalid] == ["xfailed"]


@pytest.mark.corpus
def test_both_schema_sets_give_each_example_the_same_status() -> None:
    """The own schemas stand in for the real ones: same verdict on every example of the guides."""
    own, upstream = (
        {
            (o.example.file, o.example.line): o.status
            for o in ExampleSession(Project.around(REPO), config=config).run_all(["docs/*"])
        }
        for config in (None, UPSTREAM)
    )
    assert own == upstream


@pytest.mark.parametrize("config", SCHEMA_SETS)
def test_check_examples_on_the_whole_repository(config: Path | None) -> None:
    assert check_examples(REPO, config=config) == []


def test_mkdocs_examples_block_uses_the_repositorys_own_schemas() -> None:
    options = plugin_options(read_config(REPO / "mkdocs.yml"))
    root = (REPO / options["examples"]["schemas_root"]).resolve()  # type: ignore[index]
    assert root == REPO / "schemas" / "openmetadata-1.7", "the site's own checks must not need anything outside the clone"
