"""Per-page work of the checker: render each page once, record what it links to, cache it.

Every page goes through ``DialectRenderer.render`` exactly as the site renders it (partials
expanded), with a ``PageContext`` whose ``resolve_link``/``resolve_image`` callbacks record each
link and image with its line and return it unchanged. The render yields the page's
diagnostics and its element ids (the anchors other pages may link to). Cross-page rules
(``rules.py``) then work from these records alone.

Two details make the records exact:

* the ``partial`` tag is wrapped so the recorder knows which partial is being expanded: a link
  inside a partial is reported in the partial's file at the partial's line, with the include
  chain ``page:line → partial:line``; the wrapper also stops include cycles at once and checks
  that every ``$variable`` a partial uses is passed in by the including tag;
* code fences are not syntax-highlighted (their HTML is thrown away; ids and links inside
  fences are produced as usual).

Records are content-addressed: a page's render depends only on its text and on the partials it
read, so the key is the hash of the text (the file's own name is a placeholder, filled in when
the record is used) and the record lists the partials read with their hashes. Pages with the
same text in several versions render once; a warm run re-renders only pages whose text or
partials changed. Everything that depends on other pages (links, anchors, slugs, menus) is
recomputed from the records on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.ast import Function, Node, Variable
from ..core.tag import Tag
from ..core.tags import builtin_tags
from ..dialect.context import PageContext, page_context
from ..dialect.pipeline import DialectRenderer, column_of, source_lines
from ..site.diagnostics import Diagnostic
from ..site.frontmatter import decode_bytes
from ..site.menu import load_menu
from ..site.pages import Page, iter_page_files, load_page
from ..site.partials import PartialResolver, PartialStore, find_partial_refs
from .config import Tree
from .model import Finding, parse_rule_list

PAGE = "\x00page"
"""Placeholder for the page's own file name inside content-addressed records."""
CACHE_FORMAT = 3
CACHE_FILE = "check-pages.json"
RECORDER_ATTR = "om_check_recorder"
IN_PROCESS_LIMIT = 16
"""Up to this many renders run in the calling process (a pool costs more than it saves)."""
CHUNK = 24

Progress = Callable[[int, int, str], None]


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\0")
    return hasher.hexdigest()


def code_fingerprint() -> str:
    """om-markdoc's version plus the size and mtime of the modules that decide a render, so a
    changed dialect (even without a version bump) never serves stale records."""
    package = Path(__file__).resolve().parent.parent
    parts: list[str] = [__version__, str(CACHE_FORMAT)]
    for folder in ("core", "dialect", "check", "site"):
        for path in sorted((package / folder).rglob("*.py")):
            try:
                stat = path.stat()
            except OSError:
                continue
            parts.append(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    return digest(*parts)


# --- inline ignores -----------------------------------------------------------------------------

_IGNORE = re.compile(r"<!--\s*om-markdoc-ignore(-file)?(?![\w-])(.*?)-->")


def ignore_marks(text: str) -> dict[str, Any]:
    """``<!-- om-markdoc-ignore rule -->`` (the next line) and ``<!-- om-markdoc-ignore-file rule -->``
    (the whole file), found textually: ``{"file": [rules], "lines": {"12": [rules]}}``.
    No rule id means every rule."""
    if "om-markdoc-ignore" not in text:
        return {}
    marks: dict[str, Any] = {"file": [], "lines": {}}
    for number, line in enumerate(source_lines(text)):
        if "om-markdoc-ignore" not in line:
            continue
        for match in _IGNORE.finditer(line):
            rules = list(parse_rule_list(match.group(2))) or ["*"]
            if match.group(1):
                marks["file"].extend(rules)
            else:
                marks["lines"].setdefault(str(number + 2), []).extend(rules)
    return marks


# --- rendering with a recorder ------------------------------------------------------------------


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
    memos of each partial's lines, display name and variable uses."""

    def __init__(self, root: str, partials_root: str | None, delimiters: str = "curly") -> None:
        self.root = root
        self.partials_root = partials_root
        self.renderer = make_renderer(delimiters)
        self.resolver = PartialResolver(partials_root, display_root=root) if partials_root else None
        self.store = PartialStore(self.resolver, self._parse_partial, check_mtime=False) if self.resolver is not None else None
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


class _RecordedList(list):  # type: ignore[type-arg]
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

    def __init__(self, state: CheckState, page_lines: list[str]) -> None:
        self.state = state
        self.page_lines = page_lines
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
        return PAGE, self.page_lines

    def chain(self) -> list[list[Any]]:
        return [[f, n] for f, n in self.sites]

    def _record(self, into: list[list[Any]], target: str, line0: int) -> None:
        file, lines = self.where()
        found = find_in_construct(lines, line0, target)
        if found is None and self.sites:
            # a value passed in by the including tag (src=$path): report it where it is written
            for depth in range(len(self.sites) - 1, -1, -1):
                site_file, site_line = self.sites[depth]
                site_lines = self.page_lines if site_file == PAGE else self.state.lines(self.names[depth - 1])
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


def make_renderer(delimiters: str = "curly") -> DialectRenderer:
    """A ``DialectRenderer`` whose ``partial`` tag reports to the page's recorder."""
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

    renderer = DialectRenderer(delimiters=delimiters, extra_tags={"partial": {**schema, "transform": tracked_partial}})
    renderer.nodes = {**renderer.nodes, "fence": {**renderer.nodes["fence"], "transform": _plain_fence}}
    return renderer


class _SeenPartials(Mapping[str, Any]):
    """The partial store as the render sees it, remembering every name looked up."""

    def __init__(self, store: Mapping[str, Any]) -> None:
        self.store = store
        self.seen: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        if isinstance(name, str):
            self.seen.add(name)
        return self.store[name]

    def get(self, name: Any, default: Any = None) -> Any:
        try:
            return self[name]
        except (KeyError, TypeError):
            return default

    def __contains__(self, name: object) -> bool:
        return self.get(name) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self.store)

    def __len__(self) -> int:
        return len(self.store)

    def __bool__(self) -> bool:  # never len(): listing the partials folder is costly
        return True


