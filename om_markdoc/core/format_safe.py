"""Formatting a file without changing the page: ``format_checked`` is what ``om-markdoc fmt`` runs.

``formatter.format_source`` reproduces ``Markdoc.format`` exactly, and the reference printer is
not always faithful: it drops GFM column alignment, trims the spaces inside `` ` code ` ``
spans, prints a tag it cannot parse as nothing (the tag vanishes from the file), does not
escape a ``1.`` or ``- `` that a reflowed line now starts with, and so on.  A tool that rewrites
files in place must not do that silently, so the command line formats through here:

1. the page is printed with ``faithful=True`` (unless ``reference=True``): alignment rows and
   code-span spaces are kept, and each broken tag is written back as its own source text;
2. the printer is applied until its output no longer changes (the reference is not always
   idempotent on the first pass; a second pass has always reached a fixed point on the corpus);
3. the page is compared before and after: its HTML (rendered with no config, so undeclared
   tags render as elements of their own name and every attribute counts) and its text content
   (every string of the AST plus the text of each broken tag, which renders as nothing);
4. if either differs, the original text is kept unless the caller forces the rewrite, and the
   line of the first block that differs is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from . import api
from .ast import Node
from .document import declare_unknown_tags
from .formatter import format_ast
from .jsvalue import js_trim
from .renderers.html import render_html
from .tokenizer import Tokenizer
from .tokenizer.delimiters import Delimiters, find_tag_end

MAX_ROUNDS = 4


@dataclass(frozen=True)
class FormatOutcome:
    """What formatting one text gave.

    ``text`` is what a caller should write: the formatted text, or the original when the
    formatting would change the page and was not forced.  ``render_line`` is the 1-based line of
    the first top-level block that differs (``None`` when nothing does); ``damage`` says what
    differs there: ``"rendering"`` (the HTML) or ``"text"`` (text the HTML does not show).
    """

    source: str
    formatted: str
    text: str
    rounds: int
    converged: bool
    render_line: int | None
    damage: str | None = None

    @property
    def changes_rendering(self) -> bool:
        return self.render_line is not None

    @property
    def changed(self) -> bool:
        return self.text != self.source


@dataclass
class ParsedPage:
    """A parsed text and its broken tags.

    ``broken`` holds the interior of every tag the grammar rejected, in source order;
    ``interiors`` and ``sources`` map ``id()`` of the AST's ``error`` nodes to that interior and
    to the tag's exact source text (when it could be found), for the text check and the printer.
    """

    ast: Node
    broken: list[str] = field(default_factory=list)
    interiors: dict[int, str] = field(default_factory=dict)
    sources: dict[int, str] = field(default_factory=dict)


def _error_tokens(tokens: list[Token]) -> Iterator[tuple[Token, Token | None]]:
    """Each ``error`` token with the ``inline`` token it sits in (``None`` at block level).

    Fence and image children are not walked: a fence prints its content as it is, and the
    parser makes no nodes of an image's children."""
    for token in tokens:
        if token.type == "error":
            yield token, None
        elif token.type == "inline" and token.children:
            yield from ((child, token) for child in token.children if child.type == "error")


def _error_nodes(node: Node) -> Iterator[Node]:
    """The AST's ``error`` nodes in document order, outside fences (see ``_error_tokens``)."""
    for child in node.children:
        if child.type == "error":
            yield child
        if child.type not in ("fence", "image"):
            yield from _error_nodes(child)


def _find_tag(text: str, start: int, interior: str, delimiters: Delimiters) -> tuple[str, int] | None:
    """The first tag at or after ``start`` in ``text`` whose trimmed interior is ``interior``,
    and the offset after it (found as the tokenizer finds tags: the same end-of-tag scan)."""
    open_, close = delimiters.open, delimiters.close
    pos = text.find(open_, start)
    while pos != -1:
        end = find_tag_end(text, pos, close)
        if end is None:
            return None
        if js_trim(text[pos + len(open_) : end]) == interior:
            return text[pos : end + len(close)], end + len(close)
        pos = text.find(open_, pos + 1)
    return None


def _broken_tag_sources(source: str, errors: list[tuple[Token, Token | None]], delimiters: Delimiters) -> list[str | None]:
    """The source text of each broken tag: searched for in its inline token's content, or in
    the source lines of its block token, after the previous broken tag of the same text."""
    lines = source.split("\n")
    cursors: dict[int, int] = {}
    found: list[str | None] = []
    for token, inline in errors:
        if inline is not None:
            text, key = inline.content, id(inline)
        elif token.map:
            text, key = "\n".join(lines[token.map[0] : token.map[1]]), id(token)
        else:
            found.append(None)
            continue
        hit = _find_tag(text, cursors.get(key, 0), token.info, delimiters)
        found.append(hit[0] if hit else None)
        if hit:
            cursors[key] = hit[1]
    return found


