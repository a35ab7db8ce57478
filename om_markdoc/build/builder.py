"""``om-markdoc build``: every version of a tree into one deployable folder, fast the second time.

Per version:

1. a fingerprint of everything the version reads (its pages, unversioned pages, partials, images,
   menus, config, om-markdoc's version) is compared with the one in the version's *record*
   (``published.json``), which also holds a seal of the published folder (every file's path and
   size): both equal, and the version's output is left as it is;
2. otherwise MkDocs builds into a staging folder of this build's own (a *dirty* build, from a
   copy of the previous output and of its page cache, when the record vouches for both: the
   plugin's page keys decide which pages to render, so one changed page re-renders one page, one
   changed partial the pages that include it), and ``_commit`` swaps the staging folder in.

The commit keeps one rule: the page cache and the record only ever describe what is published.
It removes the record first, then the page cache, swaps the output with renames, moves the new
page cache in and writes the record last.  A build killed at any point leaves either the
previous site with its record, or a version without a record, which the next build rebuilds
from scratch; a published folder damaged by hand (a file deleted) breaks the seal, with the same
effect.  Only one build works in a site folder at a time: ``site_lock``.

Versions build in parallel processes when the machine has more than one core, and the cores
left over go to each version's own build (its pages rendered in worker processes: one version
alone uses every core).
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..atomic import write_atomic, write_if_changed
from ..mkdocs_plugin.incremental import forget_builds
from ..mkdocs_plugin.parallel import can_fork, worker_count
from ..site.files import walk_tree
from .defaults import merge_into
from .images import publish_images
from .plan import BuildPlan, PlanError, VersionTarget
from .site import RECORD, STATE_DIR, manifest_for, page_files, write_root

try:
    import fcntl
except ImportError:  # Windows: builds into one site folder are not serialised there
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "lock"
"""In the state folder: the file every build of the site folder holds an exclusive ``flock`` on."""
STAGING_PREFIX = "staging-"
"""Each build's staging folders, in the state folder: ``staging-<version>-<random>``."""
CACHE = "cache"
"""The published version's page cache (the plugin's ``cache_dir``, and its diagnostics)."""
NEXT_CACHE = "cache-next"
"""The page cache the running build writes; it becomes ``cache`` when the output is swapped in.
Its path is the same in every build: the plugin's options are part of every page's key."""
KILL_AT = "OM_MARKDOC_TEST_KILL_AT"
"""Test hook: ``step`` or ``step:version`` (a step of ``STEPS``) makes the build SIGKILL its main
process there (from a version's worker process too), so tests and ``benchmarks/fuzz_build.py``
interrupt it at each point where the site folder is between two states."""
STEPS = ("staged", "built", "unsealed", "swapped", "cached", "recorded")
"""In order: the staging copies are made; MkDocs has built (the new page cache is written); the
record is removed; the new output is in place; the new page cache is; the new record is."""

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
    staging: str | None = None
    """The staging folder a successful build left for ``_commit``."""


@dataclass
class BuildReport:
    results: list[VersionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.error is None for r in self.results)


def _hash_tree(hasher: hashlib._Hash, path: Path, roots: tuple[Path, ...], skip: frozenset[str] = frozenset()) -> None:
    """Feed ``path`` (the config file, or a folder as the project's tree walk lists it, ``skip``
    left out) to ``hasher``: a link the walk refuses is never read, here as in the build."""
    if path.is_file():
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
        return
    for rel in walk_tree(path, roots, skip=skip).files:
        file = path.joinpath(*rel.split("/"))
        hasher.update(rel.encode())
        if file.suffix.lower() in (".md", ".yml", ".yaml", ".json"):
            hasher.update(file.read_bytes())
        else:  # images: size and time are enough, and far cheaper than their bytes
            stat = file.stat()
            hasher.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())


