"""Rendering one page for the checker, recording every link, image, id and include on the way.

Every page goes through the project's renderer exactly as the site renders it (partials
expanded), with a ``PageContext`` whose ``resolve_link``/``resolve_image`` callbacks record each
link and image with its line and return it unchanged.  The render yields the page's
diagnostics and its element ids (the anchors other pages may link to).  Two details make the
records exact:

* the ``partial`` tag is wrapped so the recorder knows which partial is being expanded: a link
  inside a partial is reported in the partial's file at the partial's line, with the include
  chain ``page:line → partial:line``; the wrapper also stops include cycles at once and checks
  that every ``$variable`` a partial uses is passed in by the including tag;
* code fences are not syntax-highlighted (their HTML is thrown away; ids and links inside
  fences are produced as usual).

A record names its page ``PAGE`` (the text, not the file, is what was rendered: pages with the
same text in several versions render once); the placeholder is filled in when it is used.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.ast import Function, Node, Variable
from ..core.tag import Tag
from ..core.tags import builtin_tags
from ..diagnostics import Diagnostic
from ..dialect.context import PageContext, page_context
from ..dialect.pipeline import DialectRenderer, column_of, source_lines
from ..site.partials import PartialStore, RecordingPartials, find_partial_refs
from ..site.project import Project
from ..site.textfile import decode_bytes
from .ignores import ignore_marks

PAGE = "\x00page"
"""Placeholder for the page's own file name inside content-addressed records."""
RECORDER_ATTR = "om_check_recorder"


def _plain_fence(node: Node, config: dict[str, Any]) -> Tag:
    """The dialect's fence markup without syntax highlighting (the checker never shows HTML)."""
    children = node.transform_children(config) if node.children else [node.attributes.get("content", "")]
    language = node.attributes.get("language")
    attributes: dict[str, Any] = {"class": f"language-{language if isinstance(language, str) else 'text'} highlight"}
    if node.attributes.get("srNumber") is not None:
        attributes["data-sr-number"] = node.attributes["srNumber"]
    return Tag("div", attributes, [Tag("pre", {}, [Tag("code", {}, children)])])


def _variables_in(value: Any) -> Iterator[Variable]:
    if isinstance(value, Variable):
        yield value
    elif isinstance(value, Function):
        for item in value.parameters.values():
            yield from _variables_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _variables_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _variables_in(item)


def find_in_construct(lines: list[str], line0: int, needle: str) -> tuple[int, int] | None:
    """``(1-based line, column)`` of ``needle`` in the construct starting at ``line0``, or ``None``.

    Markdown-it gives inline content (links, images) the line of its paragraph and a tag its
    opening line, while the text looked for may sit on a following line; the construct is taken
    to end at the next blank line."""
    if needle:
        for number in range(max(0, line0), min(len(lines), line0 + 60)):
            text = lines[number]
            if number > line0 and not text.strip():
                break
            position = text.find(needle)
            if position != -1:
                return number + 1, position + 1
    return None


def locate(lines: list[str], line0: int, needle: str, delimiter: str = "{%") -> tuple[int, int]:
    """``find_in_construct``, else the construct's line and the column of its tag or first non-blank."""
    return find_in_construct(lines, line0, needle) or (line0 + 1, column_of(lines, line0, delimiter))


