"""A home page for a site (or a version's site) whose tree has none.

The version selector, the ``latest`` alias and the site root all lead to a version's home, and
a tree need not have an ``index.md`` with slug ``/``: without one that address would be a 404.
Such a build gets a generated page at the site root, listing the navigation's top-level
sections (the menu's, or the folders'), built by MkDocs through the theme's templates like
every other page.  Its Markdown is written once the navigation exists (``fill_home``).
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkPage

HOME_SOURCE = "om-markdoc-home.md"
"""The generated page's name as MkDocs knows it (no such file is read or written)."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")


def add_home(files: Files, config: MkDocsConfig) -> File | None:
    """A generated home page joined to ``files`` when no page is served at the site root."""
    root = "index.html"
    if any(file.dest_uri == root for file in files) or files.get_file_from_path(HOME_SOURCE) is not None:
        return None
    home = File.generated(config, HOME_SOURCE, content="")
    home.dest_uri = root
    home.url = "./" if config.use_directory_urls else root
    home.abs_dest_path = posixpath.join(config.site_dir, root)
    files.append(home)
    return home


def _escape(text: str) -> str:
    """``text`` as literal Markdown inline text (titles are already HTML-escaped)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _first_page(item: Any) -> MkPage | None:
    """The page a navigation item opens: the page itself, or a section's first page."""
    if isinstance(item, MkPage):
        return item
    if isinstance(item, Section):
        return next((page for child in item.children if (page := _first_page(child)) is not None), None)
    return None


def home_markdown(title: str, nav: Navigation, home: File) -> str:
    """The home page: its title and one link per top-level navigation entry."""
    lines = [f"# {_escape(title)}", ""]
    base = posixpath.dirname(home.src_uri) or "."
    for item in nav.items:
        page = _first_page(item)
        if page is None or page.file is home:
            continue
        label = _escape(str(item.title or page.title or page.file.src_uri))
        lines.append(f"- [{label}](<{posixpath.relpath(page.file.src_uri, base)}>)")
    if len(lines) == 2:
        lines.append("This site has no pages yet.")
    return "\n".join(lines) + "\n"


def fill_home(home: File | None, title: str, nav: Navigation) -> None:
    """Write the home page's Markdown from the navigation just built."""
    if home is not None:
        home.content_string = home_markdown(title, nav, home)
