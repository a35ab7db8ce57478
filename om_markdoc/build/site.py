"""The deployable multi-version site: ``site/<version>/``, ``versions.json``, ``latest``, root redirect.

The layout is mike's, so Material's version selector works unchanged
(``extra.version.provider: mike``): ``versions.json`` lists ``{version, title, aliases}`` newest
first, the root redirects to the latest version, and ``latest/`` holds redirect pages to the same
page of the latest version.
"""

from __future__ import annotations

import json
import shutil
from html import escape
from pathlib import Path

from ..atomic import write_if_changed
from ..site.slugpath import url_path
from .plan import BuildPlan

STATE_DIR = ".om-markdoc"
"""om-markdoc's own files inside the site folder: the lock, manifests, caches, records, staging."""
RECORD = "published.json"
"""In a version's state folder: what its published folder was built from (``builder.Record``)."""


def versions_json(plan: BuildPlan) -> str:
    entries = [{"version": v.name, "title": v.title, "aliases": list(v.aliases)} for v in plan.versions]
    return json.dumps(entries, indent=2) + "\n"


_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
"""What JSON may hold that an HTML ``<script>`` may not: ``</script>`` and ``<!--`` end or bend
the script element.  U+2028/U+2029, which end a line in older JavaScript, are already written
as ``\\u2028``/``\\u2029`` by ``json.dumps`` (``ensure_ascii``)."""


def script_json(value: object) -> str:
    """``value`` as JSON that is safe inside ``<script>`` (and inside any HTML text)."""
    return json.dumps(value).translate(_SCRIPT_ESCAPES)


def redirect_page(target: str) -> str:
    """A page that sends the reader to ``target`` (a relative, percent-encoded URL), with and
    without JavaScript."""
    url = escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Redirecting</title>"
        f"<link rel=\"canonical\" href=\"{url}\"><meta http-equiv=\"refresh\" content=\"0; url={url}\">"
        f"<script>location.replace({script_json(target)} + location.hash)</script></head>"
        f"<body><a href=\"{url}\">Continue to {url}</a></body></html>\n"
    )


def manifest_for(plan: BuildPlan, current: str, slugs: dict[str, list[str]]) -> str:
    """The JSON the plugin reads to render banners and keep places across versions."""
    data = {
        "current": current,
        "latest": plan.latest,
        "versions": [{"version": v.name, "unreleased": v.prerelease} for v in plan.versions],
        "slugs": slugs,
    }
    return json.dumps(data, sort_keys=True)


def write_root(plan: BuildPlan, site_dir: Path) -> None:
    """``versions.json``, the root redirect and the ``latest`` alias; versions gone from the tree
    leave the site."""
    remove_stale_versions(plan, site_dir)
    write_if_changed(site_dir / "versions.json", versions_json(plan))
    default = plan.latest or (plan.versions[0].name if plan.versions else None)
    if default is None:
        return
    write_if_changed(site_dir / "index.html", redirect_page(f"{default}/"))
    if plan.latest:
        _write_alias(site_dir, "latest", plan.latest)


def remove_stale_versions(plan: BuildPlan, site_dir: Path) -> None:
    """Remove the output and state of versions no longer in the tree (a removed version folder),
    which a clean build would not have.  Only folders om-markdoc built are touched: those with a
    manifest in the state folder (written before a version's build starts, so a version whose
    build was interrupted is known too)."""
    current = {v.name for v in plan.versions}
    for stamp in sorted((site_dir / STATE_DIR).glob("*/manifest.json")):
        name = stamp.parent.name
        if name not in current:
            shutil.rmtree(site_dir / name, ignore_errors=True)
            shutil.rmtree(stamp.parent, ignore_errors=True)


def _write_alias(site_dir: Path, alias: str, version: str) -> None:
    """``<alias>/<page>/index.html`` redirecting to ``<version>/<page>/`` for every page.

    Redirects of pages that no longer exist are removed, so an alias never leads to a 404."""
    source = site_dir / version
    wanted: set[Path] = set()
    for page in page_files(source):
        rel = page.relative_to(source)
        depth = len(rel.parts)  # alias/<parts...>/<name>.html → climb to the site root
        if rel.name == "index.html":
            path = url_path("/".join(rel.parts[:-1])) + ("/" if len(rel.parts) > 1 else "")
        else:  # a site without directory URLs (Material's offline plugin): pages are files
            path = url_path(rel.as_posix())
        wanted.add(site_dir / alias / rel)
        write_if_changed(site_dir / alias / rel, redirect_page("../" * depth + f"{version}/" + path))
    for stale in [p for p in (site_dir / alias).rglob("*.html") if p not in wanted]:
        stale.unlink()


def page_files(folder: Path) -> list[Path]:
    """The pages a built version folder holds: ``<slug>/index.html``, or ``<slug>.html`` when the
    site has no directory URLs; not its 404 page, theme assets, search or om-markdoc's state."""
    pages = []
    for page in folder.rglob("*.html"):
        rel = page.relative_to(folder)
        if rel.parts[0] in (STATE_DIR, "assets", "search") or rel.as_posix() == "404.html":
            continue
        pages.append(page)
    return sorted(pages)
