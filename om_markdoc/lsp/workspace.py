"""One workspace folder: its ``Project``, an index of every page, and rendered records.

Why an index and a cache rather than ``run_check``: a keystroke must not re-read a tree of
thousands of pages.  Every page's front matter is scanned once at start (that is fast, heads
only) and kept as ``Page`` objects with the project's slug indexes over them; a page is
rescanned when it is saved, and taken from its buffer while its unsaved front matter differs
(``update_buffer``).  Rendering goes through the checker's own ``CheckState`` and
``render_page`` (so findings are the checker's), and records are cached by the text's hash:
the open page re-renders as it is typed, pages it links to render once, when an anchor into
them first needs their ids.  The configuration is never read here: ``Project.around`` does it.
"""

from __future__ import annotations

import fnmatch
import os
import posixpath
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from pygls.workspace import PositionCodec

from ..check.config import CheckConfig, ConfigError, check_config
from ..check.recorder import RECORDER_ATTR, CheckState, render_page
from ..core.ast import Node
from ..dialect.context import page_context
from ..digest import digest
from ..site.files import IMAGE_PREFIX
from ..site.menu import load_menu
from ..site.pages import DEFAULT_EXCLUDE, Page, load_page
from ..site.project import Project
from ..site.slugs import SlugIndex
from ..site.textfile import read_text_file

PARTIAL_REF = re.compile(r"\{%-?\s*partial\b[^%]*?\bfile\s*=\s*\"([^\"]*)\"")
"""A partial include as written; the references scan reads raw text rather than rendering."""
LINK_REF = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:href|link|url)\s*=\s*\"([^\"]*)\"")
"""A Markdown link target or a linking tag attribute."""


@dataclass
class Heading:
    """A heading as rendered: its id (what anchors name), level, text and where it is written.
    ``own`` is false for headings a partial contributed (their line is in the partial)."""

    level: int
    id: str
    name: str
    line0: int
    own: bool


@dataclass
class Record:
    """The checker's record of one text plus the headings the render produced."""

    data: dict[str, Any]
    headings: list[Heading] = field(default_factory=list)

    @property
    def ids(self) -> set[str]:
        return set(self.data.get("ids", ()))


