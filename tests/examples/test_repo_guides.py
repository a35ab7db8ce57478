"""Every example in this repository's guides passes (and those marked ``expect="invalid"`` fail).

The guides are checked with ``tests/examples/fixtures/repo-examples.yml``, which points at the
OpenMetadata 1.7 schemas in ``../shared/schemas/openmetadata-1.7``; when ``mkdocs.yml`` carries
an ``examples`` block under the plugin's options, it is checked with that block too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.site.project import Project
from om_markdoc.examples import check_examples
from om_markdoc.site.config_file import plugin_options, read_config
from om_markdoc.examples.runner import ExampleSession

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "tests" / "examples" / "fixtures" / "repo-examples.yml"
SCHEMAS = REPO.parent / "shared" / "schemas" / "openmetadata-1.7"


@pytest.fixture(scope="module")
def session() -> ExampleSession:
    if not (SCHEMAS / "server" / "openmetadata.yaml").is_file():
        pytest.fail(f"the OpenMetadata 1.7 schemas are missing: expected them in {SCHEMAS}")
    return ExampleSession(Project.around(REPO), config=CONFIG)


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


def test_check_examples_on_the_whole_repository() -> None:
    if not SCHEMAS.is_dir():
        pytest.fail(f"the OpenMetadata 1.7 schemas are missing: expected them in {SCHEMAS}")
    assert check_examples(REPO, config=CONFIG) == []


def test_mkdocs_examples_block_validates_every_guide_example() -> None:
    options = plugin_options(read_config(REPO / "mkdocs.yml"))
    assert options.get("examples"), "mkdocs.yml configures the examples' validators"
    assert check_examples(REPO) == []
