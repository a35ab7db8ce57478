"""``menu.md``: the navigation of one version, as a tree.

The file is YAML front matter only: ``site_menu:`` is a *flat* list of
``{category: "A / B / C", url: /slug}`` entries (optionally ``isCollateOnly: true``, renamed
``isDigitransOnly`` in the rebranded proxy). The docs-v1 site rebuilds the tree by splitting
``category`` on ``/`` and trimming the parts, matching parents by a slugified lower-case name, so
order is file order and a child is expected after its parent. Real menus contain typos
(``Deployment/ Kubernetes``) and children whose parent entry is missing or named differently;
those still produce a usable tree here (an intermediate node is created) and a diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostic, display_path, error, info, warning
from .frontmatter import find_front_matter
from .textfile import LINE_BREAK, read_text_file
from .yamlsafe import load_yaml

DEFAULT_MENU_FLAGS: tuple[str, ...] = ("isCollateOnly", "isDigitransOnly")
MENU_MAX_NODES = 2_000_000
MENU_MAX_BYTES = 16 * 1024 * 1024

_NON_WORD = re.compile(r"[^a-z0-9]+")
_TIGHT_SLASH = re.compile(r"\S/|/\S")


def menu_key(name: str) -> str:
    """The matching key of a category part (lower-cased, slugified), as the site compares them."""
    return _NON_WORD.sub("-", name.lower()).strip("-") or name.lower()


@dataclass(frozen=True)
class MenuEntry:
    """One ``site_menu`` item as written; ``line`` is the file line of its ``- category:``."""

    category: str
    parts: tuple[str, ...]
    url: str | None
    line: int
    edition_only: bool = False
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass(eq=False)
class MenuNode:
    """A node of the navigation tree. ``line`` is ``None`` (and ``entry`` too) for an intermediate
    node made up because a child's parent has no entry of its own."""

    title: str
    url: str | None
    children: list[MenuNode] = field(default_factory=list)
    line: int | None = None
    edition_only: bool = False
    entry: MenuEntry | None = None

    def walk(self) -> Iterator[MenuNode]:
        """This node and its descendants, depth first in menu order."""
        stack: list[MenuNode] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def __repr__(self) -> str:
        return f"MenuNode({self.title!r}, {self.url!r}, children={len(self.children)})"


