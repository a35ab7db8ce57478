"""Turning a tag's interior into a markdown-it token (shared by the block and inline rules)."""

from __future__ import annotations

from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..grammar import TagSyntaxError, parse_tag


def push_tag_token(state: StateBlock | StateInline, content: str, content_start: int | None) -> Token:
    """Parse ``content`` and push a ``tag``/``tag_open``/``tag_close``/``variable``/``annotation`` token.

    A grammar failure becomes an ``error`` token carrying the pegjs message; block-level errors
    also carry absolute source offsets (inline ones do not, as in the reference).
    """
    try:
        parsed = parse_tag(content)
    except TagSyntaxError as error:
        location: dict[str, Any] | None = None
        if content_start:
            location = {
                "start": {"offset": error.start + content_start},
                "end": {"offset": error.end + content_start},
            }
        token = state.push("error", "", 0)
        token.info = content  # kept for the dialect's recovery of near-miss syntax
        token.meta = {"error": {"message": error.message, "location": location}}
        return token
    nesting = parsed.get("nesting", 0)
    if nesting < 0 and isinstance(state, StateInline) and not state._prev_delimiters:
        # A stray inline closing tag: the reference silently pops an empty stack and starts a
        # fresh delimiter list; markdown-it-py would raise IndexError instead.
        state._prev_delimiters.append([])
    token = state.push(parsed["type"], "", nesting)
    token.info = content
    token.meta = parsed["meta"]
    return token
