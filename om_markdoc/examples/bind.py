"""Which validator checks which example, and where that is configured.

Three sources bind an example, the most specific first:

1. the fence's own annotation: ```` ```yaml {% validate="openmetadata-server" expect="invalid" %} ````;
2. the ``examples:`` front matter of the page (or partial): ``examples: {validator: name}``;
3. the ``rules`` of the ``examples`` configuration (``mkdocs.yml``, under the ``om-markdoc``
   plugin's options, or ``om-markdoc.yml`` beside a bare tree): the first rule whose ``path``
   glob, ``language`` and ``contains`` regex all match.

An example nothing binds is still parsed when it is YAML, JSON or ``.env`` lines, told from its
language or, for a tab id or a missing language, from its content (``syntax_binding``; see
``detect``). No schema is needed for that; ``parse_unbound: false`` turns it off.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..site.config_file import ConfigFileError, plugin_options, read_config
from .detect import syntax_format
from .example import Example


class ExamplesConfigError(ValueError):
    """The ``examples`` configuration itself is wrong (a bad regex, a rule without validator)."""


@dataclass(frozen=True)
class Rule:
    validator: str
    path: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    contains: re.Pattern[str] | None = None
    expect: str | None = None
    skip: bool = False
    index: int = 0

    def matches(self, example: Example) -> bool:
        if self.language and example.language.lower() not in self.language:
            return False
        if self.path:
            files = [example.file, example.page, *(f for f, _ in example.chain)]
            if not any(_glob(pattern, f) for pattern in self.path for f in files if f):
                return False
        return self.contains is None or bool(self.contains.search(example.text))


def _glob(pattern: str, name: str) -> bool:
    if fnmatch.fnmatchcase(name, pattern):
        return True
    return "**/" in pattern and fnmatch.fnmatchcase(name, pattern.replace("**/", ""))


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@dataclass
class ExamplesConfig:
    """The ``examples`` configuration: named validator specs, binding rules, and ``base_dir``
    (paths in validator options are relative to it: the folder of the file they came from,
    joined with ``schemas_root`` when that is set)."""

    validators: dict[str, dict[str, Any]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    base_dir: Path = field(default_factory=Path.cwd)
    parse_unbound: bool = True
    source: str = "<defaults>"

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None, base_dir: Path | str, *, source: str = "<mapping>") -> ExamplesConfig:
        mapping = dict(mapping or {})
        base = Path(base_dir)
        root = mapping.get("schemas_root")
        if isinstance(root, str) and root:
            base = (base / root).resolve()
        validators: dict[str, dict[str, Any]] = {}
        for name, spec in (mapping.get("validators") or {}).items():
            if not isinstance(spec, Mapping):
                raise ExamplesConfigError(f"validator {name!r} must be a mapping with a 'type'")
            validators[str(name)] = dict(spec)
        rules: list[Rule] = []
        for index, raw in enumerate(mapping.get("rules") or []):
            if not isinstance(raw, Mapping) or not raw.get("validator"):
                raise ExamplesConfigError(f"rule {index + 1} needs a 'validator'")
            contains = raw.get("contains")
            try:
                pattern = re.compile(contains, re.MULTILINE) if contains else None
            except re.error as exc:
                raise ExamplesConfigError(f"rule {index + 1}: bad 'contains' regex: {exc}") from None
            rules.append(
                Rule(
                    validator=str(raw["validator"]),
                    path=_strings(raw.get("path")),
                    language=tuple(s.lower() for s in _strings(raw.get("language"))),
                    contains=pattern,
                    expect=raw.get("expect"),
                    skip=bool(raw.get("skip", False)),
                    index=index,
                )
            )
        return cls(validators, rules, base, bool(mapping.get("parse_unbound", True)), source)


def load_config(root: Path | str, config: Any) -> ExamplesConfig:
    """An explicit examples configuration (the project's own comes from ``Project.settings``):
    an ``ExamplesConfig``, a mapping (paths relative to ``root``), or a YAML file that is a
    ``mkdocs.yml`` (its plugin's ``examples:``), holds an ``examples:`` key, or is that mapping."""
    base = Path(root)
    if isinstance(config, ExamplesConfig):
        return config
    if isinstance(config, Mapping):
        return ExamplesConfig.from_mapping(config.get("examples", config) if "examples" in config else config, base)
    path = Path(config)
    try:
        data: Any = read_config(path)
    except ConfigFileError as exc:
        raise ExamplesConfigError(str(exc)) from exc
    options = plugin_options(data)
    if options is not None:
        data = options.get("examples") or {}
    elif "examples" in data:
        data = data["examples"] or {}
    return ExamplesConfig.from_mapping(data, path.parent, source=str(path))


@dataclass(frozen=True)
class Binding:
    """The outcome of binding: ``validator`` (``None``: nothing checks it), ``expect``, ``skip``
    and ``origin`` (``annotation``, ``front-matter``, ``rule N``, ``syntax`` or ``none``)."""

    validator: str | None
    expect: str = "valid"
    skip: bool = False
    origin: str = "none"


def syntax_binding(example: Example) -> Binding:
    """The zero-configuration binding: the built-in ``yaml``, ``json`` or ``env`` validator when
    the example is written in that format (told from its language, else from its content), no
    validator otherwise (scripts, prose, pseudo-config)."""
    found = syntax_format(example.language, example.text)
    return Binding(found, example.expect, example.skip, "syntax" if found else "none")


def bind(example: Example, config: ExamplesConfig, *, default_syntax: bool | None = None) -> Binding:
    """The validator (and expectation) for ``example`` (see module docstring for the order).

    When nothing binds it, ``syntax_binding`` decides if ``default_syntax`` (by default the
    configuration's ``parse_unbound``, itself true by default) is true."""
    expect = example.expect
    skip = example.skip
    meta = example.meta or {}
    if meta.get("skip") is True:
        skip = True
    annotated = example.attributes.get("validate")
    if isinstance(annotated, str) and annotated.strip():
        return Binding(annotated.strip(), expect, skip, "annotation")
    page_validator = meta.get("validator")
    if isinstance(page_validator, str) and page_validator.strip():
        return Binding(page_validator.strip(), expect, skip, "front-matter")
    for rule in config.rules:
        if rule.matches(example):
            rule_expect = rule.expect if rule.expect in ("valid", "invalid") and "expect" not in example.attributes else expect
            return Binding(rule.validator, rule_expect, skip or rule.skip, f"rule {rule.index + 1}")
    if config.parse_unbound if default_syntax is None else default_syntax:
        found = syntax_binding(example)
        return Binding(found.validator, expect, skip, found.origin)
    return Binding(None, expect, skip, "none")
