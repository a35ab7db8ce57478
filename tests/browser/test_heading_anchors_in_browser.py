"""A link written for the OpenMetadata site's heading ids scrolls the browser to the heading, as its
MkDocs id does, and Material's table of contents follows (scroll-spy marks that heading)."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Page, expect

from .conftest import _QuietHandler

FILLER = "\n\n".join(f"Paragraph {n} of filler text, long enough to need scrolling." for n in range(25))
GUIDE = f"""---
title: Guide
slug: /guide
---

# Guide

{FILLER}

## Profiler & Data Quality

{FILLER}

## 1. Create a Directory

{FILLER}

## Last

{FILLER}
"""


@pytest.fixture(scope="module")
def guide_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("anchor-site")
    docs = root / "docs" / "v1.0.x"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("---\ntitle: Home\nslug: /\n---\n\n# Home\n", encoding="utf-8")
    (docs / "guide.md").write_text(GUIDE, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "Anchors", "docs_dir": "docs", "theme": {"name": "material"}, "plugins": ["om-markdoc"]}),
        encoding="utf-8",
    )
    site = root / "site"
    build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site)))
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1.0.x/guide/"
    finally:
        server.shutdown()


def _heading_top(page: Page, url: str, heading_id: str) -> float:
    """Where the heading lands after a fresh load of ``url`` (not a same-page jump)."""
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_function("() => window.scrollY > 0", timeout=5000)
    page.wait_for_timeout(200)  # let Material settle its header and scroll offsets
    return page.locator(f"h2[id='{heading_id}']").evaluate("h => h.getBoundingClientRect().top")


@pytest.mark.parametrize(
    ("site_fragment", "mkdocs_id"),
    [("1.-create-a-directory", "1-create-a-directory"), ("profiler-%26-data-quality", "profiler-data-quality")],
)
def test_site_fragment_scrolls_to_the_heading_like_its_mkdocs_id(
    page: Page, guide_url: str, site_fragment: str, mkdocs_id: str
) -> None:
    by_mkdocs_id = _heading_top(page, f"{guide_url}#{mkdocs_id}", mkdocs_id)
    by_site_id = _heading_top(page, f"{guide_url}#{site_fragment}", mkdocs_id)
    header = page.locator("header.md-header").evaluate("h => h.getBoundingClientRect().bottom")
    assert header <= by_site_id < header + 80, "the heading sits just below Material's header"
    assert abs(by_site_id - by_mkdocs_id) <= 8
    # scroll-spy: the sidebar TOC marks the heading the reader landed on
    active = page.locator(".md-nav--secondary a.md-nav__link--active")
    expect(active.first).to_have_attribute("href", f"#{mkdocs_id}")
    assert {a.get_attribute("href") for a in active.all()} == {f"#{mkdocs_id}"}
