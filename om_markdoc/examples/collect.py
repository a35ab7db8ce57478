"""Finding the fenced examples of a docs tree, as the reader sees them and where the author wrote them.

Every ``fence`` node of a page is an example, and so is every fence of every partial the page
includes (through any depth of partials), once per set of partial variables in force: a partial
written with ``{% $connector %}`` in a fence is a different example for each connector. The
example's ``text`` is the fence body as Markdoc renders it (variables and functions resolved),
its ``raw`` the body as written; ``locate`` maps a place in ``text`` back to the file and line
that holds the fence, so a problem found in the rendered text points at the source.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.ast import UNDEFINED, Function, Node, Variable, resolve_value
from ..core.config import merge_config
from ..core.tag import Tag
from ..diagnostics import display_path
from ..site.textfile import read_text_file
from ..site.yamlsafe import load_yaml
from .example import IDENTITY, Example, Segment

_LINE_BREAK = re.compile(r"\r\n?|\n")
MAX_DEPTH = 16
"""Partials nested deeper than this are not followed (the site layer reports cycles)."""
JOINED_TAGS = ("codeBlock",)
"""Tags whose fences are pieces of one file, shown step by step: checked as one example."""


# -- rendering fence bodies ----------------------------------------------------------------


def _plain(value: Any) -> str:
    """A resolved value as Markdoc prints it in text."""
    if value is UNDEFINED or value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return ""
    return str(value)


def _flatten(rendered: Any) -> str:
    if isinstance(rendered, (str, int, float)) and not isinstance(rendered, bool):
        return _plain(rendered)
    if isinstance(rendered, Tag):
        return "".join(_flatten(child) for child in rendered.children)
    if isinstance(rendered, (list, tuple)):
        return "".join(_flatten(child) for child in rendered)
    return ""


class _Renderer:
    """Renders a fence's children to text under a set of variables."""

    def __init__(self, delimiter: str = "{%", close: str = "%}", transform_config: Mapping[str, Any] | None = None) -> None:
        self.open = delimiter
        self.close = close
        self.base = merge_config(transform_config or {})

    def render(self, fence: Node, variables: Mapping[str, Any]) -> tuple[str, list[Segment]]:
        raw = fence.attributes.get("content")
        raw = raw if isinstance(raw, str) else ""
        children = fence.children
        if not children or all(c.type == "text" and isinstance(c.attributes.get("content"), str) for c in children):
            text = "".join(c.attributes["content"] for c in children) if children else raw
            if text == raw:
                return raw, list(IDENTITY)
        config = {**self.base, "variables": dict(variables)}
        out: list[str] = []
        segments: list[Segment] = []
        length = 0
        position = 0
        for child in children:
            content = child.attributes.get("content") if child.type == "text" else None
            if isinstance(content, str):
                found = raw.find(content, position)
                start = found if found >= 0 else position
                segments.append(Segment(length, start, True))
                out.append(content)
                length += len(content)
                position = start + len(content)
                continue
            if child.type == "text" and isinstance(content, (Variable, Function)):
                try:
                    rendered = _plain(resolve_value(content, config))
                except Exception:  # noqa: BLE001 - a failing function renders as nothing, as in Markdoc
                    rendered = ""
            else:
                try:
                    rendered = _flatten(child.resolve(config).transform(config))
                except Exception:  # noqa: BLE001
                    rendered = ""
            tag_start = raw.find(self.open, position)
            tag_start = tag_start if tag_start >= 0 else position
            segments.append(Segment(length, tag_start, False))
            out.append(rendered)
            length += len(rendered)
            close = raw.find(self.close, tag_start)
            position = close + len(self.close) if close >= 0 else tag_start
        return "".join(out), segments or list(IDENTITY)


# -- walking pages and partials -------------------------------------------------------------


def _front_matter_examples(ast: Node | None) -> dict[str, Any]:
    if ast is None:
        return {}
    text = ast.attributes.get("frontmatter")
    if not isinstance(text, str) or "examples" not in text:
        return {}
    meta = load_yaml(text, "").value  # a bad or bombed front matter is the page reader's finding
    value = meta.get("examples") if isinstance(meta, dict) else None
    return dict(value) if isinstance(value, dict) else {}


def _indents(lines: list[str], start: int, raw: str) -> list[int]:
    out = []
    for index, raw_line in enumerate(raw.split("\n")):
        number = start + index
        source = lines[number] if 0 <= number < len(lines) else ""
        out.append(len(source) - len(raw_line) if raw_line and source.endswith(raw_line) else 0)
    return out


