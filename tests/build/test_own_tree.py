"""``om-markdoc build`` on a team's own tree (issue #19, "Pointing it at an existing tree").

Small trees shaped like real OpenMetadata-style ones: ``content/vX.Y.Z/`` folders with SEO
titles, ``sidebarTitle``s and headings, ``menu.md`` in some versions only, a version without
``index.md``, ``images/vX.Y/`` beside ``content/``, and projects with their own ``mkdocs.yml``
(no version folders; a ``features:`` list; Material's ``offline`` plugin).  Every test builds
through the command line and reads the built folder: the HTML is parsed, and links and image
sources are resolved against the site folder.
"""

from __future__ import annotations

import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

from om_markdoc.cli import main

from . import png_bytes

VERSIONS = ("v1.0.0", "v1.1.0", "v1.2.0")


def _page(title: str, slug: str, body: str, extra: str = "") -> str:
    return f"---\ntitle: {title}\nslug: {slug}\n{extra}---\n\n{body}\n"


MENU = """---
site_menu:
  - category: Deployment
    url: /deployment/docker
  - category: Deployment / Auth0 SSO
    url: /deployment/docker/auth0
  - category: Connectors
    url: /connectors/database/mysql
---
"""


def write_tree(root: Path, *, menus: bool = True, home_in: tuple[str, ...] = ("v1.1.0",)) -> Path:
    """Three versions, each page showing its own version's image and the v1.0 one (a partial
    of an old release shown in a new one); ``menu.md`` in every version when ``menus``; an
    ``index.md`` only in ``home_in``."""
    files: dict[str, str] = {}
    for version in VERSIONS:
        short = version[1:4]
        images = f'{{% image src="/images/v{short}/deployment/auth0.png" alt="a" /%}}\n\n{{% image src="/images/v1.0/shared.png" alt="s" /%}}'
        files[f"content/{version}/deployment/docker/index.md"] = _page(
            "Docker Deployment | OpenMetadata Deployment Guide", "/deployment/docker", "# Deploy on Docker\n\nDocker.", "sidebarTitle: Docker\n"
        )
        files[f"content/{version}/deployment/docker/auth0.md"] = _page(
            "Auth0 SSO for Docker | OpenMetadata Deployment Guide", "/deployment/docker/auth0", f"# Auth0 SSO for Docker\n\n{images}",
            "sidebarTitle: Auth0\n",
        )
        files[f"content/{version}/connectors/database/mysql/lineage.md"] = _page(
            "MySQL Lineage | OpenMetadata", "/connectors/database/mysql/lineage", "Lineage, and no heading."
        )
        files[f"content/{version}/connectors/database/mysql/index.md"] = _page(
            "MySQL Connector | OpenMetadata", "/connectors/database/mysql/", "No heading here, a MySQL connector page."
        )
        files[f"content/{version}/connectors/database/mysql/setup.md"] = _page(
            "Set Up | OpenMetadata", "/connectors/database/mysql/setup", "# Configure MySQL\n\nSteps."
        )
        if menus:
            files[f"content/{version}/menu.md"] = MENU
        if version in home_in:
            files[f"content/{version}/index.md"] = _page(
                "OpenMetadata Documentation | Get Help Instantly", "/", "# OpenMetadata Documentation\n\nWelcome."
            )
    files["content/partials/v1.1/note.md"] = "A note.\n"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for rel in ("v1.0/shared.png", *(f"v{v[1:4]}/deployment/auth0.png" for v in VERSIONS)):
        (root / "images" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "images" / rel).write_bytes(png_bytes())
    return root


def build(tree: Path, site: Path, capsys: pytest.CaptureFixture[str] | None = None) -> str:
    """``om-markdoc build`` through the command line; its stderr."""
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1"]) == 0
    return capsys.readouterr().err if capsys is not None else ""


class _Html(HTMLParser):
    """Every ``<img src>`` and ``<a href>`` of a page, and the primary navigation's labels."""

    def __init__(self) -> None:
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []
        self.nav_labels: list[str] = []
        self._nav_depth = 0
        self._in_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "img" and values.get("src"):
            self.images.append(values["src"] or "")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "nav" and "md-nav--primary" in classes:
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if self._nav_depth and tag == "span" and "md-ellipsis" in classes:
            self._in_label = True
            self.nav_labels.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag == "span":
            self._in_label = False

    def handle_data(self, data: str) -> None:
        if self._in_label:
            self.nav_labels[-1] += data.strip()


