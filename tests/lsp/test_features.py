"""Each language-server capability, end to end over stdio, on the small tree of conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .conftest import HOME, INTRO, SETUP, open_document, position_of, wait_until

pytestmark = pytest.mark.asyncio


def home(tree: Path) -> Path:
    return tree / "content" / "v1.0.x" / "index.md"


def doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def test_diagnostics_on_open_and_change(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))
    found = {(d.code, d.range.start.line) for d in client.diagnostics[uri]}
    assert ("link-broken", 7) in found  # /setpu
    assert ("tag-toggle-close", 13) in found
    assert ("tag-close-recovered", 17) in found
    assert not any(d.code == "anchor-broken" for d in client.diagnostics[uri])
    broken = next(d for d in client.diagnostics[uri] if d.code == "link-broken")
    assert broken.range.start.character == HOME.splitlines()[7].index("/setpu")
    # an unsaved edit: the anchor no longer exists on the target page
    changed = HOME.replace("/setup#install-it", "/setup#nope")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
        )
    )
    await wait_until(client, lambda: any(d.code == "anchor-broken" and "#nope" in d.message for d in client.diagnostics[uri]))


async def test_an_unsaved_slug_edit_reaches_the_other_open_pages(client: LanguageClient, tree: Path) -> None:
    """Another page's slug renamed in its buffer, not saved: links to the new slug resolve and
    links to the old one break at once; closing the buffer unsaved brings the file's slug back."""

    def broken(uri: str) -> set[str]:
        return {d.message.split("'")[1] for d in client.diagnostics[uri] if d.code == "link-broken"}

    uri = await open_document(client, home(tree))
    assert "/setpu" in broken(uri) and "/setup#install-it" not in broken(uri)
    setup = tree / "content" / "v1.0.x" / "setup.md"
    setup_uri = await open_document(client, setup)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=setup_uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=SETUP.replace("slug: /setup", "slug: /setpu"))],
        )
    )
    await wait_until(client, lambda: "/setpu" not in broken(uri) and "/setup#install-it" in broken(uri))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc(setup_uri)))
    await wait_until(client, lambda: "/setpu" in broken(uri) and "/setup#install-it" not in broken(uri))
    assert setup.read_text(encoding="utf-8") == SETUP  # nothing was written


async def test_problems_in_a_partial_carry_the_include_chain(client: LanguageClient, tree: Path) -> None:
    partial = tree / "content" / "partials" / "v1.0" / "intro.md"
    partial.write_text(INTRO + "\n![gone](/images/v1.0/gone.png)\n", encoding="utf-8")
    uri = await open_document(client, home(tree))
    partial_uri = partial.resolve().as_uri()
    while partial_uri not in client.diagnostics:
        await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    missing = next(d for d in client.diagnostics[partial_uri] if d.code == "image-missing")
    assert missing.related_information and missing.related_information[0].location.uri == uri
    assert missing.related_information[0].location.range.start.line == 9


async def test_completion(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))

    async def labels(text: str, needle: str, offset: int) -> dict[str, types.CompletionItem]:
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        result = await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=position_of(text, needle, offset))
        )
        items = result.items if isinstance(result, types.CompletionList) else result or []
        return {item.label: item for item in items}

    tags = await labels(HOME + "\n{% no", "{% no", 5)
    assert "note" in tags and "stepsContainer" in tags and "partial" in tags
    assert "callout" in (tags["note"].documentation.value.lower())
    attributes = await labels(HOME + '\n{% note  %}', "{% note  %}", 8)
    assert attributes["noteType"].detail == "String"
    assert "Kind of note" in attributes["noteType"].documentation.value
    values = await labels(HOME + '\n{% note noteType=" %}', 'noteType="', 10)
    assert {"Tip", "Warning", "Danger"} <= set(values)
    partials = await labels(HOME + '\n{% partial file="/v1 %}', 'file="/v1', 9)
    assert "/v1.0/intro.md" in partials
    slugs = await labels(HOME + "\n[x](/se", "[x](/se", 7)
    assert "/setup" in slugs and "/" in slugs and "/v1.0.x/" in slugs
    assert slugs["/setup"].detail == "Set up the thing"
    versioned = await labels(HOME + "\n[x](/v1.0.x/", "[x](/v1.0.x/", 12)
    assert "/v1.0.x/setup" in versioned
    images = await labels(HOME + '\n{% image src="/images/ %}', '/images/', 8)
    assert "/images/v1.0/shot.png" in images
    anchors = await labels(HOME + "\n[x](/setup#", "[x](/setup#", 11)
    assert "install-it" in anchors
    own = await labels(HOME + "\n[x](#", "[x](#", 5)
    assert "steps" in own and "home" in own


