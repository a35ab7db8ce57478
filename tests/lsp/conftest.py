"""A small OpenMetadata-style tree for the language server tests, and a started server.

The server is a real ``om-markdoc lsp`` process spoken to over stdio (pytest-lsp), with no
debounce so a test gets diagnostics as soon as the server has computed them."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = [sys.executable, "-c", "import sys; from om_markdoc.cli import main; sys.exit(main(['lsp']))"]

HOME = """---
title: Home
slug: /
---

# Home

See [setup](/setup#install-it), [typo](/setpu) and [other](/v1.0.x/setup).

{% partial file="/v1.0/intro.md" variables={name: "reader"} /%}

{% important %}
careful
{% important %}

{% note noteType="Tip" %}
a tip
{% /note noteType="Tip" %}

![shot](/images/v1.0/shot.png)

## Steps

{% stepsContainer %}
{% step srNumber=1 %}
{% stepDescription title="1. Do it" %}
text
{% /stepDescription %}
{% /step %}
{% /stepsContainer %}
"""

SETUP = """---
title: Set up the thing
slug: /setup
---

# Setup

## Install it

Back [home](/).
"""

INTRO = """Hello {% $name %}, this is the introduction.

Second line of the partial.
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return make_tree(tmp_path)


def make_tree(parent: Path) -> Path:
    """The small tree below ``parent`` (the fuzz outside pytest makes one too)."""
    root = parent / "docs"
    (root / "content" / "v1.0.x").mkdir(parents=True)
    (root / "content" / "partials" / "v1.0").mkdir(parents=True)
    (root / "images" / "v1.0").mkdir(parents=True)
    (root / "content" / "v1.0.x" / "index.md").write_text(HOME, encoding="utf-8")
    (root / "content" / "v1.0.x" / "setup.md").write_text(SETUP, encoding="utf-8")
    (root / "content" / "partials" / "v1.0" / "intro.md").write_text(INTRO, encoding="utf-8")
    (root / "images" / "v1.0" / "shot.png").write_bytes(b"\x89PNG")
    return root


def initialize(root: Path) -> types.InitializeParams:
    return types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="docs")],
        initialization_options={"debounce": 0},
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient, tree: Path):
    await lsp_client.initialize_session(initialize(tree))
    yield
    await lsp_client.shutdown_session()


async def open_document(client: LanguageClient, path: Path, text: str | None = None) -> str:
    """Open ``path`` in the client and wait for its diagnostics; returns its URI."""
    uri = path.resolve().as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1,
                                                 text=path.read_text(encoding="utf-8") if text is None else text)  # fmt: skip
        )
    )
    await wait_for_diagnostics(client, uri)
    return uri


async def wait_for_diagnostics(client: LanguageClient, uri: str, timeout: float = 60.0) -> None:
    """The next diagnostics the server publishes for ``uri``; a server that never sends them
    fails the test (``TimeoutError``) instead of hanging the suite."""

    async def next_for_uri() -> None:
        while True:
            params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            if params.uri == uri:
                return

    await asyncio.wait_for(next_for_uri(), timeout)


async def wait_until(client: LanguageClient, holds: Callable[[], bool], timeout: float = 60.0) -> None:
    """Until ``holds()`` is true of the diagnostics received so far, reading the server's
    notifications as they come. Unlike waiting for "the next" notification, it cannot miss one
    published before the wait began, nor stop at a stale one published for another reason."""

    async def until() -> None:
        while not holds():
            await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(until(), timeout)


def position_of(text: str, needle: str, offset: int = 0) -> types.Position:
    """The LSP position ``offset`` characters into the first ``needle`` (ASCII test texts)."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))