def _drop(rule: str, message: str) -> bool:
    # `{% partial file=missing %}` also fails the core's PartialFile type; partial-missing says it better
    return rule == "attribute-value-invalid" and message.startswith("Partial `")


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
    partials = _SeenPartials(state.store) if state.store is not None else None
    ast, _tree, own = state.renderer.analyse(source, file=PAGE, context=context, partials=partials, lines=lines)
    findings = [Finding.from_diagnostic(d).to_row() for d in own if not _drop(d.rule, d.message)]
    delimiter = state.renderer.delimiter
    for item, (file, item_lines, chain) in zip(recorder.diagnostics, recorder.diagnostics.places):
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
        return {"findings": [Finding.from_diagnostic(d).to_row() for d in state.store.file_diagnostics(name)], "refs": [], "ignores": {}}
    renderer = state.renderer
    lines = source_lines(source)
    notes = state.notes.get(file, [])
    config = renderer.config(PageContext(file=file), state.store, None)
    checked = renderer.check(ast, lines, file, config)
    problems = [*state.store.file_diagnostics(name), *notes, *checked]
    return {
        "findings": [Finding.from_diagnostic(d).to_row() for d in problems if not _drop(d.rule, d.message)],
        "refs": _refs(ast, lines, renderer.delimiter),
        "ignores": ignore_marks(source),
    }


def _internal_error(exc: BaseException) -> dict[str, Any]:
    row = ["check-internal-error", "error", PAGE, 1, 1, f"om-markdoc could not check this file: {type(exc).__name__}: {exc}", []]
    return {"findings": [row], "ids": [], "links": [], "images": [], "refs": [], "seen": [], "ignores": {}}


# --- workers --------------------------------------------------------------------------------------

_STATE: CheckState | None = None


def _state(root: str, partials_root: str | None) -> CheckState:
    global _STATE
    if _STATE is None or _STATE.root != root or _STATE.partials_root != partials_root:
        _STATE = CheckState(root, partials_root)
    return _STATE


def _init_worker(root: str, partials_root: str | None) -> None:
    _state(root, partials_root)


def run_task(state: CheckState, task: tuple[str, str, str]) -> dict[str, Any]:
    kind, _key, target = task
    try:
        if kind == "partial":
            return check_partial(state, target)
        text, problems = decode_bytes(Path(target).read_bytes(), PAGE)
        record = render_page(state, text)
        record["findings"][:0] = [Finding.from_diagnostic(d).to_row() for d in problems]
        return record
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop the check
        record = _internal_error(exc)
        if kind == "partial":
            record["findings"][0][2] = state.display(target)
        return record


