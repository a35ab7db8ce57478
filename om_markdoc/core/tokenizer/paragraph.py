"""The paragraph rule, and the list rule's indentation special case, as Markdoc's markdown-it has them.

markdown-it-py's own paragraph rule trims with the CommonMark character set, while the
reference trims with JavaScript's ``String.prototype.trim`` (which also drops U+FEFF, so a
byte-order mark opening a paragraph disappears).  With ``allow_indentation`` Markdoc's patch also
lets any block rule interrupt a paragraph however deep the line is indented, and lifts the list
rule's "four columns past the enclosing list" check; markdown-it-py lifts its other
four-column checks by itself once the ``code`` rule is disabled (``StateBlock.is_code_block``).
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.list import list_block

from ..jsvalue import js_trim

BlockRule = Callable[[StateBlock, int, int, bool], bool]


def _terminates(rules: list[BlockRule], state: StateBlock, line: int, end_line: int) -> bool:
    return any(rule(state, line, end_line, True) for rule in rules)


def make_paragraph_rule(allow_indentation: bool) -> BlockRule:
    """A paragraph rule; lines indented four or more columns are lazy continuations unless allowed."""

    def paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        terminators = state.md.block.ruler.getRules("paragraph")
        end_line = state.lineMax
        old_parent = state.parentType
        state.parentType = "paragraph"
        next_line = start_line + 1
        while next_line < end_line and not state.isEmpty(next_line):
            indent = state.sCount[next_line]
            # A negative indent marks a blockquote's lazy line, which that rule has already vetted.
            lazy = indent < 0 or (not allow_indentation and indent - state.blkIndent > 3)
            if not lazy and _terminates(terminators, state, next_line, end_line):
                break
            next_line += 1
        content = js_trim(state.getLines(start_line, next_line, state.blkIndent, False))
        state.line = next_line
        token = state.push("paragraph_open", "p", 1)
        token.map = [start_line, next_line]
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [start_line, next_line]
        token.children = []
        state.push("paragraph_close", "p", -1)
        state.parentType = old_parent
        return True

    return paragraph


def list_any_indent(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The list rule without its "indented four past the enclosing list" bail-out.

    That check only fires while ``state.listIndent >= 0``, so it is hidden for the duration of
    the call; the rule sets and restores ``listIndent`` itself for the items it parses.
    """
    saved = state.listIndent
    state.listIndent = -1
    try:
        return list_block(state, start_line, end_line, silent)
    finally:
        state.listIndent = saved
