"""The checker's page-record cache: content-addressed records kept as one JSON file.

A page's render depends only on its text and the partials it read, so records are keyed by the
hash of the text and list the partials read with their hashes; the whole file is keyed by
om-markdoc's code and the project's folders, so a changed dialect never serves stale records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import write_atomic
from ..digest import digest, module_stamps
from ..site.pages import Page

CACHE_FORMAT = 3
CACHE_FILE = "check-pages.json"


def code_fingerprint() -> str:
    """om-markdoc's version plus the size and mtime of the modules that decide a render, so a
    changed dialect (even without a version bump) never serves stale records."""
    return digest(__version__, str(CACHE_FORMAT), *module_stamps("core", "dialect", "check", "site"))


def _page_to_json(page: Page, findings: list[list[Any]]) -> dict[str, Any]:
    return {
        "version": page.version, "rel": page.rel_path, "slug": page.slug, "title": page.title,
        "slug_line": page.slug_line, "body": page.body_start_line, "from_path": page.slug_from_path,
        "flag": page.edition_flag, "findings": findings,
    }  # fmt: skip


def _page_from_json(data: dict[str, Any], path: Path, file: str) -> Page:
    return Page(
        version=data["version"], path=path, rel_path=data["rel"], slug=data["slug"], title=data["title"], meta={},
        edition_only=data["flag"] is not None, file=file, slug_line=data["slug_line"], body_start_line=data["body"],
        slug_from_path=data["from_path"], edition_flag=data["flag"],
    )  # fmt: skip


def load_cache(cache_dir: Path | None, key: str) -> dict[str, Any]:
    empty: dict[str, Any] = {"renders": {}, "partials": {}, "pages": {}, "menus": {}}
    if cache_dir is None:
        return empty
    try:
        data = json.loads((cache_dir / CACHE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return empty
    if not isinstance(data, dict) or data.get("key") != key:
        return empty
    return {name: data.get(name) if isinstance(data.get(name), dict) else {} for name in empty}


def save_cache(cache_dir: Path | None, key: str, data: dict[str, Any]) -> None:
    if cache_dir is None:
        return
    try:
        write_atomic(cache_dir / CACHE_FILE, json.dumps({"key": key, **data}, separators=(",", ":")))
        ignore = cache_dir / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
    except OSError:
        pass  # a cache that cannot be written only costs time
