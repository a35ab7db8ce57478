"""Cross-page rules, computed from the per-page records on every run (they take milliseconds):
links and anchors, images, slugs, menus, and the partial include graph (missing partials,
cycles, unused partials, and the include chains that locate problems inside partials)."""

from __future__ import annotations

import os
import posixpath
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..site.graphs import strongly_connected
from ..site.pages import Page
from ..site.slugs import SlugIndex
from .collect import PAGE, Collected
from .config import Tree
from .model import Chain, Finding

IMAGE_PREFIX = "/images/"


@dataclass
class RuleResult:
    findings: list[Finding] = field(default_factory=list)
    external: dict[str, list[tuple[str, int, int, Chain]]] = field(default_factory=dict)
    """URL → places it is linked from (only http/https)."""
    ignores: dict[str, dict[str, Any]] = field(default_factory=dict)
    """file → inline ignore marks."""
    include_chains: dict[str, Chain] = field(default_factory=dict)
    """partial file → the first include chain that reaches it."""


def _chain(raw: list[list[Any]], page_file: str) -> Chain:
    return tuple((page_file if f == PAGE else f, int(n)) for f, n in raw)


def _row(row: list[Any], page_file: str | None = None) -> Finding:
    rule, severity, file, line, column, message, chain = row
    if page_file is not None and file == PAGE:
        file = page_file
    return Finding(rule, severity, file, int(line), int(column), message, _chain(chain, page_file or ""))


class FileIndex:
    """Exact (case-sensitive) existence of files below a folder, with case-insensitive hints;
    the folder is listed once, so thousands of image checks cost one walk."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._files: set[str] | None = None
        self._folded: dict[str, str] = {}

    def _load(self) -> set[str]:
        if self._files is None:
            self._files = set()
            if self.root is not None and self.root.is_dir():
                for current, dirs, files in os.walk(self.root):
                    rel_dir = Path(current).relative_to(self.root).as_posix()
                    prefix = "" if rel_dir == "." else rel_dir + "/"
                    for name in files:
                        rel = prefix + name
                        self._files.add(rel)
                        self._folded.setdefault(rel.casefold(), rel)
        return self._files

    def exists(self, rel: str) -> bool:
        return rel in self._load()

    def case_variant(self, rel: str) -> str | None:
        self._load()
        return self._folded.get(rel.casefold())


def _is_external(target: str) -> bool:
    parts = urlsplit(target)
    return bool(parts.scheme or parts.netloc) or target.startswith("//")


def check_images(tree: Tree, page: Page, images: list[list[Any]], index: FileIndex, docs: FileIndex) -> list[Finding]:
    out: list[Finding] = []
    for src, file, line, column, chain in images:
        file = page.file if file == PAGE else file
        problem = _image_problem(tree, page, src, index, docs)
        if problem:
            out.append(Finding("image-missing", "error", file, line, column, problem, _chain(chain, page.file)))
    return out


def _image_problem(tree: Tree, page: Page, src: str, images: FileIndex, docs: FileIndex) -> str | None:
    raw = src.strip()
    if not raw:
        return "image with an empty path"
    if raw.startswith("//") and not raw.startswith(IMAGE_PREFIX):
        # "//images/x.png" is a path a typo made, not a protocol-relative URL to a host called images
        if not raw.lstrip("/").startswith("images/"):
            return None
    elif _is_external(raw) or raw.startswith("data:"):
        return None
    path = unquote(urlsplit(raw).path)
    doubled = "//" in path
    collapsed = posixpath.normpath("/" + path.lstrip("/")) if path.startswith("/") else posixpath.normpath(path)
    if collapsed.startswith(IMAGE_PREFIX) and tree.images_root is not None:
        index, rel = images, collapsed[len(IMAGE_PREFIX) :]
        shown_root = "/images/"
    elif collapsed.startswith("/"):
        index, rel = docs, collapsed.lstrip("/")
        shown_root = "/"
    else:
        base = posixpath.dirname(Path(page.path).relative_to(tree.docs_root).as_posix()) if _inside(page.path, tree.docs_root) else ""
        joined = posixpath.normpath(posixpath.join(base, collapsed))
        if joined.startswith(".."):
            return f"image '{src}' points outside the docs folder"
        index, rel = docs, joined
        shown_root = None
    if index.exists(rel):
        return f"image path '{src}' contains '//'; the file exists as '{shown_root or ''}{rel}' but the site does not serve this path" if doubled else None
    variant = index.case_variant(rel)
    if variant is not None:
        shown = f"{shown_root}{variant}" if shown_root else variant
        return f"image '{src}' not found: the file is '{shown}' (letter case differs; the site is case-sensitive)"
    return f"image '{src}' not found"


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(path).relative_to(root)
        return True
    except ValueError:
        return False


def build_indexes(tree: Tree, collected: Collected) -> dict[str | None, SlugIndex]:
    by_version: dict[str | None, list[Page]] = {}
    for item in collected.pages:
        by_version.setdefault(item.page.version, []).append(item.page)
    indexes = {v: SlugIndex(pages, version=v, static_files=tree.static_links) for v, pages in by_version.items()}
    named = {v: i for v, i in indexes.items() if v is not None}
    for index in indexes.values():
        index.link_versions(named)
    return indexes


def check_links(
    tree: Tree,
    collected: Collected,
    indexes: dict[str | None, SlugIndex],
    result: RuleResult,
) -> None:
    ids_of: dict[int, set[str]] = {}
    by_docs_path: dict[str, Page] = {}
    for item in collected.pages:
        record = collected.renders.get(item.hash) or {}
        ids_of[id(item.page)] = set(record.get("ids", ()))
        if _inside(item.page.path, tree.docs_root):
            by_docs_path[Path(item.page.path).relative_to(tree.docs_root).as_posix()] = item.page
    for item in collected.pages:
        page = item.page
        record = collected.renders.get(item.hash)
        if record is None:
            continue
        index = indexes[page.version]
        for href, file, line, column, chain in record.get("links", ()):
            file = page.file if file == PAGE else file
            where = (file, int(line), int(column), _chain(chain, page.file))
            target = index.resolve_link(href, page)
            if target.kind == "external":
                if urlsplit(href.strip()).scheme.lower() in ("http", "https"):
                    result.external.setdefault(href.strip(), []).append(where)
                continue
            if target.kind == "static":
                continue
            if target.kind == "missing":
                other = _relative_file(page, href, by_docs_path, tree)
                if other is None:
                    message = f"link to '{href}': {target.reason or 'no such page'}"
                    result.findings.append(Finding("link-broken", "error", *where[:3], message, where[3]))
                    continue
                target_page, fragment = other, urlsplit(href).fragment or None
            else:
                target_page, fragment = target.page, target.fragment
            if not fragment or target_page is None:
                continue
            ids = ids_of.get(id(target_page), set())
            if fragment in ids or unquote(fragment) in ids or fragment == "top":
                continue
            where_to = "on this page" if target_page is page else f"on {target_page.file} ({target_page.slug})"
            message = f"link to '{href}': no heading or id '#{fragment}' {where_to}"
            result.findings.append(Finding("anchor-broken", "error", *where[:3], message, where[3]))


def _relative_file(page: Page, href: str, by_docs_path: dict[str, Page], tree: Tree) -> Page | None:
    """A relative ``.md`` link to a page of another version folder (as MkDocs resolves it)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.endswith(".md") or parts.path.startswith("/"):
        return None
    if not _inside(page.path, tree.docs_root):
        return None
    base = posixpath.dirname(Path(page.path).relative_to(tree.docs_root).as_posix())
    return by_docs_path.get(posixpath.normpath(posixpath.join(base, unquote(parts.path))))


