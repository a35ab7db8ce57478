"""MkDocs navigation from ``menu.md`` files (or from the folder tree), one section per version.

Unversioned pages keep the navigation ``mkdocs.yml`` gives them (or MkDocs' own); each version
folder contributes a section built from its ``menu.md`` (``site_menu`` categories split on
``/``), or from its folder tree when it has no menu.  Menu entries pointing nowhere are left out
with a ``menu-target-missing`` diagnostic.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any

from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page as MkPage

from ..diagnostics import Diagnostic, warning
from ..site.labels import Labels
from ..site.menu import MenuNode, load_menu
from .site_files import SiteFiles
from .titles import safe_title


@dataclass
class BuiltNavigation:
    navigation: Navigation | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _menu_items(nodes: list[MenuNode], site: SiteFiles, version: str | None, menu_file: str, out: list[Diagnostic]) -> list[Any]:
    items: list[Any] = []
    index = site.indexes.get(version)
    for node in nodes:
        page_item = None
        if node.url is not None and index is not None:
            target = index.lookup(node.url)
            file = site.files_by_page.get(id(target)) if target is not None else None
            if file is not None and file.page is not None:
                page_item = file.page
                page_item.title = safe_title(node.title)  # the menu's short label, as the live site shows it
            elif target is None:
                out.append(warning("menu-target-missing", f"menu entry '{node.title}' points to {node.url}, which no page has", menu_file, node.line or 1))
        children = _menu_items(node.children, site, version, menu_file, out)
        if children:
            items.append(Section(safe_title(node.title), [page_item, *children] if page_item is not None else children))
        elif page_item is not None:
            items.append(page_item)
    return items


def nav_labels(site: SiteFiles) -> Labels:
    """The labels of the build's pages, spelled as its pages' headings and its menus write words."""
    names = [node.title for path in site.menus.values() for root in load_menu(path, site.project.root).roots for node in root.walk()]
    return Labels.of([info.page for info in site.pages.values()], names)


def _folder_items(pages: list[MkPage], site: SiteFiles, labels: Labels) -> list[Any]:
    """A section per folder of the version (its own folder is no level), pages in path order
    (``index.md`` first), folders named as ``labels`` spells them."""
    tree: dict[str, Any] = {}

    def inner(page: MkPage) -> str:
        return site.pages[page.file.src_uri].page.rel_path

    for page in sorted(pages, key=lambda p: (posixpath.dirname(inner(p)), p.file.name != "index", inner(p))):
        parts = inner(page).split("/")[:-1]
        node = tree
        for part in parts:
            node = node.setdefault(part, {})
        node.setdefault("", []).append(page)

    def build(node: dict[str, Any]) -> list[Any]:
        items: list[Any] = list(node.get("", []))
        for name, child in node.items():
            if name:
                items.append(Section(safe_title(labels.name(name)), build(child)))
        return items

    return build(tree)


def _link_up(items: list[Any], parent: Any = None) -> list[MkPage]:
    """Parents on every item, and the pages in reading order (for previous/next links)."""
    pages: list[MkPage] = []
    for item in items:
        item.parent = parent
        if isinstance(item, Section):
            pages.extend(_link_up(item.children, item))
        elif isinstance(item, MkPage):
            pages.append(item)
    return pages


def build_navigation(
    site: SiteFiles, files: Files, nav: Navigation, *, folders_only: bool, labels: Labels, home: File | None = None,
) -> BuiltNavigation:
    """Navigation with one section per version (menus unless ``folders_only``); a build of one
    version of a multi-version tree is that version's navigation, with no level of its own.
    ``home``, a generated home page (``home.py``), is reached from the site name, not listed."""
    diagnostics: list[Diagnostic] = []
    versioned: dict[str | None, list[MkPage]] = {}
    for info in site.pages.values():
        if info.file.page is not None:
            versioned.setdefault(info.version, []).append(info.file.page)
    base = [item for item in nav.items if not _belongs_to_version(item, site) and not (isinstance(item, MkPage) and item.file is home)]
    items: list[Any] = list(base)
    names = [v.name for v in reversed(site.project.versions)] or [v for v in versioned if v]
    if site.one_version:
        names = [name for name in names if name in versioned]
    for version in names:
        pages = versioned.get(version, [])
        menu_path = site.menus.get(version)
        children: list[Any] = []
        if menu_path is not None and not folders_only:
            menu = load_menu(menu_path, site.project.root)
            diagnostics.extend(menu.diagnostics)
            children = _menu_items(menu.roots, site, version, menu.file, diagnostics)
        if not children:
            children = _folder_items(pages, site, labels)
        if children and len(names) == 1 and not base:
            items.extend(children)  # a one-version build: the menu is the whole navigation
        elif children:
            items.append(Section(version, children))
    if not any(v for v in versioned) and not folders_only and site.menus.get(None):
        menu = load_menu(site.menus[None], site.project.root)
        diagnostics.extend(menu.diagnostics)
        items = _menu_items(menu.roots, site, None, menu.file, diagnostics) or items
    pages = _link_up(items)
    for previous, current in zip([None, *pages], pages, strict=False):
        current.previous_page = previous
        if previous is not None:
            previous.next_page = current
    if pages:
        pages[-1].next_page = None
    return BuiltNavigation(Navigation(items, pages), diagnostics)


def _belongs_to_version(item: Any, site: SiteFiles) -> bool:
    """Whether MkDocs' own nav item is (entirely) a versioned page or folder."""
    if isinstance(item, MkPage):
        info = site.pages.get(item.file.src_uri)
        return info is not None and info.version is not None
    if isinstance(item, Section):
        return bool(item.children) and all(_belongs_to_version(child, site) for child in item.children)
    return False
