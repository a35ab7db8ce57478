"""Go to definition, find references, document symbols and folding ranges.

Why a raw-text scan for references: "who includes this partial" and "who links to this page"
must cover the whole tree, and rendering thousands of pages for that would take seconds; the
include and link syntax is regular enough to find in text, and each link found is still
resolved by the project's slug index, so ``/a/b``, ``/a/b/`` and ``/v1.5.x/a/b`` all count.
Symbols and folds come from the page's own AST (tags know their opening and closing lines).
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from ..core.ast import Node
from ..site.pages import Page
from .text import Cursor, lines_of, path_to_uri, position, span
from .workspace import LINK_REF, PARTIAL_REF, Workspace

SYMBOL_TAGS = {"stepsContainer": "Steps", "step": "Step", "stepDescription": None, "tabs": "Tabs", "tab": "Tab"}
"""Tags shown as document symbols (``None``: use the ``title`` attribute as the name)."""


def _location(path: Path, where: types.Range | None = None) -> types.Location:
    """A place in another file: its first line unless ``where`` says more."""
    start = types.Position(line=0, character=0)
    return types.Location(uri=path_to_uri(path), range=where or types.Range(start=start, end=start))


def _line_start(line0: int) -> types.Range:
    start = types.Position(line=line0, character=0)
    return types.Range(start=start, end=start)


def definition(ws: Workspace, page: Page | None, source: str, pos: types.Position) -> list[types.Location]:
    """A partial's file, a linked page (its first line), or the heading an anchor names."""
    cursor = Cursor.at(source, pos, ws.codec)
    quoted = cursor.quoted_around()
    tag = cursor.tag_around()
    if quoted is not None and quoted[0] == "file" and tag is not None and "partial" in tag[0]:
        resolved = ws.state.resolver.resolve(quoted[1]) if ws.state.resolver is not None else None
        found = resolved.path if resolved is not None else None
        return [_location(found)] if found is not None and ws.inside(found) else []
    link = cursor.link_around()
    if link is None or not link[0]:
        return []
    href = link[0]
    if href.startswith("/images/"):
        image = ws.image_file(href)
        return [_location(image)] if image is not None else []
    index = ws.index_for(page)
    if index is None:
        return []
    target = index.resolve_link(href, page)
    if target.page is None or target.kind not in ("page", "anchor-only"):
        return []
    if target.fragment:
        text = source if target.page is page else ws.text_of(target.page.path)
        for heading in ws.record(text).headings:
            if heading.id == target.fragment and heading.own:
                return [_location(target.page.path, _line_start(heading.line0))]
    return [_location(target.page.path)]


def references(ws: Workspace, path: Path, source: str, pos: types.Position) -> list[types.Location]:
    """Include sites of a partial (the open file, or the one under the cursor), else the pages
    linking to the open page."""
    cursor = Cursor.at(source, pos, ws.codec)
    quoted = cursor.quoted_around()
    resolver = ws.state.resolver
    name = None
    if quoted is not None and quoted[0] == "file" and resolver is not None:
        name = resolver.canonical(quoted[1])[0]
    elif resolver is not None and ws.project.is_partial(path):
        name = resolver.name_for(path.resolve())
    if name is not None:
        return partial_includes(ws, name)
    page = ws.page_at(path)
    return links_to(ws, page) if page is not None else []


def partial_includes(ws: Workspace, name: str) -> list[types.Location]:
    resolver = ws.state.resolver
    assert resolver is not None
    found = []
    for file_path, _file, lines in ws.scan_texts():
        for number, line in enumerate(lines):
            if "partial" not in line:
                continue
            for match in PARTIAL_REF.finditer(line):
                if resolver.canonical(match.group(1))[0] == name:
                    found.append(_location(file_path, span(ws.codec, number, line, match.start(1), match.end(1))))
    return found


def links_to(ws: Workspace, target: Page) -> list[types.Location]:
    found = []
    for page in ws.pages:
        index = ws.indexes.get(page.version)
        if index is None:
            continue
        try:
            lines = ws.text_of(page.path).splitlines()
        except OSError:
            continue
        for number, line in enumerate(lines):
            if "](" not in line and "=" not in line:
                continue
            for match in LINK_REF.finditer(line):
                href = match.group(1) or match.group(2) or ""
                group = 1 if match.group(1) else 2
                if href.startswith(("#", "http", "mailto:")):
                    continue
                if index.resolve_link(href, page).page is target:
                    found.append(_location(page.path, span(ws.codec, number, line, match.start(group), match.end(group))))
    return found


def _text_of(node: Node) -> str:
    return "".join(str(n.attributes.get("content", "")) for n in node.walk() if n.type == "text").strip()


def symbols(ws: Workspace, source: str) -> list[types.DocumentSymbol]:
    """Headings (nested by level) and steps, from the page's AST."""
    lines = lines_of(source)
    ast, _ = ws.state.renderer.parse(source, "symbols")
    roots: list[types.DocumentSymbol] = []
    headings: list[tuple[int, types.DocumentSymbol]] = []
    tags: list[tuple[int, types.DocumentSymbol]] = []  # (last line, symbol) of open block tags

    def add(symbol: types.DocumentSymbol, start: int) -> None:
        while tags and tags[-1][0] < start:
            tags.pop()
        parent = tags[-1][1] if tags else headings[-1][1] if headings else None
        (parent.children if parent is not None else roots).append(symbol)  # type: ignore[union-attr]

    for node in ast.walk():
        if not node.lines:
            continue
        start = node.lines[0]
        end = max(start, node.lines[-1] - 1)
        where = types.Range(
            start=position(ws.codec, lines, start, 0),
            end=position(ws.codec, lines, end, len(lines[end]) if end < len(lines) else 0),
        )
        if node.type == "heading":
            level = int(node.attributes.get("level", 1))
            symbol = types.DocumentSymbol(name=_text_of(node) or "(heading)", kind=types.SymbolKind.String,
                                          range=where, selection_range=where, detail="#" * level, children=[])  # fmt: skip
            while headings and headings[-1][0] >= level:
                headings.pop()
            add(symbol, start)
            headings.append((level, symbol))
        elif node.type == "tag" and node.tag in SYMBOL_TAGS:
            label = SYMBOL_TAGS[node.tag]
            number = node.attributes.get("srNumber")
            title = node.attributes.get("title")
            name = (f"{label} {number}" if number is not None else label) if label else str(title or node.tag)
            symbol = types.DocumentSymbol(name=name, kind=types.SymbolKind.Event, range=where, selection_range=where,
                                          detail=node.tag, children=[])  # fmt: skip
            add(symbol, start)
            tags.append((end, symbol))
    return roots


def folding(ws: Workspace, source: str) -> list[types.FoldingRange]:
    """One fold per block tag written over several lines (opening line to closing line)."""
    ast, _ = ws.state.renderer.parse(source, "folding")
    out = []
    for node in ast.walk():
        if node.type == "tag" and len(node.lines) >= 4 and node.lines[2] > node.lines[0]:
            out.append(types.FoldingRange(start_line=node.lines[0], end_line=node.lines[2], kind=types.FoldingRangeKind.Region))
    return out
