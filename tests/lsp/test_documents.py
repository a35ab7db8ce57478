"""Requests about files the editor has not opened, new unsaved pages, and files out of the tree
(issues #18 and #19), through a real server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import HOME, open_document, wait_for_diagnostics

pytestmark = pytest.mark.asyncio
ORIGIN = types.Position(line=0, character=0)


def doc(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.resolve().as_uri() if path.exists() else path.as_uri())


async def every_request(client: LanguageClient, path: Path) -> dict[str, object]:
    """What each feature answers about ``path`` (not opened), by feature."""
    where = doc(path)
    whole = types.Range(start=ORIGIN, end=types.Position(line=5, character=0))
    return {
        "symbols": await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=where)),
        "folding": await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=where)),
        "hover": await client.text_document_hover_async(types.HoverParams(text_document=where, position=ORIGIN)),
        "definition": await client.text_document_definition_async(types.DefinitionParams(text_document=where, position=ORIGIN)),
        "references": await client.text_document_references_async(
            types.ReferenceParams(text_document=where, position=ORIGIN, context=types.ReferenceContext(include_declaration=False))
        ),
        "completion": getattr(
            await client.text_document_completion_async(types.CompletionParams(text_document=where, position=ORIGIN)),
            "items",
            None,
        ),
        "actions": await client.text_document_code_action_async(
            types.CodeActionParams(text_document=where, range=whole, context=types.CodeActionContext(diagnostics=[]))
        ),
    }


def failures(client: LanguageClient) -> list[str]:
    return [m.message for m in client.log_messages if "failed" in m.message or "Traceback" in m.message]


async def test_an_unopened_page_is_read_from_disk(client: LanguageClient, tree: Path) -> None:
    answers = await every_request(client, tree / "content" / "v1.0.x" / "setup.md")
    assert [s.name for s in answers["symbols"]] == ["Setup"]
    assert failures(client) == []


async def test_deleted_and_outside_files_get_empty_answers(client: LanguageClient, tree: Path) -> None:
    deleted = tree / "content" / "v1.0.x" / "gone.md"
    outside = tree.parent / "secret.md"
    outside.write_text("# Secret heading\n\n{% note %}\nx\n\nx\n{% /note %}\n", encoding="utf-8")
    linked = tree / "content" / "v1.0.x" / "linked.md"
    linked.symlink_to(outside)
    for path in (deleted, outside, linked):
        answers = await every_request(client, path)
        assert all(not answer for answer in answers.values()), (path.name, answers)
    assert failures(client) == []


async def test_a_new_unsaved_page_is_checked_on_open_and_on_change(client: LanguageClient, tree: Path) -> None:
    new = tree / "content" / "v1.0.x" / "new.md"
    text = "---\ntitle: New\nslug: /new\n---\n\n# New\n\nSee [typo](/setpu).\n"
    uri = await open_document(client, new, text)
    assert not new.exists()
    assert [(d.code, d.range.start.line) for d in client.diagnostics[uri] if d.code == "link-broken"] == [("link-broken", 7)]
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text.replace("/setpu", "/nowhere#x"))],
        )
    )
    await wait_for_diagnostics(client, uri)
    assert [d.message.split("'")[1] for d in client.diagnostics[uri] if d.code == "link-broken"] == ["/nowhere#x"]


async def test_an_image_linked_out_of_the_tree_is_not_revealed(client: LanguageClient, tree: Path) -> None:
    secret = tree.parent / "outside" / "secret.png"
    secret.parent.mkdir()
    secret.write_bytes(b"\x89PNG")
    os.symlink(secret, tree / "images" / "v1.0" / "leak.png")
    page = tree / "content" / "v1.0.x" / "index.md"
    text = (
        HOME
        + '\n![a](/images/v1.0/leak.png) ![b](/images/../../outside/secret.png) ![c](/images/v1.0/shot.png)\n{% image src="/images/'
    )
    uri = await open_document(client, page, text)
    lines = text.splitlines()

    async def definition(needle: str) -> list[types.Location]:
        at = types.Position(line=len(lines) - 2, character=lines[-2].index(needle) + 3)
        return list(
            await client.text_document_definition_async(
                types.DefinitionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
            )
            or []
        )

    assert await definition("/images/v1.0/leak.png") == []
    assert await definition("/images/../../outside") == []
    [shot] = await definition("/images/v1.0/shot.png")
    assert shot.uri == (tree / "images" / "v1.0" / "shot.png").resolve().as_uri()
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=len(lines) - 1, character=len(lines[-1])),
        )
    )
    labels = {item.label for item in (result.items if isinstance(result, types.CompletionList) else result or [])}
    assert "/images/v1.0/shot.png" in labels and not any("leak" in label for label in labels)


async def test_a_new_image_is_listed_after_the_watcher_reports_it(client: LanguageClient, tree: Path) -> None:
    page = tree / "content" / "v1.0.x" / "index.md"
    text = HOME + '\n{% image src="/images/'
    uri = await open_document(client, page, text)
    at = types.Position(line=len(text.splitlines()) - 1, character=len(text.splitlines()[-1]))

    async def images() -> set[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=at)
        )
        return {item.label for item in (result.items if isinstance(result, types.CompletionList) else result or [])}

    assert "/images/v1.0/new.png" not in await images()
    new = tree / "images" / "v1.0" / "new.png"
    new.write_bytes(b"\x89PNG")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=new.resolve().as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert "/images/v1.0/new.png" in await images()
