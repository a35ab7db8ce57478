"""``<!-- ... -->`` comments as ``comment`` tokens (only with ``allow_comments``).

Without the option markdown-it's ``html: false`` leaves them as escaped text, as in the reference.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from ..jsvalue import js_trim

OPEN = "<!--"
CLOSE = "-->"


def comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A comment starting a block; it may span lines, and text after ``-->`` on its last line is dropped."""
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not state.src.startswith(OPEN, start):
        return False
    close = state.src.find(CLOSE, start)
    if close == -1:
        return False
    if silent:
        return True
    content = state.src[start + len(OPEN) : close]
    lines = content.count("\n") + 1
    token = state.push("comment", "", 0)
    token.content = js_trim(content)
    token.map = [start_line, start_line + lines]
    state.line += lines
    return True


def comment_inline(state: StateInline, silent: bool) -> bool:
    """A comment inside one paragraph's inline content."""
    if not state.src.startswith(OPEN, state.pos):
        return False
    close = state.src.find(CLOSE, state.pos)
    if close == -1:
        return False
    if not silent:
        token = state.push("comment", "", 0)
        token.content = js_trim(state.src[state.pos + len(OPEN) : close])
    # The reference returns without moving on in silent mode, which makes markdown-it loop
    # forever on a comment inside link text (`[a <!-- c --> b](x)`); we always move past it.
    state.pos = close + len(CLOSE)
    return True