@dataclass
class Menu:
    """A parsed menu: the tree (``roots``), the entries in file order, and what was wrong."""

    file: str
    roots: list[MenuNode] = field(default_factory=list)
    entries: list[MenuEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def walk(self) -> Iterator[MenuNode]:
        for root in self.roots:
            yield from root.walk()

    def menu_targets(self, *, include_edition_only: bool = True) -> list[tuple[str, int]]:
        """``(url, line)`` of every entry with a url, for ``menu-target-missing`` checks."""
        return [
            (e.url, e.line)
            for e in self.entries
            if e.url is not None and (include_edition_only or not e.edition_only)
        ]

    def without_edition_only(self) -> Menu:
        """The menu of the open-source edition: edition-only nodes and their subtrees removed."""

        def prune(nodes: list[MenuNode]) -> list[MenuNode]:
            kept = [replace(n, children=prune(n.children)) for n in nodes if not n.edition_only]
            # A made-up section left with no children existed only for edition-only pages.
            return [n for n in kept if n.entry is not None or n.children]

        return Menu(self.file, prune(self.roots), [e for e in self.entries if not e.edition_only], list(self.diagnostics))

    def find(self, url: str) -> MenuNode | None:
        """The first node whose url is ``url``."""
        return next((n for n in self.walk() if n.url == url), None)

    def trail(self, url: str) -> list[MenuNode]:
        """The nodes from a root down to the first node with ``url`` (breadcrumbs); ``[]`` if absent."""

        def search(nodes: list[MenuNode], path: list[MenuNode]) -> list[MenuNode] | None:
            for node in nodes:
                here = [*path, node]
                if node.url == url:
                    return here
                found = search(node.children, here)
                if found:
                    return found
            return None

        return search(self.roots, []) or []


def menu_targets(menu: Menu, *, include_edition_only: bool = True) -> list[tuple[str, int]]:
    """``menu.menu_targets()`` as a function."""
    return menu.menu_targets(include_edition_only=include_edition_only)


def _flag_set(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def parse_menu(
    source: str,
    file: str = "menu.md",
    *,
    edition_flags: Collection[str] = DEFAULT_MENU_FLAGS,
    key: str = "site_menu",
) -> Menu:
    """Parse a menu file's text into a ``Menu``; problems become diagnostics, never exceptions.

    Invalid YAML gives a ``menu-yaml`` diagnostic at the YAML error and an empty menu.
    """
    menu = Menu(file)
    if source.startswith("\ufeff"):
        source = source[1:]
    lines = LINE_BREAK.split(source)
    close = find_front_matter(lines)
    if close is None:
        menu.diagnostics.append(error("menu-invalid", f"menu file has no '---' front matter with {key}:", file))
        return menu
    result = load_yaml(
        "\n".join(lines[1:close]), file, first_line=2, rule="menu-yaml", max_nodes=MENU_MAX_NODES, max_bytes=MENU_MAX_BYTES
    )
    menu.diagnostics.extend(result.diagnostics)
    if not result.ok:
        return menu
    value, node = result.value, result.node
    items_node = _value_node(node, key)
    items = value.get(key) if isinstance(value, dict) else None
    if not isinstance(items, list) or not isinstance(items_node, yaml.SequenceNode):
        line = 2 + items_node.start_mark.line if items_node is not None else 1
        menu.diagnostics.append(error("menu-invalid", f"front matter needs a '{key}:' list of menu entries", file, line))
        return menu
    for item, item_node in zip(items, items_node.value, strict=False):
        entry = _entry(item, item_node, file, edition_flags, menu.diagnostics)
        if entry is not None:
            menu.entries.append(entry)
    menu.roots = _build_tree(menu.entries, file, menu.diagnostics)
    return menu


def load_menu(
    path: Path | str,
    root: Path | str | None = None,
    *,
    edition_flags: Collection[str] = DEFAULT_MENU_FLAGS,
) -> Menu:
    """Read and parse a menu file (``root``: what the diagnostics' file name is relative to)."""
    text, diagnostics = read_text_file(path, root)
    menu = parse_menu(text, display_path(path, root), edition_flags=edition_flags)
    menu.diagnostics[:0] = diagnostics
    return menu


def _value_node(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    return None


def _entry(
    item: Any, node: Any, file: str, edition_flags: Collection[str], diagnostics: list[Diagnostic]
) -> MenuEntry | None:
    line = 2 + node.start_mark.line
    column = node.start_mark.column + 1
    if not isinstance(item, dict):
        message = f"menu entry must be a mapping with category and url, not {item!r}"
        diagnostics.append(error("menu-entry-invalid", message, file, line, column))
        return None
    category = item.get("category")
    if not isinstance(category, str) or not category.strip():
        diagnostics.append(error("menu-entry-invalid", "menu entry has no category", file, line, column))
        return None
    url = item.get("url")
    if url is not None and not isinstance(url, str):
        diagnostics.append(error("menu-entry-invalid", f"menu url must be a string, not {url!r}", file, line, column))
        url = None
    raw_parts = [p.strip() for p in category.split("/")]
    parts = tuple(p for p in raw_parts if p)
    if len(parts) != len(raw_parts):
        message = f"category {category.strip()!r} has an empty part between '/'"
        diagnostics.append(warning("menu-category-format", message, file, line, column))
    elif _TIGHT_SLASH.search(category):
        message = f"category {category.strip()!r}: write ' / ' between parts"
        diagnostics.append(info("menu-category-format", message, file, line, column))
    if not parts:
        return None
    flagged = any(_flag_set(item.get(flag)) for flag in edition_flags)
    extra = tuple((k, v) for k, v in item.items() if k not in ("category", "url"))
    return MenuEntry(category, parts, url.strip() if url else url, line, flagged, extra)


def _build_tree(entries: list[MenuEntry], file: str, diagnostics: list[Diagnostic]) -> list[MenuNode]:
    roots: list[MenuNode] = []
    by_key: dict[tuple[str, ...], MenuNode] = {}
    made_up: dict[tuple[str, ...], tuple[MenuNode, MenuEntry, int]] = {}  # key → (node, first child, depth)
    for entry in entries:
        keys = tuple(menu_key(p) for p in entry.parts)
        siblings = roots
        for depth in range(len(keys) - 1):
            parent = by_key.get(keys[: depth + 1])
            if parent is None:
                parent = MenuNode(entry.parts[depth], None)
                by_key[keys[: depth + 1]] = parent
                made_up[keys[: depth + 1]] = (parent, entry, depth)
                siblings.append(parent)
            siblings = parent.children
        node = by_key.get(keys)
        if node is None:
            node = MenuNode(entry.parts[-1], entry.url, line=entry.line, edition_only=entry.edition_only, entry=entry)
            by_key[keys] = node
            siblings.append(node)
        elif node.entry is None:
            node.title, node.url, node.line, node.entry = entry.parts[-1], entry.url, entry.line, entry
            node.edition_only = entry.edition_only
            diagnostics.append(
                info(
                    "menu-parent-after-child", f"menu entry {entry.category.strip()!r} comes after its children", file, entry.line
                ),
            )
        else:
            diagnostics.append(
                warning(
                    "menu-duplicate-category",
                    f"category {entry.category.strip()!r} already has an entry at line {node.line}; this one is ignored",
                    file,
                    entry.line,
                )
            )
    for node, child, depth in made_up.values():
        if node.entry is None:
            diagnostics.append(
                info(
                    "menu-parent-missing",
                    f"no menu entry for {' / '.join(child.parts[: depth + 1])!r} (parent of {child.category.strip()!r}); "
                    "shown as a section without a page",
                    file,
                    child.line,
                )
            )
    diagnostics.sort(key=lambda d: (d.line, d.column))
    return roots


def check_menu_targets(menu: Menu, index: Any, *, include_edition_only: bool = True) -> list[Diagnostic]:
    """``menu-target-missing`` for each menu url that ``index`` (a ``SlugIndex``) cannot resolve."""
    found: list[Diagnostic] = []
    for url, line in menu.menu_targets(include_edition_only=include_edition_only):
        target = index.resolve_link(url)
        if target.kind == "missing":
            found.append(warning("menu-target-missing", f"menu url {url} matches no page ({target.reason})", menu.file, line))
    return found
