#!/usr/bin/env python3
"""A small link checker over a built HTML site: the peer ``bench_check.py`` measures check against.

Written for the benchmark (the usual tools, ``linkchecker`` and ``lychee``, cannot be installed
here), it does what a docs CI's offline link check does after ``mkdocs build``: read every
``.html`` file under the site folder once, collect the ``href``/``src`` of ``a``, ``img``,
``link``, ``script``, ``source`` and ``iframe`` elements and the ``id``/``name`` anchors of every
page, then resolve every local link (no scheme, not ``mailto:``) against the page's URL and report
it broken when no file answers it (``x/`` and ``x`` are answered by ``x/index.html``) or when its
``#fragment`` names no anchor of the target page.  External links are counted, never fetched.

Usage: ``python benchmarks/linkcheck.py SITE_DIR [--json]``; exit status 1 when a link is broken.
Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = {"a": "href", "img": "src", "link": "href", "script": "src", "source": "src", "iframe": "src"}


class PageScan(HTMLParser):
    """The links and anchors of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.anchors.add(str(values[key]))
        wanted = LINK_ATTRIBUTES.get(tag)
        if wanted and values.get(wanted):
            self.links.append(str(values[wanted]))


def scan_site(site: Path) -> dict[str, PageScan]:
    """Every HTML page of ``site``, by its path relative to the site (POSIX)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        scan = PageScan()
        scan.feed(path.read_text(encoding="utf-8", errors="replace"))
        pages[path.relative_to(site).as_posix()] = scan
    return pages


def target_file(site: Path, page: str, url_path: str) -> str | None:
    """The site file a local link of ``page`` reaches, or None."""
    base = Path(page).parent.as_posix()
    joined = url_path if url_path.startswith("/") else f"/{base}/{url_path}"
    parts: list[str] = []
    for part in joined.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    rel = "/".join(parts)
    for candidate in (rel, f"{rel}/index.html" if rel else "index.html"):
        if candidate and (site / candidate).is_file():
            return candidate
    return None


def has_anchor(pages: dict[str, PageScan], target: str, fragment: str) -> bool:
    """True when ``fragment`` is empty, the target is no HTML page, or it names one of its anchors."""
    return not fragment or target not in pages or fragment in pages[target].anchors


def check_site(site: Path) -> dict[str, object]:
    """Counts of pages, links (local, external) and the broken local links (page, link)."""
    pages = scan_site(site)
    broken: list[tuple[str, str]] = []
    local = external = 0
    for page, scan in pages.items():
        for link in scan.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                external += 1
                continue
            local += 1
            target = target_file(site, page, unquote(parts.path)) if parts.path else page
            if target is None or not has_anchor(pages, target, unquote(parts.fragment)):
                broken.append((page, link))
    return {"pages": len(pages), "local_links": local, "external_links": external, "broken": broken}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="the built site folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"linkcheck: {args.site} is not a folder", file=sys.stderr)
        return 2
    result = check_site(args.site)
    broken = result["broken"]
    assert isinstance(broken, list)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for page, link in broken:
            print(f"{page}: broken link {link}")
        print(f"{result['pages']} pages, {result['local_links']} local links ({len(broken)} broken), "
              f"{result['external_links']} external links (not fetched)")
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
