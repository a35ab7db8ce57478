"""Configuration: merging with the built-ins, and loading the oracle's JSON config format.

A config is a plain dict with the reference's keys (``tags``, ``nodes``, ``variables``,
``functions``, ``partials``, ``validation``); schema dicts use the reference's camelCase keys
(``selfClosing``, ``errorLevel``) so that Markdoc users can carry their configs over.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .ast import Node
from .functions import builtin_functions
from .nodes import builtin_nodes
from .tags import builtin_tags
from .validator import JSRegExp

BUILTIN_TAGS = builtin_tags()
BUILTIN_NODES = builtin_nodes()
BUILTIN_FUNCTIONS = builtin_functions()

PARTIAL_SUFFIXES = (".md", ".mdoc", ".markdoc", ".markdown")


def merge_config(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """The reference's ``mergeConfig``: user tags/nodes/functions replace built-ins key by key."""
    config = dict(config or {})
    config["tags"] = {**BUILTIN_TAGS, **(config.get("tags") or {})}
    config["nodes"] = {**BUILTIN_NODES, **(config.get("nodes") or {})}
    config["functions"] = {**BUILTIN_FUNCTIONS, **(config.get("functions") or {})}
    return config


def _revive_attribute(attribute: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(attribute)
    matches = out.get("matches")
    if isinstance(matches, Mapping) and "regex" in matches:
        out["matches"] = JSRegExp(matches["regex"], matches.get("flags") or "")
    return out


def _revive_schema(schema: Any, builtin: Mapping[str, Any] | None) -> Any:
    """A JSON schema replaces the built-in one unless it says ``"$extendBuiltin": true``."""
    if not isinstance(schema, Mapping):
        return schema
    schema = dict(schema)
    extend = schema.pop("$extendBuiltin", False)
    if isinstance(schema.get("attributes"), Mapping):
        schema["attributes"] = {k: _revive_attribute(v) for k, v in schema["attributes"].items()}
    if extend and builtin:
        merged = {**builtin, **schema}
        merged["attributes"] = {**(builtin.get("attributes") or {}), **(schema.get("attributes") or {})}
        return merged
    return schema


def load_config(
    raw: Mapping[str, Any] | None,
    parse_partial: Callable[[str, str], Node],
    partials_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Turn a JSON-shaped config (the oracle's ``--config`` format) into a working config.

    ``parse_partial(source, name)`` parses partial sources with the caller's tokenizer options;
    ``partials_dir`` adds every Markdoc file below it, keyed by its relative POSIX path.
    """
    config = dict(raw or {})
    if isinstance(config.get("tags"), Mapping):
        config["tags"] = {k: _revive_schema(v, BUILTIN_TAGS.get(k)) for k, v in config["tags"].items()}
    if isinstance(config.get("nodes"), Mapping):
        config["nodes"] = {k: _revive_schema(v, BUILTIN_NODES.get(k)) for k, v in config["nodes"].items()}
    partials: dict[str, Any] = {}
    if partials_dir is not None:
        root = Path(partials_dir)
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix.lower() in PARTIAL_SUFFIXES:
                name = path.relative_to(root).as_posix()
                partials[name] = parse_partial(path.read_text(encoding="utf-8"), name)
    for name, value in (config.get("partials") or {}).items():
        partials[name] = parse_partial(value, name) if isinstance(value, str) else value
    config["partials"] = partials
    return config


def read_config_file(path: str | Path) -> dict[str, Any]:
    """Read a JSON config file."""
    config: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return config
