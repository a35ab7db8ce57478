"""Tokens → AST: builds the ``Node`` tree from markdown-it tokens exactly as the reference does.

Markdoc's block tags are flat markers in markdown-it's token stream; nesting comes from a stack
of open nodes.  Structural mistakes (``missing-opening``, ``missing-closing``,
``no-inline-annotations``, ``duplicate-attribute``) are recorded on the nodes, never raised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from .ast import Function, Node, PendingLocation, Variable, has_ast_values
from .transforms.table import transform_tables

_TYPE_MAP = {
    "ordered_list": "list",
    "bullet_list": "list",
    "code_inline": "code",
    "list_item": "item",
    "variable": "text",
}


@dataclass
class ParseOptions:
    """The reference's ``ParserArgs``."""

    file: str | None = None
    slots: bool = False
    location: bool = True
    conditional_tags: Sequence[str] = ("if",)
    fence_open: str = "{%"


_TYPE_NAMES: dict[str, str] = {}


def _type_name(token_type: str) -> str:
    """``token.type.replace(/_(open|close)$/, '')`` then the node-type mapping (memoised)."""
    name = _TYPE_NAMES.get(token_type)
    if name is None:
        base = token_type
        if base.endswith("_open"):
            base = base[:-5]
        elif base.endswith("_close"):
            base = base[:-6]
        name = _TYPE_NAMES[token_type] = _TYPE_MAP.get(base, base)
    return name


def _annotate(node: Node, attributes: list[dict[str, Any]]) -> None:
    for attribute in attributes:
        node.annotations.append(attribute)
        name, value = attribute["name"], attribute["value"]
        if attribute["type"] == "attribute":
            if name in node.attributes:
                node.errors.append(
                    {"id": "duplicate-attribute", "level": "warning", "message": f"Attribute '{name}' already set"}
                )
            node.attributes[name] = value
        elif attribute["type"] == "class":
            existing = node.attributes.get("class")
            if isinstance(existing, dict):
                existing[name] = value
            elif existing:
                # JavaScript strict mode throws here (`class="x" .foo`); the reference's parse()
                # crashes.  We keep the string class and report it instead (a documented deviation).
                node.errors.append(
                    {
                        "id": "attribute-type-invalid",
                        "level": "error",
                        "message": f"Cannot add class '{name}' to the string class '{existing}'",
                    }
                )
            else:
                node.attributes["class"] = {name: value}


def _heading_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    return {"level": int(token.tag[1:])}


def _list_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    ordered = token.type.startswith("ordered")
    start = (token.attrs or {}).get("start")
    if ordered and start:
        return {"ordered": True, "start": start, "marker": token.markup}
    return {"ordered": ordered, "marker": token.markup}


def _link_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    attrs = token.attrs
    if "href" not in attrs:
        # A stray `link_close` (a tag splitting link text): the reference throws reading the
        # missing attributes; the node gets none, and validation reports the missing href.
        return {}
    return {"href": attrs["href"], "title": attrs["title"]} if attrs.get("title") else {"href": attrs["href"]}


def _image_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    attrs = token.attrs
    out = {"alt": token.content, "src": attrs.get("src", "")}
    if attrs.get("title"):
        out["title"] = attrs["title"]
    return out


def _marker_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    return {"marker": token.markup}


def _html_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    # Only with markdown-it's ``html`` option (never in the reference's default); the
    # reference keeps no content, which would leave a raw-HTML policy nothing to apply.
    return {"content": token.content}


def _content_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    variable = (token.meta or {}).get("variable")
    return {"content": variable if variable is not None else token.content}


def _fence_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    language = token.info.split(" ", 1)[0]
    if language in ("", fence_open):
        return {"content": token.content}
    return {"content": token.content, "language": language}


def _cell_attrs(token: Token, fence_open: str) -> dict[str, Any]:
    style = (token.attrs or {}).get("style")
    if style:
        for align in ("left", "center", "right"):
            if align in str(style):
                return {"align": align}
    return {}


_ATTRS = {
    "heading": _heading_attrs,
    "list": _list_attrs,
    "link": _link_attrs,
    "image": _image_attrs,
    "em": _marker_attrs,
    "strong": _marker_attrs,
    "html_block": _html_attrs,
    "html_inline": _html_attrs,
    "text": _content_attrs,
    "code": _content_attrs,
    "comment": _content_attrs,
    "fence": _fence_attrs,
    "td": _cell_attrs,
    "th": _cell_attrs,
}
"""A node's attributes from its token, by node type (types not listed get none).

A table rather than an ``if`` chain: ``inline``, ``paragraph`` and ``item`` nodes, among the most
frequent, would otherwise run through every comparison."""


def _attrs(token: Token, type_name: str, fence_open: str) -> dict[str, Any]:
    make = _ATTRS.get(type_name)
    return make(token, fence_open) if make is not None else {}


_NO_META: dict[str, Any] = {}


