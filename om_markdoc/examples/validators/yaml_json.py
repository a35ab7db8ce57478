"""``yaml`` and ``json``: the example parses; problems point where the parser stopped."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..example import Example
from ..reader import for_json, for_yaml, json_excerpt
from ..yamlmap import KeyMap, YamlSyntaxError, YamlTooLarge, load_documents
from .base import Problem, Validator


def parse_data(example: Example, *, fmt: str | None = None) -> tuple[list[tuple[Any, KeyMap]], list[Problem]]:
    """The documents of a YAML or JSON example with their key maps, or the syntax problem.

    JSON is YAML too, but ``json`` gives JSON's own messages for ``language: json`` examples.
    Elisions and placeholders written for the reader are not syntax errors (see ``reader``).
    """
    fmt = fmt or ("json" if example.language.lower() in ("json", "jsonc", "json5") else "yaml")
    if fmt == "json":
        return _parse_json(example.text)
    try:
        documents = load_documents(for_yaml(example.text).text)
    except YamlTooLarge as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"YAML refused: {exc.message}", offset=offset, rule="example-too-large")]
    except YamlSyntaxError as exc:
        offset = exc.mark.offset if exc.mark is not None else None
        return [], [Problem(f"invalid YAML: {exc.message}", offset=offset, rule="example-unparseable")]
    return [(d.data, d.keys) for d in documents], []


def _parse_json(text: str) -> tuple[list[tuple[Any, KeyMap]], list[Problem]]:
    reader = for_json(text)
    source, shift = reader.text, 0
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        excerpt = json_excerpt(source, elided=reader.elided)
        if excerpt is None:
            return [], [_json_problem(exc, 0)]
        source, shift = excerpt
        try:
            data = json.loads(source)
        except json.JSONDecodeError as again:
            return [], [_json_problem(again, shift)]
    try:  # key marks from the YAML composer (JSON is YAML 1.2; good enough for positions)
        keys = load_documents(source)[0].keys
    except (YamlSyntaxError, IndexError):
        keys = KeyMap()
    if shift:
        keys = keys.shifted(-shift)
    return [(data, keys)], []


def _json_problem(exc: json.JSONDecodeError, shift: int) -> Problem:
    return Problem(f"invalid JSON: {exc.msg}", offset=max(0, exc.pos - shift), rule="example-unparseable")


def yaml_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="yaml")[1]

    return check


def json_validator(name: str, options: Mapping[str, Any], base: Path) -> Validator:
    def check(example: Example) -> list[Problem]:
        return parse_data(example, fmt="json")[1]

    return check