def _run_chunk(root: str, partials_root: str | None, tasks: list[tuple[str, str, str]]) -> list[tuple[str, str, dict[str, Any]]]:
    state = _state(root, partials_root)
    return [(kind, key, run_task(state, (kind, key, target))) for kind, key, target in tasks]


# --- the collection ---------------------------------------------------------------------------------


@dataclass
class PageItem:
    page: Page
    hash: str
    findings: list[list[Any]]
    """Front-matter findings (slug-missing, frontmatter-yaml...), file names final."""


@dataclass
class MenuItem:
    version: str | None
    file: str
    targets: list[list[Any]]
    """``[url, line]`` of each entry with a url."""
    findings: list[list[Any]]
    main: bool
    """``menu.md`` (the navigation) rather than an edition menu (``digitrans-menu.md``)."""


@dataclass
class Collected:
    pages: list[PageItem] = field(default_factory=list)
    renders: dict[str, dict[str, Any]] = field(default_factory=dict)
    partial_names: dict[str, str] = field(default_factory=dict)
    """canonical name → file (relative to the tree root)."""
    partials: dict[str, dict[str, Any]] = field(default_factory=dict)
    """canonical name → record."""
    menus: list[MenuItem] = field(default_factory=list)
    findings: list[list[Any]] = field(default_factory=list)
    """Findings about files that are not pages (links out of the tree), as rows."""
    rendered: int = 0
    cached: int = 0
    resolver: PartialResolver | None = None


def _page_to_json(page: Page, findings: list[list[Any]]) -> dict[str, Any]:
    return {
        "version": page.version, "rel": page.rel_path, "slug": page.slug, "title": page.title,
        "slug_line": page.slug_line, "body": page.body_start_line, "from_path": page.slug_from_path,
        "flag": page.edition_flag, "findings": findings,
    }  # fmt: skip


def _page_from_json(data: dict[str, Any], path: Path, file: str) -> Page:
    return Page(
        version=data["version"], path=path, rel_path=data["rel"], slug=data["slug"], title=data["title"], meta={},
        edition_only=data["flag"] is not None, file=file, slug_line=data["slug_line"], body_start_line=data["body"],
        slug_from_path=data["from_path"], edition_flag=data["flag"],
    )  # fmt: skip


def load_cache(cache_dir: Path | None, key: str) -> dict[str, Any]:
    empty: dict[str, Any] = {"renders": {}, "partials": {}, "pages": {}, "menus": {}}
    if cache_dir is None:
        return empty
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("key") != key:
        return empty
    return {name: data.get(name) if isinstance(data.get(name), dict) else {} for name in empty}


def save_cache(cache_dir: Path | None, key: str, data: dict[str, Any]) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = cache_dir / f".{CACHE_FILE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps({"key": key, **data}, separators=(",", ":")), encoding="utf-8")
        os.replace(temporary, cache_dir / CACHE_FILE)
        ignore = cache_dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs time


def _menu_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and (p.name == "menu.md" or p.name.endswith("-menu.md")))


