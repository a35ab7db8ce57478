"""The site layer on the real OpenMetadata docs corpus (v1.4.x, v1.5.x, v1.6.x-SNAPSHOT).

The corpus lives outside the repository at ``../shared/corpus/openmetadata-docs`` relative to the
repository root. If it is missing, every test here FAILS with a clear message (never skips).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from om_markdoc.core.api import parse
from om_markdoc.site import (
    PartialGraph,
    PartialResolver,
    PartialStore,
    SiteLayout,
    SlugIndex,
    check_menu_targets,
    detect_layout,
    load_menu,
    scan_pages,
)
from om_markdoc.site.pages import Page

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
STATIC = ("/swagger.html",)
LINK = re.compile(r"\]\(([^)\s]*)\)")


@pytest.fixture(scope="module")
def layout() -> SiteLayout:
    if not (CORPUS / "content").is_dir():
        pytest.fail(f"docs corpus missing: expected {CORPUS} (../shared/corpus/openmetadata-docs from the repo root)")
    return detect_layout(CORPUS)


@pytest.fixture(scope="module")
def pages(layout: SiteLayout) -> dict[str, list[Page]]:
    return {v.name: scan_pages(v, root=layout.display_root) for v in layout.versions}


@pytest.fixture(scope="module")
def indexes(pages: dict[str, list[Page]]) -> dict[str, SlugIndex]:
    built = {name: SlugIndex(found, version=name, static_files=STATIC) for name, found in pages.items()}
    for index in built.values():
        index.link_versions(built)
    return built


@pytest.fixture(scope="module")
def graph(layout: SiteLayout, pages: dict[str, list[Page]]) -> PartialGraph:
    assert layout.partials_root is not None
    store = PartialStore(PartialResolver(layout.partials_root, display_root=layout.display_root), parse)
    built = PartialGraph(store)
    for found in pages.values():
        for page in found:
            source = page.path.read_text(encoding="utf-8")
            if "partial" in source:  # pages without the word cannot include anything
                built.add_page(page.file, parse(source, page.file))
    return built


def test_versions_detected_and_ordered(layout: SiteLayout) -> None:
    assert layout.kind == "openmetadata" and layout.root == CORPUS
    assert layout.version_names == ["v1.4.x", "v1.5.x", "v1.6.x-SNAPSHOT"]
    assert [v.prerelease for v in layout.versions] == [False, False, True]
    assert [v.major_minor for v in layout.versions] == ["1.4", "1.5", "1.6"]
    assert layout.latest is not None and layout.latest.name == "v1.5.x"
    assert layout.partials_root == CORPUS / "content" / "partials"
    assert layout.images_root == CORPUS / "images"
    assert [p.name for p in layout.partial_version_dirs()] == ["v1.4", "v1.5", "v1.6"]
    assert detect_layout(CORPUS / "content").version_names == layout.version_names


def test_page_counts_and_scan_speed(layout: SiteLayout, pages: dict[str, list[Page]]) -> None:
    assert {name: len(found) for name, found in pages.items()} == {
        "v1.4.x": 980, "v1.5.x": 1039, "v1.6.x-SNAPSHOT": 1043}
    for version in layout.versions:
        start = time.perf_counter()
        scan_pages(version, root=layout.display_root)
        elapsed = time.perf_counter() - start
        assert elapsed < 1.0, f"scanning {version.name} took {elapsed:.2f}s"
    v15 = {p.rel_path: p for p in pages["v1.5.x"]}
    latest = v15["releases/releases/latest.md"]
    assert latest.slug == "/releases/latest-release" and latest.title
    assert sum(p.edition_only for p in pages["v1.5.x"]) > 20  # `digitrans: true` pages
    assert all(p.file.startswith("v1.5.x/") for p in pages["v1.5.x"])
    # the few real front-matter gaps are warnings, there is no error
    problems = [d for found in pages.values() for p in found for d in p.diagnostics]
    assert {d.rule for d in problems} <= {"slug-missing"}


def test_duplicate_slugs_of_v15(indexes: dict[str, SlugIndex]) -> None:
    dups = {slug: sorted(p.rel_path for p in found) for slug, found in indexes["v1.5.x"].duplicates.items()}
    assert dups == {
        "/deployment/security/basic-auth": ["deployment/security/basic-auth/index.md", "security-digitrans/basic-auth/index.md"],
        "/main-concepts/metadata-standard/schemas": [
            "main-concepts/metadata-standard/schemas.md", "main-concepts/metadata-standard/schemas/index.md"],
        "/main-concepts/metadata-standard/schemas/entity/classification/classification": [
            "main-concepts/metadata-standard/schemas/entity/classification/classification.md",
            "main-concepts/metadata-standard/schemas/entity/tags/tagCategory.md"],
        "/main-concepts/metadata-standard/schemas/security/credentials/gcpcredentials": [
            "main-concepts/metadata-standard/schemas/security/credentials/gcpCredentials.md",
            "main-concepts/metadata-standard/schemas/security/credentials/gcsCredentials.md"],
    }
    diagnostics = indexes["v1.5.x"].diagnostics
    assert len(diagnostics) == 4 and all(d.rule == "slug-duplicate" and d.line == 3 for d in diagnostics)
    basic = next(d for d in diagnostics if "basic-auth" in d.message)
    assert basic.file == "v1.5.x/security-digitrans/basic-auth/index.md"
    assert "v1.5.x/deployment/security/basic-auth/index.md" in basic.message


def test_links_classified(indexes: dict[str, SlugIndex], pages: dict[str, list[Page]]) -> None:
    index = indexes["v1.5.x"]
    by_rel = {p.rel_path: p for p in pages["v1.5.x"]}
    sandbox = by_rel["quick-start/sandbox.md"]
    swagger = [m for m in LINK.findall(sandbox.path.read_text()) if m == "/swagger.html"]
    assert swagger and index.resolve_link(swagger[0], sandbox).kind == "static"
    assert SlugIndex(pages["v1.5.x"]).resolve_link("/swagger.html", sandbox).kind == "missing"
    # every markdown link in v1.5.x gets a kind; the dialect's known broken targets are missing
    kinds: dict[str, int] = {}
    for page in pages["v1.5.x"]:
        for href in LINK.findall(page.path.read_text(encoding="utf-8")):
            kind = index.resolve_link(href, page).kind
            kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds["page"] > 500 and kinds["external"] > 500 and kinds["anchor-only"] > 100 and kinds["static"] >= 5
    assert index.resolve_link("/connectors/pipeline/airflow/cli#1-define-the-yaml-config").kind == "missing"
    assert index.resolve_link("/deployment/security/basic-auth#x").page.rel_path == "deployment/security/basic-auth/index.md"  # type: ignore[union-attr]
    r = index.resolve_link("/v1.4.x/deployment/security/basic-auth")
    assert r.kind == "page" and r.page.version == "v1.4.x"  # type: ignore[union-attr]
    assert index.nearest_parent("/deployment/security/basic-auth/not-there") == "/deployment/security/basic-auth"


def test_cross_version_partials_and_dependents(graph: PartialGraph, pages: dict[str, list[Page]]) -> None:
    v16 = [p.file for p in pages["v1.6.x-SNAPSHOT"]]
    includes = [i for page in v16 for i in graph.includes(page)]
    to_v15 = [i for i in includes if i.written.startswith("/v1.5/")]
    assert len(to_v15) > 1000 and all(i.target is not None for i in to_v15)
    assert any(i.written.startswith("/v1.4/") and i.target for i in includes)
    dependents = graph.dependents("/v1.5/connectors/test-connection.md")
    assert 140 <= len(dependents) <= 160
    assert any(d.startswith("v1.6.x-SNAPSHOT/") for d in dependents)
    assert graph.cycles() == []
    assert [d for d in graph.diagnostics if d.severity == "error"] == []
    unused = graph.unused()
    assert 30 <= len(unused) <= 40 and all(name.startswith("/v1.") for name in unused)
    # nesting: a page reaches partials included by partials
    nested = next(p for p in v16 if any(graph.includes(n, is_page=False) for n in graph.partials_of(p)))
    assert len(graph.partials_of(nested)) > len(graph.includes(nested)) or graph.partials_of(nested)


def test_menus(layout: SiteLayout, indexes: dict[str, SlugIndex]) -> None:
    for version in layout.versions:
        menu = load_menu(version.path / "menu.md", layout.display_root)
        assert 950 <= len(menu.entries) <= 1050, version.name
        assert not [d for d in menu.diagnostics if d.severity == "error"]
        assert menu.entries[0].category == "Home" and menu.entries[0].line == 3
        assert any(d.rule == "menu-category-format" for d in menu.diagnostics)  # "Deployment/ Kubernetes…"
        assert any(d.rule == "menu-duplicate-category" for d in menu.diagnostics)  # Helm Values twice
        deployment = next(n for n in menu.roots if n.title == "Deployment")
        assert any(c.title == "Kubernetes Deployment" for c in deployment.children)
        targets = check_menu_targets(menu, indexes[version.name])
        assert len(targets) < 20 and all(d.file == f"{version.name}/menu.md" for d in targets)
    broken = load_menu(layout.content_root / "v1.6.x-SNAPSHOT" / "digitrans-menu.md", layout.display_root)
    assert broken.entries == [] and broken.roots == []
    (d,) = broken.diagnostics
    assert d.rule == "menu-yaml" and d.file == "v1.6.x-SNAPSHOT/digitrans-menu.md" and d.line > 1000
    ok = load_menu(layout.content_root / "v1.5.x" / "digitrans-menu.md", layout.display_root)
    assert len(ok.entries) > 900 and any(e.edition_only for e in ok.entries)
