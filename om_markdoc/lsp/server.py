"""The pygls wiring: documents in, features out, and nothing an author types can stop it.

Why the shape: each workspace folder gets one ``Workspace`` (one ``Project``, loaded on first
use); diagnostics are recomputed a short moment after the last keystroke (``debounce``
seconds, ``0.15`` unless the client's ``initializationOptions`` say otherwise), so typing a
word renders the page once rather than once per letter; every handler is guarded, so an
exception becomes a log message and an empty answer instead of a dead server.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from ..site.project import ProjectError
from . import actions, completion, diagnostics, hover, navigation
from .text import lines_of, path_to_uri, uri_to_path
from .workspace import Workspace

log = logging.getLogger(__name__)
# A feature handler; `guarded` hands it back with the same signature.
Handler = TypeVar("Handler", bound=Callable[[Any], Any])
DEFAULT_DEBOUNCE = 0.15
TRIGGERS = ["%", " ", "/", "#", '"', "(", "="]


class OmServer(LanguageServer):
    """A language server over the project model (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__("om-markdoc", "0.1.0")
        self.debounce = DEFAULT_DEBOUNCE
        self.spaces: dict[Path, Workspace | None] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.in_partials: dict[str, dict[str, list[types.Diagnostic]]] = {}
        """partial URI → page URI → diagnostics that page's render found in the partial."""

    # -- workspaces --------------------------------------------------------------------------

    def folders(self) -> list[Path]:
        found = [uri_to_path(uri) for uri in self.workspace.folders]
        if self.workspace.root_path:
            found.append(Path(self.workspace.root_path))
        return [f.resolve() for f in found if f is not None]

    def space_for(self, path: Path | None, *, opened: bool = True) -> Workspace | None:
        """The workspace holding ``path`` (the innermost folder), loaded once.  A document the
        editor opened outside every folder gets its own folder's; any other file there gets
        none (a request about a file nobody opened reads nothing outside the folders)."""
        if path is None:
            return None
        path = path.resolve()
        candidates = [f for f in self.folders() if path.is_relative_to(f)] or ([path.parent] if opened else [])
        if not candidates:
            return None
        folder = max(candidates, key=lambda f: len(f.parts))
        if folder not in self.spaces:
            try:
                self.spaces[folder] = Workspace(folder, self.workspace.position_codec)
            except (ProjectError, OSError) as exc:
                self.spaces[folder] = None
                self.say(f"om-markdoc: no project at {folder}: {exc}", types.MessageType.Warning)
        return self.spaces[folder]

    def say(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def document(self, uri: str) -> tuple[Workspace | None, Path | None, str]:
        """The workspace, file and text of a document: the editor's buffer when it is open,
        else the file as saved when it lies in a project (``""`` when it cannot be read, as
        for a deleted file), else no workspace at all (the features then answer nothing)."""
        path = uri_to_path(uri)
        if unquote(uri) in self.workspace.text_documents:
            return self.space_for(path), path, self.workspace.get_text_document(uri).source
        ws = self.space_for(path, opened=False)
        if ws is None or path is None or not ws.inside(path):
            return None, path, ""
        return ws, path, ws.text_of(path)

    # -- diagnostics -------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float | None = None) -> None:
        old = self.timers.pop(uri, None)
        if old is not None:
            old.cancel()
        loop = asyncio.get_event_loop()
        self.timers[uri] = loop.call_later(self.debounce if delay is None else delay, self.publish, uri)

    def publish(self, uri: str) -> None:
        """Compute and send the diagnostics of one open document (and of partials it reaches)."""
        self.timers.pop(uri, None)
        try:
            ws, path, source = self.document(uri)
            if ws is None or path is None:
                return
            if ws.update_buffer(path, source):  # its slug or title changed: other pages' links too
                for other in list(self.workspace.text_documents):
                    if other != uri:
                        self.schedule(other)
            found = diagnostics.file_findings(ws, path, source)
            lines = lines_of(source)
            own = [diagnostics.to_lsp(ws, f, lines) for f in found.own]
            own += [d for by_page in self.in_partials.get(uri, {}).values() for d in by_page]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=own))
            self.publish_partials(ws, uri, found.elsewhere)
        except Exception as exc:  # noqa: BLE001 - a bad page must not stop the server
            self.say(failure(f"diagnostics for {uri}", exc), types.MessageType.Error)

    def publish_partials(self, ws: Workspace, page_uri: str, found: list[Any]) -> None:
        """Findings the page's render met inside partials, shown on the partials."""
        by_file: dict[str, list[Any]] = {}
        for finding in found:
            by_file.setdefault(finding.file, []).append(finding)
        touched = {uri for uri, pages in self.in_partials.items() if page_uri in pages}
        for uri in touched:
            self.in_partials[uri].pop(page_uri, None)
        for file, items in by_file.items():
            path = ws.project.root / file
            uri = path_to_uri(path)
            try:
                lines = lines_of(ws.text_of(path))
            except OSError:
                continue
            self.in_partials.setdefault(uri, {})[page_uri] = [diagnostics.to_lsp(ws, f, lines) for f in items]
            touched.add(uri)
        for uri in touched:
            if uri == page_uri:
                continue
            merged = [d for by_page in self.in_partials.get(uri, {}).values() for d in by_page]
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=merged))


