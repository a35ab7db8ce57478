"""``om-markdoc build``: every version of a tree into one deployable folder, fast the second time.

Per version:

1. a fingerprint of everything the version reads (its pages, unversioned pages, partials, images,
   menus, config, om-markdoc's version) is compared with the last build's: equal, and the
   version's output is left as it is;
2. otherwise the previous output is copied to a staging folder, MkDocs builds there (a *dirty*
   build when a previous output exists: the plugin's page keys decide which pages to render, so
   one changed page re-renders one page, one changed partial the pages that include it), and the
   staging folder replaces the version's folder with two renames.  An interrupted or failed
   build leaves the previous output in place.

Versions build in parallel processes when the machine has more than one core, and the cores
left over go to each version's own build (its pages rendered in worker processes: one version
alone uses every core).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .. import __version__
from ..atomic import write_if_changed
from ..mkdocs_plugin.incremental import forget_builds
from ..mkdocs_plugin.parallel import worker_count
from ..site.files import StaticFiles
from ..site.pages import points_inside
from .defaults import merge_into
from .images import publish_images
from .plan import BuildPlan, PlanError, VersionTarget
from .site import STATE_DIR, manifest_for, page_files, write_root

MATERIAL_FEATURES = [
    "content.code.copy",
    "content.tabs.link",
    "navigation.footer",
    "navigation.indexes",
    "navigation.prune",
    "navigation.top",
    "search.highlight",
    "search.suggest",
    "toc.follow",
]


@dataclass
class VersionResult:
    version: str
    skipped: bool
    pages: int
    seconds: float
    warnings: int = 0
    error: str | None = None


@dataclass
class BuildReport:
    results: list[VersionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.error is None for r in self.results)


def _hash_tree(hasher: "hashlib._Hash", path: Path, skip: Path | None = None) -> None:
    if path.is_file():
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
        return
    for current, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        here = Path(current)
        if skip is not None and (here == skip or skip in here.parents):
            dirs[:] = []
            continue
        for name in sorted(files):
            file = here / name
            if file.is_symlink() and not points_inside(file, path):
                continue  # the build leaves such links out; their targets are never read
            hasher.update(str(file.relative_to(path)).encode())
            if file.suffix.lower() in (".md", ".yml", ".yaml", ".json"):
                hasher.update(file.read_bytes())
            else:  # images: size and time are enough, and far cheaper than their bytes
                stat = file.stat()
                hasher.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())


def fingerprint(plan: BuildPlan, version: VersionTarget, manifest: str) -> str:
    """A content hash of everything the version's build reads."""
    hasher = hashlib.sha256()
    hasher.update(f"{__version__}|{version.name}|{sorted(plan.project.to_options().items())!r}".encode())
    hasher.update(manifest.encode())
    others = [v.path for v in plan.project.versions if v.name != version.name]
    for path in sorted(plan.inputs):
        if path == plan.content_root:
            for child in sorted(plan.content_root.iterdir()):
                if child not in others and not child.name.startswith("."):
                    _hash_tree(hasher, child)
        else:
            _hash_tree(hasher, path)
    return hasher.hexdigest()


def _generated_config(plan: BuildPlan, version: VersionTarget, site_dir: Path, manifest: Path, cache: Path, jobs: int = 0) -> dict[str, Any]:
    options: dict[str, Any] = {
        **plan.project.to_options(),
        "version": version.name,
        "versions_manifest": str(manifest),
        "cache_dir": str(cache),
    }
    if jobs:
        options["jobs"] = jobs
    return {
        "site_name": plan.site_name,
        "docs_dir": str(plan.content_root),
        "site_dir": str(site_dir),
        "theme": {"name": "material", "features": MATERIAL_FEATURES},
        "extra": {"version": {"provider": "mike"}},
        "plugins": ["search", {"om-markdoc": options}],
    }


def narrow_plugin(config: Any, plan: BuildPlan, version: str | None) -> Any:
    """The loaded ``mkdocs.yml``'s om-markdoc plugin, narrowed to ``version`` and given the
    command line's edition settings (the plan's project is what every build renders)."""
    plugin = config.plugins["om-markdoc"]
    plugin.config.version = version
    plugin.config.edition_flag = plan.edition_flag
    plugin.config.include_edition = plan.include_edition
    return plugin


class DirtyBuildNotice(logging.Filter):
    """Drops MkDocs' warning that a dirty build may be inaccurate: om-markdoc's page keys make it
    exact (navigation changes rebuild every page), and under ``strict`` the warning would fail
    every incremental build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def build_version(plan: BuildPlan, version: VersionTarget, site_dir: Path, manifest: str, dirty: bool, jobs: int = 0) -> VersionResult:
    """Build one version into a staging folder and swap it in (runs in a worker process);
    ``jobs``: processes the version's own build may use (0: one per core)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    state = site_dir / STATE_DIR / version.name
    staging = site_dir / STATE_DIR / f"staging-{version.name}"
    target = site_dir / version.name
    shutil.rmtree(staging, ignore_errors=True)
    if dirty and target.is_dir():
        shutil.copytree(target, staging)
    manifest_path = state / "manifest.json"
    write_if_changed(manifest_path, manifest)
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    quiet_dirty = DirtyBuildNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet_dirty)
    try:
        if plan.config_file is not None:
            config = load_config(str(plan.config_file), site_dir=str(staging))
            plugin = narrow_plugin(config, plan, version.name)
            plugin.config.versions_manifest = str(manifest_path)
            plugin.config.cache_dir = str(state / "cache")
            if jobs:
                plugin.config.jobs = jobs
            config.extra["version"] = {"provider": "mike"}
            merge_into(config, plan, MATERIAL_FEATURES)
        else:
            generated = state / "mkdocs.yml"
            write_if_changed(generated, yaml.safe_dump(_generated_config(plan, version, staging, manifest_path, state / "cache", jobs)))
            config = load_config(str(generated))
        config.plugins["om-markdoc"].config.problems = "quiet"  # the command prints one summary (mkdocs_plugin.summary)
        config.plugins["om-markdoc"].config.shared_images = True  # published once, by build_site (build.images)
        build(config, dirty=dirty and staging.is_dir())
    except (MkDocsException, OSError, ValueError, KeyError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        forget_builds()  # page keys in memory describe the output just thrown away
        return VersionResult(version.name, False, 0, time.perf_counter() - started, counter.count, str(exc))
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet_dirty)
    _swap(staging, target)
    pages = len(page_files(target))
    return VersionResult(version.name, False, pages, time.perf_counter() - started, counter.count)