def _plain_variables(scope: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in scope.items() if not k.startswith("$$")}


def may_hold_examples(source: str) -> bool:
    """Whether a page can hold an example: only a fence (opened by ``` or ~~~) is one, and
    only a partial brings fences from elsewhere.  A page with neither is not parsed at all."""
    return "```" in source or "~~~" in source or "partial" in source


@dataclass
class WalkState:
    """Where the walk of one page is, as markdown-it's ``StateBlock`` is for a block parse: the
    document being walked (its display ``file``, ``path`` and ``lines``), the partial
    ``variables`` in force, the include ``chain`` that led here, the ``examples`` front matter
    (``meta``) in force, the ``page`` the walk started from, the files being walked (``stack``,
    the cycle guard) and the examples found so far (``out``, shared by every child state)."""

    file: str
    path: Path | None
    lines: list[str]
    variables: dict[str, Any]
    meta: dict[str, Any]
    page: str
    out: list[Example] = field(default_factory=list)
    chain: tuple[tuple[str, int], ...] = ()
    stack: tuple[str, ...] = ()

    @classmethod
    def for_page(cls, file: str, path: Path | None, source: str, variables: dict[str, Any], meta: dict[str, Any]) -> WalkState:
        """The state at the top of a page (``file`` is also the page every example is reached from)."""
        return cls(file, path, _LINE_BREAK.split(source), variables, meta, file)

    def child(
        self, *, file: str, path: Path | None, source: str, variables: dict[str, Any], line: int, meta: dict[str, Any]
    ) -> WalkState:
        """The state inside a partial included at ``line`` of this document."""
        return WalkState(
            file=file,
            path=path,
            lines=_LINE_BREAK.split(source),
            variables=variables,
            meta=meta,
            page=self.page,
            out=self.out,
            chain=(*self.chain, (self.file, line)),
            stack=(*self.stack, self.file),
        )


