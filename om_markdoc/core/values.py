"""The values an AST attribute holds besides plain JSON: ``UNDEFINED``, ``Variable`` and ``Function``.

They live apart from ``ast`` (which re-exports them) so that the modules the AST builds on (the
JavaScript value helpers, the schema types and plans, the transformer) can use them without importing
the AST back: the reference keeps its shared types in one leaf module for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
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
    for item in items:  # noqa: SIM110 - the loop is the fast form here (see above)
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
