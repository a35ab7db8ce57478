"""Diagnostics of corpus pages, through a real server, equal ``om-markdoc check``'s findings for
those files (same rules, severities, lines, columns and messages)."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.workspace import PositionCodec
from pytest_lsp import ClientServerConfig, LanguageClient

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.lsp.text import from_client

from .conftest import SERVER, initialize, open_document

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "openmetadata-docs"
PAGES = [
    "content/v1.5.x/connectors/dashboard/powerbi/index.md",  # recovered closing tags, missing-opening
    "content/v1.5.x/connectors/ingestion/workflows/dbt/ingest-dbt-glossary.md",  # images, examples
    "content/v1.5.x/connectors/database/mssql/index.md",  # link-broken
    "content/v1.5.x/connectors/pipeline/dbtcloud/index.md",  # anchor-broken (ids of another page)
    "content/v1.5.x/api/java-sdk.md",  # page-not-in-menu
    "content/v1.5.x/connectors/database/mysql/index.md",  # partial-heavy
]

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.corpus,  # reads ../shared: deselected without it (tests/conftest.py)
]


@pytest.fixture(scope="module")
def expected() -> dict[str, set[tuple[str, str, int, int, str]]]:
    report = run_check(CORPUS, CheckOptions(use_cache=False, jobs=1))
    out: dict[str, set[tuple[str, str, int, int, str]]] = {page: set() for page in PAGES}
    for f in report.findings:
        if f.file in out:
            out[f.file].add((f.rule, f.severity, f.line, f.column, f.message))
    return out


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def corpus_client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(initialize(CORPUS))
    yield
    await lsp_client.shutdown_session()


SEVERITY = {types.DiagnosticSeverity.Error: "error", types.DiagnosticSeverity.Warning: "warning",
            types.DiagnosticSeverity.Information: "info"}  # fmt: skip


async def test_corpus_pages_match_check(corpus_client: LanguageClient, expected: dict) -> None:
    assert sum(len(v) for v in expected.values()) >= 8, "the sample pages should carry findings"
    for page in PAGES:
        path = CORPUS / page
        text = path.read_text(encoding="utf-8")
        uri = await open_document(corpus_client, path)
        lines = text.splitlines()
        got = {
            (str(d.code), SEVERITY[d.severity], d.range.start.line + 1,
             from_client(PositionCodec(), lines[d.range.start.line], d.range.start.character) + 1, d.message)  # fmt: skip
            for d in corpus_client.diagnostics[uri]
        }
        assert got == expected[page], page
