"""The incremental ``om-markdoc build`` writes what a clean build writes (issue #10).

``test_random_edits_build_like_a_clean_build`` is the bounded differential run (a few seeds, a few
steps each, on a reduced copy of a corpus version: see ``tests.build.differential``); the long run
is ``benchmarks/fuzz_incremental.py --steps N --seed S``.  The other tests are the bugs it found,
each reduced to the small tree of ``tests.build.write_tree``, and a check that the comparison does
fail when the incremental build is wrong.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from om_markdoc.build.builder import build_site
from om_markdoc.build.plan import plan_build
from om_markdoc.build.site import STATE_DIR
from om_markdoc.mkdocs_plugin import plugin

from . import VERSIONS, edit, png_bytes, write_tree
from .differential import (
    CORPUS,
    SERVE_EDITS,
    DifferentialFailure,
    build,
    comparable,
    differences,
    rebuild_and_compare,
    run,
    run_serve,
    snapshot,
)

SEEDS = (1, 2)
STEPS = 11
"""Every kind of edit once per seed (eleven kinds), in a seeded order."""
PAGES = 60
OLD = 1_600_000_000 * 10**9
"""A modification time (ns, 2020) older than any output file."""


@pytest.mark.corpus
@pytest.mark.parametrize("seed", SEEDS)
def test_random_edits_build_like_a_clean_build(tmp_path: Path, seed: int) -> None:
    if not (CORPUS / "content").is_dir():
        pytest.fail(f"corpus not found at {CORPUS} (it lives in ../shared beside the repository)")
    history = run(seed, STEPS, tmp_path, pages=PAGES)
    assert len(history) == STEPS
    kinds = ("body of", "included partial", "menu entry", "add the image", "remove the image", "add the page",
             "remove the page", "change the slug", "change the title", "add the version folder", "remove the version folder")
    missing = [kind for kind in kinds if not any(kind in what for what in history)]
    assert not missing, f"seed {seed} made no edit of kind {missing}: {history}"


SERVE_SEED = 3
SERVE_PAGES = 20


@pytest.mark.corpus
def test_random_edits_under_serve_show_what_a_clean_build_shows(tmp_path: Path) -> None:
    """A live ``om-markdoc serve``, every serve edit kind once (renames, partial removal, a cycle
    made and fixed, a save cut short, a save that changes nothing among them): after each
    rebuild, what it serves over HTTP equals a clean build of the tree."""
    if not (CORPUS / "content").is_dir():
        pytest.fail(f"corpus not found at {CORPUS} (it lives in ../shared beside the repository)")
    history = run_serve(SERVE_SEED, len(SERVE_EDITS), tmp_path, pages=SERVE_PAGES)
    kinds = ("rename the page", "rename the partial", "remove the included partial", "include itself",
             "remove the self-include", "bytes", "unchanged", "remove the page", "change the slug")
    missing = [kind for kind in kinds if not any(kind in what for what in history)]
    assert not missing, f"seed {SERVE_SEED} made no edit of kind {missing}: {history}"


def test_serve_comparison_sees_a_stale_page_and_leaves_out_only_partial_problems() -> None:
    def page(*problems: str, body: str = "B") -> bytes:
        items = "".join(f"<li><code>{p}</code></li>" for p in problems)
        box = f'<div class="admonition failure om-problems" data-search-exclude=""><p>{len(problems)} problem(s)</p><ul>{items}</ul></div>'
        return f"<html><body>{box}{body}</body></html>".encode()

    own = "content/v1.4.x/a.md:3:1: error: x [link-broken]"
    partial = "content/partials/v1.4/p.md:1:1: error: y [parse-error]"
    clean = {"a/index.html": page(own), "search/search_index.json": b'{"docs":[1,2]}'}
    assert differences(comparable({**clean, "a/index.html": page(own, partial)}), comparable(clean)) == []
    assert differences(comparable({**clean, "gone/index.html": page()}), comparable(clean)) == ["only in the incremental output: gone/index.html"]
    for changed in (page(own, body="C"), page(), page(own, f"{partial} (via content/v1.4.x/a.md:2)")):
        found = differences(comparable({**clean, "a/index.html": changed}), comparable(clean))
        assert [d.split("\n")[0] for d in found] == ["differs: a/index.html"]
    reordered = {**clean, "search/search_index.json": b'{"docs":[2,1]}'}
    assert [d.split("\n")[0] for d in differences(comparable(reordered), comparable(clean))] == ["differs: search/search_index.json"]


# --- the comparison itself ---------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """The small three-version tree, built once (as ``om-markdoc build`` would: jobs=1 here)."""
    tree = write_tree(tmp_path / "tree")
    site = tmp_path / "site"
    build(tree, site)
    return tree, site


def test_comparison_sees_a_broken_search_merge(built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The differential check can fail: with the search merge disabled, an incremental build that
    leaves pages alone loses their search entries, and the comparison says so."""
    tree, site = built
    monkeypatch.setattr(plugin, "merge_search", lambda index, kept, previous: json.loads(index.read_text())["docs"])
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    found = rebuild_and_compare(tree, site, tmp_path / "clean")
    assert found and all("search/search_index.json" in line for line in found), found
    assert any('"location": "guide/direct/"' in line for line in found), found


