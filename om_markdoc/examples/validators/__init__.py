"""Validators: from an example's text to a list of ``Problem`` objects.

Built-in types (the ``type`` of a validator in the ``examples`` configuration):

``yaml`` / ``json``
    The text parses.
``jsonschema``
    The YAML or JSON text, optionally merged over a defaults document and placed at a JSON
    pointer, validates against a JSON Schema (Draft 7 or 2020-12; ``$ref`` across the files of
    a schema folder). Problems point at the offending key and carry its JSON path.
``helm-values``
    ``jsonschema`` with a Helm chart's ``values.schema.json``, over its ``values.yaml``.
``env``
    ``.env`` / ``docker run -e`` / ``export`` lines whose variable names a configuration
    template reads (``${VAR:-default}``), with "did you mean" suggestions.

Any other ``type`` is an entry point of the group ``om_markdoc.validators`` (or a
``module:function`` reference): a callable ``(example, options) -> list[problem]``.

The registry lives here; each built-in type has its own module (``yaml_json``, ``jsonschema_validator``,
``helm``, ``env``), schema loading is in ``schemas`` and custom validators in ``custom``.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .base import Problem, Validator, ValidatorConfigError, config_path
from .custom import ENTRY_POINT_GROUP, custom_validator, load_callable
from .env import EnvValidator
from .helm import helm_values_validator
from .jsonschema_validator import JsonSchemaValidator
from .schemas import SchemaFolder
from .yaml_json import json_validator, parse_data, yaml_validator

BUILTIN: dict[str, Callable[[str, Mapping[str, Any], Path], Validator]] = {
    "yaml": yaml_validator,
    "json": json_validator,
    "jsonschema": JsonSchemaValidator,
    "helm-values": helm_values_validator,
    "env": EnvValidator,
}


def build_validator(name: str, spec: Mapping[str, Any], base: Path) -> Validator:
    """A validator from its configuration ``spec`` (``{"type": ..., **options}``)."""
    kind = str(spec.get("type") or "")
    if not kind:
        raise ValidatorConfigError(f"validator {name!r} has no 'type'")
    # ``label`` is for readers (the site's "validated: name, label" badge), not the validator.
    spec = {k: v for k, v in spec.items() if k != "label"}
    factory = BUILTIN.get(kind)
    if factory is not None:
        return factory(name, {k: v for k, v in spec.items() if k != "type"}, base)
    return custom_validator(name, kind, spec, base)


class Validators:
    """Named validators of one configuration, built on first use and kept (schemas are costly).

    The built-in types are also available under their own names (``yaml``, ``json``, ``env``)
    unless the configuration defines a validator of that name.
    """

    def __init__(self, specs: Mapping[str, Mapping[str, Any]], base: Path) -> None:
        self.specs = {**{n: {"type": n} for n in ("yaml", "json", "env")}, **dict(specs)}
        self.base = base
        self._built: dict[str, Validator | ValidatorConfigError] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Validator:
        with self._lock:
            found = self._built.get(name)
            if found is None:
                spec = self.specs.get(name)
                if spec is None:
                    known = ", ".join(sorted(self.specs))
                    close = difflib.get_close_matches(name, list(self.specs), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    found = ValidatorConfigError(f"no validator named {name!r}{hint}; configured: {known}")
                else:
                    try:
                        found = build_validator(name, spec, self.base)
                    except ValidatorConfigError as exc:
                        found = exc
                    except Exception as exc:  # noqa: BLE001 - e.g. a schema that is not JSON
                        found = ValidatorConfigError(f"validator {name!r} cannot be built: {type(exc).__name__}: {exc}")
                self._built[name] = found
        if isinstance(found, ValidatorConfigError):
            raise found
        return found

    def names(self) -> Iterable[str]:
        return self.specs.keys()


__all__ = [
    "BUILTIN",
    "ENTRY_POINT_GROUP",
    "EnvValidator",
    "JsonSchemaValidator",
    "Problem",
    "SchemaFolder",
    "Validator",
    "ValidatorConfigError",
    "Validators",
    "build_validator",
    "config_path",
    "custom_validator",
    "helm_values_validator",
    "json_validator",
    "load_callable",
    "parse_data",
    "yaml_validator",
]
