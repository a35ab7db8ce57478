"""SlugIndex: duplicates, lookup and the classification of every kind of link."""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.site.pages import Page, normalize_slug, slug_from_path
from om_markdoc.site.slugs import SlugIndex, split_href


def page(rel: str, slug: str | None = None, version: str = "v1.5.x") -> Page:
    return Page(
        version,
        Path(rel),
        rel,
        normalize_slug(slug) if slug else slug_from_path(rel),
        rel,
        {},
        file=f"{version}/{rel}",
        slug_line=3,
        slug_from_path=slug is None,
    )


@pytest.fixture()
def index() -> SlugIndex:
    pages = [
        page("index.md", "/"),
        page("deployment/index.md", "/deployment"),
        page("deployment/security/basic-auth/index.md", "/deployment/security/basic-auth"),
        page("security-digitrans/basic-auth/index.md", "/deployment/security/basic-auth"),
        page("connectors/database/mysql/index.md", "/connectors/database/mysql"),
        page("connectors/database/mysql/yaml.md", "/connectors/database/mysql/yaml"),
        page("releases/releases/latest.md", "/releases/latest-release"),
        page("orphan/no-slug.md"),
    ]
    return SlugIndex(pages, static_files=["/swagger.html", "/downloads/*"])


def test_duplicates_name_both_files(index: SlugIndex) -> None:
    (d,) = index.diagnostics
    assert d.rule == "slug-duplicate" and d.severity == "error"
    assert d.file == "v1.5.x/security-digitrans/basic-auth/index.md" and d.line == 3
    assert "v1.5.x/deployment/security/basic-auth/index.md" in d.message
    assert index.by_slug["/deployment/security/basic-auth"].rel_path == "deployment/security/basic-auth/index.md"
    assert [p.rel_path for p in index.duplicates["/deployment/security/basic-auth"]] == [
        "deployment/security/basic-auth/index.md",
        "security-digitrans/basic-auth/index.md",
    ]
    assert index.version == "v1.5.x"


def test_lookup_variants(index: SlugIndex) -> None:
    for target in ("/deployment", "/deployment/", "deployment", "/deployment/index", "/deployment/index.md",
                   "/deployment?x=1", "/deployment#top", "//deployment", "/deployment/index.md"):
        assert index.lookup(target) is index.by_slug["/deployment"], target
    assert index.lookup("/") is index.by_slug["/"] and index.lookup("/index") is index.by_slug["/"]
    assert index.lookup("/releases/latest-release") is not None
    assert index.lookup("/releases/releases/latest") is None  # the slug wins over the file path
    assert index.lookup("/releases/releases/latest.md") is not None  # …but a linked .md file is found
    assert "/deployment" in index and "/nope" not in index
    assert split_href("/a?b=1#c") == ("/a", "b=1", "c") and split_href("/a") == ("/a", None, None)


def test_resolve_link_kinds(index: SlugIndex) -> None:
    here = index.by_slug["/connectors/database/mysql"]
    r = index.resolve_link("/deployment/security/basic-auth#step-1", here)
    assert (r.kind, r.page.rel_path, r.fragment) == ("page", "deployment/security/basic-auth/index.md", "step-1")  # type: ignore[union-attr]
    r = index.resolve_link("#requirements", here)
    assert (r.kind, r.page, r.fragment) == ("anchor-only", here, "requirements")
    assert index.resolve_link("#", here).fragment == ""
    for href in ("https://x.io/a", "http://x", "HTTPS://X", "mailto:a@b.c", "ftp://f", "www.example.com", "//cdn.x/y", "tel:+1"):
        assert index.resolve_link(href, here).kind == "external", href
    r = index.resolve_link("/swagger.html", here)
    assert (r.kind, r.target) == ("static", "/swagger.html")
    assert index.resolve_link("/downloads/file.zip", here).kind == "static"
    assert index.resolve_link("/deployment/?tab=1#x", here).kind == "page"
    r = index.resolve_link("/connectors/pipeline/airflow/cli#1-define", here)
    assert (r.kind, r.target, r.fragment) == ("missing", "/connectors/pipeline/airflow/cli", "1-define")
    assert "slug /connectors/pipeline/airflow/cli" in (r.reason or "")
    r = index.resolve_link("  ", here)
    assert (r.kind, r.reason) == ("missing", "empty link")
    assert index.resolve_link("?x=1", here).kind == "page"


def test_static_files_need_the_allow_list() -> None:
    plain = SlugIndex([page("a.md", "/a")])
    assert plain.resolve_link("/swagger.html").kind == "missing"


def test_relative_links(index: SlugIndex) -> None:
    yaml_page = index.by_slug["/connectors/database/mysql/yaml"]
    r = index.resolve_link("index.md#setup", yaml_page)
    assert (r.kind, r.page.slug, r.fragment) == ("page", "/connectors/database/mysql", "setup")  # type: ignore[union-attr]
    r = index.resolve_link("../../../deployment/index.md", yaml_page)
    assert r.kind == "page" and r.page.slug == "/deployment"  # type: ignore[union-attr]
    r = index.resolve_link("../../../../../etc/passwd.md", yaml_page)
    assert r.kind == "missing" and "outside" in (r.reason or "")
    assert index.resolve_link("nope.md", yaml_page).kind == "missing"
    # Not a .md file: resolved against the page URL (no trailing slash) as a browser would.
    r = index.resolve_link("yaml", yaml_page)
    assert r.kind == "page" and r.page is yaml_page
    assert index.resolve_link("mysql", index.by_slug["/connectors/database/mysql"]).page.slug == "/connectors/database/mysql"  # type: ignore[union-attr]
    assert index.resolve_link("qlik.com", yaml_page).kind == "missing"


def test_versioned_links() -> None:
    v15 = SlugIndex([page("a.md", "/a", "v1.5.x")])
    v14 = SlugIndex([page("b.md", "/b", "v1.4.x")])
    assert v15.resolve_link("/v1.5.x/a").kind == "page"
    r = v15.resolve_link("/v1.4.x/b#x")
    assert (r.kind, r.version) == ("missing", "v1.4.x") and "no version" in (r.reason or "")
    v15.link_versions({"v1.5.x": v15, "v1.4.x": v14})
    r = v15.resolve_link("/v1.4.x/b#x")
    assert (r.kind, r.version, r.page.version, r.fragment) == ("page", "v1.4.x", "v1.4.x", "x")  # type: ignore[union-attr]
    assert v15.resolve_link("/v1.4.x/a").kind == "missing"


def test_path_fallback_can_be_turned_off(index: SlugIndex) -> None:
    assert index.lookup("/orphan/no-slug") is not None
    strict = SlugIndex(index.pages, path_fallback=False)
    assert strict.lookup("/orphan/no-slug") is None


def test_nearest_parent(index: SlugIndex) -> None:
    assert index.nearest_parent("/deployment/security/basic-auth/x/y") == "/deployment/security/basic-auth"
    assert index.nearest_parent("/deployment/security/basic-auth") == "/deployment"
    assert index.nearest_parent("/deployment/security/basic-auth", include_self=True) == "/deployment/security/basic-auth"
    assert index.nearest_parent("/unknown/page") == "/"
    assert SlugIndex([page("a/b.md", "/a/b")]).nearest_parent("/x/y") is None