def failure(what: str, exc: BaseException) -> str:
    """One log line for an exception a handler caught: what failed, why, and the innermost
    place (enough for a bug report; a traceback in the editor's log helps no author)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    reason = str(exc).splitlines()[0] if str(exc) else ""
    return f"om-markdoc: {what} failed: {type(exc).__name__}: {reason}{where}"


def guarded(server: OmServer, default: Callable[[], object]) -> Callable[[Handler], Handler]:
    """Log an exception and answer ``default()``: editors retry, a dead server does not."""

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(params: Any) -> Any:
            try:
                return handler(params)
            except Exception as exc:  # noqa: BLE001
                server.say(failure(handler.__name__, exc), types.MessageType.Error)
                return default()

        return cast(Handler, run)  # functools.wraps keeps the handler's name and signature

    return wrap


def build_server() -> OmServer:
    """A server with every feature registered."""
    server = OmServer()

    @server.feature(types.INITIALIZE)
    @guarded(server, lambda: None)
    def initialize(params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("debounce"), (int, float)):
            server.debounce = max(0.0, float(options["debounce"]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(server, lambda: None)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(server, lambda: None)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(server, lambda: None)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        ws = server.space_for(path)
        if ws is not None and path is not None:
            ws.refresh(path)
            for uri in list(server.workspace.text_documents):
                server.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(server, lambda: None)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        path = uri_to_path(params.text_document.uri)
        ws = server.space_for(path)
        if ws is not None and path is not None and ws.close_buffer(path):
            for uri in list(server.workspace.text_documents):
                if uri != params.text_document.uri:
                    server.schedule(uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(server, lambda: None)
    def watched(params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = uri_to_path(change.uri)
            ws = server.space_for(path, opened=False)
            if ws is not None and path is not None:
                ws.refresh(path)

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=TRIGGERS))
    @guarded(server, lambda: None)
    def complete(params: types.CompletionParams) -> types.CompletionList | None:
        ws, path, source = server.document(params.text_document.uri)
        if ws is None:
            return None
        items = completion.complete(ws, ws.page_at(path), source, params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(server, lambda: None)
    def on_hover(params: types.HoverParams) -> types.Hover | None:
        ws, path, source = server.document(params.text_document.uri)
        return hover.hover(ws, ws.page_at(path), source, params.position) if ws is not None else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    @guarded(server, list)
    def definition(params: types.DefinitionParams) -> list[types.Location]:
        ws, path, source = server.document(params.text_document.uri)
        return navigation.definition(ws, ws.page_at(path), source, params.position) if ws is not None else []

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    @guarded(server, list)
    def references(params: types.ReferenceParams) -> list[types.Location]:
        ws, path, source = server.document(params.text_document.uri)
        return navigation.references(ws, path, source, params.position) if ws is not None and path is not None else []

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded(server, list)
    def symbols(params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        ws, _path, source = server.document(params.text_document.uri)
        return navigation.symbols(ws, source) if ws is not None else []

    @server.feature(types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded(server, list)
    def folding(params: types.FoldingRangeParams) -> list[types.FoldingRange]:
        ws, _path, source = server.document(params.text_document.uri)
        return navigation.folding(ws, source) if ws is not None else []

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    @guarded(server, list)
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        ws, path, source = server.document(params.text_document.uri)
        if ws is None:
            return []
        return actions.code_actions(ws, ws.page_at(path), params.text_document.uri, source, list(params.context.diagnostics))

    return server