def fingerprint(plan: BuildPlan, version: VersionTarget, manifest: str) -> str:
    """A content hash of everything the version's build reads (the other versions' folders
    left out)."""
    hasher = hashlib.sha256()
    hasher.update(f"{__version__}|{version.name}|{sorted(plan.project.to_options().items())!r}".encode())
    hasher.update(manifest.encode())
    roots = plan.project.roots
    others = frozenset(v.path.relative_to(plan.content_root).as_posix() for v in plan.project.versions
                       if v.name != version.name and v.path.is_relative_to(plan.content_root))  # fmt: skip
    for path in sorted(plan.inputs):
        _hash_tree(hasher, path, roots, others if path == plan.content_root else frozenset())
    return hasher.hexdigest()


def _generated_config(
    plan: BuildPlan, version: VersionTarget, site_dir: Path, manifest: Path, cache: Path, jobs: int = 0
) -> dict[str, Any]:
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


def build_version(
    plan: BuildPlan, version: VersionTarget, site_dir: Path, manifest: str, dirty: bool, jobs: int = 0
) -> VersionResult:
    """Build one version into a staging folder of its own (runs in a worker process); the result
    names the folder, which ``_commit`` swaps in.  ``dirty``: start from copies of the published
    output and its page cache (the record vouches for both); ``jobs``: processes the version's
    own build may use (0: one per core)."""
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    state = site_dir / STATE_DIR / version.name
    state.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{version.name}-", dir=state.parent))
    output = staging / "site"
    write_if_changed(state / "manifest.json", manifest)
    counter = _Counter()
    logging.getLogger("mkdocs").addHandler(counter)
    quiet_dirty = DirtyBuildNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(quiet_dirty)
    try:
        _stage(site_dir / version.name, output, state, dirty)
        _checkpoint("staged", version.name)
        _run_mkdocs(plan, version, staging, state, jobs, dirty)
        _checkpoint("built", version.name)
    except (MkDocsException, OSError, ValueError, KeyError) as exc:
        _discard(staging, state)
        forget_builds()  # page keys in memory describe the output just thrown away
        return VersionResult(version.name, False, 0, time.perf_counter() - started, counter.count, str(exc))
    except BaseException:
        _discard(staging, state)
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
        logging.getLogger("mkdocs.commands.build").removeFilter(quiet_dirty)
    pages = len(page_files(output))
    return VersionResult(version.name, False, pages, time.perf_counter() - started, counter.count, staging=str(staging))


def _stage(published: Path, output: Path, state: Path, dirty: bool) -> None:
    """The staging output and the page cache the build starts from: copies of the published
    ones for a dirty build, nothing for a clean one."""
    shutil.rmtree(state / NEXT_CACHE, ignore_errors=True)
    if not dirty:
        return
    shutil.copytree(published, output, symlinks=True)
    if (state / CACHE).is_dir():
        shutil.copytree(state / CACHE, state / NEXT_CACHE)


def _run_mkdocs(plan: BuildPlan, version: VersionTarget, staging: Path, state: Path, jobs: int, dirty: bool) -> None:
    """MkDocs' build of ``version`` into ``staging/site``, the plugin's page cache in ``NEXT_CACHE``."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    output = staging / "site"
    manifest = state / "manifest.json"
    if plan.config_file is not None:
        config = load_config(str(plan.config_file), site_dir=str(output))
        plugin = narrow_plugin(config, plan, version.name)
        plugin.config.versions_manifest = str(manifest)
        plugin.config.cache_dir = str(state / NEXT_CACHE)
        if jobs:
            plugin.config.jobs = jobs
        config.extra["version"] = {"provider": "mike"}
        merge_into(config, plan, MATERIAL_FEATURES)
    else:
        generated = staging / "mkdocs.yml"
        write_atomic(generated, yaml.safe_dump(_generated_config(plan, version, output, manifest, state / NEXT_CACHE, jobs)))
        config = load_config(str(generated))
    config.plugins["om-markdoc"].config.problems = "quiet"  # the command prints one summary (mkdocs_plugin.summary)
    config.plugins["om-markdoc"].config.shared_images = True  # published once, by build_site (build.images)
    build(config, dirty=dirty and output.is_dir())


def _discard(staging: Path, state: Path) -> None:
    """Remove what a failed or interrupted build made: its staging folder and its page cache."""
    shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(state / NEXT_CACHE, ignore_errors=True)


def _checkpoint(step: str, version: str) -> None:
    """The ``KILL_AT`` test hook: the build dies here, as on a ``kill -9``, if asked to."""
    wanted = os.environ.get(KILL_AT)
    if wanted in (step, f"{step}:{version}"):
        parent = multiprocessing.parent_process()
        os.kill(parent.pid if parent is not None else os.getpid(), signal.SIGKILL)


def _follow(build_process: int) -> None:
    """Pool initializer: a version's worker exits as soon as the build's main process is gone
    (killed), instead of finishing its version into a site folder another build may now own, or
    waiting for work forever while it holds, inherited, the site folder's lock."""

    def watch() -> None:
        while os.getppid() == build_process:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="om-markdoc-follow", daemon=True).start()


