"""Built-in functions: ``equals``, ``and``, ``or``, ``not``, ``default``, ``debug``.

Parameters arrive as a dict keyed by name or by position as a string ("0", "1"), in JavaScript
key order, because that order decides results (``and``/``or``/``equals`` iterate all values).
"""

from __future__ import annotations

from typing import Any

from .ast import UNDEFINED
from .jsvalue import js_json_stringify, markdoc_truthy


def _and(params: dict[str, Any], config: dict[str, Any]) -> bool:
    return all(markdoc_truthy(v) for v in params.values())


def _or(params: dict[str, Any], config: dict[str, Any]) -> bool:
    return any(markdoc_truthy(v) for v in params.values())


def _not(params: dict[str, Any], config: dict[str, Any]) -> bool:
    return not markdoc_truthy(params.get("0", UNDEFINED))


def _same(a: Any, b: Any) -> bool:
    """JavaScript ``===``: identity for arrays and objects, value for the rest (NaN never equal)."""
    if isinstance(a, (list, dict)) or isinstance(b, (list, dict)):
        return a is b
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    if type(a) is str or type(b) is str:
        return type(a) is type(b) and a == b
    return a == b and a is not UNDEFINED or (a is UNDEFINED and b is UNDEFINED)


def _equals(params: dict[str, Any], config: dict[str, Any]) -> bool:
    values = list(params.values())
    return all(_same(v, values[0]) for v in values)


def _default(params: dict[str, Any], config: dict[str, Any]) -> Any:
    first = params.get("0", UNDEFINED)
    return params.get("1", UNDEFINED) if first is UNDEFINED else first


def _debug(params: dict[str, Any], config: dict[str, Any]) -> Any:
    return js_json_stringify(params.get("0", UNDEFINED), 2)


def builtin_functions() -> dict[str, dict[str, Any]]:
    """A fresh copy of the built-in function schemas."""
    return {
        "and": {"transform": _and},
        "or": {"transform": _or},
        "not": {"parameters": {"0": {"required": True}}, "transform": _not},
        "equals": {"transform": _equals},
        "default": {"transform": _default},
        "debug": {"transform": _debug},
    }
