"""One document, start to finish, reported in the oracle's record shape.

``render_document`` is what ``om-markdoc render --json`` prints and what the conformance suite
compares with the reference: ``{"file", "errors": [{id, level, message, lines, type, location}],
"html"}``.  It also offers the oracle's ``unknown_tags`` modes, so the two can be diffed as is.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from . import api
from .ast import Node
from .config import BUILTIN_TAGS, load_config
from .renderers.html import render_html
from .tokenizer import Tokenizer

UNKNOWN_TAG_MODES = ("render", "transparent", "strict")


def _tag_nodes(roots: Iterable[Any]) -> Iterable[Node]:
    for root in roots:
        for document in root if isinstance(root, list) else [root]:
            if isinstance(document, Node):
                yield document
                yield from document.walk()


def declare_unknown_tags(config: dict[str, Any], roots: Iterable[Any], mode: str) -> dict[str, Any]:
    """Declare every undeclared tag seen (``render``: as an element of its own name)."""
    if mode == "strict":
        return config
    declared = {**BUILTIN_TAGS, **(config.get("tags") or {})}
    extra: dict[str, dict[str, Any]] = {}
    for node in _tag_nodes(roots):
        if node.type != "tag" or not node.tag or declared.get(node.tag):
            continue
        schema = extra.setdefault(node.tag, {"attributes": {}} if mode == "transparent" else {"render": node.tag, "attributes": {}})
        for key in node.attributes:
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
) -> dict[str, Any]:
    """Parse, validate, transform and render one document; never raises for bad input."""
    tokenizer = tokenizer or api.default_tokenizer(allow_comments, allow_indentation)

    def parse_partial(text: str, name: str) -> Node:
        return api.parse(text, name, slots=slots, tokenizer=tokenizer)

    loaded = load_config(config, parse_partial, partials_dir)
    ast = api.parse(source, file, slots=slots, tokenizer=tokenizer)
    effective = declare_unknown_tags(loaded, [ast, *loaded["partials"].values()], unknown_tags)
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
