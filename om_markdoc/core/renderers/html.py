"""The HTML renderer, byte for byte ``Markdoc.renderers.html``.

No newlines between elements, attribute names lowercased, values stringified the JavaScript way,
void elements without a closing tag.  Iterative, so deeply nested trees cannot exhaust the stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..jsvalue import js_number_to_string, js_string
from ..tag import RawHtml, Tag

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)


def escape_html(text: str) -> str:
    """markdown-it's ``escapeHtml``: ``& < > "`` only (not ``'``).

    A membership test before each replacement: most text has none of the four characters, and
    ``in`` plus ``replace`` is several times faster than ``str.translate`` with a mapping."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    return text


def _open_tag(tag: Tag) -> str:
    if not tag.attributes:
        return f"<{tag.name}>"
    attributes = "".join(
        f' {key.lower()}="{escape_html(value if type(value) is str else js_string(value))}"'
        for key, value in tag.attributes.items()
    )
    return f"<{tag.name}{attributes}>"


def render_html(node: Any) -> str:
    """Render a render tree (a ``Tag``, string, number, list, or anything else as nothing).

    Iterative: ``pending`` holds an iterator over each open element's (or list's) children and
    ``closers`` the matching closing tag (``""`` for a list or a nameless tag), so that strings,
    the bulk of a tree, are written without going through a stack.
    """
    out: list[str] = []
    write = out.append
    pending: list[Iterator[Any]] = [iter((node,))]
    closers: list[str] = []
    while pending:
        for item in pending[-1]:
            kind = type(item)
            if kind is str:
                write(escape_html(item))
            elif kind is Tag or isinstance(item, Tag):
                children = item.children if item.children is not None else []
                name = item.name
                if name:
                    write(_open_tag(item))
                    if name in VOID_ELEMENTS:
                        continue
                    closers.append(f"</{name}>")
                else:
                    closers.append("")
                pending.append(iter(children))
                break
            elif kind is RawHtml:
                write(item)
            elif isinstance(item, str):
                write(escape_html(item))
            elif isinstance(item, list):
                closers.append("")
                pending.append(iter(item))
                break
            elif isinstance(item, (int, float)) and not isinstance(item, bool):
                write(escape_html(js_number_to_string(item)))
        else:
            pending.pop()
            if closers:
                write(closers.pop())
    return "".join(out)
