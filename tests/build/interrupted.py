"""Interrupted and concurrent ``om-markdoc build`` runs (issue #18), through the command line.

Every build here is a separate ``om-markdoc build`` process on the small tree of
``tests.build.write_tree``, with ``--jobs 1`` unless a test asks for more (one process: a kill
stops the whole build).  A
build is interrupted in two ways: at a named step of the commit, by the builder's test hook
(``builder.KILL_AT``: the build SIGKILLs itself there), or from outside, by a SIGKILL after a
random delay.  The oracle is a clean build of the same tree into a fresh folder: after the next
plain build, every output file must equal the clean build's (``differential.snapshot``: the state
folder left out, sitemap dates normalised).

Used by ``tests/build/test_interrupted.py`` (each step, a few fuzz rounds) and by
``benchmarks/fuzz_build.py`` (as many rounds as asked).  A failure names the seed, the round and
everything done so far, and the command that replays it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from om_markdoc.build.builder import KILL_AT, STEPS

from . import VERSIONS, write_tree
from .differential import differences, snapshot

CLI = [sys.executable, "-c", "import sys; from om_markdoc.cli import main; sys.exit(main())"]
REPLAY = "benchmarks/fuzz_build.py --seed {seed} --rounds {rounds}"
TIMEOUT = 600
"""Seconds a build may take before the test gives up on it (a hang, not a slow machine)."""


def command(tree: Path, site: Path, jobs: int = 1) -> list[str]:
    return [*CLI, "build", str(tree), "--site-dir", str(site), "--jobs", str(jobs)]


def environment(kill_at: str | None = None) -> dict[str, str]:
    """The test's environment (``PYTHONPATH`` included), with the kill hook set or cleared."""
    env = {k: v for k, v in os.environ.items() if k not in (KILL_AT, "CI")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    if kill_at is not None:
        env[KILL_AT] = kill_at
    return env


def start(tree: Path, site: Path, kill_at: str | None = None, jobs: int = 1) -> subprocess.Popen[str]:
    return subprocess.Popen(command(tree, site, jobs), env=environment(kill_at), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def build(tree: Path, site: Path, kill_at: str | None = None, jobs: int = 1) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(tree, site, jobs), env=environment(kill_at), capture_output=True, text=True, timeout=TIMEOUT)


def clean_build(tree: Path, site: Path) -> dict[str, bytes]:
    """The oracle: a build of ``tree`` into the fresh folder ``site`` (removed afterwards)."""
    shutil.rmtree(site, ignore_errors=True)
    done = build(tree, site)
    assert done.returncode == 0, done.stderr
    try:
        return snapshot(site)
    finally:
        shutil.rmtree(site, ignore_errors=True)


def kill_after(process: subprocess.Popen[str], seconds: float) -> threading.Timer:
    """SIGKILL ``process`` in ``seconds`` (nothing happens if it has ended by then)."""

    def kill() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)

    timer = threading.Timer(seconds, kill)
    timer.start()
    return timer


# --- the fuzz: random edits, kills and overlapping runs -------------------------------------------


def pages(tree: Path) -> list[Path]:
    return sorted((tree / "content").glob("v*/**/*.md"))


def edit(tree: Path, rng: random.Random) -> str:
    """One random change of the tree: a page or partial body, a new page, a removed page."""
    choice = rng.choice(["page", "page", "partial", "add", "remove"])
    word = f"word{rng.randrange(10**6)}"
    if choice == "partial":
        partial = rng.choice(sorted((tree / "content" / "partials").rglob("*.md")))
        partial.write_text(partial.read_text(encoding="utf-8") + f"\n{word}\n", encoding="utf-8")
        return f"partial {partial.relative_to(tree)} += {word}"
    candidates = [p for p in pages(tree) if p.name not in ("index.md", "menu.md")]
    if choice == "add" or (choice == "remove" and not candidates):
        version = rng.choice(VERSIONS)
        path = tree / "content" / version / f"{word}.md"
        path.write_text(f"---\ntitle: Page {word}\nslug: /{word}\n---\n\n# Page {word}\n\nNew page.\n", encoding="utf-8")
        return f"added {path.relative_to(tree)}"
    if choice == "remove":
        path = rng.choice(candidates)
        path.unlink()
        return f"removed {path.relative_to(tree)}"
    path = rng.choice([p for p in pages(tree) if p.name != "menu.md"])
    path.write_text(path.read_text(encoding="utf-8") + f"\n{word}\n", encoding="utf-8")
    return f"page {path.relative_to(tree)} += {word}"


