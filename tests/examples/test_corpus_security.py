"""The examples of the corpus's security guides against the OpenMetadata 1.7 schemas.

Runs every example of ``../shared/corpus/openmetadata-docs/content/*/deployment/security/**``
(and of the partials they include) with ``fixtures/corpus-security.yml`` and compares the
findings with ``fixtures/corpus_security_findings.json`` (rule, file, line, JSON path; no
corpus text).

Each finding was checked by hand against the page when the fixture was written:

* ``example-unparseable``, YAML: a quoted list item followed by prose ``(your domain and
  port)`` (jwt-troubleshooting).
* ``example-invalid``, server schema: ``provider: ${AUTHENTICATION_PROVIDER:-no-auth}``
  (``no-auth`` is no longer a provider) (enable-jwt-tokens).
* ``example-invalid``, env: names the 1.7 server template does not read:
  ``AUTHORIZER_INGESTION_PRINCIPALS`` (removed setting), ``SAML_WANT_NAME_ID_ENCRYPTED``
  (misspelt; the template has ``SAML_WANT_ASSERTION_ENCRYPTED``), the Airflow/Okta variables of
  okta/docker (they configure the ingestion container, not the server) and ``METAMART_OPTS``
  (read by the start script, not the configuration: a true finding for this validator, but
  not a mistake of the page).

Not findings: ``...`` / ``[...]`` lines standing for omitted settings (enable-jwt-tokens docker
volumes and Helm values, airflow-ssl) and ``${VAR:-default}`` defaults left for the reader to
fill, such as ``[{your domain}/...]`` (basic-auth, ldap/bare-metal) or ``[{your SSO public keys
URL}]`` (enable-jwt-tokens): the first are skipped, the second read as opaque strings whose key
is still checked.

Pages under the ``metamart:`` Helm key pass: the chart's schema leaves the top level open.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from om_markdoc.examples.runner import ExampleSession
from om_markdoc.site.project import Project

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
SCHEMAS = REPO.parent / "shared" / "schemas" / "openmetadata-1.7"
CONFIG = REPO / "tests" / "examples" / "fixtures" / "corpus-security.yml"
FIXTURE = REPO / "tests" / "examples" / "fixtures" / "corpus_security_findings.json"


def _findings() -> list[dict]:
    for needed in (CORPUS / "content", SCHEMAS / "json-schema"):
        if not needed.is_dir():
            pytest.fail(f"missing {needed}: the corpus and the OpenMetadata 1.7 schemas must sit beside the repository")
    session = ExampleSession(Project.around(CORPUS), config=CONFIG)
    rows = []
    for outcome in session.run_all(["*/deployment/security/*"]):
        for finding in outcome.findings():
            found = finding.diagnostic
            rows.append({"rule": found.rule, "file": found.file, "line": found.line, "json_path": finding.json_path})
    return sorted(rows, key=lambda r: (r["file"], r["line"], r["rule"], r["json_path"] or ""))


def test_findings_match_the_fixture() -> None:
    expected = json.loads(FIXTURE.read_text())
    assert _findings() == expected


def test_fixture_shape() -> None:
    rows = json.loads(FIXTURE.read_text())
    assert rows and all(set(r) == {"rule", "file", "line", "json_path"} for r in rows)
    assert {r["rule"] for r in rows} == {"example-invalid", "example-unparseable"}
    assert all("/deployment/security/" in r["file"] for r in rows)
