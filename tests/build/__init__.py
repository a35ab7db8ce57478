"""Tests of ``om-markdoc build`` (multi-version sites) and of serve-style incremental rebuilds.

``write_tree`` creates the small OpenMetadata-layout tree both modules use: three versions
(``v1.0.x``, ``v1.1.x``, ``v1.2.x-SNAPSHOT``), front-matter slugs, a page only in ``v1.0.x`` whose
parent exists in ``v1.1.x``, one whose parent does not, a page only in ``v1.1.x``, partials that
include partials, a ``v1.1.x`` page including a ``v1.0`` partial (cross-version), a ``menu.md`` per
version and one image.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

VERSIONS = ("v1.2.x-SNAPSHOT", "v1.1.x", "v1.0.x")
"""Newest first, as ``versions.json`` lists them."""
LATEST = "v1.1.x"

SLUGS = {
    "v1.0.x": ["/", "/guide", "/guide/old-page", "/legacy/deep"],
    "v1.1.x": ["/", "/guide", "/guide/direct", "/guide/new-page", "/guide/plain"],
    "v1.2.x-SNAPSHOT": ["/", "/guide"],
}


def _page(title: str, slug: str, body: str) -> str:
    return f"---\ntitle: {title}\nslug: {slug}\n---\n\n# {title}\n\n{body}\n"


def _menu(entries: list[tuple[str, str]]) -> str:
    lines = ["---", "site_menu:"]
    for category, url in entries:
        lines += [f"  - category: {category}", f"    url: {url}"]
    return "\n".join(lines + ["---", ""])


def png_bytes() -> bytes:
    """A valid 1×1 transparent PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 5)) + chunk(b"IEND", b"")


TREE: dict[str, str] = {
    # v1.0.x: an older release
    "content/v1.0.x/index.md": _page("Home 1.0", "/", "Welcome to release one-oh."),
    "content/v1.0.x/guide/index.md": _page(
        "Guide", "/guide", 'Guide text alpha.\n\n{% image src="/images/v1.0/a.png" alt="An image" /%}'
    ),
    "content/v1.0.x/guide/old.md": _page("Old page", "/guide/old-page", "Only in one-oh; its parent is in the latest."),
    "content/v1.0.x/legacy/deep.md": _page("Deep legacy", "/legacy/deep", "Only in one-oh; no parent in the latest."),
    "content/v1.0.x/menu.md": _menu([("Guide", "/guide"), ("Guide / Old", "/guide/old-page"), ("Legacy", "/legacy/deep")]),
    # v1.1.x: the latest release
    "content/v1.1.x/index.md": _page("Home 1.1", "/", "Welcome to release one-one."),
    "content/v1.1.x/guide/index.md": _page(
        "Guide", "/guide", 'Guide text beta.\n\n{% partial file="/v1.0/x.md" /%}'
    ),
    "content/v1.1.x/guide/new.md": _page(
        "New page", "/guide/new-page", 'Only in one-one, kestrel.\n\n{% partial file="/v1.1/outer.md" /%}'
    ),
    "content/v1.1.x/guide/direct.md": _page(
        "Direct", "/guide/direct", 'Includes the inner partial itself.\n\n{% partial file="/v1.1/inner.md" /%}'
    ),
    "content/v1.1.x/guide/plain.md": _page("Plain", "/guide/plain", "No partials here, heron."),
    "content/v1.1.x/menu.md": _menu(
        [("Guide", "/guide"), ("Guide / New", "/guide/new-page"), ("Guide / Direct", "/guide/direct"), ("Guide / Plain", "/guide/plain")]
    ),
    # v1.2.x-SNAPSHOT: not released yet
    "content/v1.2.x-SNAPSHOT/index.md": _page("Home 1.2", "/", "Welcome to the next release."),
    "content/v1.2.x-SNAPSHOT/guide/index.md": _page("Guide", "/guide", "Guide text gamma."),
    "content/v1.2.x-SNAPSHOT/menu.md": _menu([("Guide", "/guide")]),
    # partials
    "content/partials/v1.0/x.md": "Shared partial text zebra.\n",
    "content/partials/v1.1/inner.md": "Inner partial text yak.\n",
    "content/partials/v1.1/outer.md": 'Outer partial text ocelot.\n\n{% partial file="/v1.1/inner.md" /%}\n',
}


def write_tree(root: Path) -> Path:
    """Write the small tree under ``root`` (created) and return ``root``."""
    for rel, text in TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    image = root / "images" / "v1.0" / "a.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(png_bytes())
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