def parse_page(source: str, tokenizer: Tokenizer, *, keep_errors: bool = True) -> ParsedPage:
    """Parse ``source`` and, with ``keep_errors``, pair its broken tags with their source text.

    Error tokens and error nodes are paired in order; if their counts differ (nothing known
    does that) no source is paired, the printer drops the tags as the reference does, and the
    text check refuses the result."""
    tokens = tokenizer.tokenize(source)
    page = ParsedPage(api.parse(tokens, tokenizer=tokenizer))
    errors = list(_error_tokens(tokens))
    page.broken = [token.info for token, _ in errors]
    nodes = list(_error_nodes(page.ast))
    if not keep_errors or len(nodes) != len(errors):
        return page
    sources = _broken_tag_sources(source, errors, tokenizer.delimiters)
    for node, (token, _), text in zip(nodes, errors, sources, strict=False):
        page.interiors[id(node)] = token.info
        if text is not None:
            page.sources[id(node)] = text
    return page


def rendered(ast: Node) -> str:
    """A page's HTML with no config, for before/after comparison; a transform that throws is
    part of the result (a formatting that makes it throw, or stop throwing, changes the page)."""
    try:
        config = declare_unknown_tags({}, [ast], "render")
        return render_html(api.transform(ast, config))
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        return f"<exception {type(exc).__name__}: {exc}>"


def _strings(value: Any) -> Iterator[str]:
    """Every string inside an attribute value (lists and objects walked; numbers and variables,
    which the HTML comparison covers, left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def text_words(node: Node, interiors: dict[int, str]) -> list[str]:
    """The words of a node's text content: every string attribute below it (text, code, fence
    content, front matter, URLs) and the interior of each broken tag, whitespace aside (the
    formatter may reflow whitespace, never words)."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "error":
            parts.append(interiors.get(id(current), ""))
        parts.extend(_strings(current.attributes))
        stack.extend(reversed(current.children))
    return " ".join(parts).split()


def _first_difference(before: Node, after: Node, differs: Callable[[Node, Node], bool]) -> int:
    """1-based line of the first top-level block of ``before`` that ``differs`` from its
    counterpart in ``after`` (blocks compared in order; a split or merged block shows there)."""
    for old, new in zip(before.children, after.children, strict=False):
        if differs(old, new):
            return old.lines[0] + 1 if old.lines else 1
    shorter = min(len(before.children), len(after.children))
    if shorter < len(before.children):
        node = before.children[shorter]
        return node.lines[0] + 1 if node.lines else 1
    last = before.children[-1] if before.children else None
    return last.lines[-1] + 1 if last is not None and last.lines else 1


def _damage(original: ParsedPage, result: ParsedPage) -> tuple[str, int] | None:
    """What formatting changed in the page, and the line where it starts; ``None`` if nothing."""
    if rendered(original.ast) != rendered(result.ast):
        return "rendering", _first_difference(
            original.ast, result.ast,
            lambda a, b: rendered(Node("document", children=[a])) != rendered(Node("document", children=[b])),
        )
    if original.broken != result.broken or text_words(original.ast, original.interiors) != text_words(
        result.ast, result.interiors
    ):
        return "text", _first_difference(
            original.ast, result.ast,
            lambda a, b: text_words(a, original.interiors) != text_words(b, result.interiors),
        )
    return None


def format_checked(
    source: str,
    *,
    tokenizer: Tokenizer | None = None,
    force: bool = False,
    reference: bool = False,
    max_rounds: int = MAX_ROUNDS,
    **options: Any,
) -> FormatOutcome:
    """Format ``source`` to a fixed point and check that the page still renders and reads the same.

    ``reference=True`` prints exactly what ``Markdoc.format`` prints (no ``faithful`` printing,
    broken tags dropped); the check still runs.  ``options`` are those of
    :func:`formatter.format_ast` (``allow_indentation``, ``max_tag_opening_width``,
    ``ordered_list_mode``); the delimiters are the tokenizer's.  Raises what ``format_ast``
    raises (``FormatError``, ``RecursionError``).
    """
    tokenizer = tokenizer or api.default_tokenizer()
    options.setdefault("delimiters", tokenizer.delimiters)
    original = parse_page(source, tokenizer, keep_errors=not reference)
    text, page, rounds, converged = source, original, 0, False
    while rounds < max_rounds:
        formatted = format_ast(page.ast, faithful=not reference, error_sources=page.sources, **options)
        rounds += 1
        if formatted == text:
            converged = True
            break
        text = formatted
        page = parse_page(text, tokenizer, keep_errors=not reference)
    damage = _damage(original, page) if text != source else None
    keep = damage is not None and not force
    return FormatOutcome(
        source, text, source if keep else text, rounds, converged,
        damage[1] if damage else None, damage[0] if damage else None,
    )
