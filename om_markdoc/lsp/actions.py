"""Quick fixes for the findings that say how to fix themselves.

Why only these: ``tag-toggle-close`` and ``tag-close-recovered`` are recoveries — the renderer
already knows what the author meant, so the fix is mechanical; a ``link-broken`` slug that is
one typo away from a real slug of the same version gets "did you mean".  Anything needing
judgement (a missing image, a missing partial) is left to the author.
"""

from __future__ import annotations

import difflib
import re

from lsprotocol import types

from ..site.layout import VERSION_DIR_RE
from ..site.pages import Page
from ..site.slugs import split_href
from .text import Cursor, from_client, lines_of
from .workspace import Workspace

_TAG_AT = re.compile(r"\{%-?\s*[/\\]?\s*([A-Za-z][\w-]*)[^%]*?-?%\}")
_BROKEN = re.compile(r"^link to '(.*)': no page in ")
SUGGESTIONS = 3


def code_actions(
    ws: Workspace, page: Page | None, uri: str, source: str, diagnostics: list[types.Diagnostic]
) -> list[types.CodeAction]:
    lines = lines_of(source)
    out: list[types.CodeAction] = []
    for diagnostic in diagnostics:
        line0 = diagnostic.range.start.line
        if diagnostic.source != "om-markdoc" or not 0 <= line0 < len(lines):
            continue
        text = lines[line0]
        column = from_client(ws.codec, text, diagnostic.range.start.character)
        if diagnostic.code in ("tag-toggle-close", "tag-close-recovered"):
            match = _TAG_AT.match(text, column) or _TAG_AT.search(text)
            if match is not None:
                fix = f"{{% /{match.group(1)} %}}"
                out.append(
                    _action(
                        f"Write the closing tag as {fix}",
                        uri,
                        Cursor(line0, text, 0, ws.codec).word_range(match.start(), match.end()),
                        fix,
                        diagnostic,
                    )
                )
        elif diagnostic.code == "link-broken":
            found = _BROKEN.match(diagnostic.message)
            if found is None:
                continue
            href = found.group(1)
            start = text.find(href, column) if text.find(href, column) != -1 else text.find(href)
            if start == -1:
                continue
            for slug in did_you_mean(ws, page, href):
                where = Cursor(line0, text, 0, ws.codec).word_range(start, start + len(href))
                out.append(_action(f"Did you mean {slug}?", uri, where, slug, diagnostic))
    return out


def did_you_mean(ws: Workspace, page: Page | None, href: str) -> list[str]:
    """Slugs of the page's version close to a version-less ``href`` (fragment and query kept)."""
    path, query, fragment = split_href(href.strip())
    first = path.lstrip("/").split("/", 1)[0]
    if not path.startswith("/") or VERSION_DIR_RE.match(first):
        return []
    index = ws.index_for(page)
    if index is None:
        return []
    wanted = index.normalize_target(path)
    close = difflib.get_close_matches(wanted, list(index.by_slug), n=SUGGESTIONS, cutoff=0.75)
    tail = (f"?{query}" if query is not None else "") + (f"#{fragment}" if fragment is not None else "")
    return [slug + tail for slug in close]


def _action(title: str, uri: str, where: types.Range, new_text: str, diagnostic: types.Diagnostic) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=where, new_text=new_text)]}),
    )