class Workspace:
    """Everything the features need about one project; built once per workspace folder."""

    def __init__(self, folder: Path, codec: PositionCodec | None = None) -> None:
        self.project = Project.around(folder)
        self.roots = [Path(os.path.realpath(p)) for p in (self.project.root, self.project.docs_root, self.project.partials_root,
                                                         self.project.images_root) if p is not None]  # fmt: skip
        self.codec = codec or PositionCodec()
        """Columns in the encoding the client negotiated (pygls' workspace codec; UTF-16 by default)."""
        self.state = CheckState(self.project)
        self._headings: list[Heading] | None = None
        self._track_headings()
        try:
            self.config: CheckConfig | None = check_config(self.project)
        except ConfigError:
            self.config = None
        self.lock = threading.RLock()
        self.records: dict[str, Record] = {}
        self.buffers: dict[Path, str] = {}
        self.from_buffers: set[Path] = set()
        """Pages whose index entry comes from an unsaved buffer (``update_buffer``)."""
        self._menus: dict[Path, tuple[float, Any]] = {}
        self._images: list[str] | None = None
        self._partial_names: list[str] | None = None
        self.examples: Any = None
        """The examples session (``ExampleSession``), made on first use."""
        self.pages: list[Page] = []
        self.by_path: dict[Path, Page] = {}
        self.indexes: dict[str | None, SlugIndex] = {}
        self.scan()

    # -- the page index ----------------------------------------------------------------------

    def scan(self) -> None:
        """Read every page's front matter and build the slug indexes (start, and tree changes)."""
        pages: list[Page] = []
        for source in self.project.sources():
            pages.extend(self.project.scan(source))
        self._set_pages(pages)

    def _set_pages(self, pages: list[Page]) -> None:
        self.pages = pages
        self.by_path = {p.path.resolve(): p for p in pages}
        self.indexes = self.project.indexes(pages)

    def refresh(self, path: Path) -> None:
        """A file was saved, created or deleted: rescan that page (or forget partial caches)."""
        path = path.resolve()
        with self.lock:
            if self.project.is_partial(path):
                self.state.reset()
                self.records.clear()
                self._partial_names = None
                return
            if path.suffix != ".md":
                self._forget_files()
                return
            self.from_buffers.discard(path)  # (records stay: each is the render of one text, whatever the index says)
            old = self.by_path.get(path)
            pages = [p for p in self.pages if p is not old]
            if path.is_file():
                page = self._load(path)
                if page is not None:
                    pages.append(page)
            elif old is None:
                return
            self._set_pages(pages)

    def _forget_files(self) -> None:
        """An image or download appeared or went: list the static files afresh.  ``Project``
        has no call for that, and ``with_settings()`` is the public way to the same project
        with fresh listings; the slug indexes are rebuilt over it (they judge file links)."""
        self._images = None
        self.project = self.project.with_settings()
        self._set_pages(self.pages)

    def _load(self, path: Path, text: str | None = None) -> Page | None:
        """The page at ``path`` (from ``text``, an unsaved buffer, when given); None outside the
        version folders."""
        for source in self.project.sources():
            if path.is_relative_to(source.directory.resolve()):
                rel = path.relative_to(source.directory.resolve()).as_posix()
                if source.skip_dirs and any(rel == d or rel.startswith(d + "/") for d in source.skip_dirs):
                    continue
                return load_page(path, version=source.name, rel_path=rel, root=self.project.root,
                                 edition_flags=self.project.settings.edition_flags, text=text)  # fmt: skip
        return None

    def update_buffer(self, path: Path, text: str) -> bool:
        """Keep an open document's text.  When it is a page whose front matter now says another
        slug, title or edition than the index holds, the index takes the buffer's: links to the
        new slug resolve, and the old one breaks, before the file is saved.  A page the index
        does not hold yet (a new file, not saved) joins it from its buffer, so it is checked
        from the moment it is opened.  True when the index changed (other open documents then
        need their diagnostics again)."""
        path = path.resolve()
        with self.lock:
            self.buffers[path] = text
            old = self.by_path.get(path)
            if old is None and (path.exists() or not _new_page_name(path)):
                return False  # on disk yet not indexed: the scan left it out (a menu, a link out)
            page = self._load(path, text)
            if page is None or (old is not None and _shown(page) == _shown(old)):
                return False
            self._set_pages([page if p is old else p for p in self.pages] if old is not None else [*self.pages, page])
            self.from_buffers.add(path)
            return True

    def close_buffer(self, path: Path) -> bool:
        """An open document was closed: its file, not its last text, is the page again.  True
        when the index changed back (its front matter had unsaved changes)."""
        path = path.resolve()
        with self.lock:
            self.buffers.pop(path, None)
            unsaved = path in self.from_buffers
        if unsaved:
            self.refresh(path)
        return unsaved

    def inside(self, path: Path) -> bool:
        """Whether the file's real path (symlinks followed) lies in one of the project's
        folders: only such files are read for a request or named in an answer."""
        real = Path(os.path.realpath(path))
        return any(real.is_relative_to(root) for root in self.roots)

    def page_at(self, path: Path | None) -> Page | None:
        return self.by_path.get(path.resolve()) if path is not None else None

    def index_for(self, page: Page | None) -> SlugIndex | None:
        if page is not None:
            return self.indexes.get(page.version)
        latest = self.project.latest.name if self.project.latest else None
        return self.indexes.get(latest) or next(iter(self.indexes.values()), None)

    # -- text and records --------------------------------------------------------------------

    def text_of(self, path: Path) -> str:
        """The open buffer's text, else the file's."""
        path = path.resolve()
        if path in self.buffers:
            return self.buffers[path]
        text, _ = read_text_file(path, self.project.root)
        return text

    def record(self, text: str) -> Record:
        """The checker's record of ``text`` (rendered once per distinct text)."""
        key = digest(text)
        with self.lock:
            cached = self.records.get(key)
            if cached is not None:
                return cached
            self._headings = []
            try:
                data = render_page(self.state, text)
            finally:
                headings, self._headings = self._headings, None
            record = Record(data, headings)
            if len(self.records) > 4000:
                self.records.clear()
            self.records[key] = record
            return record

    def record_of(self, page: Page) -> Record:
        return self.record(self.text_of(page.path))

    def _track_headings(self) -> None:
        """Wrap the heading transform of the checker's renderer to remember each heading's line
        (the page context keeps ids and names only).  The wrapper returns what the original
        does, so the render and its findings are unchanged."""
        renderer = self.state.renderer
        original = renderer.nodes["heading"]["transform"]

        def tracked(node: Node, config: dict[str, Any]) -> Any:
            out = original(node, config)
            if self._headings is not None:
                context = page_context(config)
                recorder = getattr(context, RECORDER_ATTR, None)
                if context.toc:
                    entry = context.toc[-1]
                    own = not (recorder is not None and recorder.names)
                    line0 = node.lines[0] if node.lines else 0
                    self._headings.append(Heading(int(entry.get("level", 1)), str(entry["id"]), str(entry["name"]), line0, own))
            return out

        renderer.nodes = {**renderer.nodes, "heading": {**renderer.nodes["heading"], "transform": tracked}}

    # -- listings for completion -------------------------------------------------------------

    def partial_names(self) -> list[str]:
        if self._partial_names is None:
            resolver = self.state.resolver
            self._partial_names = list(resolver.iter_names()) if resolver is not None else []
        return self._partial_names

    def image_paths(self) -> list[str]:
        """Every image the project's file listing holds, as ``/images/...`` site paths (those
        whose real path is outside the project's folders left out)."""
        if self._images is None:
            self._images = self.project.files.image_paths()  # the tree walk already refused links out
        return self._images

    def image_file(self, href: str) -> Path | None:
        """The file an ``/images/...`` path names, when the project lists it and it really lies
        in the project (a link out of the tree is no image to go to)."""
        root = self.project.images_root
        if root is None or not href.startswith(IMAGE_PREFIX):
            return None
        rel = posixpath.normpath(unquote(urlsplit(href).path)[len(IMAGE_PREFIX) :])
        if rel.startswith("..") or not self.project.files.images.exists(rel):
            return None
        path = root / rel
        return path if self.inside(path) else None

    def menus(self, version: str | None) -> list[tuple[Path, Any]]:
        """The version's menu files, read again only when they change."""
        source = next((s for s in self.project.sources() if s.name == version), None)
        if source is None or not source.directory.is_dir():
            return []
        out = []
        for path in sorted(self.project.menu_files(source)):
            mtime = path.stat().st_mtime
            cached = self._menus.get(path)
            if cached is None or cached[0] != mtime:
                cached = (mtime, load_menu(path, self.project.root))
                self._menus[path] = cached
            out.append((path, cached[1]))
        return out

    # -- raw-text scans for references -------------------------------------------------------

    def scan_texts(self) -> Iterator[tuple[Path, str, list[str]]]:
        """Every page and partial as ``(path, display name, lines)`` (open buffers first-hand)."""
        paths = [p.path for p in self.pages]
        resolver = self.state.resolver
        if resolver is not None:
            paths += [resolver.path_for(n) for n in self.partial_names()]
        for path in paths:
            try:
                text = self.text_of(path)
            except OSError:
                continue
            yield path, self.project.rel(path), text.splitlines()


def _new_page_name(path: Path) -> bool:
    """Whether a file not saved yet would be a page once saved (the scan's name rules)."""
    name = path.name
    return name.endswith(".md") and not name.startswith(".") and not any(fnmatch.fnmatchcase(name, p) for p in DEFAULT_EXCLUDE)


def _shown(page: Page) -> tuple[Any, ...]:
    """What of a page other pages and the menus see: its slug, title, edition and front matter."""
    return (page.slug, page.title, page.edition_only, page.meta)
