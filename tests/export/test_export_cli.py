"""``om-markdoc export --to markdown``, through the command line, on the small tree of ``tree.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import outside_code, raw_html
from .tree import PNG, make_tree


def export(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "om_markdoc", "export", *map(str, args)], capture_output=True, text=True, check=False
    )


Exported = tuple[Path, subprocess.CompletedProcess[str]]
"""The export folder and the finished command."""


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    root = tmp_path_factory.mktemp("export")
    tree = make_tree(root / "tree")
    out = root / "out"
    return out, export("--to", "markdown", tree, out)


def files_of(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_one_file_per_page_of_the_latest_version_and_only_the_images_used(exported: Exported) -> None:
    out, _run = exported
    assert files_of(out) == ["README.md", "connectors.md", "guide.md", "guide/steps.md", "images/v1.0/services.png", "index.md"]
    assert (out / "images/v1.0/services.png").read_bytes() == PNG  # the commercial-edition page is left out


def test_links_between_pages_are_relative_md_paths(exported: Exported) -> None:
    out, _run = exported
    guide = (out / "guide.md").read_text(encoding="utf-8")
    assert "[the steps](guide/steps.md#the-end)" in guide
    assert "![A partial image](images/v1.0/services.png)" in guide  # the partial is inlined, its image relative
    assert "[the old guide](/v0.9.x/old)" in guide  # another version's page: no --base-url, kept as written
    steps = (out / "guide/steps.md").read_text(encoding="utf-8")
    assert "Back [home](../index.md)." in steps
    assert "![The services page](../images/v1.0/services.png)" in steps
    for page in ("index.md", "guide.md", "guide/steps.md", "connectors.md"):
        text = (out / page).read_text(encoding="utf-8")
        assert "{%" not in outside_code(text) and raw_html(text) == []


def test_the_readme_lists_the_pages_in_menu_order(exported: Exported) -> None:
    out, _run = exported
    assert (out / "README.md").read_text(encoding="utf-8") == (
        "# Documentation v1.0.x\n\n- [Home](index.md)\n- [Guide](guide.md)\n  - [Steps](guide/steps.md)\n"
        "- [Connectors](connectors.md)\n"
    )


def test_a_broken_link_is_reported_where_it_is_written(exported: Exported) -> None:
    _out, run = exported
    assert run.returncode == 1
    assert "content/v1.0.x/guide/index.md:70:" in run.stderr
    assert "error: link to '/nowhere': no page in v1.0.x has slug /nowhere [link-broken]" in run.stderr
    assert "om-markdoc export: 4 page(s), 1 image(s) of v1.0.x" in run.stderr
    assert "Traceback" not in run.stderr


def test_base_url_and_version(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    run = export("--to", "markdown", tree, tmp_path / "new", "--base-url", "https://docs.example.org/")
    assert "[the old guide](https://docs.example.org/v0.9.x/old/)" in (tmp_path / "new/guide.md").read_text(encoding="utf-8")
    assert run.returncode == 1
    old = export("--to", "markdown", tree, tmp_path / "old", "--version", "v0.9.x")
    assert old.returncode == 0, old.stderr
    assert files_of(tmp_path / "old") == ["README.md", "old.md"]


def test_bad_requests_are_usage_errors_without_a_traceback(tmp_path: Path) -> None:
    tree = make_tree(tmp_path / "tree")
    unknown = export("--to", "markdown", tree, tmp_path / "out", "--version", "v9.9.x")
    assert unknown.returncode == 2
    assert "om-markdoc export: no version 'v9.9.x'" in unknown.stderr and "v1.0.x" in unknown.stderr
    inside = export("--to", "markdown", tree, tree / "content" / "out")
    assert inside.returncode == 2
    assert "lies inside the docs folder" in inside.stderr
    assert not (tree / "content" / "out").exists()
    assert "Traceback" not in unknown.stderr + inside.stderr


def test_nothing_lands_or_is_read_outside_the_tree_and_out(tmp_path: Path) -> None:
    """A slug climbing out of the site and an image path climbing out of the images folder:
    the page is written inside OUT, the outside file is neither copied nor linked."""
    tree = make_tree(tmp_path / "tree")
    (tmp_path / "secret.png").write_bytes(b"OUTSIDE-THE-TREE")
    (tree / "content/v1.0.x/climb.md").write_text(
        "---\ntitle: Climb\nslug: /../../climbed\n---\n\n# Climb\n\n![x](/images/../../secret.png)\n", encoding="utf-8"
    )
    run = export("--to", "markdown", tree, tmp_path / "out")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "content/v1.0.x/climb.md:8:" in run.stderr and "[image-missing]" in run.stderr
    assert (tmp_path / "out/climbed.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "secret.png", "tree"]
    assert b"OUTSIDE-THE-TREE" not in b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
