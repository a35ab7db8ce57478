"""Cross-page rules, computed from the per-page records on every run (they take milliseconds):
links and anchors, images, slugs, menus, and the partial include graph (missing partials,
cycles, unused partials, and the include chains that locate problems inside partials)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import Chain, Diagnostic
from ..site.graphs import strongly_connected
from ..site.pages import Page
from ..site.partials import PartialResolver
from ..site.project import Project
from ..site.slugs import SlugIndex
from .collect import Collected
from .recorder import PAGE


@dataclass
class RuleResult:
    findings: list[Diagnostic] = field(default_factory=list)
    external: dict[str, list[tuple[str, int, int, Chain]]] = field(default_factory=dict)
    """URL → places it is linked from (only http/https)."""
    ignores: dict[str, dict[str, Any]] = field(default_factory=dict)
    """file → inline ignore marks."""
    include_chains: dict[str, Chain] = field(default_factory=dict)
    """partial file → the first include chain that reaches it."""


def chain_of(raw: list[list[Any]], page_file: str) -> Chain:
    """A recorded include chain (``[[file, line], ...]``) with the ``PAGE`` placeholder filled in."""
    return tuple((page_file if f == PAGE else f, int(n)) for f, n in raw)


def record_row(row: list[Any], page_file: str | None = None) -> Diagnostic:
    """A finding of a page or partial record (``Diagnostic.to_row`` form) as a ``Diagnostic``,
    the ``PAGE`` placeholder (in the file and the chain) filled in with ``page_file``."""
    rule, severity, file, line, column, message, chain = row
    if page_file is not None and file == PAGE:
        file = page_file
    return Diagnostic(rule, severity, message, file, int(line), int(column), chain_of(chain, page_file or ""))


def check_images(project: Project, page: Page, images: list[list[Any]]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for src, file, line, column, chain in images:
        file = page.file if file == PAGE else file
        problem = project.files.image_problem(src, page.path)
        if problem:
            out.append(Diagnostic("image-missing", "error", problem, file, line, column, chain_of(chain, page.file)))
    return out


def build_indexes(project: Project, collected: Collected) -> dict[str | None, SlugIndex]:
    return project.indexes(item.page for item in collected.pages)


def check_links(
    project: Project,
    collected: Collected,
    indexes: dict[str | None, SlugIndex],
    result: RuleResult,
) -> None:
    ids_of: dict[int, set[str]] = {}
    by_docs_path: dict[str, Page] = {}
    for item in collected.pages:
        rendered = collected.renders.get(item.hash) or {}
        ids_of[id(item.page)] = set(rendered.get("ids", ()))
        if item.page.path.is_relative_to(project.docs_root):
            by_docs_path[item.page.path.relative_to(project.docs_root).as_posix()] = item.page
    for item in collected.pages:
        page = item.page
        record = collected.renders.get(item.hash)
        if record is None:
            continue
        index = indexes[page.version]
        for href, file, line, column, chain in record.get("links", ()):
            file = page.file if file == PAGE else file
            where = (file, int(line), int(column), chain_of(chain, page.file))
            target = index.resolve_link(href, page)
            if target.kind == "external":
                if urlsplit(href.strip()).scheme.lower() in ("http", "https"):
                    result.external.setdefault(href.strip(), []).append(where)
                continue
            if target.kind == "static":
                continue
            target_page: Page | None
            if target.kind == "missing":
                md_path = project.md_link_target(page.path, href)
                other = by_docs_path.get(md_path) if md_path is not None else None
                if other is None:
                    message = target.problem(href)
                    result.findings.append(Diagnostic("link-broken", "error", message, *where))
                    continue
                target_page, fragment = other, urlsplit(href).fragment or None
            else:
                target_page, fragment = target.page, target.fragment
            if not fragment or target_page is None:
                continue
            problem = anchor_problem(href, fragment, page, target_page, ids_of.get(id(target_page), set()))
            if problem is not None:
                result.findings.append(Diagnostic("anchor-broken", "error", problem, *where))


def anchor_problem(href: str, fragment: str, page: Page, target: Page, ids: set[str]) -> str | None:
    """Why ``#fragment`` of a link on ``page`` finds nothing on ``target`` (whose element ids
    are ``ids``), or ``None`` when it does.  ``check`` and the MkDocs plugin both ask this, so
    a broken anchor reads the same from either."""
    if fragment in ids or unquote(fragment) in ids or fragment == "top":
        return None
    where_to = "on this page" if target is page else f"on {target.file} ({target.slug})"
    return f"link to '{href}': no heading or id '#{fragment}' {where_to}"


def resolve_ref(
    resolver: PartialResolver | None, ref: list[Any], source_file: str, chain: Chain
) -> tuple[Diagnostic | None, str | None]:
    """One recorded include (``[kind, written, line, column]``, see ``recorder._refs``) made at
    ``source_file``: ``(problem, None)`` when it cannot be followed, else ``(None, name)``.
    The one reading of an include for ``check`` and the MkDocs plugin alike."""
    kind, written, line, column = ref
    if kind == "dynamic":
        message = f"partial file is computed ({written}); it cannot be checked"
        return Diagnostic("partial-dynamic", "warning", message, source_file, line, column, chain), None
    if resolver is None:
        message = f"partial {written} cannot be resolved: the tree has no partials folder"
        return Diagnostic("partial-missing", "error", message, source_file, line, column, chain), None
    resolved = resolver.resolve(written if kind == "static" else None, file=source_file, line=line, column=column)
    if resolved.diagnostic is not None:
        d = resolved.diagnostic
        return Diagnostic(d.rule, d.severity, d.message, source_file, line, column, chain), None
    return None, resolved.name


def cycle_findings(edges: dict[str, list[tuple[int, str]]], display: Callable[[str], str]) -> list[Diagnostic]:
    """``partial-cycle`` for each loop of the include graph (partial name → ``(line, included
    name)``), at the include that closes it, the other includes of the loop as its chain;
    ``display`` names a partial's file.  Shared by ``check`` and the MkDocs plugin."""
    out = []
    for cycle in _cycles(edges):
        sites = [(display(src), line) for src, line in cycle]
        file, line = sites[-1]
        loop = " → ".join(f"{f}:{n}" for f, n in sites)
        message = f"partial includes itself through {loop}"
        out.append(Diagnostic("partial-cycle", "error", message, file, line, 1, tuple(sites[:-1])))
    return out


