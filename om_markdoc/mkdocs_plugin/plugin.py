"""The ``om-markdoc`` MkDocs plugin.

MkDocs keeps discovering files, building navigation and theming; om-markdoc takes over what
Python-Markdown would do.  Per hook:

* ``on_config``: one ``DialectRenderer`` for the build, the partial store, our CSS/JS;
* ``on_files``: pages get their URL from the front-matter slug (``/<version>/<slug>/``), menus
  and edition-only pages leave the build, images outside ``docs_dir`` and our assets join it;
* ``on_nav``: navigation from ``menu.md`` files when there are any (see ``nav`` option);
* ``on_page_markdown``: the page is rendered by om-markdoc and Python-Markdown is handed an
  empty string; ``on_page_content`` swaps our HTML in and sets the TOC and anchor ids.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .. import __version__
from ..core.renderers.html import render_html
from ..core.tag import Tag
from ..dialect.context import PageContext
from ..dialect.pipeline import DialectRenderer, PageResult
from ..diagnostics import Diagnostic
from ..rules import default_severity
from ..site.frontmatter import find_front_matter, read_text_file
from ..site.project import Project, ProjectError
from .config import OmMarkdocConfig
from .incremental import (
    BuildState,
    PageRecord,
    RecordingPartials,
    digest,
    merge_search,
    save_state,
    state_for,
)
from .navcache import NavCache
from .navigation import build_navigation
from .site_files import SiteFiles
from .titles import safe_title
from .versioning import VersionManifest, banner_html, root_prefix, slugs_document

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ASSET_FILES = ("om-markdoc.css", "om-markdoc.js")
ASSET_PREFIX = "assets/om-markdoc"


def nest_toc(flat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat headings → the nested tokens ``mkdocs.structure.toc.get_toc`` expects."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for entry in flat:
        token = {"level": entry["level"], "id": entry["id"], "name": safe_title(entry["name"]), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def log_diagnostic(diagnostic: Diagnostic) -> None:
    """Errors and warnings become MkDocs warnings (``--strict`` fails on them); infos are infos.
    Severities are the rule catalogue's, as ``om-markdoc check`` gives them."""
    severity = default_severity(diagnostic.rule, diagnostic.severity)
    if severity != diagnostic.severity:
        diagnostic = diagnostic.with_severity(severity)
    if diagnostic.severity in ("error", "warning"):
        log.warning(diagnostic.format(include_chain=True))
    else:
        log.info(diagnostic.format(include_chain=True))


def with_markdown(source: str, markdown: str) -> str:
    """The page as om-markdoc renders it: its own front matter, then the body MkDocs hands over.

    Plugins that run before om-markdoc (mkdocs-macros, for instance) change the body; keeping
    the original front matter, and the blank lines MkDocs strips after it, keeps line numbers
    pointing at the file.
    """
    if source.endswith(markdown):
        return source
    lines = source.splitlines(keepends=True)
    close = find_front_matter([line.rstrip("\r\n") for line in lines])
    if close is None:
        return markdown
    end = close + 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    return "".join(lines[:end]) + markdown


def problems_panel(problems: list[Diagnostic]) -> str:
    """What ``serve`` shows at the top of a page with problems (the terminal shows them too)."""
    items = [Tag("li", {}, [Tag("code", {}, [d.format(include_chain=True)])]) for d in problems if d.severity != "info"]
    title = Tag("p", {"class": "admonition-title"}, [f"om-markdoc: {len(items)} problem(s) on this page"])
    return render_html(Tag("div", {"class": "admonition failure om-problems"}, [title, Tag("ul", {}, items)]))


