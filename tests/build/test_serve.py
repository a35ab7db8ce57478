"""``om-markdoc serve`` through its front door: a real server process on a free port of
127.0.0.1, asked over HTTP, its stderr read for the lines it prints per build.

The tree is ``tests.build.write_tree``'s OpenMetadata layout (no ``mkdocs.yml``: serve generates
one), written to a temporary folder; the version served is the latest, ``v1.1.x``.  Every wait
is bounded, and every assertion is on what was served or on how many builds ran.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from . import edit, write_tree
from .differential import ServeProcess

QUIET_SECONDS = 4.0
"""How long a test waits for a rebuild nothing asked for (serve's watcher reacts within 0.25 s)."""
SERVING_RE = re.compile(r"^om-markdoc serve: serving http://127\.0\.0\.1:(\d+)/")
BUILDING_RE = re.compile(r"^om-markdoc serve: building ")


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "tree")


@pytest.fixture()
def serve(tree: Path, tmp_path: Path):
    with ServeProcess(tree, tmp_path / "tmp") as server:
        server.built(1)
        yield server


def text(body: bytes) -> str:
    return body.decode("utf-8")


def search_docs(server: ServeProcess) -> list[dict[str, str]]:
    status, body = server.get("/search/search_index.json")
    assert status == 200
    return json.loads(body)["docs"]


def epoch(server: ServeProcess) -> bytes:
    """The live-reload epoch browsers poll: it moves each time open pages are told to reload."""
    status, body = server.get("/livereload/0/0")
    assert status == 200 and body.isdigit(), body
    return body


# --- it settles -----------------------------------------------------------------------------------


