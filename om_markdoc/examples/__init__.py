"""Fenced examples as tests: collect every example of a docs tree (partials and tabs included),
bind it to a validator, and report problems at the line of the page that holds it.

* ``check_examples(root, *, config=None, paths=None) -> list[Diagnostic]`` for ``om-markdoc check``;
* ``ExampleSession`` to collect, bind and run examples one by one;
* the pytest plugin (``pytest --om-markdoc docs/``) in ``om_markdoc.examples.pytest_plugin``.

Names are imported lazily so that loading the pytest plugin stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Example": "example",
    "Segment": "example",
    "Collector": "collect",
    "unique": "collect",
    "Binding": "bind",
    "ExamplesConfig": "bind",
    "Rule": "bind",
    "bind": "bind",
    "load_config": "bind",
    "Problem": "validators",
    "Validators": "validators",
    "ValidatorConfigError": "validators",
    "JsonSchemaValidator": "validators",
    "EnvValidator": "validators",
    "build_validator": "validators",
    "RULES": "runner",
    "Outcome": "runner",
    "Finding": "runner",
    "Status": "runner",
    "ExampleSession": "runner",
    "check_examples": "runner",
    "PageExamples": "badges",
    "FenceStatus": "badges",
    "load_documents": "yamlmap",
    "parse_env": "envfile",
    "template_variables": "envfile",
    "resolve_template": "envfile",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
