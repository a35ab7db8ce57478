"""One document, start to finish, reported in the oracle's record shape.

``render_document`` is what ``om-markdoc render --json`` prints and what the conformance suite
compares with the reference: ``{"file", "errors": [{id, level, message, lines, type, location}],
"html"}``.  It also offers the oracle's ``unknown_tags`` modes, so the two can be diffed as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from . import api
from .ast import Node
from .config import BUILTIN_TAGS, load_config
from .renderers.html import render_html
from .tokenizer import Tokenizer

UNKNOWN_TAG_MODES = ("render", "transparent", "strict")


def _tags_in(roots: Iterable[Any]) -> list[tuple[str, list[str]]]:
    """``(tag name, attribute names)`` of every tag node under ``roots``, in document order."""
    found: list[tuple[str, list[str]]] = []
    for root in roots:
        for document in root if isinstance(root, list) else [root]:
            if not isinstance(document, Node):
                continue
            # Node.walk's order (slots, then children), without a generator: this visits every
            # node of every page.
            pending = [iter((document,))]
            while pending:
                for node in pending[-1]:
                    if node.tag and node.type == "tag":
                        found.append((node.tag, list(node.attributes)))
                    if node.slots:
                        pending.append(iter([*node.slots.values(), *node.children]))
                        break
                    if node.children:
                        pending.append(iter(node.children))
                        break
                else:
                    pending.pop()
    return found


_PARTIAL_TAGS: dict[int, tuple[Any, list[tuple[str, list[str]]]]] = {}


def _partial_tags(partials: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    """The tags of a set of partials, walked once per set (a CLI run renders many documents)."""
    cached = _PARTIAL_TAGS.get(id(partials))
    if cached is None or cached[0] is not partials:
        if len(_PARTIAL_TAGS) > 8:
            _PARTIAL_TAGS.clear()
        cached = _PARTIAL_TAGS[id(partials)] = (partials, _tags_in(partials.values()))
    return cached[1]


def declare_unknown_tags(
    config: dict[str, Any], roots: Iterable[Any], mode: str, partials: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Declare every undeclared tag seen in ``roots`` then in ``partials`` (``render``: as an
    element of its own name, with every attribute seen), as the oracle's harness does."""
    if mode == "strict":
        return config
    declared = {**BUILTIN_TAGS, **(config.get("tags") or {})}
    extra: dict[str, dict[str, Any]] = {}
    seen = _tags_in(roots) + (_partial_tags(partials) if partials else [])
    for tag, attributes in seen:
        if declared.get(tag):
            continue
        schema = extra.setdefault(tag, {"attributes": {}} if mode == "transparent" else {"render": tag, "attributes": {}})
        for key in attributes:
            if key not in ("class", "id"):
                schema["attributes"][key] = {"render": mode != "transparent"}
    if not extra:
        return config
    return {**config, "tags": {**(config.get("tags") or {}), **extra}}


def error_record(error: dict[str, Any]) -> dict[str, Any]:
    """A validation error flattened the way the oracle prints it."""
    record = {
        "id": error["error"]["id"],
        "level": error["error"]["level"],
        "message": error["error"]["message"],
        "lines": error["lines"],
        "type": error["type"],
    }
    if error.get("location") is not None:
        record["location"] = error["location"]
    return record


def load_document_config(
    config: Mapping[str, Any] | None, *, tokenizer: Tokenizer, slots: bool = False, partials_dir: str | None = None
) -> dict[str, Any]:
    """A JSON-shaped config made ready, its partials parsed with ``tokenizer``."""

    def parse_partial(text: str, name: str) -> Node:
        return api.parse(text, name, slots=slots, tokenizer=tokenizer)

    return load_config(config, parse_partial, partials_dir)


def render_document(
    source: str,
    *,
    file: str | None = "test.md",
    config: Mapping[str, Any] | None = None,
    allow_comments: bool = False,
    allow_indentation: bool = False,
    slots: bool = False,
    unknown_tags: str = "strict",
    validate: bool = True,
    tokenizer: Tokenizer | None = None,
    partials_dir: str | None = None,
    loaded_config: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Parse, validate, transform and render one document; never raises for bad input.

    ``loaded_config`` (from ``load_document_config``) skips loading the config and parsing the
    partials again, for callers that render many documents with one config.
    """
    tokenizer = tokenizer or api.default_tokenizer(allow_comments, allow_indentation)
    loaded = loaded_config if loaded_config is not None else load_document_config(
        config, tokenizer=tokenizer, slots=slots, partials_dir=partials_dir
    )
    ast = api.parse(source, file, slots=slots, tokenizer=tokenizer)
    effective = declare_unknown_tags(loaded, [ast], unknown_tags, partials=loaded["partials"])
    record: dict[str, Any] = {"file": file}
    try:
        record["errors"] = [error_record(e) for e in api.validate(ast, effective)] if validate else []
    except (TypeError, RecursionError) as exc:  # reading through null, as the reference throws
        record["errors"] = [{"id": "validate-exception", "level": "critical", "message": str(exc), "lines": [], "type": None}]
    try:
        record["html"] = render_html(api.transform(ast, effective))
    except (TypeError, RecursionError) as exc:
        record["html"] = None
        record["exception"] = f"{type(exc).__name__}: {exc}"
    return record