@dataclass(frozen=True)
class Record:
    """What a version's published folder was built from (``published.json`` in its state
    folder): the fingerprint of its inputs, its pages and static files, and its seal."""

    fingerprint: str
    pages: str
    seal: str

    @classmethod
    def load(cls, path: Path) -> Record | None:
        """The record, or None when it is missing or damaged (the version is rebuilt)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(str(data["fingerprint"]), str(data["pages"]), str(data["seal"]))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
            return None

    def vouches_for(self, output: Path) -> bool:
        """Whether ``output`` is still the folder this record was written for."""
        return output.is_dir() and not output.is_symlink() and seal(output) == self.seal


def seal(folder: Path) -> str:
    """A hash of every file's path and size below ``folder``: a file deleted, added or cut short
    in the published site breaks it.  Modification times are left out, so a deploy or backup
    tool that sets them does not cost a rebuild."""
    hasher = hashlib.sha256()
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(folder / relative) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = f"{relative}/{entry.name}" if relative else entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name)
                else:
                    hasher.update(f"{name}\0{entry.stat(follow_symlinks=False).st_size}\n".encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def _commit(site_dir: Path, version: str, staging: Path, key: str, pages: str) -> None:
    """Publish the staging folder of ``version`` (see the module's docstring for the order)."""
    state = site_dir / STATE_DIR / version
    target = site_dir / version
    output = staging / "site"
    record = Record(key, pages, seal(output))
    (state / RECORD).unlink(missing_ok=True)  # from here on, neither the output nor the cache is trusted
    _checkpoint("unsealed", version)
    if (state / CACHE).exists():
        os.replace(state / CACHE, staging / "old-cache")
    if target.exists() or target.is_symlink():
        os.replace(target, staging / "old-site")
    os.replace(output, target)
    _checkpoint("swapped", version)
    if (state / NEXT_CACHE).exists():
        os.replace(state / NEXT_CACHE, state / CACHE)
    _checkpoint("cached", version)
    write_atomic(state / RECORD, json.dumps(asdict(record)))
    _checkpoint("recorded", version)
    shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def site_lock(site_dir: Path) -> Iterator[None]:
    """Hold the site folder's lock for the block: a second build into the same folder waits
    for the first, saying so once on stderr.  The lock is the kernel's (``flock``): it is let go
    when its holder exits, however it exits, so a killed build leaves no stale lock behind
    (forked worker processes share it until they exit too)."""
    path = site_dir / STATE_DIR / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
                try:  # a Ctrl-C from the moment the message is out
                    waiting = f"om-markdoc build: waiting for the build running in PID {holder} (it holds {path})"
                    print(waiting, file=sys.stderr, flush=True)
                    fcntl.flock(descriptor, fcntl.LOCK_EX)
                except KeyboardInterrupt:
                    raise PlanError(
                        f"interrupted while waiting for the build running in PID {holder}; nothing was built"
                    ) from None
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)