def test_one_edit_one_rebuild_then_quiet(serve: ServeProcess, tree: Path) -> None:
    """The generated mkdocs.yml is neither rewritten unchanged nor watched: one save, one rebuild,
    then nothing (it used to rebuild and reload browsers every second from then on)."""
    detected = re.compile(r"Detected file changes")
    started = serve.count(detected)  # the initial build's rounds (the home page first, then the rest)
    serve.after(lambda: edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret"))
    assert "heron and egret" in text(serve.get("/guide/plain/")[1])
    reloaded = epoch(serve)
    assert not serve.wait_for(re.compile(r"^om-markdoc serve: rebuilt "), 2, timeout=QUIET_SECONDS), serve.log()
    assert serve.builds == 2  # the first build and the one for the save
    assert serve.count(detected) == started + 1
    assert epoch(serve) == reloaded


def test_a_second_save_is_a_second_rebuild(serve: ServeProcess, tree: Path) -> None:
    page = tree / "content/v1.1.x/guide/plain.md"
    serve.after(lambda: edit(page, "heron", "heron and egret"))
    serve.after(lambda: edit(page, "egret", "egret and ibis"))
    assert "heron and egret and ibis" in text(serve.get("/guide/plain/")[1])
    assert not serve.wait_for(re.compile(r"^om-markdoc serve: rebuilt "), 3, timeout=QUIET_SECONDS), serve.log()
    assert serve.builds == 3


# --- what is served equals what the tree says ----------------------------------------------------------


def test_a_deleted_page_answers_404(serve: ServeProcess, tree: Path) -> None:
    assert serve.get("/guide/plain/")[0] == 200
    serve.after(lambda: (tree / "content/v1.1.x/guide/plain.md").unlink())
    assert serve.get("/guide/plain/")[0] == 404
    assert serve.get("/guide/")[0] == 200
    assert "guide/plain/" not in {d["location"].split("#")[0] for d in search_docs(serve)}


def test_a_moved_slug_answers_at_its_new_url_only(serve: ServeProcess, tree: Path) -> None:
    serve.after(lambda: edit(tree / "content/v1.1.x/guide/plain.md", "slug: /guide/plain", "slug: /guide/simple"))
    assert serve.get("/guide/plain/")[0] == 404
    status, body = serve.get("/guide/simple/")
    assert status == 200 and "heron" in text(body)


def test_a_removed_image_answers_404(tree: Path, tmp_path: Path) -> None:
    with ServeProcess(tree, tmp_path / "tmp", "--version", "v1.0.x") as server:
        server.built(1)
        assert server.get("/images/v1.0/a.png")[0] == 200
        server.after(lambda: (tree / "images/v1.0/a.png").unlink())
        assert server.get("/images/v1.0/a.png")[0] == 404


def test_removing_an_image_shows_its_problem_on_the_pages_that_show_it(tree: Path, tmp_path: Path) -> None:
    """The page showing the image is not the one saved, yet its problem box must say the image
    is gone, as a clean build's does."""
    with ServeProcess(tree, tmp_path / "tmp", "--version", "v1.0.x") as server:
        server.built(1)
        assert "image-missing" not in text(server.get("/guide/")[1])
        server.after(lambda: (tree / "images/v1.0/a.png").unlink())
        status, body = server.get("/guide/")
        assert status == 200 and "image-missing" in text(body) and "om-problems" in text(body)


def test_a_rebuild_of_several_pages_indexes_each_once(serve: ServeProcess, tree: Path) -> None:
    """Removing a partial re-renders the two pages that include it: each keeps one entry."""
    serve.after(lambda: (tree / "content/partials/v1.1/inner.md").unlink())
    pages = [d["location"].split("#")[0] for d in search_docs(serve) if d["location"] == d["location"].split("#")[0]]
    assert sorted(pages) == ["", "guide/", "guide/direct/", "guide/new-page/", "guide/plain/"]


def test_search_has_the_home_page_and_not_the_problem_box(serve: ServeProcess, tree: Path) -> None:
    assert "" in {d["location"] for d in search_docs(serve)}
    page = tree / "content/v1.1.x/guide/plain.md"
    serve.after(lambda: page.write_text(page.read_text(encoding="utf-8") + "\n[gone](/no/such/page)\n", encoding="utf-8"))
    status, body = serve.get("/guide/plain/")
    assert status == 200 and "om-problems" in text(body)
    docs = search_docs(serve)
    assert "" in {d["location"] for d in docs}  # the home page was left alone by this rebuild, and kept
    plain = " ".join(d["text"] + d["title"] for d in docs if d["location"].startswith("guide/plain/"))
    assert "heron" in plain
    assert "problem(s) on this page" not in plain and "link-broken" not in plain


def test_an_empty_home_page_is_in_search(tree: Path, tmp_path: Path) -> None:
    """The corpus' home pages are empty files: the home page is still found by its title."""
    (tree / "content/v1.1.x/index.md").write_bytes(b"")
    with ServeProcess(tree, tmp_path / "tmp") as server:
        server.built(1)
        assert server.get("/")[0] == 200
        home = [d for d in search_docs(server) if d["location"] == ""]
        assert [d["title"] for d in home] == ["Home"] and home[0]["text"] == ""


def test_a_version_without_a_home_page_is_reported(tree: Path, tmp_path: Path) -> None:
    """One corpus version has no home page at all: serve says so instead of a silent 404."""
    (tree / "content/v1.0.x/index.md").unlink()
    with ServeProcess(tree, tmp_path / "tmp", "--all") as server:
        server.built(1)
        assert server.get("/v1.0.x/")[0] == 404
        missing = [line for line in server.log().splitlines() if "has no home page" in line]
        assert missing == ["om-markdoc serve: v1.0.x has no home page (no page with the slug /): /v1.0.x/ answers 404"]


# --- starting and stopping ------------------------------------------------------------------------------


def test_the_url_comes_before_the_first_build(tree: Path, tmp_path: Path) -> None:
    with ServeProcess(tree, tmp_path / "tmp") as server:
        server.built(1)
        lines = server.log().splitlines()
        serving = next(i for i, line in enumerate(lines) if SERVING_RE.search(line))
        building = next(i for i, line in enumerate(lines) if BUILDING_RE.search(line))
        assert serving < building
        assert SERVING_RE.search(lines[serving]).group(1) == str(server.port)  # type: ignore[union-attr]
        assert "v1.1.x" in lines[building] and "5 pages, / first" in lines[building]
        # the home page is built (and served) first, the four other pages by the build right after
        done = [line for line in lines if re.match(r"om-markdoc serve: built ", line)]
        assert [line.split(":")[1].split(" in ")[0] for line in done] == [
            " built the first pages of v1.1.x", " built v1.1.x",
        ], done
        assert "1 pages rendered" in done[0] and "4 pages rendered" in done[1]


def test_sigterm_removes_the_temporary_folders(tree: Path, tmp_path: Path) -> None:
    tmp = tmp_path / "tmp"
    server = ServeProcess(tree, tmp)
    try:
        server.built(1)
        assert server.get("/")[0] == 200
        assert len(list(tmp.glob("om-markdoc-*"))) == 2  # the site and the generated config
    finally:
        server.stop()
    assert list(tmp.glob("om-markdoc-*")) == []


def test_all_versions_root_leads_to_the_latest(tree: Path, tmp_path: Path) -> None:
    with ServeProcess(tree, tmp_path / "tmp", "--all") as server:
        server.built(1)
        status, body = server.get("/")
        assert status == 200 and 'url=v1.1.x/"' in text(body)
        for version in ("v1.0.x", "v1.1.x", "v1.2.x-SNAPSHOT"):
            assert server.get(f"/{version}/")[0] == 200
