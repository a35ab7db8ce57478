"""The Markdoc abstract syntax tree: ``Node``, ``Variable`` and ``Function``.

These mirror the reference library's ``Node``/``Variable``/``Function`` classes closely, because
everything downstream (validation messages, transform order, error lines) depends on their exact
shape.  Attribute values are plain Python values (``None``, ``bool``, ``int``/``float``, ``str``,
``list``, ``dict`` with string keys in JavaScript key order) or ``Variable``/``Function`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator


@dataclass
class Variable:
    """A ``$name.path[0]`` reference, resolved against ``config.variables`` at transform time."""

    path: list[str | int | float]

    def resolve(self, config: dict[str, Any]) -> Any:
        variables = config.get("variables", UNDEFINED)
        if callable(variables):
            return variables(self.path)
        value: Any = variables
        for key in self.path:
            # JavaScript's `(obj = {}, key) => obj[key]`: a missing link yields undefined.
            value = _js_member(value if value is not UNDEFINED else {}, key)
        return value

    def to_json(self) -> dict[str, Any]:
        return {"$$mdtype": "Variable", "path": list(self.path)}


@dataclass
class Function:
    """A ``name(a, b=1)`` call.  ``parameters`` keys are strings ("0", "1" for positional ones)."""

    name: str
    parameters: dict[str, Any]

    def resolve(self, config: dict[str, Any]) -> Any:
        fn = (config.get("functions") or {}).get(self.name)
        if not fn:
            return None
        params = resolve_value(self.parameters, config)
        transform = fn.get("transform") if isinstance(fn, dict) else getattr(fn, "transform", None)
        if transform is None:
            return UNDEFINED
        return transform(params, config)

    def to_json(self) -> dict[str, Any]:
        return {"$$mdtype": "Function", "name": self.name, "parameters": self.parameters}


class _Undefined:
    """JavaScript's ``undefined``: distinct from ``None`` (JSON ``null``), which Markdoc keeps."""

    _instance: "_Undefined | None" = None

    def __new__(cls) -> "_Undefined":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED: Any = _Undefined()


class JSPropertyError(TypeError):
    """Reading a property of ``null``: the reference throws a ``TypeError`` there too."""


def _js_member(obj: Any, key: Any) -> Any:
    """``obj[key]`` with JavaScript semantics for the value types Markdoc variables hold."""
    if obj is None:
        raise JSPropertyError(f"Cannot read properties of null (reading '{key}')")
    if isinstance(obj, dict):
        return obj.get(_js_key(key), UNDEFINED)
    if isinstance(obj, (list, str)):
        if key == "length":
            return len(obj)
        if isinstance(key, (int, float)) and not isinstance(key, bool) and float(key).is_integer():
            index = int(key)
            return obj[index] if 0 <= index < len(obj) else UNDEFINED
        if isinstance(key, str) and key.isdigit():
            index = int(key)
            return obj[index] if index < len(obj) else UNDEFINED
    return UNDEFINED


def _js_key(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def has_ast_values(value: Any) -> bool:
    """Whether a variable or function hides anywhere in ``value`` (lists and dicts searched).

    A plain loop rather than ``any()`` over a generator: the parser asks this of every tag's
    attributes, and the generators cost more than the search itself."""
    if isinstance(value, (Variable, Function)):
        return True
    if isinstance(value, list):
        items: Any = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return False
    for item in items:
        if has_ast_values(item):
            return True
    return False


def resolve_value(value: Any, config: dict[str, Any]) -> Any:
    """Deep-resolve variables and functions inside lists and plain dicts (``Node.resolve``)."""
    if isinstance(value, (Variable, Function)):
        return value.resolve(config)
    if isinstance(value, list):
        return [resolve_value(v, config) for v in value]
    if isinstance(value, dict):
        return {k: resolve_value(v, config) for k, v in value.items()}
    return value


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
    children: list["Node"] = field(default_factory=list)
    tag: str | None = None
    slots: dict[str, "Node"] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    _location: Any = field(default=None, repr=False)
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

    def walk(self) -> Iterator["Node"]:
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

    def push(self, node: "Node") -> None:
        self.children.append(node)

    # The reference's convenience methods, which custom transforms call.
    def find_schema(self, config: dict[str, Any]) -> dict[str, Any] | None:
        return _transformer.find_schema(self, config)

    def resolve(self, config: dict[str, Any]) -> "Node":
        return _transformer.resolve_node(self, config)

    def transform_attributes(self, config: dict[str, Any]) -> dict[str, Any]:
        return _transformer.transform_attributes(self, config)

    def transform_children(self, config: dict[str, Any]) -> list[Any]:
        return _transformer.transform_children(self, config)

    def transform(self, config: dict[str, Any]) -> Any:
        return _transformer.transform_node(self, config)

    def to_json(self) -> dict[str, Any]:
        """The reference's ``JSON.stringify(node)`` shape (``$$mdtype: "Node"``)."""
        from .jsvalue import to_json_value

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


from . import transformer as _transformer  # noqa: E402  (cycle: the transformer builds on Node)
