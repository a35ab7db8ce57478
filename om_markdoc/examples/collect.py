"""Finding the fenced examples of a docs tree, as the reader sees them and where the author wrote them.

Every ``fence`` node of a page is an example, and so is every fence of every partial the page
includes (through any depth of partials), once per set of partial variables in force: a partial
written with ``{% $connector %}`` in a fence is a different example for each connector. The
example's ``text`` is the fence body as Markdoc renders it (variables and functions resolved),
its ``raw`` the body as written; ``locate`` maps a place in ``text`` back to the file and line
that holds the fence, so a problem found in the rendered text points at the source.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..core.ast import UNDEFINED, Function, Node, Variable, resolve_value
from ..core.config import merge_config
from ..core.tag import Tag
from ..diagnostics import display_path
from ..site.textfile import read_text_file
from ..site.yamlsafe import load_yaml

_LINE_BREAK = re.compile(r"\r\n?|\n")
MAX_DEPTH = 16
"""Partials nested deeper than this are not followed (the site layer reports cycles)."""
JOINED_TAGS = ("codeBlock",)
"""Tags whose fences are pieces of one file, shown step by step: checked as one example."""


@dataclass(eq=False)
class Example:
    """One fenced example as found in one place.

    ``file`` holds the fence (a page, or a partial) and ``line`` is the 1-based line of its
    opening fence there; ``page`` is the page it was reached from and ``chain`` the includes
    leading to ``file``, outermost first (``(("docs/a.md", 12),)``: a.md line 12 includes it).
    ``attributes`` are the fence's annotations (``validate``, ``expect``, ``skip``...),
    ``variables`` the partial variables in scope, ``meta`` the ``examples`` front-matter
    mapping of the file (a partial's own, else its page's).
    """

    file: str
    line: int
    language: str
    text: str
    raw: str
    page: str = ""
    path: Path | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    chain: tuple[tuple[str, int], ...] = ()
    variables: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    segments: list[tuple[int, int, bool]] = field(default_factory=lambda: [(0, 0, True)], repr=False)
    indents: list[int] = field(default_factory=list, repr=False)
    line_numbers: list[int] = field(default_factory=list, repr=False)
    """1-based line in ``file`` of each line of ``raw`` when they are not consecutive (an example
    joined from the fences of a ``codeBlock``); empty when ``raw`` follows the opening fence."""

    # -- identity --------------------------------------------------------------------------

    @property
    def body_line(self) -> int:
        """1-based line of the first line of the body in ``file``."""
        return self.line + 1

    @property
    def name(self) -> str:
        """``file:line``, with the partial variables when there are any: ``x.md:12[connector=mysql]``."""
        label = f"{self.file}:{self.line}"
        if self.variables:
            label += "[" + ",".join(f"{k}={_short(v)}" for k, v in sorted(self.variables.items())) + "]"
        return label

    def key(self) -> tuple[Any, ...]:
        """Two occurrences with the same key are the same test (same place, same rendered text)."""
        return (self.file, self.line, self.text)

    @property
    def expect(self) -> str:
        value = self.attributes.get("expect", "valid")
        return value if value in ("valid", "invalid") else "valid"

    @property
    def skip(self) -> bool:
        return self.attributes.get("skip") is True or str(self.attributes.get("skip")).lower() == "true"

    # -- positions -------------------------------------------------------------------------

    def _raw_offset(self, offset: int) -> int:
        starts = [s[0] for s in self.segments]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        out_start, raw_start, literal = self.segments[index]
        return raw_start + (offset - out_start) if literal else raw_start

    def offset_of(self, line: int, column: int = 0) -> int:
        """Offset in ``text`` of a 0-based ``(line, column)`` of ``text``."""
        lines = self.text.split("\n")
        line = max(0, min(line, len(lines) - 1)) if lines else 0
        return sum(len(x) + 1 for x in lines[:line]) + max(0, min(column, len(lines[line]) if lines else 0))

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` in ``file`` of an offset into ``text``."""
        raw_offset = max(0, min(self._raw_offset(max(0, offset)), len(self.raw)))
        before = self.raw[:raw_offset]
        raw_line = before.count("\n")
        column = raw_offset - (before.rfind("\n") + 1)
        indent = self.indents[raw_line] if raw_line < len(self.indents) else 0
        if raw_line < len(self.line_numbers):
            return self.line_numbers[raw_line], column + indent + 1
        return self.body_line + raw_line, column + indent + 1

    def locate_position(self, line: int, column: int = 0) -> tuple[int, int]:
        """1-based ``(line, column)`` in ``file`` of a 0-based ``(line, column)`` of ``text``."""
        return self.locate(self.offset_of(line, column))

    def source_line_of(self, text_line: int) -> int:
        """1-based line in ``file`` of the 0-based line ``text_line`` of ``text``."""
        return self.locate_position(text_line, 0)[0]


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


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

    def render(self, fence: Node, variables: Mapping[str, Any]) -> tuple[str, list[tuple[int, int, bool]]]:
        raw = fence.attributes.get("content")
        raw = raw if isinstance(raw, str) else ""
        children = fence.children
        if not children or all(c.type == "text" and isinstance(c.attributes.get("content"), str) for c in children):
            text = "".join(c.attributes["content"] for c in children) if children else raw
            if text == raw:
                return raw, [(0, 0, True)]
        config = {**self.base, "variables": dict(variables)}
        out: list[str] = []
        segments: list[tuple[int, int, bool]] = []
        length = 0
        position = 0
        for child in children:
            content = child.attributes.get("content") if child.type == "text" else None
            if isinstance(content, str):
                found = raw.find(content, position)
                start = found if found >= 0 else position
                segments.append((length, start, True))
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
            segments.append((length, tag_start, False))
            out.append(rendered)
            length += len(rendered)
            close = raw.find(self.close, tag_start)
            position = close + len(self.close) if close >= 0 else tag_start
        return "".join(out), segments or [(0, 0, True)]


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
        out: list[Example] = []
        meta = _front_matter_examples(ast)
        self._walk(ast, file, path, _LINE_BREAK.split(source), dict(variables or {}), (), meta, file, out, ())
        return out

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

    def _walk(
        self,
        ast: Node,
        file: str,
        path: Path | None,
        lines: list[str],
        scope: dict[str, Any],
        chain: tuple[tuple[str, int], ...],
        meta: dict[str, Any],
        page: str,
        out: list[Example],
        stack: tuple[str, ...],
    ) -> None:
        joined: set[int] = set()
        for node in ast.walk():
            if node.type == "fence":
                if id(node) not in joined:
                    out.append(self._example(node, file, path, lines, scope, chain, meta, page))
            elif node.type == "tag" and node.tag in JOINED_TAGS:
                pieces = [c for c in node.children if c.type == "fence"]
                if len(pieces) > 1 and len({p.attributes.get("language") for p in pieces}) == 1:
                    joined.update(id(p) for p in pieces)
                    examples = [self._example(p, file, path, lines, scope, chain, meta, page) for p in pieces]
                    out.append(_join(examples))
            elif node.type == "tag" and node.tag == "partial":
                written = node.attributes.get("file")
                if not isinstance(written, str) or len(stack) >= MAX_DEPTH:
                    continue
                partial, partial_file, partial_path, source = self._partial(written)
                if partial is None or partial_file in stack or partial_file == file:
                    continue
                own = node.attributes.get("variables")
                inner = dict(scope)
                if isinstance(own, dict):
                    config = {"variables": scope, **merge_config({})}
                    try:
                        inner.update(resolve_value(own, config))
                    except Exception:  # noqa: BLE001 - an unresolvable variable stays unset
                        pass
                line = node.lines[0] + 1 if node.lines else 1
                partial_meta = _front_matter_examples(partial) or meta
                self._walk(
                    partial,
                    partial_file,
                    partial_path,
                    _LINE_BREAK.split(source),
                    inner,
                    (*chain, (file, line)),
                    partial_meta,
                    page,
                    out,
                    (*stack, file),
                )

    def _example(
        self,
        node: Node,
        file: str,
        path: Path | None,
        lines: list[str],
        scope: dict[str, Any],
        chain: tuple[tuple[str, int], ...],
        meta: dict[str, Any],
        page: str,
    ) -> Example:
        raw = node.attributes.get("content")
        raw = raw if isinstance(raw, str) else ""
        text, segments = self.renderer.render(node, scope)
        start = node.lines[0] if node.lines else 0
        attributes = {a["name"]: a.get("value") for a in node.annotations if a.get("type") == "attribute"}
        language = node.attributes.get("language")
        return Example(
            file=file,
            line=start + 1,
            language=language if isinstance(language, str) else "",
            text=text,
            raw=raw,
            page=page,
            path=path,
            attributes=attributes,
            chain=chain,
            variables=_plain_variables(scope) if chain else {},
            meta=meta,
            segments=segments,
            indents=_indents(lines, start + 1, raw),
        )


def _join(pieces: list[Example]) -> Example:
    """One example made of consecutive pieces of a file (the fences of a ``codeBlock``); each
    line still maps to the line of the page that holds it."""
    first = pieces[0]
    text: list[str] = []
    raw: list[str] = []
    segments: list[tuple[int, int, bool]] = []
    indents: list[int] = []
    numbers: list[int] = []
    text_length = raw_length = 0
    attributes: dict[str, Any] = {}
    for piece in pieces:
        piece_text = piece.text if piece.text.endswith("\n") or not piece.text else piece.text + "\n"
        piece_raw = piece.raw if piece.raw.endswith("\n") or not piece.raw else piece.raw + "\n"
        segments.extend((text_length + out, raw_length + source, literal) for out, source, literal in piece.segments)
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
