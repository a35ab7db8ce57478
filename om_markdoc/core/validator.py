"""Schema validation: the reference's checks, ids, levels, messages and order, node by node.

Validation never mutates the AST and never stops rendering; it returns a flat list of
``ValidationError`` dicts ``{type, lines, location, error: {id, level, message, ...}}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .ast import UNDEFINED, Function, Node, Variable
from .jsvalue import js_json_stringify, js_string, js_type_of
from .schema_plan import PY_TYPE_NAMES, SchemaPlan, plan_for


class JSRegExp:
    """A regular expression with a JavaScript source and flags (``matches`` from JSON configs)."""

    def __init__(self, source: str, flags: str = "") -> None:
        self.source = source
        self.flags = flags
        py_flags = (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0)
        py_flags |= re.DOTALL if "s" in flags else 0
        self.pattern = re.compile(source, py_flags)

    def test(self, value: Any) -> bool:
        return self.pattern.search(js_string(value)) is not None

    def __str__(self) -> str:
        return f"/{self.source}/{self.flags}"


def type_name(type_: Any) -> str:
    """``typeToString``: the type's name as messages show it (unions joined by `` | ``)."""
    if isinstance(type_, str):
        return type_
    if isinstance(type_, (list, tuple)):
        return " | ".join(type_name(t) for t in type_)
    return PY_TYPE_NAMES.get(type_, getattr(type_, "__name__", str(type_)))


def _builtin_check(type_: Any, value: Any) -> bool:
    expected = type_ if isinstance(type_, str) else PY_TYPE_NAMES.get(type_)
    return expected is not None and js_type_of(value) == expected


def validate_type(type_: Any, value: Any, config: dict[str, Any], key: str) -> bool | list[dict[str, Any]]:
    """True/False, or the error list a custom type's ``validate`` returned."""
    if not type_:
        return True
    if isinstance(value, Function) and (config.get("validation") or {}).get("validateFunctions"):
        schema = (config.get("functions") or {}).get(value.name) or {}
        returns = schema.get("returns") if isinstance(schema, dict) else None
        if not returns:
            return True
        return type_ in returns if isinstance(returns, (list, tuple)) else returns == type_
    if isinstance(value, (Variable, Function)):
        return True
    if isinstance(type_, (list, tuple)):
        return any(validate_type(t, value, config, key) for t in type_)
    if isinstance(type_, type) and type_ not in PY_TYPE_NAMES:
        validate = getattr(type_(), "validate", None)
        if validate is not None:
            verdict: bool | list[dict[str, Any]] = validate(value, config, key)
            return verdict
        return isinstance(value, type_)
    return _builtin_check(type_, value)


def _display_matches(matches: list[Any], n: int = 8) -> str:
    if len(matches) <= n:
        shown: str = js_json_stringify(matches)
        return shown
    items = ",".join(js_json_stringify(item) for item in matches[:n])
    return f"[{items}, ... {len(matches) - n} more]"


def _error(id_: str, level: str, message: str) -> dict[str, Any]:
    return {"id": id_, "level": level, "message": message}


def _validate_function(fn: Function, config: dict[str, Any]) -> list[dict[str, Any]]:
    schema = (config.get("functions") or {}).get(fn.name)
    if not schema:
        return [_error("function-undefined", "critical", f"Undefined function: '{fn.name}'")]
    errors: list[dict[str, Any]] = []
    if callable(schema.get("validate")):
        errors.extend(schema["validate"](fn, config))
    parameters = schema.get("parameters")
    if parameters:
        for key, value in fn.parameters.items():
            param = parameters.get(key)
            if not param:
                errors.append(_error("parameter-undefined", "error", f"Invalid parameter: '{key}'"))
                continue
            if isinstance(value, Variable):
                continue
            if param.get("type"):
                valid = validate_type(param["type"], value, config, key)
                if valid is False:
                    errors.append(
                        _error(
                            "parameter-type-invalid",
                            "error",
                            f"Parameter '{key}' of '{fn.name}' must be type of '{type_name(param['type'])}'",
                        )
                    )
                elif isinstance(valid, list):
                    errors.extend(valid)
    for key, param in (parameters or {}).items():
        if param.get("required") and fn.parameters.get(key, UNDEFINED) is UNDEFINED:
            errors.append(_error("parameter-missing-required", "error", f"Missing required parameter: '{key}'"))
    return errors


