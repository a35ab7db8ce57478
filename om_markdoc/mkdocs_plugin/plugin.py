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

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..dialect.context import PageContext
from ..dialect.pipeline import DialectRenderer, PageResult
from ..site.diagnostics import Diagnostic
from .config import OmMarkdocConfig
from .navigation import build_navigation
from .site_files import SiteFiles

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ASSET_FILES = ("om-markdoc.css", "om-markdoc.js")
ASSET_PREFIX = "assets/om-markdoc"


def nest_toc(flat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat headings → the nested tokens ``mkdocs.structure.toc.get_toc`` expects."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for entry in flat:
        token = {"level": entry["level"], "id": entry["id"], "name": entry["name"], "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def log_diagnostic(diagnostic: Diagnostic) -> None:
    """Errors and warnings become MkDocs warnings (``--strict`` fails on them); infos are infos."""
    if diagnostic.severity in ("error", "warning"):
        log.warning(diagnostic.format(include_chain=True))
    else:
        log.info(diagnostic.format(include_chain=True))


class OmMarkdocPlugin(BasePlugin[OmMarkdocConfig]):
    """Renders Markdoc pages of an OpenMetadata-style tree as a Material site."""

    def __init__(self) -> None:
        self.renderer: DialectRenderer | None = None
        self.site: SiteFiles | None = None
        self.results: dict[str, PageResult] = {}

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.renderer = DialectRenderer(delimiters=self.config.delimiters)
        for name in ASSET_FILES:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if f"{ASSET_PREFIX}/{name}" not in target:
                target.append(f"{ASSET_PREFIX}/{name}")
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None
        self.site = SiteFiles.build(files, config, self.config, self.renderer)
        for diagnostic in self.site.diagnostics:
            log_diagnostic(diagnostic)
        for name in ASSET_FILES:
            files.append(File.generated(config, f"{ASSET_PREFIX}/{name}", abs_src_path=str(ASSETS / name)))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None
        if self.config.nav == "config":
            return nav
        built = build_navigation(self.site, files, nav, folders_only=self.config.nav == "folders")
        for diagnostic in built.diagnostics:
            log_diagnostic(diagnostic)
        return built.navigation or nav

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.renderer is not None and self.site is not None
        info = self.site.page_info(page.file)
        context = PageContext(
            file=info.display_path,
            version=info.version,
            link=lambda href: self.site.link(page.file, href, context),
            image=lambda src: self.site.image(page.file, src, context),
        )
        result = self.renderer.render(
            page.file.content_string, file=info.display_path, context=context, partials=self.site.partials
        )
        for diagnostic in [*result.diagnostics, *self.site.partial_diagnostics(result.ast, info)]:
            log_diagnostic(diagnostic)
        self.results[page.file.src_uri] = result
        return ""

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        result = self.results.pop(page.file.src_uri, None)
        if result is None:
            return html
        page.toc = get_toc(nest_toc(result.toc))
        page.present_anchor_ids = set(result.ids)
        if result.title and "title" not in page.meta:
            page._title_from_render = result.title
        return result.html