async def test_hover(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))

    async def hover_at(needle: str, offset: int) -> str:
        result = await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=position_of(HOME, needle, offset))
        )
        assert result is not None
        return result.contents.value

    assert "noteType" in await hover_at("{% note", 4)
    assert "Set up the thing" in await hover_at("(/setup#", 3)
    partial = await hover_at("/v1.0/intro.md", 3)
    assert "Hello" in partial and "$name" in partial


async def test_definition_and_references(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))

    async def definition(needle: str, offset: int) -> list[types.Location]:
        result = await client.text_document_definition_async(
            types.DefinitionParams(text_document=doc(uri), position=position_of(HOME, needle, offset))
        )
        return list(result or [])

    partial = tree / "content" / "partials" / "v1.0" / "intro.md"
    setup = tree / "content" / "v1.0.x" / "setup.md"
    [where] = await definition("/v1.0/intro.md", 2)
    assert where.uri == partial.resolve().as_uri()
    [where] = await definition("(/v1.0.x/setup", 4)
    assert where.uri == setup.resolve().as_uri() and where.range.start.line == 0
    [where] = await definition("#install-it", 3)
    assert where.uri == setup.resolve().as_uri() and where.range.start.line == 7

    includes = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(partial.resolve().as_uri()),
            position=types.Position(line=0, character=0),
            context=types.ReferenceContext(include_declaration=False),
        )  # fmt: skip
    )
    assert [(loc.uri, loc.range.start.line) for loc in includes or []] == [(uri, 9)]
    setup_uri = await open_document(client, setup)
    links = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=doc(setup_uri),
            position=types.Position(line=0, character=0),
            context=types.ReferenceContext(include_declaration=False),
        )  # fmt: skip
    )
    assert sorted((loc.uri, loc.range.start.line) for loc in links or []) == [(uri, 7), (uri, 7)]


async def test_symbols_and_folding(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    [top] = symbols
    assert top.name == "Home"
    names = [s.name for s in top.children]
    assert "Steps" in names
    steps = next(s for s in top.children if s.name == "Steps")
    container = steps.children[0]
    assert container.children[0].name == "Step 1"
    assert container.children[0].children[0].name == "1. Do it"
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc(uri)))
    spans = {(f.start_line, f.end_line) for f in folds}
    assert (23, 29) in spans and (15, 17) in spans


async def test_code_actions(client: LanguageClient, tree: Path) -> None:
    uri = await open_document(client, home(tree))
    diagnostics = client.diagnostics[uri]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=doc(uri),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=40, character=0)),
            context=types.CodeActionContext(diagnostics=diagnostics),
        )
    )
    edits = {a.title: a.edit.changes[uri][0] for a in result or []}
    toggle = edits["Write the closing tag as {% /important %}"]
    assert toggle.range.start.line == 13 and toggle.new_text == "{% /important %}"
    recovered = edits["Write the closing tag as {% /note %}"]
    assert recovered.range.start.line == 17 and recovered.range.end.character == len('{% /note noteType="Tip" %}')
    guess = edits["Did you mean /setup?"]
    line = HOME.splitlines()[7]
    assert (guess.range.start.character, guess.range.end.character) == (line.index("/setpu"), line.index("/setpu") + 6)


async def test_bad_input_does_not_stop_the_server(client: LanguageClient, tree: Path) -> None:
    hostile = "{% note \x00 %}\n" + "{% " * 500 + "\n" + "*" * 5000 + "\n{% partial file=$x /%}\n[x](\n{% /"
    uri = await open_document(client, home(tree), hostile)
    assert client.diagnostics[uri]
    for line in range(5):
        await client.text_document_hover_async(
            types.HoverParams(text_document=doc(uri), position=types.Position(line=line, character=3))
        )
        await client.text_document_completion_async(
            types.CompletionParams(text_document=doc(uri), position=types.Position(line=line, character=3))
        )
    outside = tree.parent / "elsewhere.md"
    outside.write_text("# Not in the tree\n", encoding="utf-8")
    await open_document(client, outside)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc(uri)))
    assert symbols is not None
