"""Serve-style incremental rebuilds: which pages a dirty rebuild renders after an edit.

The rebuilds run in this process as ``om-markdoc serve`` runs them: a fresh config per rebuild
from ``om_markdoc.build.serve._loader``, ``on_startup(command="serve", dirty=True)`` once, then
``mkdocs.commands.build.build(config, dirty=True)``.  ``DialectRenderer.render`` is wrapped to
record the ``file`` of every page rendered.  The tree is ``tests.build.write_tree``'s, in a
temporary folder; the version served is ``v1.1.x``, whose pages include partials directly, through
another partial, and across versions.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build

from om_markdoc.build.builder import build_site
from om_markdoc.build.plan import plan_build
from om_markdoc.build.serve import _loader
from om_markdoc.build.site import STATE_DIR
from om_markdoc.dialect.pipeline import DialectRenderer
from om_markdoc.mkdocs_plugin import incremental
from om_markdoc.mkdocs_plugin.incremental import CACHE_FILE

from . import edit, write_tree

VERSION = "v1.1.x"
ALL_PAGES = {f"content/{VERSION}/index.md", f"content/{VERSION}/guide/index.md", f"content/{VERSION}/guide/new.md", f"content/{VERSION}/guide/direct.md", f"content/{VERSION}/guide/plain.md"}


class Recorder:
    """Collects the ``file`` argument of every ``DialectRenderer.render`` call."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        original = DialectRenderer.render
        recorder = self

        def render(self: DialectRenderer, source: str, *, file: str, **kwargs: Any):
            recorder.files.append(file)
            return original(self, source, file=file, **kwargs)

        monkeypatch.setattr(DialectRenderer, "render", render)

    def take(self) -> set[str]:
        files, self.files = self.files, []
        assert len(files) == len(set(files)), f"a page was rendered twice: {files}"
        return set(files)


