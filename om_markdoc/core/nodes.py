"""Schemas of the built-in node types (``Markdoc.nodes``), with their transforms."""

from __future__ import annotations

from typing import Any

from .ast import Node
from .tag import Tag

_BLOCK = ["heading", "paragraph", "image", "table", "tag", "fence", "blockquote", "list", "hr"]


def _heading(node: Node, config: dict[str, Any]) -> Tag:
    return Tag(f"h{node.attributes.get('level')}", node.transform_attributes(config), node.transform_children(config))


def _fence(node: Node, config: dict[str, Any]) -> Tag:
    attributes = node.transform_attributes(config)
    children = node.transform_children(config) if node.children else [node.attributes.get("content")]
    return Tag("pre", attributes, children)


def _list(node: Node, config: dict[str, Any]) -> Tag:
    name = "ol" if node.attributes.get("ordered") else "ul"
    return Tag(name, node.transform_attributes(config), node.transform_children(config))


def _code(node: Node, config: dict[str, Any]) -> Tag:
    return Tag("code", node.transform_attributes(config), [node.attributes.get("content")])


def _text(node: Node, config: dict[str, Any]) -> Any:
    return node.attributes.get("content")


def _softbreak(node: Node, config: dict[str, Any]) -> str:
    return " "


def builtin_nodes() -> dict[str, dict[str, Any]]:
    """A fresh copy of the built-in node schemas (callers may extend them safely)."""
    inline_children = ["strong", "em", "s", "code", "text", "tag", "link", "image", "hardbreak", "softbreak", "comment"]
    return {
        "document": {
            "render": "article",
            "children": ["heading", "paragraph", "image", "table", "tag", "fence", "blockquote", "comment", "list", "hr"],
            "attributes": {"frontmatter": {"render": False}},
        },
        "heading": {
            "children": ["inline"],
            "attributes": {"level": {"type": "Number", "render": False, "required": True}},
            "transform": _heading,
        },
        "paragraph": {"render": "p", "children": ["inline"]},
        "image": {
            "render": "img",
            "attributes": {"src": {"type": "String", "required": True}, "alt": {"type": "String"}, "title": {"type": "String"}},
        },
        "fence": {
            "render": "pre",
            "attributes": {
                "content": {"type": "String", "render": False, "required": True},
                "language": {"type": "String", "render": "data-language"},
                "process": {"type": "Boolean", "render": False, "default": True},
            },
            "transform": _fence,
        },
        "blockquote": {"render": "blockquote", "children": list(_BLOCK)},
        "item": {"render": "li", "children": ["inline", *_BLOCK]},
        "list": {
            "children": ["item"],
            "attributes": {
                "ordered": {"type": "Boolean", "render": False, "required": True},
                "start": {"type": "Number"},
                "marker": {"type": "String", "render": False},
            },
            "transform": _list,
        },
        "hr": {"render": "hr"},
        "table": {"render": "table"},
        "td": {
            "render": "td",
            "children": ["inline", *_BLOCK],
            "attributes": {
                "align": {"type": "String"},
                "colspan": {"type": "Number", "render": "colSpan"},
                "rowspan": {"type": "Number", "render": "rowSpan"},
            },
        },
        "th": {
            "render": "th",
            "attributes": {
                "width": {"type": "String"},
                "align": {"type": "String"},
                "colspan": {"type": "Number", "render": "colSpan"},
                "rowspan": {"type": "Number", "render": "rowSpan"},
            },
        },
        "tr": {"render": "tr", "children": ["th", "td"]},
        "tbody": {"render": "tbody", "children": ["tr", "tag"]},
        "thead": {"render": "thead", "children": ["tr"]},
        "strong": {
            "render": "strong",
            "children": ["em", "s", "link", "code", "text", "tag"],
            "attributes": {"marker": {"type": "String", "render": False}},
        },
        "em": {
            "render": "em",
            "children": ["strong", "s", "link", "code", "text", "tag"],
            "attributes": {"marker": {"type": "String", "render": False}},
        },
        "s": {"render": "s", "children": ["strong", "em", "link", "code", "text", "tag"]},
        "inline": {"children": inline_children},
        "link": {
            "render": "a",
            "children": ["strong", "em", "s", "code", "text", "tag"],
            "attributes": {"href": {"type": "String", "required": True}, "title": {"type": "String"}},
        },
        "code": {
            "render": "code",
            "attributes": {"content": {"type": "String", "render": False, "required": True}},
            "transform": _code,
        },
        "text": {"attributes": {"content": {"type": "String", "required": True}}, "transform": _text},
        "hardbreak": {"render": "br"},
        "softbreak": {"transform": _softbreak},
        "comment": {"attributes": {"content": {"type": "String", "required": True}}},
        "error": {},
        "node": {},
    }


NODES = builtin_nodes()