class CheckState:
    """What rendering needs, built once per process: the renderer, the partial store and
    memos of each partial's lines, display name and variable uses.

    The checker renders without syntax highlighting (it never shows HTML) and reads each partial
    once per run; the MkDocs plugin renders pages with the same state (``highlight=True``,
    ``check_mtime=True`` so a serve rebuild sees edited partials), which is what makes the build
    place a problem inside a partial exactly where ``check`` does."""

    def __init__(self, project: Project, *, highlight: bool = False, check_mtime: bool = False) -> None:
        self.project = project
        self.renderer = make_renderer(project, highlight=highlight)
        self.resolver = project.partial_resolver()
        self.store = PartialStore(self.resolver, self._parse_partial, check_mtime=check_mtime) if self.resolver is not None else None
        self.notes: dict[str, list[Diagnostic]] = {}
        self._lines: dict[str, list[str]] = {}
        self._display: dict[str, str] = {}
        self._uses: dict[str, list[tuple[str, int, int]]] = {}

    def reset(self) -> None:
        """Forget every partial read (a new run: files may have changed since)."""
        if self.store is not None:
            self.store.clear()
        self.notes.clear()
        self._lines.clear()
        self._display.clear()
        self._uses.clear()

    def replace_partial(self, name: str, text: str) -> None:
        """Render ``text`` as partial ``name`` from now on (the file is not touched): ``check
        --fix`` tries an edited partial this way before writing it."""
        assert self.store is not None
        file = self.display(name)
        self.store.override(name, self._parse_partial(text, file), text)
        self._lines.pop(name, None)
        self._uses.pop(name, None)

    def _parse_partial(self, source: str, file: str) -> Node:
        ast, notes = self.renderer.parse(source, file)
        self.notes[file] = notes
        return ast

    def canonical(self, written: Any) -> str | None:
        if self.resolver is None:
            return None
        return self.resolver.canonical(written)[0]

    def display(self, name: str) -> str:
        if name not in self._display:
            assert self.resolver is not None
            self._display[name] = self.resolver.display(self.resolver.path_for(name))
        return self._display[name]

    def lines(self, name: str) -> list[str]:
        if name not in self._lines:
            try:
                self._lines[name] = source_lines(self.store.source(name)) if self.store is not None else []
            except KeyError:
                self._lines[name] = []
        return self._lines[name]

    def variable_uses(self, name: str) -> list[tuple[str, int, int]]:
        """``(variable, line, column)`` of every ``$variable`` in a partial, except ``if``/``else``
        conditions (testing an optional variable is how partials make it optional)."""
        if name in self._uses:
            return self._uses[name]
        found: list[tuple[str, int, int]] = []
        try:
            ast = self.store[name] if self.store is not None else None
        except KeyError:
            ast = None
        if ast is not None:
            lines = self.lines(name)
            for node in ast.walk():
                condition = node.type == "tag" and node.tag in ("if", "else")
                for key, value in node.attributes.items():
                    if condition and key == "primary":
                        continue
                    for variable in _variables_in(value):
                        if not variable.path:
                            continue
                        var = str(variable.path[0])
                        line, column = locate(lines, node.lines[0] if node.lines else 0, "$" + var)
                        found.append((var, line, column))
        self._uses[name] = sorted(set(found), key=lambda u: (u[1], u[2], u[0]))
        return self._uses[name]