def test_comparison_ignores_only_sitemap_dates(tmp_path: Path) -> None:
    sitemap = b"<urlset><url><loc>a/</loc><lastmod>%s</lastmod></url></urlset>"
    for name, content in (("one", sitemap % b"2024-01-01"), ("two", sitemap % b"2031-12-31")):
        (tmp_path / name / "v1.0.x").mkdir(parents=True)
        (tmp_path / name / "v1.0.x" / "sitemap.xml").write_bytes(content)
        (tmp_path / name / "v1.0.x" / "index.html").write_bytes(b"<p>" + name.encode() + b"</p>")
        (tmp_path / name / ".om-markdoc").mkdir()
        (tmp_path / name / ".om-markdoc" / "state").write_text(name)
    found = differences(snapshot(tmp_path / "one"), snapshot(tmp_path / "two"))
    assert len(found) == 1 and found[0].startswith("differs: v1.0.x/index.html"), found


def test_failure_names_seed_edits_and_replay() -> None:
    from .differential import failure

    message = str(failure(7, 40, 60, 3, ["edit a", "edit b", "edit c"], ["differs: x"]))
    assert "seed 7" in message and "after step 3" in message and "  2. edit b" in message
    assert "benchmarks/fuzz_incremental.py --seed 7 --steps 3 --pages 60" in message
    assert isinstance(failure(1, 1, 1, 1, [], []), AssertionError) and issubclass(DifferentialFailure, AssertionError)


# --- bugs the differential run found -----------------------------------------------------------


def test_home_page_left_alone_keeps_its_search_entries(built: tuple[Path, Path], tmp_path: Path) -> None:
    """MkDocs calls the home page ``./`` (``File.url``, the plugin's kept pages) and ``""`` (its
    search location): the merge dropped the home page's entries from the first incremental build
    that did not render it."""
    tree, site = built
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []
    docs = json.loads((site / "v1.1.x" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    assert [d["title"] for d in docs if d["location"] == ""] == ["Home 1.1"]


def test_rendered_page_keeps_its_place_in_the_search_index(built: tuple[Path, Path], tmp_path: Path) -> None:
    """The merge put the entries of the pages left alone first and those rendered again last: the
    same entries as a clean build's index, in another order (search ranks ties by that order)."""
    tree, site = built
    before = [d["location"] for d in json.loads((site / "v1.1.x/search/search_index.json").read_text(encoding="utf-8"))["docs"]]
    edit(tree / "content/v1.1.x/guide/index.md", "beta", "beta and gamma")  # not the last page
    assert before[-1].split("#")[0] != "guide/"
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []
    after = [d["location"] for d in json.loads((site / "v1.1.x/search/search_index.json").read_text(encoding="utf-8"))["docs"]]
    assert after == before


def test_added_page_takes_its_place_in_the_search_index_of_a_full_rebuild(built: tuple[Path, Path], tmp_path: Path) -> None:
    """A new page forces a full (not dirty) build that still merges with the cached index: its
    pages must keep the order they were rendered in, not the previous index's."""
    tree, site = built
    (tree / "content/v1.1.x/guide/another.md").write_text("---\ntitle: Another\nslug: /guide/another\n---\n\nText.\n", encoding="utf-8")
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []


@pytest.mark.parametrize("version", ["v1.2.x-SNAPSHOT", "v1.0.x"])
def test_removed_version_folder_leaves_the_site(built: tuple[Path, Path], tmp_path: Path, version: str) -> None:
    """The output of a version whose folder was removed stayed in the site (reachable, though
    ``versions.json`` no longer listed it); a clean build has none."""
    tree, site = built
    shutil.rmtree(tree / "content" / version)
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []
    assert not (site / version).exists() and not (site / STATE_DIR / version).exists()
    assert [v["version"] for v in json.loads((site / "versions.json").read_text(encoding="utf-8"))] == [
        v for v in VERSIONS if v != version
    ]


def test_stale_version_removal_keeps_what_it_did_not_build(built: tuple[Path, Path]) -> None:
    """Only folders with a manifest in the state folder are removed: not a folder someone put
    in the site, nor a version of the tree that was not asked for."""
    tree, site = built
    (site / "v0.9.x").mkdir()
    (site / "v0.9.x" / "index.html").write_text("kept", encoding="utf-8")
    report = build_site(plan_build(tree), site, versions=["v1.1.x"], jobs=1)
    assert report.ok
    assert (site / "v0.9.x" / "index.html").read_text(encoding="utf-8") == "kept"
    assert all((site / v / "index.html").is_file() for v in VERSIONS)


def test_removed_image_leaves_the_incremental_output(built: tuple[Path, Path], tmp_path: Path) -> None:
    tree, site = built
    assert (site / "images" / "v1.0" / "a.png").is_file()  # published once, beside the versions
    (tree / "images" / "v1.0" / "a.png").unlink()
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []
    assert not (site / "images" / "v1.0" / "a.png").exists()


def test_replaced_image_with_an_older_time_is_copied(tmp_path: Path) -> None:
    """An image replaced by a file whose modification time is older than the output's copy (as
    ``tar x``, ``cp -p`` or ``rsync -a`` leave it) kept its old bytes in the incremental output."""
    tree = write_tree(tmp_path / "tree")
    image = tree / "images" / "v1.0" / "a.png"
    os.utime(image, ns=(OLD, OLD))
    site = tmp_path / "site"
    build(tree, site)
    image.write_bytes(png_bytes() + b"replaced")
    os.utime(image, ns=(OLD + 10**9, OLD + 10**9))  # changed, but long before the output was written
    assert rebuild_and_compare(tree, site, tmp_path / "clean") == []


def test_page_cache_of_a_version_holds_only_its_pages(built: tuple[Path, Path]) -> None:
    """Versions built one after the other in one process (``--jobs 1``) share the plugin instance:
    each version's page cache also held the records of the versions built before it."""
    _, site = built
    for version in VERSIONS:
        pages = json.loads((site / STATE_DIR / version / "cache" / "pages.json").read_text(encoding="utf-8"))["pages"]
        assert {key.split("/", 1)[0] for key in pages} == {version}, sorted(pages)
