"""The ``{% table %}`` transform: lists become rows, ``---`` separates them, the first list is the header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..ast import Node


def _to_row(node: Node, cell_type: str = "td") -> Node:
    node.type = "tr"
    node.attributes = {}
    for cell in node.children:
        cell.type = cell_type
    return node


def _is_conditional(node: Node, conditional_tags: Sequence[str]) -> bool:
    return node.type == "tag" and bool(node.tag) and node.tag in conditional_tags


def _is_comment(node: Node) -> bool:
    return node.type == "comment" or (node.type == "tag" and node.tag == "comment")


def _unexpected(node: Node) -> dict[str, Any]:
    what = f"{node.type} {node.tag}" if node.tag else node.type
    return {
        "id": "table-syntax",
        "level": "critical",
        "message": f"Found {what} where a list was expected. Make sure all content inside table cells is indented.",
        "location": node.location,
    }


def _conditional_rows(row: Node, conditional_tags: Sequence[str]) -> None:
    kept: list[Node] = []
    for child in row.children:
        if child.type == "hr":
            continue
        if child.type == "list":
            _to_row(child)
        elif not (_is_comment(child) or child.tag == "else" or _is_conditional(child, conditional_tags)):
            row.errors.append(_unexpected(child))
            continue
        kept.append(child)
    row.children = kept


def transform_tables(document: Node, conditional_tags: Sequence[str] = ("if",)) -> None:
    """Rewrite every ``table`` tag's children into a ``table`` node (in place)."""
    for node in document.walk():
        if node.type != "tag" or node.tag != "table" or not node.children:
            continue
        first, *rest = node.children
        if first.type == "table":
            continue
        thead, tbody = Node("thead"), Node("tbody")
        table = Node("table", node.attributes, [thead, tbody])
        if first.type == "list":
            thead.children.append(_to_row(first, "th"))
        for row in rest:
            if row.type == "list":
                _to_row(row)
            elif _is_conditional(row, conditional_tags):
                _conditional_rows(row, conditional_tags)
            elif row.type != "hr" and not _is_comment(row):
                node.errors.append(_unexpected(row))
                continue
            else:
                continue
            tbody.children.append(row)
        node.children = [table]