class _RecordedList(list):
    """``PageContext.diagnostics`` that remembers where each problem was met (page or partial)."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder
        self.places: list[tuple[str, list[str], list[list[Any]]]] = []

    def append(self, item: Any) -> None:
        file, lines = self.recorder.where()
        self.places.append((file, lines, self.recorder.chain()))
        super().append(item)


class Recorder:
    """Collects, during one render, every link and image with its file, line, column and chain."""

    def __init__(self, state: CheckState, page_lines: list[str], page: str = PAGE) -> None:
        self.state = state
        self.page_lines = page_lines
        self.page = page
        """The page's name in records: ``PAGE`` for content-addressed check records, the file
        itself when the MkDocs plugin renders with a recorder."""
        self.sites: list[tuple[str, int]] = []
        self.names: list[str] = []
        self.links: list[list[Any]] = []
        self.images: list[list[Any]] = []
        self.extra: list[list[Any]] = []
        self.diagnostics = _RecordedList(self)

    def where(self) -> tuple[str, list[str]]:
        if self.names:
            name = self.names[-1]
            return self.state.display(name), self.state.lines(name)
        return self.page, self.page_lines

    def chain(self) -> list[list[Any]]:
        return [[f, n] for f, n in self.sites]

    def _record(self, into: list[list[Any]], target: str, line0: int) -> None:
        file, lines = self.where()
        found = find_in_construct(lines, line0, target)
        if found is None and self.sites:
            # a value passed in by the including tag (src=$path): report it where it is written
            for depth in range(len(self.sites) - 1, -1, -1):
                site_file, site_line = self.sites[depth]
                site_lines = self.page_lines if site_file == self.page else self.state.lines(self.names[depth - 1])
                at = find_in_construct(site_lines, site_line - 1, target)
                if at is not None:
                    into.append([target, site_file, at[0], at[1], [[f, n] for f, n in self.sites[:depth]]])
                    return
        line, column = found or (line0 + 1, column_of(lines, line0, self.state.renderer.delimiter))
        into.append([target, file, line, column, self.chain()])

    def link(self, href: str, line0: int) -> str:
        self._record(self.links, href, line0)
        return href

    def image(self, src: str, line0: int) -> str:
        self._record(self.images, src, line0)
        return src

    def enter(self, name: str, node: Node, config: dict[str, Any]) -> bool:
        """Before a partial is expanded: check its variables, push the include site. ``False``
        when the partial is already being expanded (a cycle: it is not expanded again)."""
        if name in self.names:
            return False
        file, _ = self.where()
        line = node.lines[0] + 1 if node.lines else 1
        base = config.get("variables")
        available = set(base) if isinstance(base, dict) else set()
        passed = node.attributes.get("variables")
        if isinstance(passed, dict):
            available.update(passed)
        uses = self.state.variable_uses(name)
        if uses:
            site = [*self.chain(), [file, line]]
            for var, use_line, use_column in uses:
                if var not in available:
                    self.extra.append(
                        [
                            "partial-variable-undefined",
                            "warning",
                            self.state.display(name),
                            use_line,
                            use_column,
                            f"${var} is used in this partial but the including tag does not pass it (variables={{{var}: ...}})",
                            site,
                        ]
                    )
        self.sites.append((file, line))
        self.names.append(name)
        return True

    def leave(self) -> None:
        self.sites.pop()
        self.names.pop()


def make_renderer(project: Project, *, highlight: bool = False) -> DialectRenderer:
    """The project's renderer, with a ``partial`` tag that reports to the page's recorder
    (fences unhighlighted unless ``highlight``)."""
    schema = builtin_tags()["partial"]
    original = schema["transform"]

    def tracked_partial(node: Node, config: dict[str, Any]) -> Any:
        recorder = getattr(page_context(config), RECORDER_ATTR, None)
        if recorder is None:
            return original(node, config)
        name = recorder.state.canonical(node.attributes.get("file"))
        store = recorder.state.store
        if name is None or store is None or name not in store:
            return original(node, config)
        if not recorder.enter(name, node, config):
            return None  # an include cycle; reported once, from the include graph
        try:
            return original(node, config)
        finally:
            recorder.leave()

    renderer = project.renderer(extra_tags={"partial": {**schema, "transform": tracked_partial}})
    if not highlight:
        renderer.nodes = {**renderer.nodes, "fence": {**renderer.nodes["fence"], "transform": _plain_fence}}
    return renderer


def _refs(ast: Any, lines: list[str], delimiter: str) -> list[list[Any]]:
    out = []
    for ref in find_partial_refs(ast):
        column = column_of(lines, ref.line - 1, delimiter)
        if isinstance(ref.file, (Variable, Function)):
            out.append(["dynamic", repr(ref.file), ref.line, column])
        elif isinstance(ref.file, str):
            out.append(["static", ref.file, ref.line, column])
        else:
            out.append(["invalid", repr(ref.file), ref.line, column])
    return out


def render_page(state: CheckState, source: str) -> dict[str, Any]:
    """One page's record (see the module docstring); the page's file name is ``PAGE``."""
    lines = source_lines(source)
    recorder = Recorder(state, lines)
    context = PageContext(file=PAGE, resolve_link=recorder.link, resolve_image=recorder.image, diagnostics=recorder.diagnostics)
    setattr(context, RECORDER_ATTR, recorder)
    partials = RecordingPartials(state.store) if state.store is not None else None
    ast, _tree, own = state.renderer.analyse(source, file=PAGE, context=context, partials=partials, lines=lines)
    findings = [d.to_row() for d in own]
    delimiter = state.renderer.delimiter
    for item, (file, item_lines, chain) in zip(recorder.diagnostics, recorder.diagnostics.places, strict=False):
        line0 = (item.get("lines") or [0])[0]
        column = column_of(item_lines, line0, item.get("needle") or delimiter)
        findings.append([item["rule"], item["severity"], file, line0 + 1, column, item["message"], chain])
    findings.extend(recorder.extra)
    seen = sorted({name for name in (state.canonical(w) for w in (partials.seen if partials is not None else ())) if name})
    return {
        "findings": findings,
        "ids": sorted(context.ids),
        "links": recorder.links,
        "images": recorder.images,
        "refs": _refs(ast, lines, delimiter),
        "seen": seen,
        "ignores": ignore_marks(source),
    }


def check_partial(state: CheckState, name: str) -> dict[str, Any]:
    """A partial file on its own: syntax, recoveries and validation, at the partial's lines."""
    assert state.store is not None
    file = state.display(name)
    try:
        source = state.store.source(name)
        ast = state.store[name]  # parsed once per process, shared with the pages' renders
    except KeyError:
        return {"findings": [d.to_row() for d in state.store.file_diagnostics(name)], "refs": [], "ignores": {}}
    renderer = state.renderer
    lines = source_lines(source)
    notes = state.notes.get(file, [])
    config = renderer.config(PageContext(file=file), state.store, None)
    checked = renderer.check(ast, lines, file, config)
    problems = [*state.store.file_diagnostics(name), *notes, *checked]
    return {
        "findings": [d.to_row() for d in problems],
        "refs": _refs(ast, lines, renderer.delimiter),
        "ignores": ignore_marks(source),
    }


def _internal_error(exc: BaseException) -> dict[str, Any]:
    row = ["check-internal-error", "error", PAGE, 1, 1, f"om-markdoc could not check this file: {type(exc).__name__}: {exc}", []]
    return {"findings": [row], "ids": [], "links": [], "images": [], "refs": [], "seen": [], "ignores": {}}


def run_task(state: CheckState, task: tuple[str, str, str]) -> dict[str, Any]:
    kind, _key, target = task
    try:
        if kind == "partial":
            return check_partial(state, target)
        text, problems = decode_bytes(Path(target).read_bytes(), PAGE)
        record = render_page(state, text)
        record["findings"][:0] = [d.to_row() for d in problems]
        return record
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the check
        record = _internal_error(exc)
        if kind == "partial":
            record["findings"][0][2] = state.display(target)
        return record
