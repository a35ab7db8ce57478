"""Every column the server sends or reads is in the encoding it negotiated (issue #18).

Two clients: one that offers UTF-8 first (as Neovim does), one that offers UTF-16 only.  The
page's lines hold ``é`` (2 UTF-8 bytes, 1 UTF-16 unit), ``中`` (3 bytes, 1 unit) and ``😀``
(4 bytes, 2 units) before the constructs, so a column in the wrong encoding misses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import SERVER, initialize, open_document

pytestmark = pytest.mark.asyncio

PREFIX = "Café 中 😀 "
PAGE = f"""---
title: Accents
slug: /accents
---

# {PREFIX}heading

{PREFIX}[typo](/setpu) and [ok](/setup#install-it)
"""
HEADING, LINKS = 5, 7
CLIENTS = {"utf-8": ["utf-8", "utf-16"], "utf-16": ["utf-16"]}


@pytest.fixture(params=sorted(CLIENTS))
def encoding(request: pytest.FixtureRequest) -> str:
    return request.param


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the client counts in ``text``."""
    return len(text.encode("utf-8")) if encoding == "utf-8" else len(text.encode("utf-16-le")) // 2


def column(line: str, needle: str, encoding: str, offset: int = 0) -> int:
    return units(line[: line.index(needle) + offset], encoding)


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tree: Path, encoding: str):
    params = initialize(tree)
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general.position_encodings = CLIENTS[encoding]
    params.capabilities = capabilities
    result = await lsp_client.initialize_session(params)
    assert result.capabilities.position_encoding == encoding
    yield
    await lsp_client.shutdown_session()


def page(tree: Path) -> Path:
    path = tree / "content" / "v1.0.x" / "accents.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_diagnostics_and_quick_fix_columns(client: LanguageClient, tree: Path, encoding: str) -> None:
    uri = await open_document(client, page(tree))
    line = PAGE.splitlines()[LINKS]
    [broken] = [d for d in client.diagnostics[uri] if d.code == "link-broken"]
    expected = (column(line, "/setpu", encoding), column(line, "/setpu", encoding, 6))
    assert (broken.range.start.line, broken.range.start.character, broken.range.end.character) == (LINKS, *expected)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(text_document=doc(uri), range=broken.range, context=types.CodeActionContext(diagnostics=[broken]))
    )
    [edit] = [a.edit.changes[uri][0] for a in actions or [] if a.title == "Did you mean /setup?"]
    assert (edit.range.start.character, edit.range.end.character) == expected


async def test_hover_definition_and_completion_read_and_write_columns(client: LanguageClient, tree: Path, encoding: str) -> None:
    uri = await open_document(client, page(tree))
    line = PAGE.splitlines()[LINKS]
    at = types.Position(line=LINKS, character=column(line, "/setup#", encoding, 3))
    hover = await client.text_document_hover_async(types.HoverParams(text_document=doc(uri), position=at))
    assert hover is not None and "Set up the thing" in hover.contents.value
    assert (hover.range.start.character, hover.range.end.character) == (
        column(line, "/setup#", encoding), column(line, "/setup#install-it", encoding, len("/setup#install-it"))
    )
    [target] = await client.text_document_definition_async(types.DefinitionParams(text_document=doc(uri), position=at))
    assert target.uri.endswith("/setup.md") and target.range.start.line == 7

    typed = PAGE + f"{PREFIX}[x](/se"
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=typed)],
        )
    )
    last = typed.splitlines()[-1]
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=doc(uri), position=types.Position(line=LINKS + 1, character=units(last, encoding)))
    )
    items = {item.label: item for item in (result.items if isinstance(result, types.CompletionList) else result or [])}
    edit = items["/setup"].text_edit
    assert (edit.range.start.character, edit.range.end.character) == (column(last, "/se", encoding), units(last, encoding))


async def test_references_and_symbols_columns(client: LanguageClient, tree: Path, encoding: str) -> None:
    uri = await open_document(client, page(tree))
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    [heading] = symbols
    assert heading.name == f"{PREFIX}heading"
    assert (heading.range.start.line, heading.range.end.character) == (HEADING, units(PAGE.splitlines()[HEADING], encoding))
    setup = (tree / "content" / "v1.0.x" / "setup.md").resolve().as_uri()
    links = await client.text_document_references_async(
        types.ReferenceParams(text_document=doc(setup), position=types.Position(line=0, character=0),
                              context=types.ReferenceContext(include_declaration=False))  # fmt: skip
    )
    line = PAGE.splitlines()[LINKS]
    mine = [(loc.range.start.line, loc.range.start.character, loc.range.end.character) for loc in links or [] if loc.uri == uri]
    assert mine == [
        (LINKS, column(line, "/setup#", encoding), column(line, "/setup#install-it", encoding, len("/setup#install-it")))
    ]
