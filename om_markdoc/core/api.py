"""The Markdoc API for Python: ``parse``, ``validate``, ``transform``, ``render_html``.

Names and semantics follow ``@markdoc/markdoc``; see docs for the few deliberate deviations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from markdown_it.token import Token

from .ast import Node
from .config import merge_config
from .parser import ParseOptions, parse_tokens
from .renderers.html import render_html
from .tokenizer import Tokenizer
from .validator import validate_tree

__all__ = ["parse", "validate", "transform", "render_html", "Tokenizer"]


@lru_cache(maxsize=8)
def default_tokenizer(
    allow_comments: bool = False, allow_indentation: bool = False, delimiters: str = "curly"
) -> Tokenizer:
    """A shared tokenizer per option set (building one is far costlier than using it)."""
    return Tokenizer(allow_comments=allow_comments, allow_indentation=allow_indentation, delimiters=delimiters)


def parse(
    source: str | Sequence[Token],
    file: str | None = None,
    *,
    slots: bool = False,
    location: bool = True,
    conditional_tags: Sequence[str] = ("if",),
    tokenizer: Tokenizer | None = None,
) -> Node:
    """Parse Markdoc source (or tokens from ``Tokenizer.tokenize``) into an AST ``Node``.

    Never raises on bad input: syntax problems are recorded as errors on the nodes and come
    out of ``validate``.
    """
    tokenizer = tokenizer or default_tokenizer()
    tokens = tokenizer.tokenize(source) if isinstance(source, str) else list(source)
    options = ParseOptions(
        file=file,
        slots=slots,
        location=location,
        conditional_tags=tuple(conditional_tags),
        fence_open=tokenizer.delimiters.open,
    )
    return parse_tokens(tokens, options)


def validate(ast: Node, config: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """All validation errors of ``ast`` against ``config`` (built-ins merged in)."""
    return validate_tree(ast, merge_config(config))


def transform(ast: Node | Sequence[Node], config: Mapping[str, Any] | None = None) -> Any:
    """Resolve variables and functions, then transform to a render tree of ``Tag`` objects."""
    merged = merge_config(config)
    if isinstance(ast, Node):
        return ast.resolve(merged).transform(merged)
    out: list[Any] = []
    for node in ast:
        result = node.resolve(merged).transform(merged)
        out.extend(result if isinstance(result, list) else [result])
    return out
