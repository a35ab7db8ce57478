"""Only what changed is rebuilt: content keys per page, partial-aware, nav-aware.

A page has two keys.  Its *body* key hashes its source, the sources of every partial its last
render read (directly or through other partials) and what links resolve against (every page's
slug, the options, the version manifest); its *navigation* key hashes the menu files and every
page's title, since each page shows the whole nav.  A page whose keys are both unchanged and
whose output exists is left alone: MkDocs' ``dirty`` build skips files whose ``is_modified()``
is false, and this module decides that answer instead of MkDocs' timestamps (which know nothing
of partials).  A page whose navigation key alone changed (a ``menu.md`` edit, a title edited
elsewhere) goes through the templates again with its body as last rendered (``CachedBody``):
om-markdoc does not render it again.

State lives in memory for ``serve`` (the plugin is re-created on every rebuild; this module is
not) and, when a cache folder is configured, on disk for ``om-markdoc build``.  Search entries of
pages left alone are kept too, and merged back into the search index, which the search plugin
would otherwise write from the rebuilt pages only.

On disk the state is one file, replaced with a rename: two builds sharing a cache folder (two
``mkdocs build`` runs with one ``cache_dir``) leave one build's whole state, never page keys of
one beside bodies or search entries of the other.  ``om-markdoc build`` gives each version's
build a cache folder of its own and publishes it with the output (``build.builder``).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_atomic

CACHE_FILE = "pages.json"
FORMAT = 4
"""4: keys are ``om_markdoc.digest`` digests (BLAKE2b), no longer SHA-256; a format-3 file is ignored."""


@dataclass
class PageRecord:
    key: str
    """The body key: source, partials, slugs, options."""
    partials: list[str]
    nav: str = ""
    """The navigation key the page's output was built with."""
    title: str = ""
    """The page's title in that output (its search entries carry it)."""


@dataclass
class CachedBody:
    """A page's rendered body as ``on_page_content`` uses it, kept for navigation-only rebuilds."""

    key: str
    html: str
    toc: list[dict[str, Any]]
    ids: list[str]
    title: str | None

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "html": self.html, "toc": self.toc, "ids": self.ids, "title": self.title}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CachedBody:
        return cls(data["key"], data["html"], list(data["toc"]), list(data["ids"]), data["title"])


@dataclass
class BuildState:
    """What the previous build knew: page keys, partial lists, search entries, bodies."""

    pages: dict[str, PageRecord] = field(default_factory=dict)
    search: list[dict[str, Any]] = field(default_factory=list)
    bodies: dict[str, CachedBody] = field(default_factory=dict)
    statics: dict[str, str] = field(default_factory=dict)
    """Source path → ``size:mtime`` of each copied non-page file: a file replaced by one with an
    older time (``cp -p``, ``tar x``) is copied again, which MkDocs' newer-than test misses."""


_MEMORY: dict[str, BuildState] = {}


def state_for(scope: str, cache_dir: Path | None) -> BuildState:
    """The state of a site (a scope per config file and site dir), from memory or disk."""
    state = _MEMORY.get(scope)
    if state is not None:
        return state
    state = _load(cache_dir) if cache_dir is not None else BuildState()
    _MEMORY[scope] = state
    return state


def _load(cache_dir: Path) -> BuildState:
    """The state saved in ``cache_dir``; a missing or corrupt cache only costs a full build."""
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return BuildState()
        state = BuildState()
        state.pages = {k: PageRecord(v["key"], list(v["partials"]), v.get("nav", ""), v.get("title", "")) for k, v in data["pages"].items()}
        state.statics = {str(k): str(v) for k, v in data.get("statics", {}).items()}
        state.search = list(data["search"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return BuildState()
    try:
        state.bodies = {k: CachedBody.from_json(v) for k, v in data.get("bodies", {}).items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        state.bodies = {}  # no bodies: a navigation change renders pages again
    return state


def forget_builds() -> None:
    """Drop every in-memory build state (after a failed build, whose keys describe lost output)."""
    _MEMORY.clear()


def save_state(scope: str, state: BuildState, cache_dir: Path | None) -> None:
    _MEMORY[scope] = state
    if cache_dir is None:
        return
    cache_dir.mkdir(parents=True, exist_ok=True)
    pages = {k: {"key": v.key, "partials": v.partials, "nav": v.nav, "title": v.title} for k, v in state.pages.items()}
    bodies = {k: v.to_json() for k, v in state.bodies.items()}
    data = {"format": FORMAT, "pages": pages, "statics": state.statics, "search": state.search, "bodies": bodies}
    write_atomic(cache_dir / CACHE_FILE, json.dumps(data))


def file_stamp(path: str) -> str:
    """``size:mtime_ns`` of a source file (``missing`` when it cannot be read)."""
    try:
        stat = os.stat(path)
    except OSError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def merge_search(index_path: Path, kept_locations: set[str], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Put the entries of pages that were left alone (``kept_locations``, page URLs) back into
    the freshly written index; entries of removed pages are dropped.

    The result is the index a clean build writes, pages in the same order: the rendered pages in
    the order they were rendered (the order of a clean build), and each page left alone where the
    previous index had it among them."""
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return previous
    fresh: dict[str, list[dict[str, Any]]] = {}
    for entry in index.get("docs", []):
        fresh.setdefault(_page_of(entry["location"]), []).append(entry)
    rendered = iter(fresh)
    kept = {_page_of(url) for url in kept_locations} - fresh.keys()
    docs: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place_rendered(until: str | None) -> None:
        """The rendered pages not placed yet, in their order, up to ``until`` (all: None)."""
        if until in placed:
            return
        for page in rendered:
            placed.add(page)
            docs.extend(fresh[page])
            if page == until:
                return

    for entry in previous:
        page = _page_of(entry["location"])
        if page in fresh:
            place_rendered(page)
        elif page in kept:
            docs.append(entry)
    place_rendered(None)
    index["docs"] = docs
    write_atomic(index_path, json.dumps(index, separators=(",", ":")))
    return docs


def _page_of(location: str) -> str:
    """The page part of a search location or page URL.  MkDocs gives the home page the URL
    ``./`` (``File.url``) but the search location ``""`` (``Page.url``): both are ``""`` here."""
    page = location.split("#", 1)[0]
    return "" if page in (".", "./") else page