class Collector:
    """Collects the examples of pages, following partials through ``partials`` (a
    ``PartialStore`` or any mapping of written name → AST; ``None`` when the tree has none).

    ``parse(source, file)`` returns the AST of a page (``DialectRenderer.parse(...)[0]``).
    """

    def __init__(
        self,
        parse: Any,
        *,
        partials: Any = None,
        display_root: Path | str | None = None,
        delimiter: str = "{%",
        close: str = "%}",
    ) -> None:
        self.parse = parse
        self.partials = partials
        self.display_root = Path(display_root) if display_root is not None else None
        self.renderer = _Renderer(delimiter, close)
        self.looked_up: list[str] | None = None
        """When a list, every partial name a collection looks up is appended (found or not):
        what a cached outcome of the page depends on besides its text."""

    def collect_file(self, path: Path | str, *, file: str | None = None) -> list[Example]:
        """Examples of the page at ``path`` (and of the partials it includes)."""
        path = Path(path)
        file = file or display_path(path, self.display_root)
        text, _ = read_text_file(path, self.display_root)
        return self.collect_source(text, file, path=path)

    def collect_source(self, source: str, file: str, *, path: Path | None = None, variables: Mapping[str, Any] | None = None) -> list[Example]:
        """Examples of a page given as text (``file`` is the name used in positions)."""
        if not may_hold_examples(source):
            return []  # a third of a real tree: reference pages with neither code nor partials
        ast = self.parse(source, file)
        state = WalkState.for_page(file, path, source, dict(variables or {}), _front_matter_examples(ast))
        self._walk(ast, state)
        return state.out

    def _partial(self, written: str) -> tuple[Node | None, str, Path | None, str]:
        """``(ast, display file, path, source)`` of a partial, or ``(None, ...)``."""
        store = self.partials
        if store is None:
            return None, written, None, ""
        if self.looked_up is not None:
            self.looked_up.append(written)
        try:
            ast = store[written]
        except (KeyError, TypeError):
            return None, written, None, ""
        resolver = getattr(store, "resolver", None)
        if resolver is not None:
            resolved = resolver.resolve(written)
            path = resolved.path
            file = resolver.display(path) if path is not None else written
            try:
                source = store.source(written)
            except KeyError:
                source = ""
            return ast, file, path, source
        source = getattr(ast, "source", "") or ""
        return ast, written, None, source

    def _walk(self, ast: Node, state: WalkState) -> None:
        """Add the examples of ``ast`` (the document ``state`` is at) and of the partials it
        includes to ``state.out``."""
        joined: set[int] = set()
        for node in ast.walk():
            if node.type == "fence":
                if id(node) not in joined:
                    state.out.append(self._example(node, state))
            elif node.type == "tag" and node.tag in JOINED_TAGS:
                pieces = [c for c in node.children if c.type == "fence"]
                if len(pieces) > 1 and len({p.attributes.get("language") for p in pieces}) == 1:
                    joined.update(id(p) for p in pieces)
                    state.out.append(_join([self._example(p, state) for p in pieces]))
            elif node.type == "tag" and node.tag == "partial":
                self._include(node, state)

    def _include(self, node: Node, state: WalkState) -> None:
        """Walk the partial a ``partial`` tag names, under the variables the tag passes; a
        partial already being walked (a cycle) or past ``MAX_DEPTH`` is not followed."""
        written = node.attributes.get("file")
        if not isinstance(written, str) or len(state.stack) >= MAX_DEPTH:
            return
        partial, partial_file, partial_path, source = self._partial(written)
        if partial is None or partial_file in state.stack or partial_file == state.file:
            return
        own = node.attributes.get("variables")
        variables = dict(state.variables)
        if isinstance(own, dict):
            config = {"variables": state.variables, **merge_config({})}
            with contextlib.suppress(Exception):  # an unresolvable variable stays unset
                variables.update(resolve_value(own, config))
        line = node.lines[0] + 1 if node.lines else 1
        child = state.child(
            file=partial_file,
            path=partial_path,
            source=source,
            variables=variables,
            line=line,
            meta=_front_matter_examples(partial) or state.meta,
        )
        self._walk(partial, child)

    def _example(self, node: Node, state: WalkState) -> Example:
        raw = node.attributes.get("content")
        raw = raw if isinstance(raw, str) else ""
        text, segments = self.renderer.render(node, state.variables)
        start = node.lines[0] if node.lines else 0
        attributes = {a["name"]: a.get("value") for a in node.annotations if a.get("type") == "attribute"}
        language = node.attributes.get("language")
        return Example(
            file=state.file,
            line=start + 1,
            language=language if isinstance(language, str) else "",
            text=text,
            raw=raw,
            page=state.page,
            path=state.path,
            attributes=attributes,
            chain=state.chain,
            variables=_plain_variables(state.variables) if state.chain else {},
            meta=state.meta,
            segments=segments,
            indents=_indents(state.lines, start + 1, raw),
        )


def _join(pieces: list[Example]) -> Example:
    """One example made of consecutive pieces of a file (the fences of a ``codeBlock``); each
    line still maps to the line of the page that holds it."""
    first = pieces[0]
    text: list[str] = []
    raw: list[str] = []
    segments: list[Segment] = []
    indents: list[int] = []
    numbers: list[int] = []
    text_length = raw_length = 0
    attributes: dict[str, Any] = {}
    for piece in pieces:
        piece_text = piece.text if piece.text.endswith("\n") or not piece.text else piece.text + "\n"
        piece_raw = piece.raw if piece.raw.endswith("\n") or not piece.raw else piece.raw + "\n"
        segments.extend(Segment(text_length + s.out, raw_length + s.raw, s.literal) for s in piece.segments)
        raw_lines = piece_raw.count("\n") + (0 if piece_raw.endswith("\n") else 1)
        indents.extend((piece.indents + [0] * raw_lines)[:raw_lines])
        numbers.extend(piece.body_line + n for n in range(raw_lines))
        text.append(piece_text)
        raw.append(piece_raw)
        text_length += len(piece_text)
        raw_length += len(piece_raw)
        for name, value in piece.attributes.items():
            attributes.setdefault(name, value)
    return Example(
        file=first.file,
        line=first.line,
        language=first.language,
        text="".join(text),
        raw="".join(raw),
        page=first.page,
        path=first.path,
        attributes=attributes,
        chain=first.chain,
        variables=first.variables,
        meta=first.meta,
        segments=segments,
        indents=indents,
        line_numbers=numbers,
    )


def unique(examples: Iterable[Example]) -> list[Example]:
    """The first occurrence of each distinct example (same file, line and rendered text)."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Example] = []
    for example in examples:
        key = example.key()
        if key in seen:
            continue
        seen.add(key)
        out.append(example)
    return out
