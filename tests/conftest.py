"""What the suite needs from outside the repository, decided once for every test.

Two kinds of test depend on things a clone does not carry:

- ``corpus`` tests read ``../shared`` beside the repository (the 3,300-page docs corpus and the
  OpenMetadata schemas). CI has it; a user's clone usually does not.
- the browser tests (``tests/browser``) drive a Chromium, which ``make test`` installs where it
  can (as root, with apt) and which may also be named by ``OM_MARKDOC_CHROMIUM``.

When one of these is missing its tests are *deselected*, not failed, skipped one by one or run
half-way, and the run ends with one line saying what did not run and why. Everything else in the
suite is self-contained: ``tests/test_fresh_clone.py`` proves it on a clone with nothing beside it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "openmetadata-docs"
SCHEMAS = SHARED / "schemas" / "openmetadata-1.7"
BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
FRESH_CLONE_TEST = Path(__file__).resolve().parent / "test_fresh_clone.py"
INSIDE_FRESH_CLONE = "OM_MARKDOC_FRESH_CLONE"
"""Set by ``tests/test_fresh_clone.py`` for the suite it runs in its copy, which must not copy itself again."""

_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> Path | None:
    """The Chromium the browser tests drive: ``OM_MARKDOC_CHROMIUM``, else the first one on PATH."""
    named = os.environ.get("OM_MARKDOC_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in _CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def shared_is_present() -> bool:
    """True when ``../shared`` holds both the corpus and the schemas the corpus tests read."""
    return (CORPUS / "content").is_dir() and (SCHEMAS / "json-schema").is_dir()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "corpus: reads ../shared (the docs corpus or the OpenMetadata schemas); deselected when it is absent"
    )


_NO_SHARED = "the corpus-scale tests (marked corpus) did not run: {} is not beside the repository"
_INSIDE_CLONE = "tests/test_fresh_clone.py did not run: this run is the one it started in a fresh copy"
_NO_CHROMIUM = "the browser tests (tests/browser) did not run: no Chromium found (install one, or set OM_MARKDOC_CHROMIUM)"


def _absent() -> list[str]:
    """One line for each outside resource this machine lacks; recomputed where needed because
    under xdist the controller, which prints the summary, never collects."""
    lines = []
    if not shared_is_present():
        lines.append(_NO_SHARED.format(SHARED))
    if find_chromium() is None:
        lines.append(_NO_CHROMIUM)
    if os.environ.get(INSIDE_FRESH_CLONE):
        lines.append(_INSIDE_CLONE)
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shared = shared_is_present()
    chromium = find_chromium() is not None
    inside_clone = bool(os.environ.get(INSIDE_FRESH_CLONE))
    dropped = [
        item
        for item in items
        if (not shared and item.get_closest_marker("corpus") is not None)
        or (not chromium and BROWSER_TESTS in Path(str(item.path)).parents)
        or (inside_clone and Path(str(item.path)) == FRESH_CLONE_TEST)
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = set(map(id, dropped))
        items[:] = [item for item in items if id(item) not in gone]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _absent():
        terminalreporter.write_line(f"om-markdoc: {line}", yellow=True)


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    """The browser the browser tests launch (collection has already deselected them without one)."""
    found = find_chromium()
    assert found is not None, "no Chromium: the browser tests should have been deselected"
    return found
