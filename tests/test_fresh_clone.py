"""The repository stands on its own: a copy with nothing beside it works from the README alone.

A user's clone has no ``../shared``. This module copies the repository's files (tracked and new,
as ``git`` lists them) into an empty temporary folder and runs what the README tells a newcomer
to run there, with the environment of a fresh shell (no ``PYTHONPATH``, no virtualenv of ours):

- ``make test``: creates the clone's own ``.venv`` and runs the suite, whose corpus-scale part is
  deselected with its one line; everything else must pass;
- ``make build``: this repository's site, ``--strict``; then ``om-markdoc check`` of it, which must
  find no error (its config examples validate against the schemas in ``schemas/``);
- the wheel: built from the clone, installed into a new virtualenv on its own, it reports its
  version and builds a small versioned site with its CSS and JavaScript.

It is the slowest module of the suite (a virtualenv and the self-contained suite, once).
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
INSIDE_FRESH_CLONE = "OM_MARKDOC_FRESH_CLONE"  # tests/conftest.py deselects this module when it is set


def _fresh_env() -> dict[str, str]:
    """The environment a newcomer's shell has: ours without what points into this checkout."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env[INSIDE_FRESH_CLONE] = "1"
    return env


def _run(args: list[str], cwd: Path, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=_fresh_env(), capture_output=True, text=True, timeout=timeout, check=False)


def _repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and (REPO / name).is_file()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's files in a folder with no ``shared/`` beside it."""
    target = tmp_path_factory.mktemp("fresh") / "om-markdoc"
    for name in _repository_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes((REPO / name).read_bytes())
        destination.chmod((REPO / name).stat().st_mode & 0o777)
    assert not (target.parent / "shared").exists()
    yield target


@pytest.fixture(scope="module")
def make_test(clone: Path) -> subprocess.CompletedProcess[str]:
    return _run(["make", "test"], clone)


def test_make_test_passes_without_shared(make_test: subprocess.CompletedProcess[str]) -> None:
    failures = [line for line in make_test.stdout.splitlines() if line.startswith(("FAILED", "ERROR"))]
    tail = "\n".join(failures[:40]) + "\n" + make_test.stdout[-3000:] + "\n--- stderr ---\n" + make_test.stderr[-1500:]
    assert make_test.returncode == 0, tail
    assert "the corpus-scale tests (marked corpus) did not run" in make_test.stdout, tail
    assert " passed" in make_test.stdout and " failed" not in make_test.stdout, tail


def test_own_site_builds_and_checks_clean(clone: Path, make_test: subprocess.CompletedProcess[str]) -> None:
    """``make build`` (the site ``make serve`` serves) and ``om-markdoc check`` give one answer: green."""
    assert (clone / ".venv" / "bin" / "om-markdoc").is_file(), make_test.stderr[-3000:]
    build = _run(["make", "build"], clone, timeout=900)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (clone / "site" / "v1.7.x" / "deployment" / "security" / "index.html").is_file()
    check = _run([str(clone / ".venv" / "bin" / "om-markdoc"), "check", "."], clone, timeout=900)
    assert check.returncode == 0, check.stdout[-4000:] + check.stderr[-2000:]
    assert " 0 error(s)" in check.stdout, check.stdout[-2000:]


SMALL_TREE = {
    "mkdocs.yml": "site_name: Fresh\ntheme:\n  name: material\nplugins:\n  - search\n  - om-markdoc\n",
    "docs/v1.0.x/menu.md": "---\nsite_menu:\n  - category: Start\n    url: /start\n---\n",
    "docs/v1.0.x/start.md": '---\ntitle: Start\nslug: /start\n---\n\n# Start\n\n{% note %}\n{% partial file="/v1.0/who.md" /%}\n{% /note %}\n',
    "snippets/v1.0/who.md": "the partial's words\n",
}


def test_wheel_installs_alone_and_builds_a_site(clone: Path, tmp_path: Path) -> None:
    wheels = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(clone)], tmp_path, 900)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = wheels.glob("om_markdoc-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"om_markdoc/assets/om-markdoc.css", "om_markdoc/assets/om-markdoc.js"} <= names
    assert "BuildBackendWarning" not in built.stderr, built.stderr[-3000:]  # the license table warning is gone

    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", str(venv)], tmp_path, 300).returncode == 0
    installed = _run(
        [str(venv / "bin" / "pip"), "install", "--quiet", "-c", str(clone / "requirements.lock"), str(wheel)], tmp_path, 900
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    version = _run([str(venv / "bin" / "om-markdoc"), "--version"], tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("om-markdoc "), version.stdout + version.stderr

    site = tmp_path / "site-src"
    for name, text in SMALL_TREE.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    build = _run([str(venv / "bin" / "mkdocs"), "build", "--strict"], site, 600)
    assert build.returncode == 0, build.stderr[-3000:]
    page = (site / "site" / "v1.0.x" / "start" / "index.html").read_text(encoding="utf-8")
    assert "the partial&#x27;s words" in page or "the partial's words" in page
    assert 'class="admonition note"' in page
    assert (site / "site" / "assets" / "om-markdoc" / "om-markdoc.css").is_file()
