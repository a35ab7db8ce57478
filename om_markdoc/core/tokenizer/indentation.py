"""``allow_indentation``: content indented four or more columns keeps its block meaning.

Markdoc patches markdown-it so that authors may indent the content of tags.  In markdown-it-py
disabling the ``code`` rule already lifts the four-column checks of every block rule
(``StateBlock.is_code_block``); what remains is the paragraph rule, which still treats deeply
indented lines as lazy continuations.  This paragraph rule checks terminators on every line.
"""

from __future__ import annotations

from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock


def paragraph(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A paragraph that any block rule may interrupt, however deep its lines are indented."""
    terminators = state.md.block.ruler.getRules("paragraph")
    end_line = state.lineMax
    old_parent = state.parentType
    state.parentType = "paragraph"
    next_line = start_line + 1
    while next_line < end_line and not state.isEmpty(next_line):
        # Negative sCount: a blockquote's lazy line, which that rule has already vetted.
        if state.sCount[next_line] >= 0 and any(rule(state, next_line, end_line, True) for rule in terminators):
            break
        next_line += 1
    content = mdTrim(state.getLines(start_line, next_line, state.blkIndent, False))
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
