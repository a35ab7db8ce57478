"""Per-page work of the checker: every page and partial of the project read, rendered (or
taken from the cache) and recorded; cross-page rules (``rules.py``) then work from these
records alone.

Pages with the same text in several versions render once; a warm run re-renders only pages
whose text or partials changed (see ``cache.py``).  Everything that depends on other pages
(links, anchors, slugs, menus) is recomputed from the records on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..digest import digest
from ..site.menu import load_menu
from ..site.pages import Page, load_page
from ..site.partials import PartialResolver
from ..site.project import Project
from .cache import _page_from_json, _page_to_json, code_fingerprint, load_cache, save_cache
from .pool import Progress, execute, forget_state

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


def collect(
    project: Project,
    *,
    cache_dir: Path | None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Collected:
    """Read, render (or take from the cache) every page and partial of ``project``."""
    resolver = project.partial_resolver()
    out = Collected(resolver=resolver)
    out.findings.extend(d.to_row() for d in project.diagnostics)

    partial_hashes: dict[str, str] = {}
    if resolver is not None:
        for name in resolver.iter_names():
            path = resolver.path_for(name)
            try:
                partial_hashes[name] = digest(path.read_bytes())
            except OSError:
                partial_hashes[name] = digest("unreadable", name)
            out.partial_names[name] = resolver.display(path)
    settings = project.settings
    key = digest(
        code_fingerprint(), str(project.root), str(project.partials_root or ""), settings.delimiters, settings.raw_html,
        *settings.edition_flags, *sorted(partial_hashes),
    )  # fmt: skip
    cache = load_cache(cache_dir, key)
    new_cache: dict[str, Any] = {"renders": {}, "partials": {}, "pages": {}, "menus": {}}

    # front matter of every page (from the cache when the text is unchanged)
    render_targets: dict[str, Path] = {}
    for version in project.sources():
        for path, rel in project.page_files(version):
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            text_hash = digest(data)
            file = project.rel(path)
            cached = cache["pages"].get(file)
            if isinstance(cached, dict) and cached.get("hash") == text_hash and cached["page"]["version"] == version.name:
                page = _page_from_json(cached["page"], path, file)
                findings = cached["page"]["findings"]
            else:
                page = load_page(
                    path, version=version.name, rel_path=rel, root=project.root, edition_flags=settings.edition_flags
                )
                findings = [
                    d.refiled(file).to_row()
                    for d in page.diagnostics
                    if version.name is not None or d.rule != "slug-missing"  # unversioned pages: path URLs by design
                ]
            new_cache["pages"][file] = {"hash": text_hash, "page": _page_to_json(page, findings)}
            out.pages.append(PageItem(page, text_hash, findings))
            render_targets.setdefault(text_hash, path)
        for menu_path in project.menu_files(version):
            file = project.rel(menu_path)
            menu_hash = digest(menu_path.read_bytes())
            cached = cache["menus"].get(file)
            if isinstance(cached, dict) and cached.get("hash") == menu_hash:
                entry = cached
            else:
                menu = load_menu(menu_path, project.root)
                entry = {
                    "hash": menu_hash,
                    "targets": [[url, line] for url, line in menu.menu_targets()],
                    "findings": [d.refiled(file).to_row() for d in menu.diagnostics],
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

    forget_state()
    if tasks:
        execute(tasks, project, jobs, accept, progress)
    new_cache["renders"] = {h: out.renders[h] for h in render_targets if h in out.renders}
    new_cache["partials"] = {partial_hashes[n] + n: r for n, r in out.partials.items() if n in partial_hashes}
    save_cache(cache_dir, key, new_cache)
    return out
