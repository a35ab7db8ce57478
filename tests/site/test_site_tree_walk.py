"""``walk_tree``, the one rule every walk of the tree follows (``site/files.py``), and the
``symlink-outside`` findings ``Project`` makes of what it refuses.  The front-door tests are
``tests/site_build/test_symlinks.py``; these pin the rule's corner cases: circles of links,
links to nothing, hidden names, a folder reached through a link."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.site.files import RefusedLink, walk_tree
from om_markdoc.site.project import Project


def _write(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {path.stem}\nslug: /{path.stem}\n---\n\n{name}\n", encoding="utf-8")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    _write(root, ["a/page.md", "b/other.md", ".hidden/x.md", "a/.dot.md"])
    _write(tmp_path / "outside", ["secret.md"])
    return root


def test_links_inside_are_followed_and_links_out_are_refused(docs: Path, tmp_path: Path) -> None:
    os.symlink("../b", docs / "a/to-b")
    os.symlink("../b/other.md", docs / "a/same.md")
    os.symlink(tmp_path / "outside", docs / "a/out")
    os.symlink(tmp_path / "outside/secret.md", docs / "b/out.md")
    os.symlink("nothing-here.md", docs / "b/dangling.md")  # nothing to read: left out, no finding
    walked = walk_tree(docs, [docs])
    assert walked.files == ("a/page.md", "a/same.md", "a/to-b/other.md", "b/other.md")
    assert walked.refused == (
        RefusedLink("a/out", str(tmp_path / "outside"), False),
        RefusedLink("a/to-b/out.md", str(tmp_path / "outside/secret.md"), False),
        RefusedLink("b/out.md", str(tmp_path / "outside/secret.md"), False),
    )


def test_a_link_is_judged_by_its_real_path_not_by_its_text(docs: Path, tmp_path: Path) -> None:
    os.symlink(tmp_path / "docs/../outside", docs / "a/dots")  # the text names docs, the path leaves it
    assert [link.rel for link in walk_tree(docs, [docs]).refused] == ["a/dots"]
    assert walk_tree(docs, [docs, tmp_path / "outside"]).files[:2] == ("a/dots/secret.md", "a/page.md")


def test_circles_of_links_end_and_are_refused(docs: Path) -> None:
    os.symlink("..", docs / "a/up")  # the folder that holds it
    os.symlink("../b", docs / "a/to-b")  # a -> b -> a: a circle of two
    os.symlink("../a", docs / "b/to-a")
    os.symlink("self", docs / "b/self")  # a link to itself
    walked = walk_tree(docs, [docs])
    assert {(link.rel, link.loop) for link in walked.refused} == {
        ("a/up", True),
        ("a/to-b/to-a", True),
        ("a/to-b/self", True),
        ("b/to-a/to-b", True),
        ("b/to-a/up", True),
        ("b/self", True),
    }
    assert walked.files == ("a/page.md", "a/to-b/other.md", "b/other.md", "b/to-a/page.md")


def test_check_reports_each_refused_link_of_every_project_folder(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    _write(tree, ["content/v1.0.x/index.md", "content/partials/v1.0/p.md", "images/v1.0/x.md"])
    _write(tmp_path / "outside", ["secret.md"])
    for link in ("content/v1.0.x/out", "content/partials/out", "images/v1.0/out"):
        os.symlink(tmp_path / "outside", tree / link)
    os.symlink("../../images", tree / "content/v1.0.x/pictures")  # inside another folder: followed
    assert [d.file for d in Project.load(tree).diagnostics if d.rule == "symlink-outside"] == [
        "content/partials/out",
        "content/v1.0.x/out",
        "content/v1.0.x/pictures/v1.0/out",
        "images/v1.0/out",
    ]
    report = run_check(tree, CheckOptions(use_cache=False, examples=False))
    found = {(f.file, f.line, f.column) for f in report.findings if f.rule == "symlink-outside"}
    assert found == {
        ("content/partials/out", 1, 1),
        ("content/v1.0.x/out", 1, 1),
        ("content/v1.0.x/pictures/v1.0/out", 1, 1),
        ("images/v1.0/out", 1, 1),
    }
