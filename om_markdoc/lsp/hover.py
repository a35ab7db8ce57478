"""Hover: what a tag is, where a link goes, what a partial holds.

Why these three: they are what an author otherwise looks up in another window — the tag
reference, the target page (is this the page I mean?), and the partial's text and the
``$variables`` it expects the including tag to pass.
"""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from ..site.pages import Page
from .completion import type_name
from .text import Cursor
from .workspace import Workspace

PARTIAL_PREVIEW_LINES = 12


def hover(ws: Workspace, page: Page | None, source: str, pos: types.Position) -> types.Hover | None:
    cursor = Cursor.at(source, pos, ws.codec)
    quoted = cursor.quoted_around()
    tag = cursor.tag_around()
    if quoted is not None and quoted[0] == "file" and tag is not None and re.match(r"\s*partial\b", tag[0]):
        return _markdown(partial_doc(ws, quoted[1]), cursor.word_range(quoted[2], quoted[3]))
    link = cursor.link_around()
    if link is not None and link[0]:
        text = link_doc(ws, page, link[0])
        return _markdown(text, cursor.word_range(link[1], link[2])) if text else None
    if tag is not None:
        name = re.match(r"\s*/?\s*([A-Za-z][\w-]*)", tag[0])
        if name is not None:
            text = tag_doc(ws, name.group(1))
            return _markdown(text, cursor.word_range(tag[1], tag[2])) if text else None
    return None


def _markdown(text: str, where: types.Range) -> types.Hover:
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text), range=where)


def tag_doc(ws: Workspace, name: str) -> str | None:
    """A tag's description and its attributes (type, required, allowed values)."""
    schema = ws.state.renderer.tags.get(name)
    if schema is None:
        return None
    parts = [f"**{{% {name} %}}**" + (" (self-closing)" if schema.get("selfClosing") else ""), str(schema.get("description", ""))]
    attributes: dict[str, Any] = schema.get("attributes") or {}
    rows = []
    for attribute, spec in sorted(attributes.items()):
        spec = spec if isinstance(spec, dict) else {}
        extra = " *required*" if spec.get("required") else ""
        matches = spec.get("matches")
        if isinstance(matches, (list, tuple)):
            extra += " one of " + ", ".join(f"`{m}`" for m in matches)
        rows.append(f"- `{attribute}`: {type_name(spec.get('type', 'String'))}{extra}. {spec.get('description', '')}".rstrip())
    if rows:
        parts.append("\n".join(rows))
    return "\n\n".join(p for p in parts if p)


def link_doc(ws: Workspace, page: Page | None, href: str) -> str | None:
    """The target page's title and file, or why there is none."""
    if href.startswith("/images/"):
        return f"image `{href}`" + ("" if ws.project.files.image_problem(href, None) is None else " (missing)")
    index = ws.index_for(page)
    if index is None:
        return None
    target = index.resolve_link(href, page)
    if target.kind in ("page", "anchor-only") and target.page is not None:
        where = f"**{target.page.title}**\n\n`{target.page.file}` ({target.page.slug})"
        if target.fragment:
            heading = next((h for h in ws.record_of(target.page).headings if h.id == target.fragment), None)
            where += f"\n\nsection: {heading.name}" if heading else f"\n\nno heading `#{target.fragment}` on that page"
        return where
    if target.kind == "missing":
        return target.problem(href)
    return None


def partial_doc(ws: Workspace, written: str) -> str:
    """A partial's first lines and the ``$variables`` it uses."""
    resolver, store = ws.state.resolver, ws.state.store
    if resolver is None or store is None:
        return "this tree has no partials folder"
    resolved = resolver.resolve(written)
    if resolved.diagnostic is not None or resolved.name is None:
        return resolved.diagnostic.message if resolved.diagnostic is not None else "unresolvable partial"
    try:
        lines = store.source(resolved.name).splitlines()
    except KeyError:
        return f"partial {resolved.name} cannot be read"
    preview = "\n".join(lines[:PARTIAL_PREVIEW_LINES]) + ("\n…" if len(lines) > PARTIAL_PREVIEW_LINES else "")
    variables = sorted({var for var, _line, _column in ws.state.variable_uses(resolved.name)})
    text = f"`{resolver.display(resolved.path or resolver.path_for(resolved.name))}`\n\n```markdoc\n{preview}\n```"
    if variables:
        text += "\n\nvariables: " + ", ".join(f"`${v}`" for v in variables)
    return text