def check_partials(tree: Tree, collected: Collected, result: RuleResult) -> None:
    """Missing/invalid/dynamic partials at the including tag, cycles, unused partials, and the
    partials' own problems located through their first include chain."""
    resolver = collected.resolver
    # edges: (source file, source name or None for pages, line, target name)
    edges: dict[str, list[tuple[int, str]]] = {}
    first_chain: dict[str, Chain] = {}
    queue: deque[str] = deque()
    included: set[str] = set()

    def follow(source_file: str, refs: list[list[Any]], chain: Chain, source_name: str | None) -> None:
        for kind, written, line, column in refs:
            if kind == "dynamic":
                message = f"partial file is computed ({written}); it cannot be checked"
                result.findings.append(Finding("partial-dynamic", "warning", source_file, line, column, message, chain))
                continue
            if resolver is None:
                result.findings.append(
                    Finding("partial-missing", "error", source_file, line, column, f"partial {written} cannot be resolved: the tree has no partials folder", chain)
                )
                continue
            resolved = resolver.resolve(written if kind == "static" else None, file=source_file, line=line, column=column)
            if resolved.diagnostic is not None:
                d = resolved.diagnostic
                result.findings.append(Finding(d.rule, d.severity, source_file, line, column, d.message, chain))
                continue
            name = resolved.name
            assert name is not None
            included.add(name)
            if source_name is not None:
                edges.setdefault(source_name, []).append((line, name))
            if name not in first_chain:
                first_chain[name] = (*chain, (source_file, line))
                queue.append(name)

    for item in sorted(collected.pages, key=lambda i: i.page.file):
        record = collected.renders.get(item.hash)
        if record is not None:
            follow(item.page.file, record.get("refs", []), (), None)
    visited: set[str] = set()
    while queue:
        name = queue.popleft()
        if name in visited:
            continue
        visited.add(name)
        record = collected.partials.get(name)
        if record is not None:
            follow(collected.partial_names.get(name, name), record.get("refs", []), first_chain[name], name)
    # partials nobody reaches: still read (for their own problems and includes), no chain
    for name in sorted(collected.partials):
        if name not in visited:
            follow(collected.partial_names.get(name, name), collected.partials[name].get("refs", []), (), name)
            visited.add(name)
    for name, record in collected.partials.items():
        chain = first_chain.get(name, ())
        file = collected.partial_names.get(name, name)
        result.include_chains[file] = chain
        for row in record.get("findings", []):
            result.findings.append(_row([*row[:6], [list(c) for c in chain]]))
        if record.get("ignores"):
            result.ignores[file] = record["ignores"]
    for name in sorted(set(collected.partial_names) - included):
        result.findings.append(
            Finding("partial-unused", "info", collected.partial_names[name], 1, 1, f"no page or partial includes {name}")
        )
    for cycle in _cycles(edges):
        sites = [(collected.partial_names.get(src, src), line) for src, line in cycle]
        file, line = sites[-1]
        loop = " → ".join(f"{f}:{n}" for f, n in sites)
        result.findings.append(
            Finding("partial-cycle", "error", file, line, 1, f"partial includes itself through {loop}", tuple(sites[:-1]))
        )


