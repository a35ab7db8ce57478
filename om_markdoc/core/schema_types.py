"""Attribute types with custom validation or transformation: ``Class``, ``Id``, ``PartialFile``,
``ConditionalAttributeType``.  A custom type is any class whose instances have ``validate(value,
config, key)`` returning a list of errors and/or ``transform(value, config)``."""

from __future__ import annotations

from typing import Any

from .jsvalue import js_string, js_truthy
from .values import UNDEFINED, Function, Variable


class Class:
    """``class``: a string, or a hash of class names to booleans (``.a .b`` shorthands build one)."""

    def validate(self, value: Any, config: dict[str, Any], key: str) -> list[dict[str, Any]]:
        # JavaScript `typeof value === "object"` is true for null, arrays and objects alike.
        if isinstance(value, (str, dict, list)) or value is None or isinstance(value, (Variable, Function)):
            return []
        return [
            {"id": "attribute-type-invalid", "level": "error", "message": f"Attribute '{key}' must be type 'string | object'"}
        ]

    def transform(self, value: Any, config: dict[str, Any]) -> Any:
        if not js_truthy(value) or isinstance(value, str):
            return value
        if isinstance(value, dict):
            return " ".join(k for k, v in value.items() if js_truthy(v))
        if isinstance(value, list):
            return " ".join(str(i) for i, v in enumerate(value) if js_truthy(v))
        return ""


class Id:
    """``id``: must be a string starting with an ASCII letter."""

    def validate(self, value: Any, config: dict[str, Any], key: str) -> list[dict[str, Any]]:
        if isinstance(value, str) and value[:1].isascii() and value[:1].isalpha():
            return []
        return [{"id": "attribute-value-invalid", "level": "error", "message": "The 'id' attribute must start with a letter"}]


class PartialFile:
    """``partial``'s ``file``: must name a partial present in ``config.partials``."""

    def validate(self, value: Any, config: dict[str, Any], key: str) -> list[dict[str, Any]]:
        partials = config.get("partials")
        partials = partials if partials is not None else {}  # not `or`: a lazy mapping's len() is costly
        if isinstance(value, str) and partials.get(value):
            return []
        return [
            {
                "id": "attribute-value-invalid",
                "level": "error",
                "message": f"Partial `{js_string(value)}` not found. The 'file' attribute must be set in `config.partials`",
            }
        ]


class ConditionalAttributeType:
    """``if``/``else`` conditions: booleans, null/undefined or objects; anything else warns."""

    def validate(self, value: Any, config: dict[str, Any], key: str) -> list[dict[str, Any]]:
        if isinstance(value, (bool, dict, list, Variable, Function)) or value is None or value is UNDEFINED:
            return []
        return [
            {
                "id": "attribute-type-invalid",
                "level": "error",
                "message": f"Attribute '{key}' must be type 'boolean | object' (null or undefined are also allowed)",
            }
        ]
