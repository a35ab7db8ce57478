"""Block rule: a ``---`` fenced front-matter block on the very first line, kept as raw text."""

from __future__ import annotations

from markdown_it.rules_block import StateBlock

from ..jsvalue import js_trim

FENCE = "---"


def _line(state: StateBlock, n: int) -> str:
    return js_trim(state.src[state.bMarks[n] : state.eMarks[n]])


def frontmatter(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Recognise front matter; its content is not parsed here (Markdoc leaves that to the app)."""
    if start_line != 0 or _line(state, 0) != FENCE:
        return False
    close = next((n for n in range(1, end_line) if _line(state, n) == FENCE), None)
    if close is None:
        return False
    if silent:
        return True
    token = state.push("frontmatter", "", 0)
    token.content = js_trim(state.src[state.eMarks[0] : state.bMarks[close]])
    token.map = [0, close]
    token.hidden = True
    state.line = close + 1
    return True
