"""``om-markdoc build`` of a project without version folders: one plain site, as ``mkdocs build``.

A ``mkdocs.yml`` project whose docs folder holds no ``vX.Y.z`` folders is a site of its own: it
is built into the site folder itself, with no ``versions.json``, no banners and no ``latest/``.
As for a version, the build goes to a staging folder first and an unchanged project (same
fingerprint) is not built again; the staged files then replace the site folder's, entry by
entry, and what the last build left that this one did not write is removed, as ``mkdocs build``
cleans its site folder (names starting with a dot, om-markdoc's state among them, are kept).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from ..atomic import write_if_changed
from .builder import MATERIAL_FEATURES, BuildReport, VersionResult, _Counter, fingerprint, narrow_plugin
from .defaults import merge_into
from .plan import BuildPlan, PlanError, VersionTarget
from .site import STATE_DIR, page_files

UNVERSIONED = "site"
"""The name the build's state, progress line and problem summary use for the one site."""


def build_unversioned(
    plan: BuildPlan, site_dir: Path, *, use_cache: bool = True, progress: Callable[[VersionResult], None] | None = None,
) -> BuildReport:
    """Build the project as one site into ``site_dir`` (skipped when nothing it reads changed)."""
    if plan.config_file is None:
        raise PlanError(f"{plan.content_root} holds no version folders (v1.6.x, v1.7.x, ...) and no mkdocs.yml configures it")
    state = site_dir / STATE_DIR / UNVERSIONED
    key = fingerprint(plan, VersionTarget(UNVERSIONED, UNVERSIONED, False), "")
    fresh = use_cache and (site_dir / "index.html").is_file() and _last_key(state / "fingerprint") == key
    result = VersionResult(UNVERSIONED, True, 0, 0.0) if fresh else _build(plan, site_dir, state)
    if result.error is None and not result.skipped:
        write_if_changed(state / "fingerprint", key)
    if progress:
        progress(result)
    return BuildReport([result])


def _last_key(path: Path) -> str | None:
    """The fingerprint of the last build; a missing or damaged one just means "rebuild"."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _build(plan: BuildPlan, site_dir: Path, state: Path) -> VersionResult:
    """One clean MkDocs build into a staging folder, then published into ``site_dir``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    staging = site_dir / STATE_DIR / f"staging-{UNVERSIONED}"
    shutil.rmtree(staging, ignore_errors=True)
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        config = load_config(str(plan.config_file), site_dir=str(staging))
        plugin = narrow_plugin(config, plan, None)
        plugin.config.cache_dir = str(state / "cache")
        plugin.config.problems = "quiet"  # the command prints one summary (mkdocs_plugin.summary)
        merge_into(config, plan, MATERIAL_FEATURES)
        build(config)
    except (MkDocsException, OSError, ValueError, KeyError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        return VersionResult(UNVERSIONED, False, 0, time.perf_counter() - started, counter.count, str(exc))
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    pages = len(page_files(staging))
    _publish(staging, site_dir)
    return VersionResult(UNVERSIONED, False, pages, time.perf_counter() - started, counter.count)


def _publish(staging: Path, site_dir: Path) -> None:
    """Move the staged entries into ``site_dir`` (each by a rename) and remove the entries of
    ``site_dir`` the build did not write; names starting with a dot are left alone."""
    written = {entry.name for entry in staging.iterdir()}
    for entry in list(site_dir.iterdir()):
        if not entry.name.startswith(".") and entry.name not in written:
            _remove(entry)
    for name in sorted(written):
        target = site_dir / name
        old = site_dir / STATE_DIR / f"old-{name}"
        _remove(old)
        if target.exists() or target.is_symlink():
            os.replace(target, old)
        os.replace(staging / name, target)
        _remove(old)
    staging.rmdir()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists() or path.is_symlink():
        path.unlink()
