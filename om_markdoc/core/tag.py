"""The render tree: ``Tag`` objects, the output of ``transform`` and the input of renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .jsvalue import to_json_value


class RawHtml(str):
    """Trusted, already-escaped HTML that the HTML renderer emits verbatim.

    An om-markdoc extension (the reference has none): only transforms produce it, for markup
    such as syntax-highlighted code; content authors cannot, since text from documents is
    always a plain ``str`` and is escaped.
    """

    __slots__ = ()


@dataclass
class Tag:
    """An element: ``name`` (``None``/empty means "just the children"), attributes, children.

    Children are strings, numbers, nested ``Tag`` objects, lists, or values that render as nothing
    (``None``, booleans, dicts), exactly the shapes the reference's renderable tree holds.
    """

    name: str | None = "div"
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[Any] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The reference's ``JSON.stringify(tag)`` shape (``$$mdtype: "Tag"``)."""
        return {
            "$$mdtype": "Tag",
            "name": self.name,
            "attributes": to_json_value(self.attributes),
            "children": to_json_value(self.children),
        }


def flatten(items: Any) -> list[Any]:
    """Transform output as a flat list: nested lists and nameless ``Tag``s (fragments) are opened.

    Partials and transparent tags return lists; containers need their real items to wrap them.
    """
    out: list[Any] = []
    stack = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, Tag) and not item.name:
            stack.extend(reversed(item.children or []))
        elif item is not None and not isinstance(item, (bool, dict)):
            out.append(item)
    return out
