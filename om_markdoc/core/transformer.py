"""AST → render tree (``Tag`` objects), following the reference's transformer step for step.

Per node: a schema ``transform`` wins; otherwise children are transformed, and a schema with
``render`` wraps them in a ``Tag`` with the attributes the schema declares (``class`` and ``id``
first, then declaration order).  Undeclared tags and nodes are transparent.
"""

from __future__ import annotations

from typing import Any

from .ast import UNDEFINED, Node, resolve_value
from .schema_types import Class, Id
from .tag import Tag

GLOBAL_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "class": {"type": Class, "render": True},
    "id": {"type": Id, "render": True},
}


def find_schema(node: Node, config: dict[str, Any]) -> dict[str, Any] | None:
    """The tag schema for tag nodes, the node schema otherwise."""
    if node.tag:
        return (config.get("tags") or {}).get(node.tag)
    return (config.get("nodes") or {}).get(node.type)


def _custom_transform(type_: Any) -> Any:
    if isinstance(type_, type) and type_.__module__ != "builtins":
        return getattr(type_(), "transform", None)
    return None


def transform_attributes(node: Node, config: dict[str, Any]) -> dict[str, Any]:
    """The attributes a node renders with."""
    schema = find_schema(node, config) or {}
    output: dict[str, Any] = {}
    for key, attr in {**GLOBAL_ATTRIBUTES, **(schema.get("attributes") or {})}.items():
        render = attr.get("render", True)
        if render is False or render == 0:  # JavaScript `render == false`
            continue
        name = render if isinstance(render, str) else key
        value = node.attributes.get(key, UNDEFINED)
        transform = _custom_transform(attr.get("type"))
        if transform is not None:
            value = transform(value, config)
        if value is UNDEFINED:
            value = attr.get("default", UNDEFINED)
        if value is UNDEFINED:
            continue
        output[name] = value
    for key, slot in (schema.get("slots") or {}).items():
        if slot.get("render") is False:
            continue
        name = slot["render"] if isinstance(slot.get("render"), str) else key
        if key in node.slots:
            output[name] = transform_node(node.slots[key], config)
    return output


def transform_children(node: Node, config: dict[str, Any]) -> list[Any]:
    """Children transformed and flattened one level (``flatMap``)."""
    out: list[Any] = []
    for child in node.children:
        result = transform_node(child, config)
        if isinstance(result, list):
            out.extend(result)
        else:
            out.append(result)
    return out


def transform_node(node: Node, config: dict[str, Any]) -> Any:
    """One node to its renderable form."""
    schema = find_schema(node, config) or {}
    transform = schema.get("transform")
    if callable(transform):
        return transform(node, config)
    children = transform_children(node, config)
    if not schema.get("render"):
        return children
    return Tag(schema["render"], transform_attributes(node, config), children)


def resolve_node(node: Node, config: dict[str, Any]) -> Node:
    """A copy of ``node`` with every variable and function in its attributes (deeply) resolved."""
    copy = Node(
        node.type,
        resolve_value(node.attributes, config),
        [resolve_node(child, config) for child in node.children],
        node.tag,
        {name: resolve_node(slot, config) for name, slot in node.slots.items()},
        node.annotations,
        node.errors,
        node.lines,
        node.location,
        node.inline,
    )
    return copy