def _swap(staging: Path, target: Path) -> None:
    """Replace ``target`` by ``staging`` with renames only (the old one is removed afterwards)."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _slugs(plan: BuildPlan) -> dict[str, list[str]]:
    """Every version's slugs (front matter only: fast), for banners and version switches.

    Unversioned pages are part of every version's site, so their slugs count for each."""
    project = plan.project
    pages = {source.name: project.scan(source) for source in project.sources()}
    shared = pages.pop(None, [])
    return {
        name: sorted({p.slug for p in [*version_pages, *shared] if plan.include_edition or not p.edition_only})
        for name, version_pages in pages.items()
        if name is not None
    }


def _stamp(path: Path) -> str | None:
    """A state file's text; a missing or damaged one just means "rebuild"."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def build_site(
    plan: BuildPlan,
    site_dir: Path,
    *,
    versions: list[str] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[VersionResult], None] | None = None,
) -> BuildReport:
    """Build the requested versions (all by default) and the root files."""
    site_dir = site_dir.resolve()
    sources = [plan.content_root, *(p for p in (plan.partials_root, plan.images_root) if p), *(p for p in plan.inputs if p.is_dir())]
    if site_dir == plan.root or any(site_dir == source or source in site_dir.parents for source in sources):
        raise PlanError(f"refusing to build into {site_dir}: it is, or is inside, a source folder")
    site_dir.mkdir(parents=True, exist_ok=True)
    targets = [plan.version(name) for name in versions] if versions else list(plan.versions)
    if not plan.versions:
        from .unversioned import build_unversioned  # it builds on this module's pieces

        return build_unversioned(plan, site_dir, use_cache=use_cache, progress=progress)
    slugs = _slugs(plan)
    statics = StaticFiles(plan.project.docs_root, plan.project.images_root).listing()
    published = {name: "\n".join([*found, "--", *statics]) for name, found in slugs.items()}
    report = BuildReport()
    pending: list[tuple[VersionTarget, str, str, bool]] = []
    for target in targets:
        manifest = manifest_for(plan, target.name, slugs)
        key = fingerprint(plan, target, manifest)
        stamp = site_dir / STATE_DIR / target.name / "fingerprint"
        output = site_dir / target.name
        fresh = use_cache and output.is_dir() and _stamp(stamp) == key
        if fresh:
            result = VersionResult(target.name, True, 0, 0.0)
            report.results.append(result)
            if progress:
                progress(result)
            continue
        # Incremental (dirty) only when the set of pages and static files is the one the output
        # was built from: a removed page or image, or a changed slug, would leave stale files behind.
        pages_stamp = site_dir / STATE_DIR / target.name / "pages"
        same_pages = _stamp(pages_stamp) == published[target.name]
        pending.append((target, manifest, key, use_cache and output.is_dir() and same_pages))
    cores = jobs or worker_count(0)
    workers = max(1, min(cores, len(pending)))
    inner = max(1, cores // workers)  # what each version's build may use for its pages
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [(t, key, pool.submit(build_version, plan, t, site_dir, m, dirty, inner)) for t, m, key, dirty in pending]
            for target, key, future in futures:
                _record(report, future.result(), site_dir, key, published[target.name], progress)
    else:
        for target, manifest, key, dirty in pending:
            _record(report, build_version(plan, target, site_dir, manifest, dirty, inner), site_dir, key, published[target.name], progress)
    publish_images(plan.images_root, site_dir)
    write_root(plan, site_dir)
    return report


def _record(
    report: BuildReport,
    result: VersionResult,
    site_dir: Path,
    key: str,
    published: str,
    progress: Callable[[VersionResult], None] | None,
) -> None:
    report.results.append(result)
    state = site_dir / STATE_DIR / result.version
    if result.error is None:
        write_if_changed(state / "fingerprint", key)
        write_if_changed(state / "pages", published)
    else:  # the page cache may describe output that was thrown away: the next build starts over
        shutil.rmtree(state / "cache", ignore_errors=True)
    if progress:
        progress(result)


def print_progress(result: VersionResult) -> None:
    """One line per version on stderr (the CLI stays quiet in CI unless asked)."""
    if result.skipped:
        print(f"{result.version}: unchanged, kept", file=sys.stderr)
    elif result.error:
        print(f"{result.version}: FAILED: {result.error}", file=sys.stderr)
    else:
        rate = result.pages / result.seconds if result.seconds else 0.0
        print(f"{result.version}: {result.pages} pages in {result.seconds:.1f} s ({rate:.0f} pages/s)", file=sys.stderr)
