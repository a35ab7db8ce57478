"""This repository's own site (``mkdocs.yml``: user guide + versioned guides), built with ``--strict``.

The v1.7.x Auth0 guide uses every construct a docs page of the dialect needs (admonitions,
figures, content tabs, steps, annotated code, cards, partials with variables and across
versions), so the assertions look at its HTML in detail; the crawl checks every page.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from om_markdoc.dialect.tags import TAG_FAMILIES, dialect_tags

from .conftest import (
    REPO_ROOT,
    BuiltSite,
    Element,
    article,
    element_ids,
    internal_links,
    parse_html,
    resolve_link,
)

V17 = "v1.7.x/deployment/security"
AUTH0 = f"{V17}/auth0"
AUTH0_PAGES = ["", "implicit-flow/", "auth-code-flow/", "docker/", "bare-metal/", "kubernetes/"]


def content(site: BuiltSite, url: str) -> Element:
    return article(site.html(url))


def admonitions(root: Element) -> list[tuple[set[str], str, str]]:
    """``(classes, title, body text)`` of every admonition."""
    out = []
    for box in root.find_all("div", classes=["admonition"]):
        title = box.find("p", classes=["admonition-title"])
        assert title is not None, f"admonition without a title: {box.attrs}"
        out.append((box.classes, title.text().strip(), box.text()))
    return out


# --- the build ---------------------------------------------------------------------------------


def test_strict_build_succeeds_without_warnings(repo_site: BuiltSite) -> None:
    assert repo_site.warnings(plugin_only=False) == []


def test_every_page_is_built(repo_site: BuiltSite) -> None:
    sources = sorted(
        p.relative_to(REPO_ROOT / "docs").as_posix() for p in (REPO_ROOT / "docs").rglob("*.md") if p.name != "menu.md"
    )
    assert sorted(repo_site.pages) == sources
    for page in repo_site.pages.values():
        assert (repo_site.site_dir / page.dest_uri).is_file(), page


def test_edition_pages_are_built_because_include_edition_is_set(repo_site: BuiltSite) -> None:
    config = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    options = next(p["om-markdoc"] for p in config["plugins"] if isinstance(p, dict) and "om-markdoc" in p)
    assert options.get("include_edition") is True
    flagged = [
        p.relative_to(REPO_ROOT / "docs").as_posix()
        for p in (REPO_ROOT / "docs").rglob("*.md")
        if re.search(r"^collate:\s*true\s*$", p.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert flagged, "the repo site should have commercial-edition pages (collate: true)"
    for src in flagged:
        assert src in repo_site.pages, f"{src} (collate: true) was left out despite include_edition: true"
    managed = content(repo_site, f"{V17}/managed-sso/")
    assert managed.find("h1").text().startswith("SSO on the Managed Service")


def test_pages_use_front_matter_slugs_below_their_version(repo_site: BuiltSite) -> None:
    for version in ("v1.6.x", "v1.7.x"):
        for path in (REPO_ROOT / "docs" / version).rglob("*.md"):
            if path.name == "menu.md":
                continue
            slug = re.search(r"^slug:\s*(\S+)\s*$", path.read_text(encoding="utf-8"), re.MULTILINE).group(1)
            src = path.relative_to(REPO_ROOT / "docs").as_posix()
            assert repo_site.pages[src].url == f"{version}/{slug.strip('/')}/"


# --- the v1.7.x Auth0 pages ----------------------------------------------------------------------


def test_admonitions_with_titles(repo_site: BuiltSite) -> None:
    index = admonitions(content(repo_site, f"{AUTH0}/"))
    # `{% important %}` from a partial, with the page's `provider` variable filled in
    assert any({"admonition", "warning"} <= c and t == "Important" and "Before Auth0 guards a production server" in b for c, t, b in index)
    assert any({"admonition", "note"} <= c and t == "Note" and "Match the Auth0 application type" in b for c, t, b in index)
    # `{% note noteType="Tip" %}` from a partial included by a partial
    assert any({"admonition", "tip"} <= c and t == "Tip" for c, t, b in index)
    code_flow = admonitions(content(repo_site, f"{AUTH0}/auth-code-flow/"))
    assert any({"admonition", "warning"} <= c and t == "Warning" and "client secret" in b for c, t, b in code_flow)


@pytest.mark.parametrize("url", AUTH0_PAGES)
def test_figures_have_captions_and_existing_images(repo_site: BuiltSite, url: str) -> None:
    page = repo_site.page_by_url(f"{AUTH0}/{url}")
    root = article(repo_site.html(page))
    source = (REPO_ROOT / "docs" / page.src_uri).read_text(encoding="utf-8")
    images = re.findall(r'\{% image\s[^%]*?src="([^"]+)"', source)
    figures = root.find_all("figure", classes=["om-figure"])
    assert len(figures) == len(images)
    for figure, written in zip(figures, images, strict=True):
        img = figure.find("img")
        caption = figure.find("figcaption")
        assert img is not None and caption is not None and caption.text().strip()
        assert img.attrs.get("alt")
        assert not img.attrs["src"].startswith("/"), "image URLs are relative to the page"
        target, _ = resolve_link(repo_site.site_dir, page.dest_uri, img.attrs["src"])
        assert target.is_file(), f"{img.attrs['src']} → {target}"
        assert target.read_bytes() == (REPO_ROOT / "docs" / written.lstrip("/")).read_bytes()


@pytest.mark.parametrize("url", ["docker/", "bare-metal/", "kubernetes/"])
def test_language_selector_becomes_content_tabs(repo_site: BuiltSite, url: str) -> None:
    root = content(repo_site, f"{AUTH0}/{url}")
    sets = root.find_all("div", classes=["tabbed-set"])
    assert len(sets) == 1
    tabs = sets[0]
    labels = tabs.find("div", classes=["tabbed-labels"])
    assert [label.text() for label in labels.find_all("label")] == ["Implicit", "Auth Code"]
    inputs = tabs.find_all("input", type="radio")
    assert len(inputs) == 2 and "checked" in inputs[0].attrs and "checked" not in inputs[1].attrs
    assert [label.attrs["for"] for label in labels.find_all("label")] == [i.attrs["id"] for i in inputs]
    blocks = tabs.find_all("div", classes=["tabbed-block"])
    assert len(blocks) == 2
    for block in blocks:
        code = block.find("div", classes=["highlight"])
        assert code is not None and code.find("code") is not None
        assert code.find("span", classes=["filename"]).text() == "Auth Configuration"
    assert "clientType" in blocks[0].text() or "CLIENT_TYPE" in blocks[0].text()
    assert "confidential" in blocks[1].text() and "confidential" not in blocks[0].text()


def test_steps_markup(repo_site: BuiltSite) -> None:
    root = content(repo_site, f"{AUTH0}/")
    containers = root.find_all("div", classes=["om-steps"])
    assert len(containers) == 1
    steps = containers[0].find_all("div", classes=["om-step"])
    assert [s.attrs.get("data-step") for s in steps] == ["1", "2", "3"]
    titles = []
    for number, step in enumerate(steps, 1):
        assert step.find("span", classes=["om-step__number"]).text() == str(number)
        titles.append(step.find("p", classes=["om-step__title"]).text())
        visual = step.find("div", classes=["om-step__visual"])
        assert visual is not None and visual.find("figure") is not None
    # "1. Create an Auth0 Account": the number is in the badge, not repeated in the title
    assert titles == ["Create an Auth0 Account", "Create an Application", "Note the Domain and Client ID"]


def test_tiles_and_callouts_are_grid_cards(repo_site: BuiltSite) -> None:
    page = repo_site.page_by_url(f"{V17}/")
    root = article(repo_site.html(page))
    tiles = root.find("div", classes=["grid", "cards", "om-tiles"])
    callouts = root.find("div", classes=["grid", "cards", "om-callouts"])
    assert tiles is not None and callouts is not None
    tile_items = tiles.find_all("li", classes=["om-tile"])
    callout_items = callouts.find_all("li", classes=["om-callout"])
    assert [li.find("strong").text() for li in tile_items] == ["Basic Authentication", "Auth0 SSO", "Enable JWT Tokens"]
    assert [li.find("strong").text() for li in callout_items] == ["Docker", "Bare Metal", "Kubernetes"]
    expected = {
        "Basic Authentication": f"{V17}/basic-auth/",
        "Auth0 SSO": f"{AUTH0}/",
        "Enable JWT Tokens": f"{V17}/enable-jwt-tokens/",
        "Docker": f"{AUTH0}/docker/",
        "Bare Metal": f"{AUTH0}/bare-metal/",
        "Kubernetes": f"{AUTH0}/kubernetes/",
    }
    for li in [*tile_items, *callout_items]:
        link = li.find("a")
        target, _ = resolve_link(repo_site.site_dir, page.dest_uri, link.attrs["href"])
        name = li.find("strong").text()
        assert target == repo_site.site_dir / expected[name] / "index.html", (name, link.attrs["href"])
        assert li.find("span", classes=["twemoji"]).find("svg") is not None, f"{name}: no icon"


def test_code_blocks_are_highlighted(repo_site: BuiltSite) -> None:
    root = content(repo_site, f"{AUTH0}/auth-code-flow/")
    blocks = root.find_all("div", classes=["language-yaml", "highlight"])
    assert len(blocks) == 2
    for block in blocks:
        code = block.find("pre").find("code")
        assert code is not None
        assert code.find_all("span", classes=["nt"]), "YAML keys are Pygments-highlighted"
    assert "authenticationConfiguration" in blocks[0].text() and "authorizerConfiguration" in blocks[1].text()
    # the codePreview notes link to the fence with their number
    assert [b.attrs.get("data-sr-number") for b in blocks] == ["1", "2"]
    numbers = root.find_all("a", classes=["om-code-info__number"])
    assert [a.attrs["href"] for a in numbers] == [f"#{blocks[0].attrs['id']}", f"#{blocks[1].attrs['id']}"]
    file_title = blocks[0].find("span", classes=["filename"])
    assert file_title is not None and file_title.text() == "openmetadata.yaml"
    bare = content(repo_site, f"{AUTH0}/bare-metal/")
    assert bare.find_all("div", classes=["language-yaml", "highlight"])
    assert bare.find_all("div", classes=["language-commandline", "highlight"])


@pytest.mark.parametrize("url", AUTH0_PAGES)
def test_heading_ids_match_the_toc_and_anchor_links(repo_site: BuiltSite, url: str) -> None:
    page = repo_site.page_by_url(f"{AUTH0}/{url}")
    root = article(repo_site.html(page))
    headings = [e for e in root.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert headings
    for heading in headings:
        assert heading.attrs.get("id"), heading.text()
        permalink = heading.find("a", classes=["headerlink"])
        assert permalink is not None and permalink.attrs["href"] == f"#{heading.attrs['id']}"
    assert [(t["level"], t["id"]) for t in page.toc] == [(int(h.tag[1]), h.attrs["id"]) for h in headings]
    assert [t["title"] for t in page.toc] == [h.text().rstrip("¶").strip() for h in headings]
    # the TOC in the sidebar links to the same ids (Material leaves out the page's h1)
    sidebar = parse_html(repo_site.html(page)).find("nav", classes=["md-nav--secondary"])
    assert sidebar is not None
    assert [a.attrs["href"] for a in sidebar.find_all("a", classes=["md-nav__link"])] == [f"#{t['id']}" for t in page.toc if t["level"] > 1]
    # every #anchor in the content points at an element of its target page
    ids_cache: dict[Path, set[str]] = {}
    for link in root.find_all("a"):
        href = link.attrs.get("href", "")
        if "#" not in href or "://" in href:
            continue
        target, fragment = resolve_link(repo_site.site_dir, page.dest_uri, href)
        if target not in ids_cache:
            ids_cache[target] = element_ids(parse_html(target.read_text(encoding="utf-8")))
        assert fragment in ids_cache[target], f"{href} on {page.url}: no id {fragment!r} in {target}"


def test_cross_page_anchors_written_in_the_source_resolve(repo_site: BuiltSite) -> None:
    """``[Docker](/deployment/security/auth0/docker#authorization-code-flow)`` → ``../docker/#authorization-code-flow``."""
    page = repo_site.page_by_url(f"{AUTH0}/auth-code-flow/")
    root = article(repo_site.html(page))
    hrefs = [a.attrs.get("href") for a in root.find_all("a")]
    assert "../docker/#authorization-code-flow" in hrefs
    docker = content(repo_site, f"{AUTH0}/docker/")
    assert docker.find("h3", id="authorization-code-flow") is not None


def test_every_internal_link_resolves(repo_site: BuiltSite) -> None:
    site_dir = repo_site.site_dir.resolve()
    checked = 0
    broken = []
    for html_file in repo_site.html_files():
        dest = html_file.relative_to(repo_site.site_dir).as_posix()
        for tag, url in internal_links(parse_html(html_file.read_text(encoding="utf-8"))):
            target, _ = resolve_link(repo_site.site_dir, dest, url)
            checked += 1
            if site_dir not in target.resolve().parents or not target.is_file():
                broken.append(f"{dest}: <{tag}> {url}")
    assert checked > 500
    assert broken == []


# --- partials -----------------------------------------------------------------------------------


def test_search_index_has_words_that_only_partials_contain(repo_site: BuiltSite) -> None:
    word = "leftovers"
    partial = REPO_ROOT / "snippets/v1.7/deployment/security/production-checklist.md"
    assert word in partial.read_text(encoding="utf-8")
    others = [p for p in [*(REPO_ROOT / "docs").rglob("*.md"), *(REPO_ROOT / "snippets").rglob("*.md")] if p != partial]
    assert not [p for p in others if word in p.read_text(encoding="utf-8").lower()], "pick a word only the partial has"
    index = json.loads((repo_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    having = {doc["location"].split("#")[0] for doc in index["docs"] if word in doc["text"].lower()}
    including = {
        repo_site.pages[src].url
        for src in repo_site.pages
        if src.startswith("v1.7.x/")  # the user guide shows the tag inside a code block
        and re.search(
            r'^\{% partial file="/v1\.7/deployment/security/production-checklist\.md"',
            (REPO_ROOT / "docs" / src).read_text(encoding="utf-8"),
            re.MULTILINE,
        )
    }
    assert f"{AUTH0}/" in including
    assert having == including, "exactly the pages including production-checklist.md have the word"


def test_a_v17_page_renders_a_v16_partial(repo_site: BuiltSite) -> None:
    source = REPO_ROOT / "docs" / AUTH0 / "docker.md"
    assert 'partial file="/v1.6/deployment/security/public-key-urls.md"' in source.read_text(encoding="utf-8")
    text = content(repo_site, f"{AUTH0}/docker/").text()
    assert "publicKeyUrls is a list, and it needs two kinds of entries" in text
    assert "{%" not in text


def test_partials_render_on_every_including_page(repo_site: BuiltSite) -> None:
    for url in AUTH0_PAGES:
        root = content(repo_site, f"{AUTH0}/{url}")
        assert root.find("h2", id="configure-ingestion") is not None, url
        assert "{%" not in root.text(), url


# --- tag reference and assets -------------------------------------------------------------------


def test_tag_reference_lists_every_tag_with_its_attributes(repo_site: BuiltSite) -> None:
    root = content(repo_site, "guide/tags/")
    schemas = dialect_tags()
    sections: dict[str, list[str]] = {}
    current: str | None = None
    families = []
    for element in root.iter():
        if element.tag == "h2":
            families.append(element.text().rstrip("¶").strip())
        elif element.tag == "h3":
            current = element.text().rstrip("¶").strip()
            sections[current] = []
        elif element.tag == "tr" and current is not None:
            first = element.find("td")
            if first is not None:
                sections[current].append(first.text())
    assert families == list(TAG_FAMILIES)
    expected = [tag for tags in TAG_FAMILIES.values() for tag in tags]
    assert list(sections) == expected
    for tag in expected:
        assert sections[tag] == list(schemas[tag].get("attributes") or {}), tag


def test_css_and_js_assets_are_copied_and_linked(repo_site: BuiltSite) -> None:
    css = repo_site.site_dir / "assets/om-markdoc/om-markdoc.css"
    js = repo_site.site_dir / "assets/om-markdoc/om-markdoc.js"
    assert css.is_file() and css.stat().st_size > 0
    assert js.is_file() and js.stat().st_size > 0
    for page in repo_site.pages.values():
        root = parse_html(repo_site.html(page))
        styles = {resolve_link(repo_site.site_dir, page.dest_uri, e.attrs["href"])[0] for e in root.find_all("link", rel="stylesheet")}
        scripts = {resolve_link(repo_site.site_dir, page.dest_uri, e.attrs["src"])[0] for e in root.find_all("script") if e.attrs.get("src")}
        assert css in styles, page.url
        assert js in scripts, page.url


def test_versioned_navigation_comes_from_the_menus(repo_site: BuiltSite) -> None:
    nav = parse_html(repo_site.html(f"{AUTH0}/")).find("nav", classes=["md-nav--primary"])
    labels = [e.text().strip() for e in nav.find_all(classes=["md-nav__link"])]
    text = " ".join(labels)
    for category in ("Enable Security", "Auth0 SSO", "Implicit Flow", "Auth Code Flow", "Enable JWT Tokens"):
        assert category in text