class Session:
    """One ``serve`` session: a tree, its site folder, and rebuilds."""

    def __init__(self, root: Path, recorder: Recorder) -> None:
        self.tree = write_tree(root / "tree")
        self.site = root / "site"
        work = root / "work"
        work.mkdir()
        self.recorder = recorder
        self.get_config = _loader(plan_build(self.tree), VERSION, self.site, work, None)
        config = self.get_config()
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, dirty=True)
        assert recorder.take() == ALL_PAGES

    def rebuild(self) -> set[str]:
        build(self.get_config(), dirty=True)
        return self.recorder.take()

    def html(self, rel: str) -> str:
        return (self.site / rel / "index.html").read_text(encoding="utf-8")

    def search_docs(self) -> list[dict[str, Any]]:
        return json.loads((self.site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


@pytest.fixture
def session(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Session:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)  # the "dirty build" warning, each rebuild
    monkeypatch.setattr(incremental, "_MEMORY", {})
    return Session(tmp_path, Recorder(monkeypatch))


def test_noop_rebuild_renders_nothing(session: Session) -> None:
    assert session.rebuild() == set()
    assert session.rebuild() == set()


def test_page_edit_renders_exactly_that_page(session: Session) -> None:
    edit(session.tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    assert "heron and egret" in session.html("guide/plain")
    assert session.rebuild() == set()


@pytest.mark.parametrize(
    ("partial", "old", "includers"),
    [
        # included by guide/direct.md directly and by guide/new.md through outer.md
        ("v1.1/inner.md", "yak", {"guide/direct.md", "guide/new.md"}),
        # included by guide/new.md only
        ("v1.1/outer.md", "ocelot", {"guide/new.md"}),
        # a v1.0 partial included by a v1.1.x page (cross-version)
        ("v1.0/x.md", "zebra", {"guide/index.md"}),
    ],
)
def test_partial_edit_renders_exactly_its_includers(session: Session, partial: str, old: str, includers: set[str]) -> None:
    edit(session.tree / "content/partials" / partial, old, f"{old} and lynx")
    assert session.rebuild() == {f"content/{VERSION}/{page}" for page in includers}
    for page in includers:
        rel = {"guide/direct.md": "guide/direct", "guide/new.md": "guide/new-page", "guide/index.md": "guide"}[page]
        assert f"{old} and lynx" in session.html(rel)
    assert session.rebuild() == set()


def test_creating_a_missing_partial_renders_its_includer(session: Session) -> None:
    edit(session.tree / "content/v1.1.x/guide/plain.md", "heron.", 'heron.\n\n{% partial file="/v1.1/later.md" /%}')
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    (session.tree / "content/partials/v1.1/later.md").write_text("Later text lemur.\n", encoding="utf-8")
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    assert "Later text lemur." in session.html("guide/plain")


def test_menu_edit_renders_no_page_but_rebuilds_every_navigation(session: Session) -> None:
    """A menu is navigation only: every page's HTML shows the new label, and no page's
    Markdoc is rendered again (bodies are reused as last rendered)."""
    edit(session.tree / "content/v1.1.x/menu.md", "Guide / Plain", "Guide / Plain and simple")
    assert session.rebuild() == set()
    for rel in ("guide", "guide/new-page", "guide/plain"):
        assert "Plain and simple" in session.html(rel), rel
    assert session.rebuild() == set()


def test_heading_edit_renders_only_its_page(session: Session) -> None:
    """A page's first heading is its sidebar label, which every page's navigation may show, but
    only its own page's body depends on it."""
    output = session.site / "guide" / "plain" / "index.html"
    output.write_text("stale", encoding="utf-8")  # the navigation rebuild must replace it
    edit(session.tree / "content/v1.1.x/guide/direct.md", "# Direct", "# Directly retitled")
    assert session.rebuild() == {"content/v1.1.x/guide/direct.md"}
    assert "heron" in session.html("guide/plain")
    assert "Directly retitled" in session.html("guide/direct")
    assert session.rebuild() == set()


def test_title_edit_renders_only_its_page(session: Session) -> None:
    """A front-matter title is the browser tab's (and search engines'), not the sidebar's: only
    its own page is built again."""
    edit(session.tree / "content/v1.1.x/guide/direct.md", "title: Direct", "title: Directly retitled")
    assert session.rebuild() == {"content/v1.1.x/guide/direct.md"}
    assert "<title>Directly retitled" in session.html("guide/direct")
    assert session.rebuild() == set()


def test_search_index_keeps_pages_that_were_not_rendered(session: Session) -> None:
    before = session.search_docs()
    locations = {d["location"].split("#")[0] for d in before}
    assert {"", "guide/", "guide/new-page/", "guide/direct/", "guide/plain/"} <= locations
    edit(session.tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    after = session.search_docs()
    assert {d["location"].split("#")[0] for d in after} == locations
    # entries of the pages left alone are unchanged, the edited page's carry the new text
    untouched = [d for d in before if not d["location"].startswith("guide/plain/")]
    assert all(entry in after for entry in untouched)
    plain = " ".join(d["text"] for d in after if d["location"].startswith("guide/plain/"))
    assert "heron and egret" in plain
    assert len([d for d in after if d["location"] == "guide/plain/"]) == 1
    # and again after a no-op rebuild
    assert session.rebuild() == set()
    assert session.search_docs() == after


# --- om-markdoc build: the on-disk page cache ------------------------------------------------------


@pytest.mark.parametrize("damage", ["intact", "garbage", "truncated", "wrong-shape", "search-garbage", "missing"])
def test_corrupt_cache_only_costs_a_full_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    monkeypatch.setattr(incremental, "_MEMORY", {})
    recorder = Recorder(monkeypatch)
    tree = write_tree(tmp_path / "tree")
    site = tmp_path / "site"
    report = build_site(plan_build(tree), site, versions=[VERSION], jobs=1)
    assert report.ok and recorder.take() == ALL_PAGES
    cache = site / STATE_DIR / VERSION / "cache"
    pages = cache / CACHE_FILE
    assert json.loads(pages.read_text(encoding="utf-8"))["format"] == incremental.FORMAT
    if damage == "garbage":
        pages.write_bytes(b"\x00\xffnot json at all{{{")
    elif damage == "truncated":
        pages.write_text(pages.read_text(encoding="utf-8")[:40], encoding="utf-8")
    elif damage == "wrong-shape":
        pages.write_text(json.dumps({"format": incremental.FORMAT, "pages": {"v1.1.x/index.md": "oops"}}), encoding="utf-8")
    elif damage == "search-garbage":
        pages.write_text(json.dumps({**json.loads(pages.read_text(encoding="utf-8")), "search": 7}), encoding="utf-8")
    elif damage == "missing":
        pages.unlink()
    monkeypatch.setattr(incremental, "_MEMORY", {})  # a new `om-markdoc build` process
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    report = build_site(plan_build(tree), site, versions=[VERSION], jobs=1)
    assert report.ok, [r.error for r in report.results]
    assert not report.results[0].skipped
    assert recorder.take() == ({f"content/{VERSION}/guide/plain.md"} if damage == "intact" else ALL_PAGES)
    assert "heron and egret" in (site / VERSION / "guide" / "plain" / "index.html").read_text(encoding="utf-8")
    docs = json.loads((site / VERSION / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert {"", "guide/", "guide/plain/"} <= {d["location"].split("#")[0] for d in docs}
    # the cache is sound again
    assert json.loads(pages.read_text(encoding="utf-8"))["format"] == incremental.FORMAT


def test_serve_shows_problems_on_the_page_and_keeps_serving(session: Session) -> None:
    page = session.tree / "content/v1.1.x/guide/plain.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n{% note %}\nnever closed\n", encoding="utf-8")
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    html = session.html("guide/plain")
    assert 'class="admonition failure om-problems"' in html
    assert "missing-closing" in html and "v1.1.x/guide/plain.md:" in html
    assert "never closed" in html  # the rest of the page still renders
    # fixing the page removes the panel on the next rebuild
    page.write_text(page.read_text(encoding="utf-8").replace("{% note %}\nnever closed\n", ""), encoding="utf-8")
    assert session.rebuild() == {f"content/{VERSION}/guide/plain.md"}
    assert "om-problems" not in session.html("guide/plain")
