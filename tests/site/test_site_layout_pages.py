"""Layouts, version ordering and page scanning on small trees built in tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from om_markdoc.site.layout import find_versions, parse_version_dir
from om_markdoc.site.pages import first_heading, normalize_slug, scan_pages, slug_from_path, title_from_path
from om_markdoc.site.project import Project, ProjectError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def om_tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    for name in ("v1.9.x", "v1.10.x", "v1.4.x", "v1.11.x-SNAPSHOT", "not-a-version", "v2"):
        (root / "content" / name).mkdir(parents=True)
    (root / "content" / "partials" / "v1.9").mkdir(parents=True)
    (root / "content" / "partials" / "v1.10").mkdir(parents=True)
    (root / "images" / "v1.9").mkdir(parents=True)
    return root


def test_version_dir_parsing() -> None:
    v = parse_version_dir(Path("v1.6.x-SNAPSHOT"))
    assert v is not None and (v.major_minor, v.prerelease, v.patch, v.partials_name) == ("1.6", True, "x", "v1.6")
    assert parse_version_dir(Path("v1.5.0")).major_minor == "1.5"  # type: ignore[union-attr]
    assert parse_version_dir(Path("partials")) is None
    assert parse_version_dir(Path("v1.5")) is None
    assert parse_version_dir(Path("v1.5.x-beta")) is None


def test_openmetadata_layout_from_root_and_from_content(tmp_path: Path) -> None:
    root = om_tree(tmp_path)
    for given in (root, root / "content"):
        project = Project.load(given)
        assert project.kind == "openmetadata" and project.root == root
        assert project.docs_root == root / "content"
        assert project.partials_root == root / "content" / "partials"
        assert project.images_root == root / "images"
        # numeric, not lexical, order; prerelease flagged; latest skips it
        assert [v.name for v in project.versions] == ["v1.4.x", "v1.9.x", "v1.10.x", "v1.11.x-SNAPSHOT"]
        assert [v.prerelease for v in project.versions] == [False, False, False, True]
        assert project.latest is not None and project.latest.name == "v1.10.x"
        assert project.version("v1.9.x") is not None and project.version("v9.9.x") is None
        assert project.rel(root / "content" / "v1.9.x" / "a.md") == "content/v1.9.x/a.md"


def test_prerelease_sorts_before_its_release_and_is_latest_only_when_alone(tmp_path: Path) -> None:
    for name in ("v1.6.x-SNAPSHOT", "v1.6.x"):
        (tmp_path / name).mkdir()
    assert [v.name for v in find_versions(tmp_path)] == ["v1.6.x-SNAPSHOT", "v1.6.x"]
    only = tmp_path / "only"
    (only / "v2.0.x-SNAPSHOT").mkdir(parents=True)
    assert Project.load(only).latest.name == "v2.0.x-SNAPSHOT"  # type: ignore[union-attr]


def test_lower_case_snapshot_is_a_version_and_near_versions_are_reported(tmp_path: Path) -> None:
    for name in ("v1.0.x", "v1.1.0-snapshot", "v1.2", "1.3.x", "v1.4.x-beta", "guides"):
        (tmp_path / "content" / name).mkdir(parents=True)
    project = Project.load(tmp_path)
    assert [(v.name, v.prerelease) for v in project.versions] == [("v1.0.x", False), ("v1.1.0-snapshot", True)]
    assert sorted((d.rule, d.file) for d in project.diagnostics) == [
        ("version-skipped", "content/1.3.x"), ("version-skipped", "content/v1.2"), ("version-skipped", "content/v1.4.x-beta")]
    assert set(project.skip_dirs()) >= {"v1.0.x", "v1.1.0-snapshot", "v1.2", "1.3.x", "v1.4.x-beta"}


def test_no_layout_is_a_project_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no mkdocs.yml and no OpenMetadata layout"):
        Project.load(tmp_path)


def test_repository_layout(tmp_path: Path) -> None:
    (tmp_path / "docs" / "v1.7.x").mkdir(parents=True)
    (tmp_path / "docs" / "v1.6.x").mkdir()
    (tmp_path / "snippets" / "v1.7").mkdir(parents=True)
    write(tmp_path / "mkdocs.yml", "site_name: x\nplugins:\n  - om-markdoc:\n      partials_dir: snippets\n")
    project = Project.load(tmp_path)
    assert project.kind == "mkdocs" and [v.name for v in project.versions] == ["v1.6.x", "v1.7.x"]
    assert project.partials_root == tmp_path / "snippets" and project.images_root is None
    assert project.rel(tmp_path / "docs" / "v1.7.x" / "a.md") == "docs/v1.7.x/a.md"
    write(tmp_path / "mkdocs.yml", "site_name: x\nplugins:\n  - om-markdoc:\n      images_dir: assets/img\n")
    with pytest.raises(ProjectError, match="images_dir assets/img does not exist"):
        Project.load(tmp_path)

def test_slug_helpers() -> None:
    assert normalize_slug("a/b/") == "/a/b"
    assert normalize_slug("//a//b//") == "/a/b"
    assert normalize_slug("/") == "/" and normalize_slug("") == "/" and normalize_slug("  /x  ") == "/x"
    assert normalize_slug("/Case/Kept") == "/Case/Kept"
    assert slug_from_path("a/b/index.md") == "/a/b"
    assert slug_from_path("a/b.md") == "/a/b"
    assert slug_from_path("index.md") == "/"
    assert title_from_path("getting-started/index.md") == "Getting started"
    assert title_from_path("my_page-name.md") == "My page name"
    assert title_from_path("index.md") == "Home"


def test_first_heading_skips_code() -> None:
    text = "intro\n```md\n# not this\n```\n~~~\n# nor this\n~~~\n## level two\n# The One {% #id %} ##\n# later\n"
    assert first_heading(text) == "The One"
    assert first_heading("no heading") is None


def test_scan_pages(tmp_path: Path) -> None:
    v = tmp_path / "content" / "v1.5.x"
    write(v / "index.md", "")
    write(v / "a" / "index.md", "---\ntitle: A\nslug: /section-a/\n---\n")
    write(v / "a" / "b.md", "---\nslug: a//b\n---\nintro\n\n# Heading Title\n")
    write(v / "c.md", "---\ntitle: C\n---\n")
    write(v / "d.md", "---\ntitle: D\nslug: 42\ndigitrans: true\n---\n")
    write(v / "e.md", "---\ntitle: E\nslug: /e\ncollate: false\n---\n")
    write(v / "f.md", "---\ntitle: [x]\nslug: /f\ncollate: true\n---\n")
    write(v / "g.md", "---\ntitle: 'bad\nslug: /g\n---\n")
    write(v / "menu.md", "---\nsite_menu: []\n---\n")
    write(v / "digitrans-menu.md", "---\nsite_menu: []\n---\n")
    write(v / ".hidden.md", "---\ntitle: H\n---\n")
    write(v / "notes.txt", "x")
    pages = scan_pages(v, version="v1.5.x")
    by = {p.rel_path: p for p in pages}
    assert list(by) == ["a/b.md", "a/index.md", "c.md", "d.md", "e.md", "f.md", "g.md", "index.md"]
    assert all(p.version == "v1.5.x" for p in pages)
    assert by["a/index.md"].slug == "/section-a" and by["a/index.md"].title == "A"
    assert by["a/b.md"].slug == "/a/b" and by["a/b.md"].title == "Heading Title"
    assert by["a/b.md"].body_start_line == 4 and by["a/b.md"].file == "v1.5.x/a/b.md"
    assert by["c.md"].slug == "/c" and by["c.md"].slug_from_path
    assert [d.rule for d in by["c.md"].diagnostics] == ["slug-missing"]
    assert by["d.md"].slug == "/d" and [(d.rule, d.line) for d in by["d.md"].diagnostics] == [("slug-invalid", 3)]
    assert by["d.md"].edition_only and by["d.md"].edition_flag == "digitrans"
    assert not by["e.md"].edition_only
    assert by["f.md"].edition_only and by["f.md"].title == "F"
    assert [d.rule for d in by["f.md"].diagnostics] == ["title-invalid"]
    assert by["g.md"].slug == "/g" and by["g.md"].title == "G"  # broken YAML: path fallback, still a page
    assert [d.rule for d in by["g.md"].diagnostics] == ["frontmatter-yaml", "slug-missing"]
    assert by["index.md"].slug == "/" and by["index.md"].title == "Home"
    # configurable edition flag and exclusions
    custom = scan_pages(v, version="v1.5.x", edition_flags=("digitrans",), exclude=("menu.md", "g.md"))
    names = {p.rel_path for p in custom}
    assert "digitrans-menu.md" in names and "g.md" not in names
    assert not {p.rel_path: p for p in custom}["f.md"].edition_only


def test_scan_unversioned_docs_dir(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    write(docs / "about.md", "---\ntitle: About\nslug: /about\n---\n")
    write(docs / "v1.7.x" / "x.md", "---\ntitle: X\nslug: /x\n---\n")
    write(docs / "snippets" / "s.md", "partial")
    pages = scan_pages(docs, version=None, root=tmp_path, skip_dirs=("v1.7.x", "snippets"))
    assert [(p.rel_path, p.file, p.version) for p in pages] == [("about.md", "docs/about.md", None)]


def test_a_page_read_again_only_when_its_file_changed(tmp_path: Path) -> None:
    """``load_page`` answers an unchanged file from memory (``serve`` rescans every page on each
    save) and reads it again after any edit, even one that keeps its size."""
    from om_markdoc.site.pages import load_page

    path = tmp_path / "a.md"
    path.write_text("---\ntitle: One\nslug: /a\n---\n", encoding="utf-8")
    first = load_page(path, version="v1.0.x", rel_path="a.md")
    assert load_page(path, version="v1.0.x", rel_path="a.md") is first
    assert load_page(path, version="v1.1.x", rel_path="a.md") is not first  # other arguments, other page
    stamp = path.stat().st_mtime_ns
    path.write_text("---\ntitle: Two\nslug: /a\n---\n", encoding="utf-8")  # same size
    os.utime(path, ns=(stamp + 1_000_000, stamp + 1_000_000))
    again = load_page(path, version="v1.0.x", rel_path="a.md")
    assert again is not first and again.title == "Two"
