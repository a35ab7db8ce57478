"""The Markdoc abstract syntax tree: ``Node``, ``Variable`` and ``Function``.

These mirror the reference library's ``Node``/``Variable``/``Function`` classes closely, because
everything downstream (validation messages, transform order, error lines) depends on their exact
shape.  Attribute values are plain Python values (``None``, ``bool``, ``int``/``float``, ``str``,
``list``, ``dict`` with string keys in JavaScript key order) or ``Variable``/``Function`` objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import transformer as _transformer
from .jsvalue import to_json_value
from .values import UNDEFINED, Function, Variable, has_ast_values, resolve_value

__all__ = [
    "UNDEFINED",
    "Function",
    "Node",
    "PendingLocation",
    "Variable",
    "has_ast_values",
    "resolve_value",
]


@dataclass(frozen=True, slots=True)
class PendingLocation:
    """What a node's location is made of; ``lines[0]``/``lines[1]`` never change after parsing."""

    file: str | None
    position: dict[str, int] | None

    def build(self, lines: list[int]) -> dict[str, Any]:
        start: dict[str, Any] = {}
        end: dict[str, Any] = {}
        if lines:
            start["line"] = lines[0]
        if len(lines) > 1:
            end["line"] = lines[1]
        if self.position:
            start["character"] = self.position["start"]
            end["character"] = self.position["end"]
        location: dict[str, Any] = {"start": start, "end": end}
        return {"file": self.file, **location} if self.file is not None else location


@dataclass(eq=False, slots=True)
class Node:
    """One AST node.  ``lines`` are 0-based ``[start, end_exclusive, ...]`` as markdown-it maps them."""

    type: str = "node"
    attributes: dict[str, Any] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    tag: str | None = None
    slots: dict[str, Node] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _location: PendingLocation | dict[str, Any] | None = field(default=None, repr=False)
    inline: bool = False
    dynamic: bool = True
    """False when no variable or function occurs in this subtree, so resolving can skip it.

    The parser computes it for the documents it builds; hand-built nodes stay conservative."""

    @property
    def location(self) -> dict[str, Any] | None:
        """``{file, start: {line, character}, end: {...}}``, built on first use: most nodes never
        need theirs (only those with errors do), so the parser stores a recipe instead."""
        location = self._location
        if isinstance(location, PendingLocation):
            location = self._location = location.build(self.lines)
        return location

    @location.setter
    def location(self, value: dict[str, Any] | None) -> None:
        self._location = value

    def walk(self) -> Iterator[Node]:
        """Pre-order over slots then children, not including ``self`` (as the reference does).

        Iterative, so that documents nested thousands deep do not hit Python's recursion limit;
        a node's children are read after it is yielded, so a consumer may replace them (the
        table transform does).
        """
        stack: list[Node] = [*reversed([*self.slots.values(), *self.children])]
        while stack:
            node = stack.pop()
            yield node
            if node.slots:
                stack.extend(reversed([*node.slots.values(), *node.children]))
            elif node.children:
                stack.extend(reversed(node.children))

    def push(self, node: Node) -> None:
        self.children.append(node)

    # The reference's convenience methods, which custom transforms call.
    def find_schema(self, config: dict[str, Any]) -> dict[str, Any] | None:
        return _transformer.find_schema(self, config)

    def resolve(self, config: dict[str, Any]) -> Node:
        return _transformer.resolve_node(self, config)

    def transform_attributes(self, config: dict[str, Any]) -> dict[str, Any]:
        return _transformer.transform_attributes(self, config)

    def transform_children(self, config: dict[str, Any]) -> list[Any]:
        return _transformer.transform_children(self, config)

    def transform(self, config: dict[str, Any]) -> Any:
        return _transformer.transform_node(self, config)

    def to_json(self) -> dict[str, Any]:
        """The reference's ``JSON.stringify(node)`` shape (``$$mdtype: "Node"``)."""
        out: dict[str, Any] = {
            "$$mdtype": "Node",
            "errors": self.errors,
            "lines": self.lines,
            "inline": self.inline,
            "attributes": to_json_value(self.attributes),
            "children": [c.to_json() for c in self.children],
            "type": self.type,
            "annotations": to_json_value(self.annotations),
            "slots": {k: v.to_json() for k, v in self.slots.items()},
        }
        if self.location is not None:
            out["location"] = self.location
        if self.tag is not None:
            out["tag"] = self.tag
        return out

