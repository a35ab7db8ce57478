"""Version awareness inside one version's build: banners and the data for place-keeping switches.

``om-markdoc build`` writes a manifest (all versions, the latest, each version's slugs) and
builds every version with it.  Each page then knows whether it is outdated or unreleased, and
where the same page lives in the latest version (the same slug, else the nearest existing
parent, else that version's home); the banner links there.  Each version's site also gets
``om-slugs.json``, which the version selector script uses to keep the reader's place.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.renderers.html import render_html
from ..core.tag import Tag
from ..site.slugpath import url_path


@dataclass(frozen=True)
class VersionManifest:
    current: str
    latest: str | None
    unreleased: frozenset[str]
    slugs: dict[str, frozenset[str]]

    @classmethod
    def load(cls, path: str | Path) -> VersionManifest:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(
            current=data["current"],
            latest=data.get("latest"),
            unreleased=frozenset(v["version"] for v in data.get("versions", []) if v.get("unreleased")),
            slugs={name: frozenset(items) for name, items in (data.get("slugs") or {}).items()},
        )

    def place_in(self, version: str, slug: str) -> str:
        """The slug itself if ``version`` has it, else its nearest existing parent, else ``/``."""
        known = self.slugs.get(version, frozenset())
        candidate = slug.rstrip("/") or "/"
        while candidate not in known and candidate != "/":
            candidate = posixpath.dirname(candidate) or "/"
        return candidate


def root_prefix(page_url: str) -> str:
    """``../`` steps from a page URL (``a/b/``) to its version's root."""
    depth = page_url.count("/") if page_url not in ("", "./") else 0
    return "../" * depth


def banner_html(manifest: VersionManifest, slug: str, page_url: str) -> str:
    """The outdated/unreleased notice for a page, in Material's admonition style ('' if none)."""
    current, latest = manifest.current, manifest.latest
    if current in manifest.unreleased:
        kind, text = "warning", f"You are reading the documentation of {current}, which is not released yet."
    elif latest and current != latest:
        kind, text = "info", f"You are reading the documentation of {current}, an older version."
    else:
        return ""
    children: list[Any] = [text]
    if latest and latest != current:
        target = manifest.place_in(latest, slug)
        href = root_prefix(page_url) + f"../{latest}/" + (url_path(target) + "/" if target != "/" else "")
        children += [" ", Tag("a", {"href": href}, [f"Go to {latest}" + (" (same page)" if target == slug else "")])]
    box = Tag("div", {"class": f"admonition {kind} om-version-banner", "role": "note"}, [Tag("p", {}, children)])
    return render_html(box)


def slugs_document(slugs: list[str]) -> str:
    """``om-slugs.json``: the slugs of this version, for the version selector script."""
    return json.dumps(sorted(set(slugs)), separators=(",", ":"))
