"""Turning a tag's interior into a markdown-it token (shared by the block and inline rules)."""

from __future__ import annotations

from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..grammar import TagSyntaxError, parse_tag

_OPEN_ATTRIBUTE = "om_markdoc_open_tags"
"""Attribute of an inline state counting the inline tags open in it."""


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
    if isinstance(state, StateInline):
        depth = getattr(state, _OPEN_ATTRIBUTE, 0)
        if nesting < 0 and depth == 0:
            # A closing tag with no inline tag open: the reference pops whatever delimiter list
            # is on the stack.  At the top of a paragraph that stack is empty (JavaScript gets
            # `undefined` and starts a fresh list; markdown-it-py would raise IndexError); inside
            # link text it is the link's, and the reference later throws.  A fresh list on the
            # stack gives the first result and avoids the second.
            state._prev_delimiters.append([])  # noqa: SLF001 - markdown-it-py has no public door to it
        elif nesting:
            setattr(state, _OPEN_ATTRIBUTE, depth + nesting)
    token = state.push(parsed["type"], "", nesting)
    token.info = content
    token.meta = parsed["meta"]
    return token
