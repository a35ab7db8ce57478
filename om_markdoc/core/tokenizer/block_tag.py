"""Block rule: a line that starts with a tag and whose tag ends that line (or spans lines)."""

from __future__ import annotations

from collections.abc import Callable

from markdown_it.rules_block import StateBlock

from ..jsvalue import JS_WHITESPACE, js_trim
from .delimiters import Delimiters, find_tag_end
from .tag_token import push_tag_token


def _leading_whitespace(state: StateBlock) -> int:
    """How many whitespace characters open the document (computed once per parse)."""
    lead = state.env.get("om_markdoc.leading_ws")
    if lead is None:
        lead = len(state.src) - len(state.src.lstrip(JS_WHITESPACE))
        state.env["om_markdoc.leading_ws"] = lead
    return lead


def make_block_rule(delims: Delimiters) -> Callable[[StateBlock, int, int, bool], bool]:
    """Build the ``annotations`` block rule for the given delimiters."""
    open_, close = delims.open, delims.close

    def block_tag(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        src = state.src
        start = state.bMarks[start_line] + state.tShift[start_line]
        if not src.startswith(open_, start):
            return False
        tag_end = find_tag_end(src, start, close)
        if tag_end is None:
            return False
        # The tag must end its first line: only whitespace may follow `%}` there.  The reference
        # measures `src.slice(0, lineEnd).trim().length`, so leading whitespace of the whole
        # document shifts the bound too; reproduced without re-trimming the source per line.
        end = state.eMarks[start_line]
        while end > 0 and src[end - 1] in JS_WHITESPACE:
            end -= 1
        last_possible = max(0, end - _leading_whitespace(state))
        if tag_end < last_possible - len(close):
            return False
        lines = src.count("\n", start, tag_end + len(close)) + 1
        # Through getLines so that `>` and list indentation are stripped from multi-line tags.
        text = state.getLines(start_line, start_line + lines, 0, False)
        inner_start = text.find(open_) + len(open_)
        inner_end = find_tag_end(text, 0, close)
        content = js_trim(text[inner_start : inner_end if inner_end is not None else 0])
        if content.startswith("$"):
            return False  # a lone variable is inline text of a paragraph
        if silent:
            return True
        token = push_tag_token(state, content, start + len(open_))
        token.map = [start_line, start_line + lines]
        state.line += lines
        return True

    return block_tag