class OmMarkdocPlugin(BasePlugin[OmMarkdocConfig]):
    """Renders Markdoc pages of an OpenMetadata-style tree as a Material site."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.renderer: DialectRenderer | None = None
        self.site: SiteFiles | None = None
        self.results: dict[str, PageResult] = {}
        self.sources: dict[str, str] = {}
        self.manifest: VersionManifest | None = None
        self.scope = ""
        self.state = BuildState()
        self.records: dict[str, PageRecord] = {}
        self.kept: set[str] = set()
        self.nav_key = ""
        self.serving = False
        self.navcache: NavCache | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also keeps the plugin alive across `serve` rebuilds.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        try:
            self.project = self._load_project(config)
        except ProjectError as exc:
            raise PluginError(str(exc)) from exc
        self.renderer = self.project.renderer()
        manifest = self.config.versions_manifest
        self.manifest = VersionManifest.load(manifest) if manifest else None
        for path in (self.project.partials_root, self.project.images_root):
            folder = str(path) if path is not None else None
            if folder and folder not in config.watch:
                config.watch.append(folder)  # `serve` reloads on partial and image edits too
        for name in ASSET_FILES:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if f"{ASSET_PREFIX}/{name}" not in target:
                target.append(f"{ASSET_PREFIX}/{name}")
        return config

    def _load_project(self, config: MkDocsConfig) -> Project:
        """The project this build renders, from this build's options (for a bare tree,
        ``om-markdoc build`` writes them with ``Project.to_options``, ``root`` included)."""
        config_file = Path(config.config_file_path).resolve() if config.config_file_path else None
        root = Path(self.config.root) if self.config.root else (config_file.parent if config_file is not None else Path.cwd())
        return Project.from_options(root, config.docs_dir, dict(self.config.items()), config_file=config_file)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None and self.project is not None
        self.site = SiteFiles.build(files, config, self.config, self.project, self.renderer)
        for diagnostic in self.site.diagnostics:
            log_diagnostic(diagnostic)
        for name in ASSET_FILES:
            files.append(File.generated(config, f"{ASSET_PREFIX}/{name}", abs_src_path=str(ASSETS / name)))
        self._plan_rebuild(config)
        return files

    def _cache_dir(self) -> Path | None:
        return Path(self.config.cache_dir) if self.config.cache_dir else None

    def _plan_rebuild(self, config: MkDocsConfig) -> None:
        """Key every page; tell MkDocs (dirty builds) which pages to leave alone."""
        assert self.site is not None
        self.scope = f"{config.config_file_path}|{config.site_dir}|{self.config.version}"
        self.state = state_for(self.scope, self._cache_dir())
        # Everything every page shows or depends on: menus, all slugs and titles, the version
        # manifest (banners), the plugin's options and om-markdoc's own version.
        nav_parts = [path.read_bytes() for path in sorted(self.site.menus.values())]
        nav_parts += [__version__, repr(sorted(self.config.items()))]
        if self.config.versions_manifest:
            nav_parts.append(Path(self.config.versions_manifest).read_bytes())
        nav_parts += [f"{uri}|{info.page.slug}|{info.page.title}".encode() for uri, info in sorted(self.site.pages.items())]
        self.nav_key = digest(*nav_parts)
        partial_keys: dict[str, str] = {}
        self.kept = set()
        for src_uri, info in self.site.pages.items():
            previous = self.state.pages.get(src_uri)
            changed = True
            if previous is not None and os.path.isfile(info.file.abs_dest_path):
                changed = previous.key != self._page_key(info.file, previous.partials, partial_keys)
            if not changed:
                self.kept.add(info.file.url)
                self.records[src_uri] = previous
            info.file.is_modified = (lambda flag=changed: flag)  # type: ignore[method-assign]

    def _page_key(self, file: File, partials: list[str], memo: dict[str, str]) -> str:
        parts = [self.nav_key, file.content_bytes]
        for name in partials:
            if name not in memo:
                try:
                    store = self.site.partials if self.site is not None else None
                    memo[name] = digest(store.source(name)) if store is not None else "-"
                except KeyError:
                    memo[name] = "missing"
            parts.append(f"{name}={memo[name]}")
        return digest(*parts)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None
        # Titles from front matter for every page, including those a dirty build does not read.
        for info in self.site.pages.values():
            if info.file.page is not None and info.file.page.title is None:  # nav titles win
                # Themes print titles as HTML (Python-Markdown hands them over escaped): escape.
                info.file.page.title = safe_title(info.page.title)
        if self.config.nav == "config":
            return nav
        built = build_navigation(self.site, files, nav, folders_only=self.config.nav == "folders")
        for diagnostic in built.diagnostics:
            log_diagnostic(diagnostic)
        return built.navigation or nav

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Material's navigation is rendered once per build and reused per page (``navcache``)."""
        self.navcache = NavCache.install(env) if self.config.nav_cache else None
        return env

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Read pages ourselves: a BOM is dropped and invalid UTF-8 becomes a diagnostic naming the
        byte offset, where MkDocs would stop the whole build."""
        if self.site is None or page.file.src_uri not in self.site.pages:
            return None
        info = self.site.page_info(page.file)
        text, problems = read_text_file(page.file.abs_src_path)
        for problem in problems:
            log_diagnostic(Diagnostic(problem.rule, problem.severity, problem.message, info.display_path, problem.line, problem.column))
        self.sources[page.file.src_uri] = text  # whole, front matter included: lines stay true
        return text

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.renderer is not None and self.site is not None
        # Themes print front-matter values (Material: `page.meta.title` in <title>, the
        # description in a meta tag) as HTML, unescaped: escape the strings authors wrote.
        page.meta = {key: safe_title(value) if isinstance(value, str) else value for key, value in page.meta.items()}
        info = self.site.page_info(page.file)
        context = PageContext(
            file=info.display_path,
            version=info.version,
            resolve_link=lambda href, line: self.site.link(page.file, href, context, line),
            resolve_image=lambda src, line: self.site.image(page.file, src, context, line),
        )
        partials = RecordingPartials(self.site.partials) if self.site.partials is not None else None
        source = self.sources.pop(page.file.src_uri, None)
        if source is None:
            source = page.file.content_string
        source = with_markdown(source, markdown)
        result = self.renderer.render(source, file=info.display_path, context=context, partials=partials)
        seen = sorted(partials.seen) if partials is not None else []
        self.records[page.file.src_uri] = PageRecord(self._page_key(page.file, seen, {}), seen)
        problems = [*result.diagnostics, *self.site.partial_diagnostics(result.ast, info)]
        for diagnostic in problems:
            log_diagnostic(diagnostic)
        if self.serving and any(d.severity in ("error", "warning") for d in problems):
            result.html = problems_panel(problems) + result.html
        self.results[page.file.src_uri] = result
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        result = self.results.pop(page.file.src_uri, None)
        if result is None:
            return html
        page.toc = get_toc(nest_toc(result.toc))
        page.present_anchor_ids = set(result.ids)
        if result.title and "title" not in page.meta:
            page._title_from_render = safe_title(result.title)
        return self._page_data(page) + result.html

    def _page_data(self, page: Page) -> str:
        """The version banner, and the page's slug for the version selector script."""
        if self.manifest is None or self.site is None:
            return ""
        info = self.site.page_info(page.file)
        data = {"data-slug": info.page.slug, "data-version": self.manifest.current, "data-root": root_prefix(page.file.url) or "./"}
        marker = render_html(Tag("span", {"hidden": "hidden", "class": "om-page", **data}, []))
        return marker + banner_html(self.manifest, info.page.slug, page.file.url)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = Path(config.site_dir, "search", "search_index.json")
        search = merge_search(index, self.kept, self.state.search) if index.is_file() else []
        save_state(self.scope, BuildState(dict(self.records), search), self._cache_dir())
        if self.manifest is not None and self.site is not None:
            slugs = [info.page.slug for info in self.site.pages.values() if info.version is not None]
            Path(config.site_dir, "om-slugs.json").write_text(slugs_document(slugs), encoding="utf-8")