def _cycles(edges: dict[str, list[tuple[int, str]]]) -> list[list[tuple[str, int]]]:
    """One shortest cycle per strongly connected group of partials, as include sites
    ``(source, line)``, starting from the group's smallest name."""
    components = strongly_connected({k: [t for _, t in v] for k, v in edges.items()})
    cycles = []
    for component in components:
        members = set(component)
        start = min(members)
        if len(members) == 1 and not any(t == start for _, t in edges.get(start, [])):
            continue
        previous: dict[str, tuple[str, int]] = {}
        frontier, seen, found = [start], {start}, None
        while frontier and found is None:
            following = []
            for node in frontier:
                for line, target in sorted(edges.get(node, [])):
                    if target not in members:
                        continue
                    if target == start:
                        found = (node, line)
                        break
                    if target not in seen:
                        seen.add(target)
                        previous[target] = (node, line)
                        following.append(target)
                if found:
                    break
            frontier = following
        if found is None:
            continue
        path = [found]
        while path[0][0] != start:
            path.insert(0, previous[path[0][0]])
        cycles.append(path)
    return sorted(cycles)


def check_menus(collected: Collected, indexes: dict[str | None, SlugIndex], result: RuleResult) -> None:
    in_menu: dict[str | None, set[str]] = {}
    for menu in collected.menus:
        result.findings.extend(_row(row) for row in menu.findings)
        index = indexes.get(menu.version)
        if index is None:
            continue
        urls = in_menu.setdefault(menu.version, set())
        for url, line in menu.targets:
            target = index.resolve_link(url)
            if target.kind == "missing":
                result.findings.append(
                    Finding("menu-target-missing", "warning", menu.file, line, 1, f"menu url {url} matches no page ({target.reason})")
                )
            elif target.kind == "page" and target.page is not None:
                urls.add(target.page.slug)
    has_menu = {m.version for m in collected.menus if m.main}
    for item in collected.pages:
        page = item.page
        if page.version not in has_menu or page.slug in in_menu.get(page.version, set()):
            continue
        result.findings.append(
            Finding("page-not-in-menu", "info", page.file, page.slug_line, 1, f"no menu entry points to this page ({page.slug})")
        )


def run_rules(tree: Tree, collected: Collected) -> RuleResult:
    result = RuleResult()
    result.findings.extend(_row(row) for row in collected.findings)
    indexes = build_indexes(tree, collected)
    for index in indexes.values():
        result.findings.extend(Finding.from_diagnostic(d) for d in index.diagnostics)
    images = FileIndex(tree.images_root)
    docs = FileIndex(tree.docs_root)
    for item in collected.pages:
        result.findings.extend(_row(row) for row in item.findings)
        record = collected.renders.get(item.hash)
        if record is None:
            continue
        result.findings.extend(_row(row, item.page.file) for row in record.get("findings", []))
        result.findings.extend(check_images(tree, item.page, record.get("images", []), images, docs))
        if record.get("ignores"):
            result.ignores[item.page.file] = record["ignores"]
    check_links(tree, collected, indexes, result)
    check_partials(tree, collected, result)
    check_menus(collected, indexes, result)
    return result
