"""One open file's findings, exactly as ``om-markdoc check`` reports them for that file.

Why not a separate linter: an editor that disagrees with CI is worse than none.  The open
buffer is rendered by the checker's recorder, and the checker's own cross-page rules
(``check_links``, ``check_images``, ``check_partials``, ``check_menus``) run over a small
collection holding this page's record, every other page of the index, and records (ids only)
of just the pages this one links into with an anchor.  ``apply_policy`` then applies the same
severities, path ignores, inline ignores and de-duplication as ``check``.

Findings that sit in a partial the page includes come back separately (``elsewhere``) with the
include chain, so the server can show them on the partial with the chain as related places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from lsprotocol import types

from ..check.collect import Collected, MenuItem, PageItem
from ..check.ignores import ignore_marks
from ..check.model import CheckOptions
from ..check.rules import RuleResult, check_images, check_links, check_menus, check_partials, record_row
from ..check.runner import apply_policy
from ..diagnostics import Diagnostic
from ..dialect.context import PageContext
from ..examples.bind import ExamplesConfigError, bind
from ..examples.runner import ExampleSession
from ..site.pages import Page
from .text import finding_range, lines_of, path_to_uri
from .workspace import Workspace

OPEN = "\x00open"
"""The record key of the open buffer in the small collection the rules run over."""

SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}  # fmt: skip


@dataclass
class Findings:
    """``own``: findings in the file itself; ``elsewhere``: in partials it includes."""

    own: list[Diagnostic] = field(default_factory=list)
    elsewhere: list[Diagnostic] = field(default_factory=list)


def file_findings(ws: Workspace, path: Path, text: str) -> Findings:
    """What ``check`` reports for ``path`` when it holds ``text`` (a page or a partial)."""
    page = ws.page_at(path)
    if page is not None:
        return page_findings(ws, page, text)
    if ws.project.is_partial(path):
        return partial_findings(ws, path, text)
    return Findings()


def _front_matter_rows(page: Page) -> list[list[Any]]:
    """The page reader's findings as ``collect`` keeps them (unversioned pages use path URLs by design)."""
    return [d.refiled(page.file).to_row() for d in page.diagnostics if page.version is not None or d.rule != "slug-missing"]


def _relative_page(ws: Workspace, page: Page, href: str) -> Page | None:
    """The page a relative ``.md`` link into another version folder names (the project decides)."""
    md_path = ws.project.md_link_target(page.path, href)
    return ws.by_path.get((ws.project.docs_root / md_path).resolve()) if md_path is not None else None


def _link_targets(ws: Workspace, page: Page, links: list[list[Any]]) -> dict[str, dict[str, Any]]:
    """Records (ids only) of the pages this page's anchored links point into, rendered lazily."""
    index = ws.indexes.get(page.version)
    records: dict[str, dict[str, Any]] = {}
    if index is None:
        return records
    for href, *_rest in links:
        try:
            target = index.resolve_link(href, page)
        except Exception:  # noqa: BLE001 - a strange link must not stop the others
            continue
        other = target.page if target.kind == "page" else _relative_page(ws, page, href) if target.kind == "missing" else None
        fragment = target.fragment if target.kind == "page" else urlsplit(href).fragment
        if other is None or other is page or not fragment or other.file in records:
            continue
        records[other.file] = {"ids": sorted(ws.record_of(other).ids)}
    return records


def page_findings(ws: Workspace, page: Page, text: str) -> Findings:
    """A page's findings (see the module docstring)."""
    project = ws.project
    data = ws.record(text).data
    item = PageItem(page, OPEN, _front_matter_rows(page))
    findings = [record_row(row) for row in item.findings]
    findings += [record_row(row, page.file) for row in data.get("findings", [])]
    findings += check_images(project, page, data.get("images", []))
    index = ws.indexes.get(page.version)
    if index is not None:
        findings += [d for d in index.diagnostics if d.file == page.file]

    result = RuleResult()
    renders: dict[str, dict[str, Any]] = {OPEN: data, **_link_targets(ws, page, data.get("links", []))}
    everyone = [item if p is page else PageItem(p, p.file, []) for p in ws.pages]
    check_links(project, Collected(pages=everyone, renders=renders), ws.indexes, result)
    check_partials(Collected(pages=[item], renders={OPEN: data}, resolver=ws.state.resolver), result)
    menus = [
        MenuItem(page.version, project.rel(path), [[u, n] for u, n in menu.menu_targets()], [], path.name == "menu.md")
        for path, menu in ws.menus(page.version)
    ]
    check_menus(Collected(pages=[item], menus=menus), ws.indexes, result)
    findings += result.findings
    findings += example_findings(ws, page, text)
    ignores = {page.file: data["ignores"]} if data.get("ignores") else {}
    return _split(ws, findings, page.file, ignores)


def example_findings(ws: Workspace, page: Page, text: str) -> list[Diagnostic]:
    """``example-*`` findings of the buffer's fenced config examples, as ``check`` runs them."""
    try:
        if ws.examples is None:
            ws.examples = ExampleSession(ws.project)
        session = ws.examples
        seen: set[tuple[Any, ...]] = set()
        out: list[Diagnostic] = []
        for example in session.collector.collect_source(text, page.file, path=page.path):
            binding = bind(example, session.config, default_syntax=None)
            if session.new(example, binding, seen):
                out.extend(session.run(example, binding).diagnostics())
        return out
    except ExamplesConfigError:
        return []


def partial_findings(ws: Workspace, path: Path, text: str) -> Findings:
    """A partial's own findings (syntax, recoveries, validation) from the buffer."""
    file = ws.project.rel(path)
    renderer = ws.state.renderer
    lines = lines_of(text)
    ast, notes = renderer.parse(text, file, lines)
    config = renderer.config(PageContext(file=file), ws.state.store or {}, None)
    findings = [*notes, *renderer.check(ast, lines, file, config)]
    marks = ignore_marks(text)
    return _split(ws, findings, file, {file: marks} if marks else {})


def _split(ws: Workspace, findings: list[Diagnostic], file: str, ignores: dict[str, Any]) -> Findings:
    if ws.config is not None:
        findings = apply_policy(findings, ws.config, CheckOptions(), ignores, None)
    out = Findings()
    for finding in findings:
        (out.own if finding.file == file else out.elsewhere).append(finding)
    return out


def to_lsp(ws: Workspace, finding: Diagnostic, lines: list[str]) -> types.Diagnostic:
    """An LSP diagnostic: the rule as its code, the include chain as related places."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=path_to_uri(ws.project.root / file),
                range=types.Range(
                    start=types.Position(line=max(0, n - 1), character=0), end=types.Position(line=max(0, n - 1), character=0)
                ),
            ),
            message=f"included from {file}:{n}" if index == len(finding.chain) - 1 else f"via {file}:{n}",
        )
        for index, (file, n) in enumerate(finding.chain)
    ]
    return types.Diagnostic(
        range=finding_range(ws.codec, lines, finding.line, finding.column),
        message=finding.message,
        severity=SEVERITY.get(finding.severity, types.DiagnosticSeverity.Information),
        code=finding.rule,
        source="om-markdoc",
        related_information=related or None,
    )
