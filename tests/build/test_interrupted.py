"""Interrupted and concurrent ``om-markdoc build`` runs (issue #18), each build a real process.

A second build into a site folder waits for the first (the lock), two builds started at once
both succeed and leave the site a clean build would, a build killed at any step of its commit is
repaired by the next plain build, and so is a published site a user damaged.  The comparisons
are with a clean build of the same tree (``interrupted.clean_build``); the fuzz of
``tests.build.interrupted`` runs a few seeded rounds here and as many as asked in
``benchmarks/fuzz_build.py``.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
from pathlib import Path

import pytest

from om_markdoc.build.builder import LOCK_FILE, STEPS
from om_markdoc.build.site import STATE_DIR

from . import edit, write_tree
from .differential import differences, snapshot
from .interrupted import build, clean_build, run, start
from .test_build import staging_left


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A tree and its site, built once.  (Not a copy of a site built for the whole module: the
    tree's place is part of every version's fingerprint.)"""
    tree = write_tree(tmp_path / "tree")
    done = build(tree, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    return tree, tmp_path / "site"


def change_two_versions(tree: Path) -> None:
    """A page edit in ``v1.1.x`` and one in ``v1.0.x`` (``v1.2.x-SNAPSHOT`` stays unchanged)."""
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    edit(tree / "content/v1.0.x/guide/old.md", "Only in one-oh", "Changed in one-oh")


def assert_like_a_clean_build(tree: Path, site: Path, scratch: Path) -> None:
    assert differences(snapshot(site), clean_build(tree, scratch)) == []
    assert staging_left(site) == []


def test_a_second_build_waits_for_the_first(built: tuple[Path, Path], tmp_path: Path) -> None:
    """While another process holds the site folder's lock, a build says whom it waits for and
    touches nothing; once the lock is free it builds."""
    tree, _ = built
    site = tmp_path / "fresh-site"
    lock = site / STATE_DIR / LOCK_FILE
    lock.parent.mkdir(parents=True)
    with open(lock, "w", encoding="ascii") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        held.write(f"{os.getpid()}\n")
        held.flush()
        waiting = start(tree, site)
        try:
            line = waiting.stderr.readline()
            assert line == f"om-markdoc build: waiting for the build running in PID {os.getpid()} (it holds {lock})\n"
            assert sorted(p.name for p in site.iterdir()) == [STATE_DIR]
            assert sorted(p.name for p in lock.parent.iterdir()) == [LOCK_FILE]
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
            _, err = waiting.communicate(timeout=600)
    assert waiting.returncode == 0, err
    assert "3 version(s), 3 built" in err
    assert lock.read_text(encoding="ascii") == f"{waiting.pid}\n"
    assert_like_a_clean_build(tree, site, tmp_path / "clean")


def test_ctrl_c_while_waiting_ends_the_build_cleanly(built: tuple[Path, Path]) -> None:
    tree, site = built
    lock = site / STATE_DIR / LOCK_FILE
    with open(lock, "r+", encoding="ascii") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        waiting = start(tree, site)
        try:
            assert waiting.stderr.readline().startswith("om-markdoc build: waiting for the build running in PID ")
            waiting.send_signal(signal.SIGINT)
            _, err = waiting.communicate(timeout=600)
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    assert waiting.returncode == 2
    assert err.startswith("om-markdoc build: interrupted while waiting for the build running in PID "), err
    assert "Traceback" not in err


def test_two_builds_at_once_both_succeed_one_after_the_other(built: tuple[Path, Path], tmp_path: Path) -> None:
    tree, site = built
    change_two_versions(tree)
    first, second = start(tree, site), start(tree, site)
    errors = [process.communicate(timeout=600)[1] for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], errors
    assert not any("Traceback" in err for err in errors), errors
    # one of them built the two changed versions; the other, which waited, found them built
    summaries = sorted(line for err in errors for line in err.splitlines() if line.startswith("om-markdoc build: 3 version(s)"))
    assert [s.split(" -> ")[0] for s in summaries] == [
        "om-markdoc build: 3 version(s), 0 built (0 pages), 3 unchanged",
        "om-markdoc build: 3 version(s), 2 built (9 pages), 1 unchanged",
    ]
    assert_like_a_clean_build(tree, site, tmp_path / "clean")


KILLS = [(step, "edit kept") for step in STEPS] + [(step, "edit undone") for step in ("built", "swapped", "cached")]
"""Every step with the edits kept; with the edits undone, the steps after which page keys of the
killed build exist on disk (in the unpublished page cache, or beside the old or the new output)."""


@pytest.mark.parametrize(("step", "then"), KILLS)
def test_a_build_killed_at_any_step_is_repaired_by_the_next(built: tuple[Path, Path], tmp_path: Path, step: str, then: str) -> None:
    """SIGKILL at each step of the first changed version's build and commit; the next plain
    build (after the edits are undone, too: the killed build's page keys must not be trusted
    then either) leaves what a clean build leaves."""
    tree, site = built
    originals = {path: path.read_bytes() for path in tree.rglob("*.md")}
    change_two_versions(tree)
    killed = build(tree, site, kill_at=step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    if then == "edit undone":
        for path, data in originals.items():
            path.write_bytes(data)
    done = build(tree, site)
    assert done.returncode == 0, done.stderr
    assert_like_a_clean_build(tree, site, tmp_path / "clean")
    again = build(tree, site)  # and the repaired site is trusted again
    assert "0 built (0 pages), 3 unchanged" in again.stderr


def test_a_build_killed_while_its_version_workers_run_leaves_no_worker_behind(built: tuple[Path, Path], tmp_path: Path) -> None:
    """``--jobs 2``: the main process is killed while two worker processes build a version each.
    The workers exit with it (they hold the site folder's lock, inherited), so the next build
    does not wait for ever, and it repairs the site."""
    tree, site = built
    change_two_versions(tree)
    killed = build(tree, site, kill_at="built:v1.1.x", jobs=2)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    done = build(tree, site, jobs=2)
    assert done.returncode == 0, done.stderr
    assert_like_a_clean_build(tree, site, tmp_path / "clean")


def test_a_published_site_damaged_by_hand_is_repaired_by_a_plain_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Files deleted from (or cut short in) ``site/`` are put back by the next build, not
    "unchanged, kept" until ``--no-cache``."""
    tree, site = built
    (site / "v1.1.x" / "guide" / "plain" / "index.html").unlink()
    shutil.rmtree(site / "v1.1.x" / "assets" / "javascripts")
    stylesheet = next((site / "v1.0.x" / "assets" / "stylesheets").glob("main.*.min.css"))
    stylesheet.write_bytes(stylesheet.read_bytes()[:100])
    image = site / "images" / "v1.0" / "a.png"  # published once, beside the versions
    assert image.is_file()
    image.unlink()
    done = build(tree, site)
    assert done.returncode == 0, done.stderr
    assert "v1.2.x-SNAPSHOT: unchanged, kept" in done.stderr
    assert "2 built" in done.stderr
    assert_like_a_clean_build(tree, site, tmp_path / "clean")


@pytest.mark.parametrize("seed", [18])
def test_fuzz_interrupted_and_concurrent_builds(tmp_path: Path, seed: int) -> None:
    """A few rounds of random edits, kills (at a step or after a random delay), overlapping
    builds and damage to the site; after each, the plain build equals a clean build."""
    run(seed, 4, tmp_path)