def _variable_missing(variable: Variable, variables: Any) -> bool:
    """``hasOwnProperty`` along the path; reading through ``null`` throws, as in the reference."""
    current = variables
    for key in variable.path:
        if current is None:
            raise TypeError("Cannot convert undefined or null to object")
        if isinstance(current, dict):
            skey = js_string(key)
            if skey not in current:
                return True
            current = current[skey]
        elif isinstance(current, (list, str)):
            if key == "length":
                current = len(current)
            elif (
                isinstance(key, (int, float))
                and not isinstance(key, bool)
                and 0 <= key < len(current)
                and float(key).is_integer()
            ):
                current = current[int(key)]
            else:
                return True
        else:
            return True
    return False


def _check_attribute(key: str, value: Any, attrib: dict[str, Any], config: dict[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if isinstance(value, (Variable, Function)):
        if isinstance(value, Function) and (config.get("validation") or {}).get("validateFunctions"):
            errors.extend(_validate_function(value, config))
        elif isinstance(value, Variable) and config.get("variables") is not None:  # {} counts, as in JS
            if _variable_missing(value, config["variables"]):
                path = ".".join(js_string(p) for p in value.path)
                errors.append(_error("variable-undefined", "error", f"Undefined variable: '{path}'"))
        else:
            return errors
    level = attrib.get("errorLevel") or "error"
    type_ = attrib.get("type")
    if type_:
        valid = validate_type(type_, value, config, key)
        if valid is False:
            errors.append(_error("attribute-type-invalid", level, f"Attribute '{key}' must be type of '{type_name(type_)}'"))
        elif isinstance(valid, list):
            errors.extend(valid)
    matches = attrib.get("matches")
    if callable(matches):
        matches = matches(config)
    if isinstance(matches, (list, tuple)) and not _includes(list(matches), value):
        errors.append(
            _error(
                "attribute-value-invalid",
                level,
                f"Attribute '{key}' must match one of {_display_matches(list(matches))}. Got '{js_string(value)}' instead.",
            )
        )
    if isinstance(matches, JSRegExp) and not matches.test(value):
        errors.append(
            _error("attribute-value-invalid", level, f"Attribute '{key}' must match {matches}. Got '{js_string(value)}' instead.")
        )
    if callable(attrib.get("validate")):
        result = attrib["validate"](value, config, key)
        if isinstance(result, list):
            errors.extend(result)
    return errors


def _includes(items: list[Any], value: Any) -> bool:
    """``Array.prototype.includes`` (SameValueZero): no type coercion, objects by identity."""
    for item in items:
        if isinstance(item, (list, dict)) or isinstance(value, (list, dict)):
            if item is value:
                return True
        elif (type(item) is type(value) or js_type_of(item) == js_type_of(value) == "Number") and (
            item == value or (item != item and value != value)
        ):
            return True
    return False


def _tag_name(node: Node) -> str:
    """The tag name as a JavaScript template string shows it (``undefined`` for plain nodes)."""
    return node.tag if node.tag is not None else "undefined"


def validate_node(node: Node, config: dict[str, Any], plan: SchemaPlan | None) -> list[dict[str, Any]]:
    """The errors of one node (parse-time errors first, then the checks of its schema's plan;
    ``None`` for a node whose schema is not declared)."""
    errors = list(node.errors) if node.errors else []
    if plan is None:  # an empty schema ({}) is a declared one, as in JavaScript
        if node.tag:
            errors.append(_error("tag-undefined", "critical", f"Undefined tag: '{node.tag}'"))
        else:
            errors.append(_error("node-undefined", "critical", f"Undefined node: '{node.type}'"))
        return errors
    inline = plan.inline
    if inline is not None and node.inline != inline:
        where = "inline" if inline else "block"
        errors.append(_error("tag-placement-invalid", "critical", f"'{_tag_name(node)}' tag should be {where}"))
    if plan.self_closing and node.children:
        errors.append(_error("tag-selfclosing-has-children", "critical", f"'{_tag_name(node)}' tag should be self-closing"))
    if node.slots:
        for key in node.slots:
            if key not in plan.slots:
                errors.append(_error("slot-undefined", "error", f"Invalid slot: '{key}'"))
    attributes = plan.attributes
    simple_types = plan.simple_types
    for key, value in node.attributes.items():
        # The common case first: a plain value of the built-in type its attribute declares
        # (by exact Python type; anything else takes the full check, which agrees).
        if simple_types.get(key) == PY_TYPE_NAMES.get(type(value), 0):
            continue
        attrib: Any = attributes.get(key)  # a declaration dict, or whatever a JSON config held
        if attrib is None or attrib is False:  # JavaScript `!attrib`; an empty {} declares it
            errors.append(_error("attribute-undefined", "error", f"Invalid attribute: '{key}'"))
            continue
        errors.extend(_check_attribute(key, value, attrib, config))
    for key in plan.required:
        if node.attributes.get(key, UNDEFINED) is UNDEFINED:
            errors.append(_error("attribute-missing-required", "error", f"Missing required attribute: '{key}'"))
    for key in plan.required_slots:
        if key not in node.slots:
            errors.append(_error("slot-missing-required", "error", f"Missing required slot: '{key}'"))
    allowed = plan.children
    if allowed is not None:
        for child in node.children:
            if child.type not in allowed and child.type != "error":
                errors.append(_error("child-invalid", "warning", f"Can't nest '{child.type}' in '{node.tag or node.type}'"))
    if plan.validate is not None:
        errors.extend(plan.validate(node, config))
    return errors


def _has_valid_location(error: dict[str, Any]) -> bool:
    loc = error.get("location")
    if not isinstance(loc, dict):
        return False
    start, end = loc.get("start") or {}, loc.get("end") or {}
    return isinstance(start.get("line"), int) and isinstance(end.get("line"), int) and isinstance(loc.get("file", ""), str)


def _to_validate_error(node: Node, error: dict[str, Any]) -> dict[str, Any]:
    if _has_valid_location(error):
        location = dict(error["location"])
        file = (node.location or {}).get("file")
        if file is not None:
            location = {"file": file, **location}
        return {
            "type": node.type,
            "lines": [error["location"]["start"]["line"], error["location"]["end"]["line"]],
            "location": location,
            "error": error,
        }
    return {"type": node.type, "lines": node.lines, "location": node.location, "error": error}


def validate_tree(root: Node, config: dict[str, Any]) -> list[dict[str, Any]]:
    """Every node's errors, pre-order (node, slots, children).

    ``config['validation']['parents']`` is set for code that can read it (schema or attribute
    ``validate`` functions, custom types, function validation); built-in checks never do, so the
    per-node config copy is made only when such code is present.  Iterative (a stack of child
    iterators, ``path`` holding their parents), so that deep documents cannot exhaust the stack.
    """
    output: list[dict[str, Any]] = []
    validation = config.get("validation") or {}
    always_copy = bool(validation.get("validateFunctions"))
    tags, nodes = config.get("tags") or {}, config.get("nodes") or {}
    path: list[Node] = []
    pending: list[Iterator[Node]] = [iter((root,))]
    while pending:
        for node in pending[-1]:
            schema = tags.get(node.tag) if node.tag else nodes.get(node.type)
            plan = plan_for(schema) if schema is not None else None
            node_config = config
            if always_copy or (plan is not None and plan.needs_config):
                node_config = {**config, "validation": {**validation, "parents": list(path)}}
            errors = validate_node(node, node_config, plan)
            if errors:
                output.extend(_to_validate_error(node, error) for error in errors)
            # Children as they are once their parent is validated (a snapshot, as always).
            if node.slots:
                children = [*node.slots.values(), *node.children]
            elif node.children:
                children = list(node.children)
            else:
                continue
            path.append(node)
            pending.append(iter(children))
            break
        else:
            pending.pop()
            if path:
                path.pop()
    return output
