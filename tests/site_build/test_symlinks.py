"""Symbolic links in every folder role, through ``om-markdoc build``, ``mkdocs build`` and
``om-markdoc check``: nothing outside the tree reaches the site, each refused link is a
``symlink-outside`` finding naming it, and the build and the check report the same set.

Links that stay inside the tree are followed (a folder shared by two versions, the images
folder seen from a version folder); one that repeats a version's own pages makes their slugs
collide, which both report.  The fuzz at the end puts seeded random links in every folder role;
``benchmarks/fuzz_tree.py`` runs it for as long as asked.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.cli import main
from om_markdoc.rules import BUILD_RULES

from .conftest import build_site
from .symlink_trees import (
    HOSTILE_OUTSIDE,
    HOSTILE_ROUTES,
    SECRET,
    base_tree,
    fuzz_one,
    hostile_links,
    leaked_files,
    link,
    refused,
)
from .test_parity import logged

SUMMARY_LINE = re.compile(r"^\s+(?P<file>[^\s:][^:]*):(?P<line>\d+):\d+: (?:error|warning|info): .* \[(?P<rule>[a-z0-9-]+)\]$")
FUZZ_SEEDS = range(6)


def _cli_check(tree: Path, capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str, int]]:
    main(["check", str(tree), "--no-cache", "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert not any(SECRET in f["message"] for f in findings)
    return {(f["rule"], f["file"], f["line"]) for f in findings if f["rule"] in BUILD_RULES}


def _cli_build(tree: Path, site: Path, capsys: pytest.CaptureFixture[str]) -> set[tuple[str, str, int]]:
    main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--problems", "1000"])
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err
    lines = (SUMMARY_LINE.match(line) for line in (captured.out + captured.err).splitlines())
    return {(m["rule"], m["file"], int(m["line"])) for m in lines if m is not None and m["rule"] in BUILD_RULES}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    tree, outside = base_tree(tmp_path, mkdocs_yml=False)
    hostile_links(tree, outside)
    return tree


def test_om_markdoc_build_and_check_refuse_every_outside_link_alike(hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    built = _cli_build(hostile, site, capsys)
    checked = _cli_check(hostile, capsys)
    assert leaked_files(site) == []
    assert refused(checked) == {*HOSTILE_OUTSIDE, *HOSTILE_ROUTES}
    assert (sorted(built - checked), sorted(checked - built)) == ([], []), "build-only, check-only"
    # the partials folder's other files are no files of the site: a link to one is reported
    assert ("link-broken", "content/v1.0.x/index.md", 14) in checked
    # a link repeating a version's own pages is not silent: the repeated slugs collide (the same
    # text either way; the first path in order is served, the other named)
    duplicates = {file for rule, file, _ in checked if rule == "slug-duplicate"}
    assert duplicates == {"content/v1.0.x/guide/index.md", "content/v1.0.x/guide/more.md"}


def test_om_markdoc_build_follows_links_inside_and_publishes_no_partials_file(hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    _cli_build(hostile, site, capsys)
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and ".om-markdoc" not in p.parts}
    assert "v1.1.x/guide/more/index.html" in published  # v1.1.x/guide -> ../v1.0.x/guide
    assert any(name.endswith("img/icons/b.png") for name in published)  # v1.0.x/img -> images/v1.0
    assert not [name for name in published if "notes" in name or "/partials/" in name or name.startswith("partials/")]


def test_mkdocs_build_refuses_every_outside_link(tmp_path: Path) -> None:
    tree, outside = base_tree(tmp_path, mkdocs_yml=True)
    hostile_links(tree, outside)
    site = build_site(tree / "mkdocs.yml", tmp_path / "site")
    assert site.error is None, site.error
    assert leaked_files(site.site_dir) == []
    assert not any(SECRET in message for message in site.messages(min_level=0))
    assert refused(logged(site)) == {*HOSTILE_OUTSIDE, *HOSTILE_ROUTES}
    assert not list(site.site_dir.rglob("notes.txt"))


class OpenLog:
    """Every path opened through ``open``, ``io.open`` and ``os.open`` while installed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[Path] = []
        for module, name in ((builtins, "open"), (io, "open"), (os, "open")):
            monkeypatch.setattr(module, name, self._recording(getattr(module, name)))

    def _recording(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def opened(file: Any, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(file, int):
                self.paths.append(Path(os.fsdecode(file)))
            return real(file, *args, **kwargs)

        return opened

    def inside(self, folder: Path) -> list[str]:
        real = folder.resolve()
        return sorted(str(p) for p in set(self.paths) if p.resolve().is_relative_to(real))


def test_om_markdoc_build_opens_no_file_outside_the_tree(hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build fingerprint, the page scan, the static-file listing and MkDocs' copies: none
    opens a file through a refused link (a link right under ``content/`` was hashed once)."""
    link(hostile / "content/leak", tmp_path / "outside")
    log = OpenLog(monkeypatch)
    code = main(["build", str(hostile), "--site-dir", str(tmp_path / "site"), "--jobs", "1"])
    monkeypatch.undo()
    assert code == 0
    assert log.inside(tmp_path / "outside") == []
    assert log.inside(hostile / "content/v1.0.x"), "the recorder saw the build read its pages"


@pytest.mark.parametrize("seed", FUZZ_SEEDS)
def test_fuzz_links_in_every_folder_role(tmp_path: Path, seed: int) -> None:
    failure = fuzz_one(tmp_path, seed)
    assert failure is None, failure
