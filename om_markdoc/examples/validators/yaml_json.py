"""``yaml`` and ``json``: the example parses; problems point where the parser stopped."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping

from ..collect import Example
from ..yamlmap import KeyMap, YamlSyntaxError, YamlTooLarge, load_documents
from .base import Problem, Validator


def parse_data(example: Example, *, fmt: str | None = None) -> tuple[list[tuple[Any, KeyMap]], list[Problem]]:
    """The documents of a YAML or JSON example with their key maps, or the syntax problem.

    JSON is YAML too, but ``json`` gives JSON's own messages for ``language: json`` examples.
    """
    fmt = fmt or ("json" if example.language.lower() in ("json", "jsonc") else "yaml")
    if fmt == "json":
        try:
            data = json.loads(example.text)
        except json.JSONDecodeError as exc:
            return [], [Problem(f"invalid JSON: {exc.msg}", offset=exc.pos, rule="example-unparseable")]
        try:  # key marks from the YAML composer (JSON is YAML 1.2; good enough for positions)
            keys = load_documents(example.text)[0].keys
        except (YamlSyntaxError, IndexError):
            keys = KeyMap()
        return [(data, keys)], []
    try:
        documents = load_documents(example.text)
    except YamlTooLarge as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"YAML refused: {exc.message}", offset=offset, rule="example-too-large")]
    except YamlSyntaxError as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"invalid YAML: {exc.message}", offset=offset, rule="example-unparseable")]
    return [(d.data, d.keys) for d in documents], []


def yaml_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="yaml")[1]

    return check


def json_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="json")[1]

    return check
