"""The HTML renderer, byte for byte ``Markdoc.renderers.html``.

No newlines between elements, attribute names lowercased, values stringified the JavaScript way,
void elements without a closing tag.  Iterative, so deeply nested trees cannot exhaust the stack.
"""

from __future__ import annotations

from typing import Any

from ..jsvalue import js_number_to_string, js_string
from ..tag import RawHtml, Tag

VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)

_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape_html(text: str) -> str:
    """markdown-it's ``escapeHtml``: ``& < > "`` only (not ``'``)."""
    return text.translate(_ESCAPES)


def _open_tag(tag: Tag) -> str:
    if not tag.attributes:
        return f"<{tag.name}>"
    attributes = "".join(
        f' {key.lower()}="{(value if type(value) is str else js_string(value)).translate(_ESCAPES)}"'
        for key, value in tag.attributes.items()
    )
    return f"<{tag.name}{attributes}>"


def render_html(node: Any) -> str:
    """Render a render tree (a ``Tag``, string, number, list, or anything else as nothing)."""
    out: list[str] = []
    # Work stack of pending items: a value to render, or a closing tag (a str marked by tuple).
    stack: list[Any] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item if type(item) is RawHtml else item.translate(_ESCAPES))
        elif isinstance(item, Tag):
            children = item.children if item.children is not None else []
            if not item.name:
                stack.append(list(children))
                continue
            out.append(_open_tag(item))
            if item.name in VOID_ELEMENTS:
                continue
            stack.append((f"</{item.name}>",))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, tuple):
            out.append(item[0])
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(escape_html(js_number_to_string(item)))
    return "".join(out)
