"""One page through the whole dialect pipeline: tokens → recovery → AST → validate → transform → HTML.

The result carries everything the site layers above need: the HTML, the table of contents, the
element ids (for anchor checks), the partials referenced, and diagnostics with
file:line:column.  Nothing here touches the file system: partials come in as a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.api import parse, transform, validate
from ..core.ast import Node
from ..core.renderers.html import render_html
from ..core.tag import Tag
from ..core.tags import PARTIAL_BUDGET, PARTIAL_PROBLEMS, builtin_tags
from ..core.tokenizer import Tokenizer
from ..diagnostics import Diagnostic
from .bodies import BODY_KEPT, KEEPS_BODY, SELF_CLOSING_WITH_BODY, body_kept_message, keep_bodies
from .context import CONTEXT_KEY, PageContext
from .nodes import dialect_nodes
from .recovery import recover
from .reference import make_reference_tag
from .tags import TAG_FAMILIES, dialect_tags

MAX_PAGE_CHARACTERS = 2_000_000
"""The largest page rendered (the biggest real OpenMetadata page is about 100,000 characters)."""
MAX_PARTIAL_EXPANSIONS = 20_000
"""Partial expansions per page; the corpus's busiest page needs under 100."""

# Markdoc levels → diagnostic severities: a docs build warns on errors (``--strict`` fails
# on them) and keeps the reference's own warnings (``child-invalid``) informational.
SEVERITY = {"critical": "error", "error": "error", "warning": "info", "info": "info", "debug": "info"}


@dataclass
class PageResult:
    """What rendering one page produced."""

    html: str
    toc: list[dict[str, Any]]
    ids: set[str]
    title: str | None
    frontmatter: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    ast: Node | None = None


_SELF_CLOSING = re.compile(r"^'(.+)' tag should be self-closing$")
"""The core's message for ``tag-selfclosing-has-children`` (the reference's wording)."""

_LINE_BREAK = re.compile(r"\r\n?|\n")


def source_lines(source: str) -> list[str]:
    """Lines as markdown-it counts them (``\r\n``, ``\r`` and ``\n`` end a line; nothing else)."""
    return _LINE_BREAK.split(source)


def column_of(lines: list[str], line: int, delimiter: str) -> int:
    """1-based column of the construct on ``line``: its tag opening, else its first non-blank."""
    if not 0 <= line < len(lines):
        return 1
    text = lines[line]
    position = text.find(delimiter)
    if position == -1:
        position = len(text) - len(text.lstrip())
    return position + 1


