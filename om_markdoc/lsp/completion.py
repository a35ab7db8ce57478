"""Completion from what the project knows: tag schemas, partial files, slugs, images, headings.

Why from the project and not from a word list: the dialect's schemas carry every attribute's
type, description and allowed values (``matches``), the slug indexes know which pages a link
can reach in each version, and the rendered record knows the exact ids anchors must name.
Items replace the text already typed (a ``textEdit`` over it), so editors that filter on a
prefix with ``/`` or ``#`` in it still match.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from ..site.layout import VERSION_DIR_RE
from ..site.pages import Page
from .text import Cursor
from .workspace import Workspace

_TAG_NAME = re.compile(r"^\s*/?\s*([A-Za-z][\w-]*)?$")
_ATTRIBUTE_VALUE = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*"([^"]*)$')
_LINK = re.compile(r"(?:\]\(\s*<?|\b(?:href|link|url|src)\s*=\s*\")([^\s)\"]*)$")


def type_name(value: Any) -> str:
    """An attribute type as authors read it (``String``, ``Number``, a class's name)."""
    return value if isinstance(value, str) else getattr(value, "__name__", str(value))


def complete(ws: Workspace, page: Page | None, source: str, pos: types.Position) -> list[types.CompletionItem]:
    """Items for the cursor at ``pos`` in ``source`` (empty when nothing fits)."""
    cursor = Cursor.at(source, pos, ws.codec)
    inside = cursor.tag_before()
    if inside is not None:
        return _in_tag(ws, cursor, inside)
    link = _LINK.search(cursor.before)
    if link is not None:
        return _link_items(ws, page, source, cursor, link.group(1), link.start(1))
    return []


def _edit(cursor: Cursor, start: int, label: str, **extra: Any) -> types.CompletionItem:
    """An item whose text replaces ``cursor.text[start:cursor.column]``."""
    edit = types.TextEdit(range=cursor.word_range(start, cursor.column), new_text=label)
    return types.CompletionItem(label=label, text_edit=edit, filter_text=label, **extra)


def _in_tag(ws: Workspace, cursor: Cursor, inside: str) -> list[types.CompletionItem]:
    tags = ws.state.renderer.tags
    name = _TAG_NAME.match(inside)
    if name is not None:
        start = cursor.column - len(name.group(1) or "")
        return [
            _edit(cursor, start, tag, kind=types.CompletionItemKind.Class,
                  detail="self-closing tag" if schema.get("selfClosing") else "tag",
                  documentation=_markdown(schema.get("description", "")))  # fmt: skip
            for tag, schema in sorted(tags.items())
        ]
    tag = re.match(r"\s*([A-Za-z][\w-]*)", inside)
    schema = tags.get(tag.group(1)) if tag else None
    if schema is None:
        return []
    attributes: dict[str, Any] = schema.get("attributes") or {}
    value = _ATTRIBUTE_VALUE.search(inside)
    if value is not None:
        attribute, typed = value.group(1), value.group(2)
        start = cursor.column - len(typed)
        if attribute == "file" and tag is not None and tag.group(1) == "partial":
            return [_edit(cursor, start, n, kind=types.CompletionItemKind.File) for n in ws.partial_names()]
        if attribute in ("src", "href", "link"):
            link = _LINK.search(cursor.before)
            return _link_items(ws, None, "", cursor, typed, start) if link else []
        matches = (attributes.get(attribute) or {}).get("matches")
        if isinstance(matches, (list, tuple)):
            return [_edit(cursor, start, str(m), kind=types.CompletionItemKind.EnumMember) for m in matches]
        return []
    present = set(re.findall(r"([A-Za-z_][\w-]*)\s*=", inside))
    word = re.search(r"([A-Za-z_][\w-]*)?$", cursor.before)
    start = cursor.column - len(word.group(1) or "") if word else cursor.column
    items = []
    for attribute, spec in sorted(attributes.items()):
        if attribute in present or attribute == "primary":
            continue
        spec = spec if isinstance(spec, dict) else {}
        kind = type_name(spec.get("type", "String"))
        required = " (required)" if spec.get("required") else ""
        items.append(
            _edit(cursor, start, attribute, kind=types.CompletionItemKind.Property, detail=f"{kind}{required}",
                  documentation=_markdown(_attribute_doc(spec)))  # fmt: skip
        )
    return items


def _attribute_doc(spec: dict[str, Any]) -> str:
    text = str(spec.get("description", ""))
    matches = spec.get("matches")
    if isinstance(matches, (list, tuple)):
        text += "\n\nOne of: " + ", ".join(f"`{m}`" for m in matches)
    return text


def _markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)


def _link_items(
    ws: Workspace, page: Page | None, source: str, cursor: Cursor, typed: str, start: int
) -> list[types.CompletionItem]:
    """Slugs after ``/``, images after ``/images/``, heading ids after ``#``."""
    if "#" in typed:
        return _anchor_items(ws, page, source, cursor, typed, start)
    if typed.startswith("/images/"):
        return [_edit(cursor, start, p, kind=types.CompletionItemKind.File) for p in ws.image_paths()]
    if not typed.startswith("/"):
        return []
    first = typed[1:].split("/", 1)[0]
    if "/" in typed[1:] and VERSION_DIR_RE.match(first) and ws.project.version(first) is not None:
        index = ws.indexes.get(first)
        if index is None:
            return []
        return _slug_items(cursor, start, index.by_slug, f"/{first}")
    index = ws.index_for(page)
    items = _slug_items(cursor, start, index.by_slug if index is not None else {}, "")
    items += [
        _edit(
            cursor, start, f"/{v.name}/", kind=types.CompletionItemKind.Folder, detail="another version", sort_text="~" + v.name
        )
        for v in ws.project.versions
    ]
    return items


def _slug_items(cursor: Cursor, start: int, by_slug: dict[str, Page], prefix: str) -> list[types.CompletionItem]:
    return [
        _edit(cursor, start, prefix + slug, kind=types.CompletionItemKind.Reference, detail=target.title)
        for slug, target in sorted(by_slug.items())
    ]


def _anchor_items(
    ws: Workspace, page: Page | None, source: str, cursor: Cursor, typed: str, start: int
) -> list[types.CompletionItem]:
    path, _, _ = typed.partition("#")
    if path:
        index = ws.index_for(page)
        target = index.resolve_link(path, page) if index is not None else None
        if target is None or target.page is None:
            return []
        headings = ws.record_of(target.page).headings
    else:
        headings = ws.record(source).headings if source else []
    base = start + len(path) + 1
    return [
        _edit(cursor, base, h.id, kind=types.CompletionItemKind.Reference, detail=f"{'#' * h.level} {h.name}") for h in headings
    ]
