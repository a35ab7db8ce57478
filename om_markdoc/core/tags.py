"""Built-in tags: ``if``/``else``, ``partial``, ``table``, ``slot``."""

from __future__ import annotations

from typing import Any

from .ast import UNDEFINED, Node
from .jsvalue import markdoc_truthy
from .schema_types import ConditionalAttributeType, PartialFile

MAX_PARTIAL_DEPTH = 64
"""How deep partials may include partials; a self-including partial stops here instead of crashing."""

PARTIAL_BUDGET = "$$partialBudget"
"""Config key: a one-item list, the partial expansions still allowed (shared by nested configs)."""
PARTIAL_PROBLEMS = "$$partialProblems"
"""Config key: a list the partial tag appends ``(node, message)`` to when it leaves content out."""


def _report(config: dict[str, Any], node: Node, message: str) -> None:
    problems = config.get(PARTIAL_PROBLEMS)
    if problems is not None:
        problems.append((node, message))


def _conditions(node: Node) -> list[tuple[Any, list[Node]]]:
    """Split an ``if``'s direct children at each ``else`` (an ``else $x`` is an else-if)."""
    conditions: list[tuple[Any, list[Node]]] = [(node.attributes.get("primary", UNDEFINED), [])]
    for child in node.children:
        if child.type == "tag" and child.tag == "else":
            conditions.append((child.attributes.get("primary", True), []))
        else:
            conditions[-1][1].append(child)
    return conditions


def _if(node: Node, config: dict[str, Any]) -> list[Any]:
    for condition, children in _conditions(node):
        if markdoc_truthy(condition):
            out: list[Any] = []
            for child in children:
                result = child.transform(config)
                if isinstance(result, list):
                    out.extend(result)
                else:
                    out.append(result)
            return out
    return []


def _partial(node: Node, config: dict[str, Any]) -> Any:
    partials = config.get("partials")
    partials = partials if partials is not None else {}  # not `or`: a lazy mapping's len() is costly
    file = node.attributes.get("file")
    variables = node.attributes.get("variables")
    partial = partials.get(file) if isinstance(file, str) else None
    depth = config.get("$$partialDepth", 0)
    if not partial:
        return None
    if depth >= MAX_PARTIAL_DEPTH:
        # The reference recurses until the JavaScript stack overflows; we stop (and the site
        # layer reports the cycle with its include chain before it ever gets here).
        _report(config, node, f"partial {file} not included: partials nest more than {MAX_PARTIAL_DEPTH} deep")
        return None
    budget = config.get(PARTIAL_BUDGET)
    if budget is not None:
        # Fan-out (a page including A 100 times, A including B 100 times...) multiplies; a site
        # sets a budget of expansions per page so that one page cannot explode the build.
        if budget[0] <= 0:
            if budget[0] == 0:
                _report(config, node, "partials expanded too many times on this page; the rest are left out")
                budget[0] = -1
            return None
        budget[0] -= 1
    base = config.get("variables")
    scoped_variables = {
        **(base if isinstance(base, dict) else {}),
        **(variables if isinstance(variables, dict) else {}),
        "$$partial:filename": file,
    }
    scoped = {**config, "variables": scoped_variables, "$$partialDepth": depth + 1}
    documents = partial if isinstance(partial, list) else [partial]
    out: list[Any] = []
    for document in documents:
        out.extend(document.resolve(scoped).transform_children(scoped))
    return out


def builtin_tags() -> dict[str, dict[str, Any]]:
    """A fresh copy of the built-in tag schemas."""
    condition = {"type": ConditionalAttributeType, "render": False}
    return {
        "else": {"selfClosing": True, "attributes": {"primary": dict(condition)}},
        "if": {"attributes": {"primary": dict(condition)}, "transform": _if},
        "partial": {
            "inline": False,
            "selfClosing": True,
            "attributes": {
                "file": {"type": PartialFile, "render": False, "required": True},
                "variables": {"type": "Object", "render": False},
            },
            "transform": _partial,
        },
        "slot": {"attributes": {"primary": {"type": "String", "required": True}}},
        "table": {"children": ["table"], "inline": False},
    }