def collect(
    tree: Tree,
    *,
    cache_dir: Path | None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Collected:
    """Read, render (or take from the cache) every page and partial of ``tree``."""
    root = str(tree.root)
    partials_root = str(tree.partials_root) if tree.partials_root else None
    resolver = PartialResolver(tree.partials_root, display_root=tree.root) if tree.partials_root else None
    out = Collected(resolver=resolver)

    partial_hashes: dict[str, str] = {}
    if resolver is not None:
        for name in resolver.iter_names():
            path = resolver.path_for(name)
            try:
                partial_hashes[name] = digest(path.read_bytes())
            except OSError:
                partial_hashes[name] = digest("unreadable", name)
            out.partial_names[name] = resolver.display(path)
    key = digest(code_fingerprint(), root, partials_root or "", *sorted(partial_hashes))
    cache = load_cache(cache_dir, key)
    new_cache: dict[str, Any] = {"renders": {}, "partials": {}, "pages": {}, "menus": {}}

    # front matter of every page (from the cache when the text is unchanged)
    render_targets: dict[str, Path] = {}
    for version in tree.versions:
        outside: list[str] = []
        for path, rel in iter_page_files(version.directory, skip_dirs=version.skip_dirs, outside=outside):
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            text_hash = digest(data)
            file = tree.rel(path)
            cached = cache["pages"].get(file)
            if isinstance(cached, dict) and cached.get("hash") == text_hash and cached["page"]["version"] == version.name:
                page = _page_from_json(cached["page"], path, file)
                findings = cached["page"]["findings"]
            else:
                page = load_page(path, version=version.name, rel_path=rel, root=tree.root, edition_flags=tree.edition_flags)
                page.file = file
                findings = [
                    Finding.from_diagnostic(d, file=file).to_row()
                    for d in page.diagnostics
                    if version.name is not None or d.rule != "slug-missing"  # unversioned pages: path URLs by design
                ]
            new_cache["pages"][file] = {"hash": text_hash, "page": _page_to_json(page, findings)}
            out.pages.append(PageItem(page, text_hash, findings))
            render_targets.setdefault(text_hash, path)
        for rel in outside:
            file = tree.rel(version.directory / rel)
            out.findings.append(
                Finding("page-outside-root", "error", file, 1, 1, "links to a file outside the docs tree; not read").to_row()
            )
        for menu_path in _menu_files(version.directory):
            file = tree.rel(menu_path)
            menu_hash = digest(menu_path.read_bytes())
            cached = cache["menus"].get(file)
            if isinstance(cached, dict) and cached.get("hash") == menu_hash:
                entry = cached
            else:
                menu = load_menu(menu_path, tree.root)
                entry = {
                    "hash": menu_hash,
                    "targets": [[url, line] for url, line in menu.menu_targets()],
                    "findings": [Finding.from_diagnostic(d, file=file).to_row() for d in menu.diagnostics],
                }
            new_cache["menus"][file] = entry
            out.menus.append(MenuItem(version.name, file, entry["targets"], entry["findings"], menu_path.name == "menu.md"))

    # which renders and partial checks are still valid
    tasks: list[tuple[str, str, str]] = []
    for text_hash, path in render_targets.items():
        record = cache["renders"].get(text_hash)
        if isinstance(record, dict) and all(partial_hashes.get(n, "missing") == h for n, h in record.get("deps", {}).items()):
            out.renders[text_hash] = record
            out.cached += 1
        else:
            tasks.append(("page", text_hash, str(path)))
    for name, partial_hash in partial_hashes.items():
        record = cache["partials"].get(partial_hash + name)
        if isinstance(record, dict):
            out.partials[name] = record
        else:
            tasks.append(("partial", partial_hash + name, name))

    def accept(kind: str, task_key: str, record: dict[str, Any]) -> None:
        if kind == "partial":
            out.partials[task_key[32:]] = record
        else:
            record["deps"] = {name: partial_hashes.get(name, "missing") for name in record.pop("seen", [])}
            out.renders[task_key] = record
            out.rendered += 1

    total = len(tasks)
    if _STATE is not None:
        _STATE.reset()
    if total:
        _execute(tasks, root, partials_root, jobs, accept, progress)
    new_cache["renders"] = {h: out.renders[h] for h in render_targets if h in out.renders}
    new_cache["partials"] = {partial_hashes[n] + n: r for n, r in out.partials.items() if n in partial_hashes}
    save_cache(cache_dir, key, new_cache)
    return out


def _execute(
    tasks: list[tuple[str, str, str]],
    root: str,
    partials_root: str | None,
    jobs: int | None,
    accept: Callable[[str, str, dict[str, Any]], None],
    progress: Progress | None,
) -> None:
    total = len(tasks)
    workers = max(1, jobs if jobs else min(os.cpu_count() or 1, 8))
    done = 0
    if total <= IN_PROCESS_LIMIT or workers == 1:
        state = _state(root, partials_root)
        for task in tasks:
            accept(task[0], task[1], run_task(state, task))
            done += 1
            if progress is not None:
                progress(done, total, "rendering")
        return
    # Pages first in big chunks, partial checks (cheap) interleaved; larger pages are not known
    # in advance, so chunks are small enough for the two workers to finish together.
    chunks = [tasks[i : i + CHUNK] for i in range(0, total, CHUNK)]
    context = _pool_context()
    _state(root, partials_root)  # built before forking: workers inherit the renderer
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(root, partials_root)) as pool:
        futures = [pool.submit(_run_chunk, root, partials_root, chunk) for chunk in chunks]
        for future in as_completed(futures):
            for kind, task_key, record in future.result():
                accept(kind, task_key, record)
                done += 1
            if progress is not None:
                progress(done, total, "rendering")


def _pool_context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def timed(label: str, since: float, timings: dict[str, float]) -> float:
    now = time.perf_counter()
    timings[label] = timings.get(label, 0.0) + now - since
    return now
