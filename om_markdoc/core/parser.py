"""Tokens → AST: builds the ``Node`` tree from markdown-it tokens exactly as the reference does.

Markdoc's block tags are flat markers in markdown-it's token stream; nesting comes from a stack
of open nodes.  Structural mistakes (``missing-opening``, ``missing-closing``,
``no-inline-annotations``, ``duplicate-attribute``) are recorded on the nodes, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

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


def _attrs(token: Token, type_name: str, fence_open: str) -> dict[str, Any]:
    if type_name == "heading":
        return {"level": int(token.tag[1:])}
    if type_name == "list":
        ordered = token.type.startswith("ordered")
        start = (token.attrs or {}).get("start")
        if ordered and start:
            return {"ordered": True, "start": start, "marker": token.markup}
        return {"ordered": ordered, "marker": token.markup}
    if type_name == "link":
        attrs = token.attrs
        if "href" not in attrs:
            # A stray `link_close` (a tag splitting link text): the reference throws reading the
            # missing attributes; the node gets none, and validation reports the missing href.
            return {}
        return {"href": attrs["href"], "title": attrs["title"]} if attrs.get("title") else {"href": attrs["href"]}
    if type_name == "image":
        attrs = token.attrs
        out = {"alt": token.content, "src": attrs.get("src", "")}
        if attrs.get("title"):
            out["title"] = attrs["title"]
        return out
    if type_name in ("em", "strong"):
        return {"marker": token.markup}
    if type_name in ("html_block", "html_inline"):
        # Only with markdown-it's ``html`` option (never in the reference's default); the
        # reference keeps no content, which would leave a raw-HTML policy nothing to apply.
        return {"content": token.content}
    if type_name in ("text", "code", "comment"):
        variable = (token.meta or {}).get("variable")
        return {"content": variable if variable is not None else token.content}
    if type_name == "fence":
        language = token.info.split(" ", 1)[0]
        if language in ("", fence_open):
            return {"content": token.content}
        return {"content": token.content, "language": language}
    if type_name in ("td", "th"):
        style = (token.attrs or {}).get("style")
        if style:
            for align in ("left", "center", "right"):
                if align in str(style):
                    return {"align": align}
        return {}
    return {}


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

    def handle_text(self, token: Token, inline_parent: Node | None) -> None:
        """The most frequent token, on a short path (same result as ``handle``)."""
        if not token.content:
            return
        parent = self.stack[-1]
        if self.options.location:
            lines = token.map if token.map else parent.lines
            location = self._plain_location
        else:
            lines, location = [], None
        parent.children.append(
            Node("text", {"content": token.content}, [], None, {}, [], [], lines, location, inline_parent is not None)
        )

    def handle(self, token: Token, inline_parent: Node | None = None) -> None:
        token_type = token.type
        if token.hidden:
            if token_type == "frontmatter":
                self.document.attributes["frontmatter"] = token.content
            return
        if token_type == "text":
            self.handle_text(token, inline_parent)
            return
        meta = token.meta or _NO_META
        if token.nesting < 0 and token_type != "error":
            # The common case first: a closing token that closes what is open.
            parent = self.stack[-1]
            if parent.type == _type_name(token_type) and parent.tag == (meta.get("tag") or None):
                if token.map:
                    parent.lines.extend(token.map)
                if len(self.stack) > 1:
                    self.stack.pop()
                return
        errors: list[dict[str, Any]] = list(meta["errors"]) if "errors" in meta else []
        stack = self.stack
        parent = stack[-1]
        tag = meta.get("tag")
        attributes = meta.get("attributes")
        if token.type == "annotation":
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
        type_name = _type_name(token.type)
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
        if token.children is None:
            return
        if node.type == "inline":
            inline_parent = parent
        stack.append(node)
        if type_name != "image":
            for child in token.children:
                self.handle(child, inline_parent)
        # The reference pops whatever is on top, even when a child left a node open.
        stack.pop()


def parse_tokens(tokens: list[Token], options: ParseOptions | None = None) -> Node:
    """Build the AST of a document from its tokens, then run the parse-time table transform."""
    options = options or ParseOptions()
    builder = _Builder(options)
    for token in tokens:
        builder.handle(token)
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