class DialectRenderer:
    """Renders pages of one site: built once (tokenizer and schemas), used for every page."""

    def __init__(
        self, *, delimiters: str = "curly", extra_tags: Mapping[str, Any] | None = None, raw_html: str = "escape"
    ) -> None:
        self.tokenizer = Tokenizer(delimiters=delimiters, html=raw_html != "escape")
        self.delimiter = self.tokenizer.delimiters.open
        self.tags = keep_bodies(
            {
                "partial": builtin_tags()["partial"],
                **dialect_tags(),
                "tagReference": make_reference_tag(TAG_FAMILIES),
                **(extra_tags or {}),
            }
        )
        self.nodes = dialect_nodes(raw_html)

    def parse(self, source: str, file: str, lines: list[str] | None = None) -> tuple[Node, list[Diagnostic]]:
        """Parse with recovery; recoveries come back as warnings.  A page over the size cap is
        not parsed at all: it would take minutes and gigabytes, and no real page comes close."""
        if len(source) > MAX_PAGE_CHARACTERS:
            message = f"{len(source):,} characters, over the {MAX_PAGE_CHARACTERS:,} a page may have; not rendered"
            return Node("document"), [Diagnostic("page-too-large", "error", message, file, 1, 1)]
        tokens, recoveries = recover(self.tokenizer.tokenize(source))
        ast = parse(tokens, file, tokenizer=self.tokenizer)
        lines = lines if lines is not None else source_lines(source)
        notes = [
            Diagnostic(r.rule, "warning", r.message, file, r.line + 1, column_of(lines, r.line, self.delimiter))
            for r in recoveries
        ]
        return ast, notes

    def config(self, context: PageContext, partials: Mapping[str, Any], variables: Mapping[str, Any] | None) -> dict[str, Any]:
        """The Markdoc config a page renders with."""
        config: dict[str, Any] = {
            "tags": self.tags,
            "nodes": self.nodes,
            "partials": partials,
            CONTEXT_KEY: context,
            PARTIAL_BUDGET: [MAX_PARTIAL_EXPANSIONS],
            PARTIAL_PROBLEMS: [],
        }
        if variables is not None:  # set variables turn on `variable-undefined` checks
            config["variables"] = dict(variables)
        return config

    def check(self, ast: Node, lines: list[str], file: str, config: dict[str, Any]) -> list[Diagnostic]:
        """Validation errors as diagnostics with file:line:column (``lines``: ``source_lines(source)``)."""
        out = []
        for error in validate(ast, config):
            detail = error["error"]
            line = error["lines"][0] if error.get("lines") else 0
            location = error.get("location") or {}
            character = (location.get("start") or {}).get("character")
            column = character + 1 if isinstance(character, int) else column_of(lines, line, self.delimiter)
            if detail["id"] == "attribute-value-invalid" and detail["message"].startswith("Partial `"):
                continue  # the core's PartialFile type fails a missing partial; the site reports partial-missing
            kept = self._kept_body(detail)
            if kept is not None:
                out.append(Diagnostic(BODY_KEPT, "warning", body_kept_message(kept), file, line + 1, column))
                continue
            severity = SEVERITY.get(detail["level"], "error")
            out.append(Diagnostic(detail["id"], severity, detail["message"], file, line + 1, column))
        return out

    def _kept_body(self, detail: dict[str, Any]) -> str | None:
        """The tag of a Markdoc "should be self-closing" error whose body this renderer keeps
        (``bodies.keep_bodies``), else ``None``; the error names the tag only in its message."""
        match = _SELF_CLOSING.match(detail["message"]) if detail["id"] == SELF_CLOSING_WITH_BODY else None
        if match is None or not (self.tags.get(match.group(1)) or {}).get(KEEPS_BODY):
            return None
        return match.group(1)

    def analyse(
        self,
        source: str,
        *,
        file: str,
        context: PageContext,
        partials: Mapping[str, Any] | None = None,
        variables: Mapping[str, Any] | None = None,
        lines: list[str] | None = None,
    ) -> tuple[Node, Any, list[Diagnostic]]:
        """``(ast, render tree, diagnostics)``: every step but serialising HTML.

        Transform-time problems (links, images) stay in ``context.diagnostics``, ids in
        ``context.ids``; the checker reads those without paying for HTML it does not need.
        The tree is ``None`` when the page nests too deeply to transform.  ``lines``:
        ``source_lines(source)`` when the caller has them already.
        """
        lines = lines if lines is not None else source_lines(source)
        ast, diagnostics = self.parse(source, file, lines)
        config = self.config(context, partials if partials is not None else {}, variables)
        diagnostics.extend(self.check(ast, lines, file, config))
        try:
            tree = transform(ast, config)
            for node, message in config[PARTIAL_PROBLEMS]:
                line = node.lines[0] if node.lines else 0
                diagnostics.append(
                    Diagnostic("partial-limit", "error", message, file, line + 1, column_of(lines, line, self.delimiter))
                )
        except RecursionError:
            # Thousands of nested inline constructs (emphasis) exhaust Python's stack while
            # transforming; the page is replaced by a notice rather than stopping the build.
            diagnostics.append(
                Diagnostic("nesting-too-deep", "error", "the page nests constructs too deeply to render", file, 1, 1)
            )
            tree = None
        return ast, tree, diagnostics

    def render(
        self,
        source: str,
        *,
        file: str,
        context: PageContext | None = None,
        partials: Mapping[str, Any] | None = None,
        variables: Mapping[str, Any] | None = None,
    ) -> PageResult:
        """Render one page; never raises for bad content."""
        context = context or PageContext(file=file)
        lines = source_lines(source)
        ast, tree, diagnostics = self.analyse(
            source, file=file, context=context, partials=partials, variables=variables, lines=lines
        )
        if tree is None:
            tree = Tag(
                "div",
                {"class": "admonition failure"},
                [Tag("p", {}, ["This page could not be rendered: it nests constructs too deeply."])],
            )
        html = render_html(tree)
        # A recorder (the checker's) may say where each problem was met: a partial's file and
        # lines, and the include chain to it; otherwise the problem is the page's own.
        places = getattr(context.diagnostics, "places", None)
        for index, found in enumerate(context.diagnostics):
            where, where_lines, chain = places[index] if places is not None else (file, lines, ())
            line = (found.get("lines") or [0])[0]
            column = column_of(where_lines, line, found.get("needle") or self.delimiter)
            diagnostics.append(
                Diagnostic(
                    found["rule"], found["severity"], found["message"], where, line + 1, column, tuple((f, n) for f, n in chain)
                )
            )
        title = next((entry["name"] for entry in context.toc if entry["level"] == 1), None)
        return PageResult(html, context.toc, context.ids, title, ast.attributes.get("frontmatter"), diagnostics, ast)
