"""The site layer on the real OpenMetadata docs corpus (v1.4.x, v1.5.x, v1.6.x-SNAPSHOT).

The corpus lives outside the repository at ``../shared/corpus/openmetadata-docs`` relative to the
repository root. If it is missing, every test here FAILS with a clear message (never skips).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from om_markdoc.site import Project, SlugIndex, check_menu_targets, load_menu, scan_pages
from om_markdoc.site.pages import Page

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
STATIC = ("/swagger.html",)
LINK = re.compile(r"\]\(([^)\s]*)\)")


@pytest.fixture(scope="module")
def layout() -> Project:
    if not (CORPUS / "content").is_dir():
        pytest.fail(f"docs corpus missing: expected {CORPUS} (../shared/corpus/openmetadata-docs from the repo root)")
    return Project.load(CORPUS)


@pytest.fixture(scope="module")
def pages(layout: Project) -> dict[str, list[Page]]:
    return {source.name: layout.scan(source) for source in layout.sources() if source.name is not None}


@pytest.fixture(scope="module")
def indexes(pages: dict[str, list[Page]]) -> dict[str, SlugIndex]:
    built = {name: SlugIndex(found, version=name, static_files=STATIC) for name, found in pages.items()}
    for index in built.values():
        index.link_versions(built)
    return built


def test_versions_detected_and_ordered(layout: Project) -> None:
    assert layout.kind == "openmetadata" and layout.root == CORPUS.resolve()
    assert [v.name for v in layout.versions] == ["v1.4.x", "v1.5.x", "v1.6.x-SNAPSHOT"]
    assert [v.prerelease for v in layout.versions] == [False, False, True]
    assert [v.major_minor for v in layout.versions] == ["1.4", "1.5", "1.6"]
    assert layout.latest is not None and layout.latest.name == "v1.5.x"
    assert layout.partials_root == (CORPUS / "content" / "partials").resolve()
    assert layout.images_root == (CORPUS / "images").resolve()
    assert layout.diagnostics == []
    assert [v.name for v in Project.load(CORPUS / "content").versions] == [v.name for v in layout.versions]


def test_page_counts(layout: Project, pages: dict[str, list[Page]]) -> None:
    """The project's scan and ``scan_pages`` find the same pages.  (How fast the scan is belongs
    to the benchmarks: ``bench_site.py`` times ``on_files``.)"""
    assert {name: len(found) for name, found in pages.items()} == {
        "v1.4.x": 980, "v1.5.x": 1039, "v1.6.x-SNAPSHOT": 1043}
    for version in layout.versions:
        direct = sorted(p.rel_path for p in scan_pages(version, root=layout.root))
        assert direct == sorted(p.rel_path for p in pages[version.name])
    v15 = {p.rel_path: p for p in pages["v1.5.x"]}
    latest = v15["releases/releases/latest.md"]
    assert latest.slug == "/releases/latest-release" and latest.title
    assert sum(p.edition_only for p in pages["v1.5.x"]) > 20  # `digitrans: true` pages
    assert all(p.file.startswith("content/v1.5.x/") for p in pages["v1.5.x"])
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
    assert basic.file == "content/v1.5.x/security-digitrans/basic-auth/index.md"
    assert "content/v1.5.x/deployment/security/basic-auth/index.md" in basic.message


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


def test_menus(layout: Project, indexes: dict[str, SlugIndex]) -> None:
    for version in layout.versions:
        menu = load_menu(version.path / "menu.md", layout.root)
        assert 950 <= len(menu.entries) <= 1050, version.name
        assert not [d for d in menu.diagnostics if d.severity == "error"]
        assert menu.entries[0].category == "Home" and menu.entries[0].line == 3
        assert any(d.rule == "menu-category-format" for d in menu.diagnostics)  # "Deployment/ Kubernetes…"
        assert any(d.rule == "menu-duplicate-category" for d in menu.diagnostics)  # Helm Values twice
        deployment = next(n for n in menu.roots if n.title == "Deployment")
        assert any(c.title == "Kubernetes Deployment" for c in deployment.children)
        targets = check_menu_targets(menu, indexes[version.name])
        assert len(targets) < 20 and all(d.file == f"content/{version.name}/menu.md" for d in targets)
    broken = load_menu(layout.docs_root / "v1.6.x-SNAPSHOT" / "digitrans-menu.md", layout.root)
    assert broken.entries == [] and broken.roots == []
    (d,) = broken.diagnostics
    assert d.rule == "menu-yaml" and d.file == "content/v1.6.x-SNAPSHOT/digitrans-menu.md" and d.line > 1000
    ok = load_menu(layout.docs_root / "v1.5.x" / "digitrans-menu.md", layout.root)
    assert len(ok.entries) > 900 and any(e.edition_only for e in ok.entries)