class _Builder:
    """Holds the stack of open nodes while tokens are consumed."""

    def __init__(self, options: ParseOptions) -> None:
        self.options = options
        self.document = Node("document")
        self.stack: list[Node] = [self.document]
        self.has_table_tag = False
        self.dynamic = False
        self._plain_location = PendingLocation(options.file, None)

    def location(self, lines: list[int], position: dict[str, int] | None) -> PendingLocation:
        """A node's (lazily built) location; map-less siblings share their parent's lines, and
        this recipe too."""
        if position is None:
            return self._plain_location
        return PendingLocation(self.options.file, position)

    def consume(self, tokens: Sequence[Token], inline_parent: Node | None) -> None:
        """Build the nodes of ``tokens`` (a document's, or one token's children).

        The frequent tokens take short paths here with the same result as ``handle``: text, a
        closing token that closes the open node, and an opening or self-contained token without
        Markdoc metadata (markdown-it's own nodes: no tag, no attributes, no errors).  Everything
        else goes through ``handle``.
        """
        stack = self.stack
        located = self.options.location
        plain_location = self._plain_location if located else None
        inline = inline_parent is not None
        fence_open = self.options.fence_open
        for token in tokens:
            if token.hidden:
                self.handle(token, inline_parent)
                continue
            token_type = token.type
            if token_type == "text":
                content = token.content
                if content:
                    parent = stack[-1]
                    lines = (token.map or parent.lines) if located else []
                    parent.children.append(
                        Node("text", {"content": content}, [], None, {}, [], [], lines, plain_location, inline)
                    )
                continue
            meta = token.meta
            if meta or token_type == "annotation":
                self.handle(token, inline_parent)
                continue
            type_name = _TYPE_NAMES.get(token_type) or _type_name(token_type)
            if type_name == "error":
                self.handle(token, inline_parent)
                continue
            parent = stack[-1]
            if token.nesting < 0:
                if parent.type == type_name and parent.tag is None:
                    if token.map:
                        parent.lines.extend(token.map)
                    if len(stack) > 1:
                        stack.pop()
                else:
                    self.handle(token, inline_parent)
                continue
            make = _ATTRS.get(type_name)
            node = Node(
                type_name,
                make(token, fence_open) if make is not None else {},
                [],
                None,
                {},
                [],
                [],
                (token.map or parent.lines) if located else [],
                plain_location,
                inline,
            )
            parent.children.append(node)
            if token.nesting > 0:
                stack.append(node)
            if token.children is not None:
                self.consume_children(token, node, parent, inline_parent)

    def consume_children(self, token: Token, node: Node, parent: Node, inline_parent: Node | None) -> None:
        """An ``inline`` or ``fence`` token's children, built into ``node``."""
        if node.type == "inline":
            inline_parent = parent
        self.stack.append(node)
        if node.type != "image":
            self.consume(token.children or [], inline_parent)  # the callers pass tokens with children
        # The reference pops whatever is on top, even when a child left a node open.
        self.stack.pop()

    def handle(self, token: Token, inline_parent: Node | None = None) -> None:
        """Any token, in full generality (tags, variables, annotations, errors, stray closes)."""
        token_type = token.type
        if token.hidden:
            if token_type == "frontmatter":
                self.document.attributes["frontmatter"] = token.content
            return
        meta = token.meta or _NO_META
        stack = self.stack
        parent = stack[-1]
        # A closing token that closes what is open (``consume`` sees those without metadata).
        if (
            token.nesting < 0
            and token_type != "error"
            and parent.type == _type_name(token_type)
            and parent.tag == (meta.get("tag") or None)
        ):
            if token.map:
                parent.lines.extend(token.map)
            if len(stack) > 1:
                stack.pop()
            return
        errors: list[dict[str, Any]] = list(meta["errors"]) if "errors" in meta else []
        tag = meta.get("tag")
        attributes: Any = meta.get("attributes")
        if token_type == "annotation":
            if inline_parent is not None:
                _annotate(inline_parent, attributes)
                self.dynamic = self.dynamic or has_ast_values(attributes)
            else:
                parent.errors.append(
                    {
                        "id": "no-inline-annotations",
                        "level": "error",
                        "message": f"Can't apply inline annotations to '{parent.type}'",
                    }
                )
            return
        type_name = _type_name(token_type)
        if type_name == "error":
            error = meta["error"]
            errors.append(
                {"id": "parse-error", "level": "critical", "message": error["message"], "location": error["location"]}
            )
        if token.nesting < 0:
            if parent.type == type_name and parent.tag == (tag or None):
                if token.map:
                    parent.lines.extend(token.map)
                if len(stack) > 1:
                    stack.pop()
                return
            errors.append(
                {"id": "missing-opening", "level": "critical", "message": f"Node '{type_name}' is missing opening"}
            )
        lines: list[int] = []
        location = None
        if self.options.location:
            # Shared, not copied: the reference aliases the parent's array, so a later closing tag
            # that extends the parent's lines shows in its map-less children's lines too.
            lines = token.map if token.map else parent.lines
            location = self.location(lines, meta.get("position"))
        attrs = _attrs(token, type_name, self.options.fence_open)
        node = Node(type_name, attrs, [], tag or None, {}, [], errors, lines, location, inline_parent is not None)
        if attributes and type_name in ("tag", "fence", "image"):
            _annotate(node, attributes)
        if not self.dynamic and (
            (type_name == "text" and isinstance(attrs.get("content"), (Variable, Function)))
            or (attributes and has_ast_values(attributes))
        ):
            self.dynamic = True
        if tag == "table":
            self.has_table_tag = True
        if tag == "slot" and self.options.slots and isinstance(node.attributes.get("primary"), str):
            parent.slots[node.attributes["primary"]] = node
        else:
            parent.children.append(node)
        if token.nesting > 0:
            stack.append(node)
        if token.children is not None:
            self.consume_children(token, node, parent, inline_parent)


def parse_tokens(tokens: list[Token], options: ParseOptions | None = None) -> Node:
    """Build the AST of a document from its tokens, then run the parse-time table transform."""
    options = options or ParseOptions()
    builder = _Builder(options)
    builder.consume(tokens, None)
    for node in builder.stack[1:]:
        node.errors.append(
            {
                "id": "missing-closing",
                "level": "critical",
                "message": f"Node '{node.tag or node.type}' is missing closing",
            }
        )
    builder.document.dynamic = builder.dynamic
    if builder.has_table_tag:
        transform_tables(builder.document, options.conditional_tags)
    return builder.document
