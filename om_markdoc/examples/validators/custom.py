"""Custom validators: an entry point of ``om_markdoc.validators`` or a ``module:function``
reference, called as ``function(example, options)``; whatever it returns becomes ``Problem`` objects."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from ..example import Example
from .base import Problem, Validator, ValidatorConfigError

ENTRY_POINT_GROUP = "om_markdoc.validators"


def _normalise(found: Any) -> list[Problem]:
    if found is None or found is True:
        return []
    if found is False:
        return [Problem("the validator rejected the example")]
    if isinstance(found, (str, Problem, Mapping, tuple)):
        found = [found]
    out: list[Problem] = []
    for item in found:
        if isinstance(item, Problem):
            out.append(item)
        elif isinstance(item, str):
            out.append(Problem(item))
        elif isinstance(item, Mapping):
            path = item.get("path")
            out.append(
                Problem(
                    str(item.get("message", "invalid")),
                    line=item.get("line"),
                    column=item.get("column"),
                    offset=item.get("offset"),
                    path=tuple(path) if isinstance(path, (list, tuple)) else ((path,) if path is not None else None),
                    rule=str(item.get("rule", "example-invalid")),
                )
            )
        elif isinstance(item, tuple) and item:
            out.append(Problem(str(item[0]), line=item[1] if len(item) > 1 else None, column=item[2] if len(item) > 2 else None))
        else:
            out.append(Problem(str(item)))
    return out


def load_callable(kind: str) -> Callable[..., Any]:
    """An entry point of ``om_markdoc.validators`` named ``kind``, or a ``module:attr`` reference."""
    for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry.name == kind:
            return entry.load()
    if ":" in kind:
        module, _, attribute = kind.partition(":")
        try:
            target: Any = importlib.import_module(module)
            for part in attribute.split("."):
                target = getattr(target, part)
        except (ImportError, AttributeError) as exc:
            raise ValidatorConfigError(f"cannot load validator {kind!r}: {exc}") from None
        return target
    raise ValidatorConfigError(f"unknown validator type {kind!r} (not built in, no entry point in {ENTRY_POINT_GROUP})")


def custom_validator(name: str, kind: str, options: Mapping[str, Any], base: Path) -> Validator:
    function = load_callable(kind)
    opts = {k: v for k, v in options.items() if k != "type"}
    opts.setdefault("base_dir", str(base))

    def check(example: Example) -> list[Problem]:
        try:
            return _normalise(function(example, opts))
        except Exception as exc:  # noqa: BLE001 - a broken plugin is a finding, not a crash
            return [Problem(f"validator {name!r} raised {type(exc).__name__}: {exc}", rule="example-config")]

    return check