def parse(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(site: Path, page: Path, href: str) -> Path:
    """The file of the site a relative URL written in ``page`` names."""
    base = page.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, href.split("#")[0]))
    assert not target.startswith(".."), f"{href} in {page} leaves the site"
    path = site / target
    return path / "index.html" if path.is_dir() else path


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if ".om-markdoc" not in p.parts)


# --- 1. a project without version folders ----------------------------------------------------


def test_a_project_without_version_folders_builds_as_one_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "plain"
    (root / "docs" / "guide").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Plain\ntheme:\n  name: material\nplugins:\n  - search\n  - om-markdoc\n", encoding="utf-8")
    (root / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\n# Welcome\n\nSee the [guide](guide/intro.md).\n", encoding="utf-8")
    (root / "docs" / "guide" / "intro.md").write_text("---\ntitle: Intro\n---\n\n# Intro\n\nHello.\n", encoding="utf-8")
    site = tmp_path / "site"
    err = build(root, site, capsys)
    assert "one unversioned site, built (2 pages)" in err
    home = site / "index.html"
    assert site / "guide" / "intro" / "index.html" in [resolve(site, home, href) for href in parse(home).links if "//" not in href]
    assert (site / "guide" / "intro" / "index.html").is_file()
    assert not (site / "versions.json").exists() and not (site / "latest").exists()
    assert "om-version-banner" not in "".join(p.read_text(encoding="utf-8") for p in pages(site))
    assert "one unversioned site, unchanged" in build(root, site, capsys)


# --- 2. images published once ----------------------------------------------------------------


def test_each_image_is_published_once_and_every_img_resolves(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    site = tmp_path / "site"
    build(tree, site)
    sources = sorted(p.relative_to(tree / "images").as_posix() for p in (tree / "images").rglob("*.png"))
    published = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.png") if "assets" not in p.parts)
    assert published == [f"images/{rel}" for rel in sources]  # each exactly once, nothing else
    checked = 0
    for page in pages(site):
        for src in parse(page).images:
            assert resolve(site, page, src).is_file(), f"{src} in {page.relative_to(site)}"
            checked += 1
    assert checked == 2 * len(VERSIONS)  # the auth0 page of each version shows two images


def test_a_removed_image_leaves_the_site(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    site = tmp_path / "site"
    build(tree, site)
    (tree / "images" / "v1.2" / "deployment" / "auth0.png").unlink()
    build(tree, site)
    assert not (site / "images" / "v1.2" / "deployment" / "auth0.png").exists()
    assert (site / "images" / "v1.0" / "shared.png").is_file()


# --- 3. a home page for every version --------------------------------------------------------


def test_every_version_and_the_root_answer_with_a_page(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    site = tmp_path / "site"
    build(tree, site)
    for folder in (site, *(site / v for v in VERSIONS), site / "latest"):
        assert (folder / "index.html").is_file(), folder
    home = site / "v1.0.0" / "index.html"  # no index.md in this version: a generated home
    html = home.read_text(encoding="utf-8")
    assert 'class="om-page" data-slug="/" data-version="v1.0.0"' in html and "md-nav--primary" in html
    listed = [resolve(site, home, href) for href in parse(home).links]
    assert site / "v1.0.0" / "deployment" / "docker" / "index.html" in listed
    assert site / "v1.0.0" / "connectors" / "database" / "mysql" / "index.html" in listed
    # the tree's own home page is kept where it has one
    assert "Welcome." in (site / "v1.1.0" / "index.html").read_text(encoding="utf-8")


# --- 4. navigation labels and the site name --------------------------------------------------


def test_navigation_uses_menu_names_without_a_version_level(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "openmetadata-docs")
    site = tmp_path / "site"
    build(tree, site)
    labels = parse(site / "v1.0.0" / "deployment" / "docker" / "auth0" / "index.html").nav_labels
    assert labels == ["Deployment", "Auth0 SSO", "Connectors"]  # no "v1.0.0" level above them
    html = (site / "v1.0.0" / "deployment" / "docker" / "auth0" / "index.html").read_text(encoding="utf-8")
    assert "<title>Auth0 SSO for Docker | OpenMetadata Deployment Guide - OpenMetadata Docs</title>" in html


def test_navigation_without_menus_uses_sidebar_titles_headings_and_tree_spellings(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "openmetadata-docs", menus=False, home_in=())
    site = tmp_path / "site"
    build(tree, site)
    setup = site / "v1.1.0" / "connectors" / "database" / "mysql" / "setup" / "index.html"
    assert parse(setup).nav_labels == [
        "Connectors", "Database",
        "MySQL",  # folder "mysql", spelled as the tree's headings spell it
        "MySQL Lineage",  # no sidebarTitle, no heading: the title up to " | "
        "Configure MySQL",  # the first heading, not the title "Set Up | OpenMetadata"
        "Deployment",  # (another section: pruned)
    ]
    assert parse(site / "v1.1.0" / "deployment" / "docker" / "auth0" / "index.html").nav_labels == [
        "Connectors", "Deployment", "Docker", "Auth0",  # sidebarTitle before the heading
    ]
    html = setup.read_text(encoding="utf-8")
    assert "<title>Set Up | OpenMetadata - OpenMetadata Docs</title>" in html  # the SEO title stays the tab's
    assert 'title="OpenMetadata Docs" class="md-header__button md-logo"' in html  # the folder, spelled as the tree does


def test_site_name_comes_from_the_latest_home_page(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "openmetadata-docs", home_in=("v1.2.0",))
    site = tmp_path / "site"
    build(tree, site)
    html = (site / "v1.0.0" / "deployment" / "docker" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../.." title="OpenMetadata Documentation" class="md-header__button md-logo"' in html


# --- 5. a team's own mkdocs.yml --------------------------------------------------------------


def _with_config(tree: Path, config: str) -> Path:
    (tree / "mkdocs.yml").write_text(f"site_name: Team Docs\ndocs_dir: content\n{config}", encoding="utf-8")
    return tree


def _features(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script id="__config" type="application/json">') + len('<script id="__config" type="application/json">')
    return json.loads(text[start : text.index("</script>", start)])["features"]


def test_own_mkdocs_yml_without_features_gets_the_defaults(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = _with_config(write_tree(tmp_path / "tree"), "theme:\n  name: material\nplugins:\n  - search\n  - om-markdoc\n")
    site = tmp_path / "site"
    err = build(tree, site, capsys)
    assert "leaves out" not in err
    assert "navigation.prune" in _features(site / "v1.1.0" / "deployment" / "docker" / "index.html")


def test_own_features_list_wins_and_each_left_out_default_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = "theme:\n  name: material\n  features:\n    - content.code.copy\n    - toc.follow\nplugins:\n  - search\n  - om-markdoc\n"
    tree = _with_config(write_tree(tmp_path / "tree"), config)
    site = tmp_path / "site"
    err = build(tree, site, capsys)
    notes = [line for line in err.splitlines() if "leaves out" in line]
    assert len(notes) == 7 and len(set(notes)) == 7
    assert any("leaves out navigation.prune: every page embeds the whole navigation" in line for line in notes)
    assert _features(site / "v1.1.0" / "deployment" / "docker" / "index.html") == ["content.code.copy", "toc.follow"]


def test_offline_plugin_counts_pages_and_writes_latest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = "theme:\n  name: material\nplugins:\n  - search\n  - offline\n  - om-markdoc\n"
    tree = _with_config(write_tree(tmp_path / "tree"), config)
    site = tmp_path / "site"
    err = build(tree, site, capsys)
    assert "3 built (18 pages)" in err  # five pages and a home per version
    redirect = site / "latest" / "deployment" / "docker" / "auth0.html"
    assert 'url=../../../v1.2.0/deployment/docker/auth0.html"' in redirect.read_text(encoding="utf-8")
    assert (site / "v1.2.0" / "deployment" / "docker" / "auth0.html").is_file()
    assert (site / "v1.2.0" / "search" / "search_index.js").is_file()