def damage(site: Path, rng: random.Random) -> str:
    """What a user might do to the published site: delete or cut short one of its files."""
    files = sorted(p for p in site.glob("v*/**/*") if p.is_file())
    path = rng.choice(files)
    if rng.random() < 0.5:
        path.unlink()
        return f"deleted {path.relative_to(site)}"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return f"cut {path.relative_to(site)} in half"


def interrupt(tree: Path, site: Path, rng: random.Random) -> str:
    """One interrupted or overlapping run into ``site``, with one process or with version
    workers (``--jobs 2``); every build that was not killed must end with exit code 0 and no
    traceback."""
    kind = rng.choice(["step", "step", "timer", "overlap", "overlap-killed"])
    jobs = rng.choice([1, 1, 2])
    if kind == "step":
        step = rng.choice(STEPS)
        where = f"{step}:{rng.choice(VERSIONS)}" if rng.random() < 0.5 else step
        done = build(tree, site, kill_at=where, jobs=jobs)
        assert done.returncode in (0, -signal.SIGKILL), done.stderr  # 0: the version was unchanged
        return f"killed at {where} (--jobs {jobs})"
    delay = round(rng.uniform(0.0, 4.0), 2)
    first = start(tree, site, jobs=jobs)
    timer = kill_after(first, delay) if kind in ("timer", "overlap-killed") else None
    second = start(tree, site) if kind.startswith("overlap") else None
    try:
        outcomes = [(process, *process.communicate(timeout=TIMEOUT)) for process in (first, second) if process is not None]
    finally:
        if timer is not None:
            timer.cancel()
    for process, _, err in outcomes:
        killed = process is first and timer is not None and process.returncode == -signal.SIGKILL
        assert killed or process.returncode == 0, f"exit code {process.returncode}:\n{err}"
        assert "Traceback" not in err, err
    what = {"timer": f"killed after {delay} s", "overlap": "two builds at once"}.get(kind, f"two builds at once, the first killed after {delay} s")
    return f"{what} (--jobs {jobs})"


class InterruptedFailure(AssertionError):
    pass


def run(seed: int, rounds: int, workdir: Path, *, report: Callable[[str], None] = lambda line: None) -> None:
    """``rounds`` rounds of: a random edit, an interrupted or overlapping run (or damage done to
    the published site), a plain build, and the comparison with a clean build."""
    rng = random.Random(seed)
    tree = write_tree(workdir / "tree")
    site = workdir / "site"
    first = build(tree, site)
    assert first.returncode == 0, first.stderr
    history: list[str] = []
    for number in range(1, rounds + 1):
        history.append(edit(tree, rng))
        history.append(damage(site, rng) if rng.random() < 0.2 else interrupt(tree, site, rng))
        report(f"round {number}: {history[-2]}; {history[-1]}")
        done = build(tree, site)
        found = [f"the plain build after it failed ({done.returncode}):\n{done.stderr}"] if done.returncode else []
        found += differences(snapshot(site), clean_build(tree, workdir / "clean"))
        if found:
            steps = "\n".join(f"  {i}. {what}" for i, what in enumerate(history, 1))
            replay = REPLAY.format(seed=seed, rounds=number)
            raise InterruptedFailure(f"seed {seed}, round {number}: the site differs from a clean build\n{steps}\n" + "\n".join(found) + f"\nreplay: {replay}")
