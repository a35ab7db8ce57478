"""AST → render tree (``Tag`` objects), following the reference's transformer step for step.

Per node: a schema ``transform`` wins; otherwise children are transformed, and a schema with
``render`` wraps them in a ``Tag`` with the attributes the schema declares (``class`` and ``id``
first, then declaration order).  Undeclared tags and nodes are transparent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .schema_plan import MISSING, plan_for
from .tag import Tag
from .values import UNDEFINED, has_ast_values, resolve_value

if TYPE_CHECKING:  # the AST calls into this module, so it names the node type only for the checker
    from .ast import Node


def find_schema(node: Node, config: dict[str, Any]) -> dict[str, Any] | None:
    """The tag schema for tag nodes, the node schema otherwise."""
    if node.tag:
        return (config.get("tags") or {}).get(node.tag)
    return (config.get("nodes") or {}).get(node.type)


def transform_attributes(node: Node, config: dict[str, Any]) -> dict[str, Any]:
    """The attributes a node renders with: ``class``, ``id``, then the schema's, in that order."""
    return _rendered_attributes(node, config, find_schema(node, config))


def _rendered_attributes(node: Node, config: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    plan = plan_for(schema if schema is not None else _EMPTY)
    attributes = node.attributes
    if plan.unset_output is not None and plan.rendered_keys.isdisjoint(attributes):
        # Most nodes set no rendered attribute (a paragraph, an item): the defaults, worked out once.
        output = dict(plan.unset_output)
    else:
        output = {}
        for attr in plan.rendered:
            value = attributes.get(attr.key, UNDEFINED)
            if attr.transform is not None:
                value = attr.transform(value, config)
            if value is UNDEFINED:
                value = attr.default
                if value is MISSING or value is UNDEFINED:
                    continue
            output[attr.name] = value
    if node.slots:
        for key, slot in (plan.schema.get("slots") or {}).items():
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
        # find_schema, inlined: this loop visits every node of a document.
        if child.tag:
            result = _transform(child, config, (config.get("tags") or _EMPTY).get(child.tag))
        else:
            result = _transform(child, config, (config.get("nodes") or _EMPTY).get(child.type))
        if isinstance(result, list):
            out.extend(result)
        else:
            out.append(result)
    return out


_EMPTY: dict[str, Any] = {}


def transform_node(node: Node, config: dict[str, Any]) -> Any:
    """One node to its renderable form."""
    return _transform(node, config, find_schema(node, config))


def _transform(node: Node, config: dict[str, Any], schema: dict[str, Any] | None) -> Any:
    """``transform_node`` for a node whose schema has been looked up."""
    if not schema:
        schema = _EMPTY
    transform = schema.get("transform")
    if callable(transform):
        return transform(node, config)
    children = transform_children(node, config)
    render = schema.get("render")
    if not render:
        return children
    return Tag(render, _rendered_attributes(node, config, schema), children)


def _resolve_attributes(attributes: dict[str, Any], config: dict[str, Any]) -> dict[str, Any] | None:
    """Resolved attributes, or ``None`` when nothing in them needs resolving."""
    for value in attributes.values():
        if isinstance(value, (str, int, float, bool)) or value is None:
            continue
        if has_ast_values(value):
            resolved: dict[str, Any] = resolve_value(attributes, config)
            return resolved
    return None


def resolve_node(node: Node, config: dict[str, Any]) -> Node:
    """``node`` with every variable and function in its attributes (deeply) resolved.

    Like the reference, the original AST is left untouched (a partial's AST is resolved again
    for every include).  Unlike it, a subtree with nothing to resolve is shared rather than
    copied: transforms read nodes, they do not mutate them, and most of a page is plain text.
    """
    if not node.dynamic:
        return node
    children = node.children
    resolved_children = [resolve_node(child, config) for child in children]
    attributes = _resolve_attributes(node.attributes, config)
    slots = {name: resolve_node(slot, config) for name, slot in node.slots.items()} if node.slots else node.slots
    unchanged = attributes is None and all(a is b for a, b in zip(resolved_children, children, strict=False))
    if unchanged and all(slots[k] is node.slots[k] for k in slots):
        return node
    return type(node)(  # the node class, without importing the AST module that imports this one
        node.type,
        attributes if attributes is not None else node.attributes,
        resolved_children,
        node.tag,
        slots,
        node.annotations,
        node.errors,
        node.lines,
        node.location,
        node.inline,
    )
