"""Links written for the OpenMetadata site's heading ids (``#profiler-&-data-quality``) land on the
heading in a built Material site, while the TOC, permalinks and search keep MkDocs' ids."""

from __future__ import annotations

import html
import json
from pathlib import Path
from urllib.parse import unquote

from .conftest import article, element_ids, parse_html, resolve_link
from .test_plugin_options import VERSION, make_site, page

SITE = {
    f"{VERSION}/index.md": page(
        "/",
        "Home",
        "Jump to [quality](/guide#profiler-&-data-quality), [step one](/guide#1.-create-a-directory) "
        "or [the same step, MkDocs style](/guide#1-create-a-directory).",
    ),
    f"{VERSION}/guide.md": page(
        "/guide",
        "Guide",
        "## Profiler & Data Quality\n\nText.\n\n## 1. Create a Directory\n\nMore.\n\n## Profiler & Data Quality\n\nAgain.",
    ),
}


def test_site_ids_resolve_in_the_built_site_and_mkdocs_ids_stay_primary(tmp_path: Path) -> None:
    site = make_site(tmp_path, SITE, strict=True)
    assert site.error is None, site.error
    assert site.warnings(plugin_only=False) == []

    guide = site.page_by_url(f"{VERSION}/guide/")
    root = article(site.html(guide))
    headings = [e for e in root.iter() if e.tag == "h2"]
    assert [h.attrs["id"] for h in headings] == ["profiler-data-quality", "1-create-a-directory", "profiler-data-quality_1"]
    # each heading holds one empty anchor with the site's id, before its text
    inner = [[(c.attrs.get("class"), c.attrs.get("id"), c.text()) for c in h.children if not isinstance(c, str)] for h in headings]
    assert [row[0] for row in inner] == [
        ("om-anchor", "profiler-&-data-quality", ""),
        ("om-anchor", "1.-create-a-directory", ""),
        ("om-anchor", "profiler-&-data-quality_1", ""),
    ]
    assert all(not isinstance(h.children[0], str) for h in headings), "the anchor comes first"
    # permalinks, the page TOC and the sidebar keep the MkDocs ids
    assert [h.find("a", classes=["headerlink"]).attrs["href"] for h in headings] == [f"#{h.attrs['id']}" for h in headings]
    assert [t["id"] for t in guide.toc] == ["guide", "profiler-data-quality", "1-create-a-directory", "profiler-data-quality_1"]
    sidebar = parse_html(site.html(guide)).find("nav", classes=["md-nav--secondary"])
    assert sidebar is not None
    links = [a.attrs["href"] for a in sidebar.find_all("a", classes=["md-nav__link"])]
    assert links == ["#profiler-data-quality", "#1-create-a-directory", "#profiler-data-quality_1"]
    assert [h.text().rstrip("¶").strip() for h in headings] == [html.unescape(t["title"]) for t in guide.toc[1:]]

    # the links on the home page reach an element of the guide, under either scheme
    home = site.page_by_url(f"{VERSION}/")
    hrefs = [a.attrs["href"] for a in article(site.html(home)).find_all("a") if "#" in a.attrs.get("href", "")]
    hrefs = [h for h in hrefs if "guide" in h]
    assert len(hrefs) == 3
    ids = element_ids(root)
    for href in hrefs:
        target, fragment = resolve_link(site.site_dir, home.dest_uri, href)
        assert target == site.site_dir / guide.dest_uri and unquote(fragment) in ids, href

    # search sections are the headings, under their MkDocs ids only
    index = json.loads((site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"] if d["location"].startswith(f"{VERSION}/guide/")]
    assert f"{VERSION}/guide/#profiler-data-quality" in locations
    assert f"{VERSION}/guide/#1-create-a-directory" in locations
    assert not any("&" in loc or "1.-" in loc for loc in locations)