def _clear_staging(site_dir: Path) -> None:
    """Remove staging folders and page caches of builds that did not finish (with the lock held,
    no other build is using them)."""
    state = site_dir / STATE_DIR
    for leftover in sorted(state.glob(f"{STAGING_PREFIX}*")):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in sorted(state.glob(f"*/{NEXT_CACHE}")):
        shutil.rmtree(leftover, ignore_errors=True)


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


def build_site(
    plan: BuildPlan,
    site_dir: Path,
    *,
    versions: list[str] | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[VersionResult], None] | None = None,
) -> BuildReport:
    """Build the requested versions (all by default) and the root files, holding the site
    folder's lock."""
    site_dir = site_dir.resolve()
    sources = [
        plan.content_root,
        *(p for p in (plan.partials_root, plan.images_root) if p),
        *(p for p in plan.inputs if p.is_dir()),
    ]
    if site_dir == plan.root or any(site_dir == source or source in site_dir.parents for source in sources):
        raise PlanError(f"refusing to build into {site_dir}: it is, or is inside, a source folder")
    site_dir.mkdir(parents=True, exist_ok=True)
    with site_lock(site_dir):
        _clear_staging(site_dir)
        try:
            return _build_locked(plan, site_dir, versions, jobs, use_cache, progress)
        finally:
            _clear_staging(site_dir)


def _build_locked(
    plan: BuildPlan,
    site_dir: Path,
    versions: list[str] | None,
    jobs: int | None,
    use_cache: bool,
    progress: Callable[[VersionResult], None] | None,
) -> BuildReport:
    targets = [plan.version(name) for name in versions] if versions else list(plan.versions)
    if not plan.versions:
        from .unversioned import build_unversioned  # it builds on this module's pieces

        return build_unversioned(plan, site_dir, use_cache=use_cache, progress=progress)
    slugs = _slugs(plan)
    statics = plan.project.files.listing()
    published = {name: "\n".join([*found, "--", *statics]) for name, found in slugs.items()}
    report = BuildReport()
    pending: list[tuple[VersionTarget, str, str, bool]] = []
    for target in targets:
        manifest = manifest_for(plan, target.name, slugs)
        key = fingerprint(plan, target, manifest)
        record = Record.load(site_dir / STATE_DIR / target.name / RECORD) if use_cache else None
        trusted = record is not None and record.vouches_for(site_dir / target.name)
        if trusted and record.fingerprint == key:
            _record(report, VersionResult(target.name, True, 0, 0.0), progress)
            continue
        # Incremental (dirty) only when the set of pages and static files is the one the output
        # was built from: a removed page or image, or a changed slug, would leave stale files behind.
        pending.append((target, manifest, key, trusted and record.pages == published[target.name]))
    cores = jobs or worker_count(0)
    workers = max(1, min(cores, len(pending)))
    inner = max(1, cores // workers)  # what each version's build may use for its pages
    if workers > 1:
        context = multiprocessing.get_context("fork" if can_fork() else "spawn")  # workers are the build's children
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_follow, initargs=(os.getpid(),)) as pool:
            futures = [(t, key, pool.submit(build_version, plan, t, site_dir, m, dirty, inner)) for t, m, key, dirty in pending]
            for target, key, future in futures:
                _publish(report, future.result(), site_dir, key, published[target.name], progress)
    else:
        for target, manifest, key, dirty in pending:
            built = build_version(plan, target, site_dir, manifest, dirty, inner)
            _publish(report, built, site_dir, key, published[target.name], progress)
    publish_images(plan.images_root, plan.project.files.images.names(), site_dir)
    write_root(plan, site_dir)
    return report


def _publish(
    report: BuildReport,
    result: VersionResult,
    site_dir: Path,
    key: str,
    published: str,
    progress: Callable[[VersionResult], None] | None,
) -> None:
    """Commit a version's build (a failed one left nothing to commit), then report it."""
    if result.error is None and result.staging is not None:
        _commit(site_dir, result.version, Path(result.staging), key, published)
    _record(report, result, progress)


def _record(report: BuildReport, result: VersionResult, progress: Callable[[VersionResult], None] | None) -> None:
    report.results.append(result)
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
