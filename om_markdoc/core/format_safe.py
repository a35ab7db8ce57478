"""Formatting a file without changing the page: ``format_checked`` wraps the reference formatter.

``formatter.format_source`` reproduces ``Markdoc.format`` exactly, and the reference printer
is not always faithful: it trims the spaces inside `` ` code ` `` spans, drops GFM column
alignment, does not escape a ``1.`` or ``- `` that a reflowed line now starts with, and so on
(about 3% of the OpenMetadata pages).  A tool that rewrites files in place must not do that
silently, so the command line formats through here:

1. the reference formatter is applied until its output no longer changes (it is not always
   idempotent on the first pass; a second pass has always reached a fixed point on the corpus,
   and the output of this loop is then stable under ``Markdoc.format`` too);
2. the page is rendered before and after (no config: undeclared tags render as elements of
   their own name, so every attribute counts);
3. if the HTML differs, the original text is kept unless the caller forces the rewrite, and
   the line of the first block that renders differently is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import api
from .ast import Node
from .document import declare_unknown_tags
from .formatter import format_ast
from .renderers.html import render_html
from .tokenizer import Tokenizer

MAX_ROUNDS = 4


@dataclass(frozen=True)
class FormatOutcome:
    """What formatting one text gave.

    ``text`` is what a caller should write: the formatted text, or the original when the
    formatting would change the rendering and was not forced.  ``render_line`` is the 1-based
    line of the first top-level block that renders differently (``None`` when nothing does).
    """

    source: str
    formatted: str
    text: str
    rounds: int
    converged: bool
    render_line: int | None

    @property
    def changes_rendering(self) -> bool:
        return self.render_line is not None

    @property
    def changed(self) -> bool:
        return self.text != self.source


def rendered(ast: Node) -> str:
    """A page's HTML with no config, for before/after comparison; a transform that throws is
    part of the result (a formatting that makes it throw, or stop throwing, changes the page)."""
    try:
        config = declare_unknown_tags({}, [ast], "render")
        return render_html(api.transform(ast, config))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return f"<exception {type(exc).__name__}: {exc}>"


def _first_difference(before: Node, after: Node) -> int:
    """1-based line of the first top-level block of ``before`` whose HTML differs from its
    counterpart in ``after`` (blocks compared in order; a split or merged block shows there)."""
    for old, new in zip(before.children, after.children):
        if rendered(Node("document", children=[old])) != rendered(Node("document", children=[new])):
            return old.lines[0] + 1 if old.lines else 1
    shorter = min(len(before.children), len(after.children))
    if shorter < len(before.children):
        node = before.children[shorter]
        return node.lines[0] + 1 if node.lines else 1
    last = before.children[-1] if before.children else None
    return last.lines[-1] + 1 if last is not None and last.lines else 1


def format_checked(
    source: str,
    *,
    tokenizer: Tokenizer | None = None,
    force: bool = False,
    max_rounds: int = MAX_ROUNDS,
    **options: Any,
) -> FormatOutcome:
    """Format ``source`` to a fixed point and check that the page still renders the same.

    ``options`` are those of :func:`formatter.format_ast` (``allow_indentation``,
    ``max_tag_opening_width``, ``ordered_list_mode``); the delimiters are the tokenizer's.
    Raises what ``format_ast`` raises (``FormatError``, ``RecursionError``).
    """
    tokenizer = tokenizer or api.default_tokenizer()
    options.setdefault("delimiters", tokenizer.delimiters)
    original = api.parse(source, tokenizer=tokenizer)
    text, ast, rounds, converged = source, original, 0, False
    while rounds < max_rounds:
        formatted = format_ast(ast, **options)
        rounds += 1
        if formatted == text:
            converged = True
            break
        text = formatted
        ast = api.parse(text, tokenizer=tokenizer)
    render_line = None
    if text != source and rendered(original) != rendered(ast):
        render_line = _first_difference(original, ast)
    keep = render_line is not None and not force
    return FormatOutcome(source, text, source if keep else text, rounds, converged, render_line)
