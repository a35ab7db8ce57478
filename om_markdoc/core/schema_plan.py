"""Per-schema facts computed once and reused for every node (validation and transform hot paths).

A site renders thousands of nodes per schema; merging global attributes, instantiating attribute
types and scanning for custom callables on every node was most of the validator's and
transformer's time.  Plans are cached by schema identity, so a schema dict that is mutated after
first use must be replaced rather than edited in place (configs are built once per site).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .schema_types import Class, ConditionalAttributeType, Id, PartialFile
from .values import UNDEFINED

_BUILTIN_TYPE_CLASSES = (Class, Id, PartialFile, ConditionalAttributeType)
_PLAIN_TYPES = (str, int, float, bool, dict, list)

PY_TYPE_NAMES = {str: "String", int: "Number", float: "Number", bool: "Boolean", dict: "Object", list: "Array"}
"""The built-in types a schema may name with a Python type, and their JavaScript names."""
SIMPLE_TYPES: dict[Any, str] = {**{name: name for name in ("String", "Number", "Boolean", "Object", "Array")}, **PY_TYPE_NAMES}
"""Every way a schema names a built-in type, to the JavaScript type name values are checked against."""

GLOBAL_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "class": {"type": Class, "render": True},
    "id": {"type": Id, "render": True},
}


@dataclass(frozen=True, slots=True)
class RenderedAttribute:
    """How one declared attribute reaches the output."""

    key: str
    name: str
    transform: Callable[[Any, dict[str, Any]], Any] | None
    default: Any


@dataclass(frozen=True, slots=True)
class SchemaPlan:
    schema: dict[str, Any]
    attributes: dict[str, dict[str, Any]]
    required: tuple[str, ...]
    rendered: tuple[RenderedAttribute, ...]
    needs_config: bool
    """Whether user code (validate functions, custom types, callable matches) may read the config."""
    inline: bool | None
    self_closing: bool
    slots: dict[str, dict[str, Any]]
    children: frozenset[str] | None
    validate: Callable[..., list[dict[str, Any]]] | None
    simple_types: dict[str, str]
    """Attributes whose whole check is a built-in type, by key: the JavaScript type name."""
    required_slots: tuple[str, ...]
    rendered_keys: frozenset[str]
    unset_output: dict[str, Any] | None
    """The rendered attributes of a node that sets none of ``rendered_keys`` (the defaults), when
    working them out calls no user code: ``None`` if a custom type's ``transform`` must see it."""


def _type_instance(type_: Any) -> Any:
    if isinstance(type_, type) and type_ not in _PLAIN_TYPES:
        return type_()
    return None


def _is_custom(attr: dict[str, Any]) -> bool:
    type_ = attr.get("type")
    types = type_ if isinstance(type_, (list, tuple)) else [type_]
    custom_type = any(isinstance(t, type) and t not in _PLAIN_TYPES and t not in _BUILTIN_TYPE_CLASSES for t in types)
    return custom_type or callable(attr.get("validate")) or callable(attr.get("matches"))


def _build(schema: dict[str, Any]) -> SchemaPlan:
    attributes = {**GLOBAL_ATTRIBUTES, **(schema.get("attributes") or {})}
    rendered = []
    unset_output: dict[str, Any] | None = {}
    for key, attr in attributes.items():
        render = attr.get("render", True)
        if render is False or render == 0:  # JavaScript `render == false`
            continue
        instance = _type_instance(attr.get("type"))
        transform = getattr(instance, "transform", None)
        name = render if isinstance(render, str) else key
        rendered.append(RenderedAttribute(key, name, transform, attr.get("default", _MISSING)))
        # Class's transform passes an unset value through, so the default applies as without one.
        if transform is not None and type(instance) is not Class:
            unset_output = None
    if unset_output is not None:
        unset_output = {a.name: a.default for a in rendered if a.default is not _MISSING and a.default is not UNDEFINED}
    required = tuple(key for key, attr in attributes.items() if attr.get("required"))
    needs_config = callable(schema.get("validate")) or any(_is_custom(a) for a in attributes.values())
    children = schema.get("children")
    return SchemaPlan(
        schema,
        attributes,
        required,
        tuple(rendered),
        needs_config,
        schema.get("inline"),
        bool(schema.get("selfClosing")),
        schema.get("slots") or {},
        frozenset(children) if children else None,
        schema["validate"] if callable(schema.get("validate")) else None,
        {key: name for key, attr in attributes.items() if (name := _simple_type(attr)) is not None},
        tuple(key for key, slot in (schema.get("slots") or {}).items() if slot.get("required")),
        frozenset(a.key for a in rendered),
        unset_output,
    )


def _simple_type(attr: dict[str, Any]) -> str | None:
    """The JavaScript type name an attribute must have, when that is all its check is."""
    type_ = attr.get("type")
    if not isinstance(type_, (str, type)) or "matches" in attr or "validate" in attr:
        return None
    return SIMPLE_TYPES.get(type_)


class _Missing:
    """Marks an attribute without a default (``None`` is a legitimate default)."""


_MISSING: Any = _Missing()
MISSING = _MISSING

_PLANS: dict[int, SchemaPlan] = {}
_MAX_PLANS = 4096


def plan_for(schema: dict[str, Any]) -> SchemaPlan:
    """The cached plan of ``schema`` (checked by identity, so a recycled id cannot mislead)."""
    plan = _PLANS.get(id(schema))
    if plan is None or plan.schema is not schema:
        if len(_PLANS) >= _MAX_PLANS:
            _PLANS.clear()
        plan = _PLANS[id(schema)] = _build(schema)
    return plan