def check_partials(collected: Collected, result: RuleResult) -> None:
    """Missing/invalid/dynamic partials at the including tag, cycles, unused partials, and the
    partials' own problems located through their first include chain."""
    resolver = collected.resolver
    # edges: (source file, source name or None for pages, line, target name)
    edges: dict[str, list[tuple[int, str]]] = {}
    first_chain: dict[str, Chain] = {}
    queue: deque[str] = deque()
    included: set[str] = set()

    def follow(source_file: str, refs: list[list[Any]], chain: Chain, source_name: str | None) -> None:
        for ref in refs:
            problem, name = resolve_ref(resolver, ref, source_file, chain)
            if problem is not None:
                result.findings.append(problem)
                continue
            assert name is not None
            line = ref[2]
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
            result.findings.append(record_row([*row[:6], [list(c) for c in chain]]))
        if record.get("ignores"):
            result.ignores[file] = record["ignores"]
    for name in sorted(set(collected.partial_names) - included):
        result.findings.append(
            Diagnostic("partial-unused", "info", f"no page or partial includes {name}", collected.partial_names[name], 1, 1)
        )
    result.findings.extend(cycle_findings(edges, lambda name: collected.partial_names.get(name, name)))


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
        result.findings.extend(record_row(row) for row in menu.findings)
        index = indexes.get(menu.version)
        if index is None:
            continue
        urls = in_menu.setdefault(menu.version, set())
        for url, line in menu.targets:
            target = index.resolve_link(url, edition=True)  # a menu may list edition pages; the navigation drops unbuilt ones
            if target.kind == "missing":
                result.findings.append(
                    Diagnostic(
                        "menu-target-missing", "warning", f"menu url {url} matches no page ({target.reason})", menu.file, line, 1
                    )
                )
            elif target.kind == "page" and target.page is not None:
                urls.add(target.page.slug)
    has_menu = {m.version for m in collected.menus if m.main}
    for item in collected.pages:
        page = item.page
        if page.version not in has_menu or page.slug in in_menu.get(page.version, set()):
            continue
        result.findings.append(
            Diagnostic(
                "page-not-in-menu", "info", f"no menu entry points to this page ({page.slug})", page.file, page.slug_line, 1
            )
        )


def run_rules(project: Project, collected: Collected) -> RuleResult:
    result = RuleResult()
    result.findings.extend(record_row(row) for row in collected.findings)
    indexes = build_indexes(project, collected)
    for index in indexes.values():
        result.findings.extend(index.diagnostics)
    for item in collected.pages:
        result.findings.extend(record_row(row) for row in item.findings)
        record = collected.renders.get(item.hash)
        if record is None:
            continue
        result.findings.extend(record_row(row, item.page.file) for row in record.get("findings", []))
        result.findings.extend(check_images(project, item.page, record.get("images", [])))
        if record.get("ignores"):
            result.ignores[item.page.file] = record["ignores"]
    check_links(project, collected, indexes, result)
    check_partials(collected, result)
    check_menus(collected, indexes, result)
    return result
