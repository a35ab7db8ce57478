"""Inline rule: a tag anywhere in inline content (pushed last, so code spans and escapes win)."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it.rules_inline import StateInline

from ..jsvalue import js_trim
from .delimiters import Delimiters, find_tag_end
from .tag_token import push_tag_token


def make_inline_rule(delims: Delimiters) -> Callable[[StateInline, bool], bool]:
    """Build the ``containers`` inline rule for the given delimiters."""
    open_, close = delims.open, delims.close

    def inline_tag(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith(open_, state.pos):
            return False
        tag_end = find_tag_end(state.src, state.pos, close)
        if tag_end is None:
            return False
        if not silent:
            push_tag_token(state, js_trim(state.src[state.pos + len(open_) : tag_end]), None)
        state.pos = tag_end + len(close)
        return True

    return inline_tag
