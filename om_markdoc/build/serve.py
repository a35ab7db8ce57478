"""``om-markdoc serve``: the authoring preview, one version (the latest by default) or all.

It is MkDocs' live-reload server with these differences:

* every rebuild is a *dirty* one whose page list comes from the plugin's content keys (a saved
  page re-renders that page, a saved partial exactly the pages that include it, directly or
  through other partials; a saved ``menu.md`` changes every page's navigation key, so every page
  goes through the templates again with its body as last rendered), and the plugin is narrowed
  to the chosen version;
* the server answers at once: the URL is printed before the first build, and until that build
  is done every page asked for is a small "building" page that reloads itself when the site is
  ready.  That first build builds only the home page of the version served (``--all``: the
  latest version); the rest is built right after, while the server answers with what is built;
* what the server itself writes (the generated ``mkdocs.yml`` of a bare tree, the site) lives in
  temporary folders that are never watched, and the generated config is rewritten only when its
  bytes change, so a rebuild never triggers the next one;
* the files a build no longer produces (a deleted or renamed page, a removed image) are removed
  from the served folder, so they answer 404 as in a clean build, and when the set of images
  changes every page is rendered again (their "image not found" problems change);
* with ``--all``, ``/`` leads to the latest version, and a version without a home page is named;
* SIGTERM stops the server like Ctrl-C: the temporary folders are removed.

Problems show in the terminal and on the page; a failed rebuild is reported and the server keeps
serving the last good site.
"""

from __future__ import annotations

import logging
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

import yaml
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files

from ..atomic import write_if_changed
from ..mkdocs_plugin.incremental import forget_builds
from ..site.files import StaticFiles
from .builder import DirtyBuildNotice, _generated_config, narrow_plugin
from .plan import BuildPlan, VersionTarget
from .site import redirect_page

log = logging.getLogger("mkdocs.plugins.om_markdoc.serve")

OUTPUTS_PLUGIN = "om-markdoc-serve"
"""The name under which serve's own build hooks (``Outputs``) join each config's plugins."""

BUILDING_PAGE = (
    "<!doctype html><html><head><meta charset=\"utf-8\"><title>Building...</title></head>"
    "<body><p>om-markdoc serve is building {what}; this page reloads when it is ready.</p></body></html>"
)


def say(message: str) -> None:
    """One progress line on stderr, flushed at once (an editor or a test reads it live)."""
    print(f"om-markdoc serve: {message}", file=sys.stderr, flush=True)


def _loader(plan: BuildPlan, version: str | None, site_dir: Path, work_dir: Path, dev_addr: str | None) -> Callable[[], Any]:
    """A function returning a fresh MkDocs config for each rebuild.  For a bare tree the config
    is generated into ``work_dir``, rewritten only when its text changes."""
    from mkdocs.config import load_config

    overrides = {"dev_addr": dev_addr} if dev_addr else {}

    def get_config() -> Any:
        if plan.config_file is not None:
            config = load_config(str(plan.config_file), site_dir=str(site_dir), **overrides)
            narrow_plugin(config, plan, version)
            return config
        target = plan.version(version) if version else VersionTarget("", "", False)
        generated = _generated_config(plan, target, site_dir, Path(), Path())
        options = generated["plugins"][1]["om-markdoc"]
        for key in ("versions_manifest", "cache_dir"):
            options.pop(key)
        if not version:
            options.pop("version")
        path = work_dir / "mkdocs.yml"
        write_if_changed(path, yaml.safe_dump(generated))
        return load_config(str(path), **overrides)

    return get_config


class Outputs:
    """serve's own build hooks: which files each build produces, so that the next build removes
    those it no longer produces (a dirty MkDocs build only ever adds files), and one progress
    line per build."""

    def __init__(
        self, site_dir: Path, label: str, home: str | None = None, homes: tuple[str, ...] = ("",), first: str | None = None
    ) -> None:
        self.site_dir = site_dir
        self.label = label
        self.first = first
        """What the first build builds: the pages whose output is ``first`` or below it (the home
        page of the version served, or the latest version's folder with ``--all``); the next
        build, which follows at once, builds the rest.  None: everything at once."""
        self.homes = homes
        """The folders where a home page is expected: the site's, or (``--all``) each version's."""
        self.home = home
        """Where ``/`` leads when no page is the site's home (``--all``: the latest version)."""
        self.previous: set[str] = set()
        self.current: set[str] = set()
        self.builds = 0
        self.started = 0.0
        self.homeless: list[str] = []
        """The folders of ``homes`` the last build gave no home page (named when that changes)."""
        self.done: list[str] = []
        """The progress lines of the last build, printed by ``report``."""

    def attach(self, config: Any) -> Any:
        """Add these hooks to a freshly loaded config (each rebuild loads a new one)."""
        config.plugins[OUTPUTS_PLUGIN] = self
        return config

    @event_priority(-100)  # after every plugin that adds or removes files (om-markdoc's slugs)
    def on_files(self, files: Files, /, *, config: Any) -> Files:
        self.started = time.perf_counter()
        self.current = {file.dest_uri for file in files if not file.inclusion.is_excluded()}
        if not self.builds:
            pages = sum(1 for file in files.documentation_pages())
            say(f"building {self.label}: {pages} pages" + (f", /{self.first.removesuffix('index.html')} first" if self.first else ""))
            if self.first is not None:
                self._defer(files)
        return files

    def _defer(self, files: Files) -> None:
        """Leave every page but the first ones to the next build (a dirty build skips a page
        that is not modified: it is neither read, rendered nor written)."""
        assert self.first is not None
        folder = self.first.removesuffix("index.html")
        for file in files.documentation_pages():
            if file.dest_uri != self.first and not (folder and file.dest_uri.startswith(folder)):
                file.is_modified = lambda: False  # type: ignore[method-assign]

    @property
    def deferred(self) -> bool:
        """Whether the first build left pages to build now."""
        return self.first is not None and self.builds == 1

    def on_post_build(self, *, config: Any) -> None:
        removed = self._prune(self.previous - self.current)
        if self.home and "index.html" not in self.current:
            write_if_changed(self.site_dir / "index.html", redirect_page(self.home))
        self.previous = self.current
        self.builds += 1
        seconds = time.perf_counter() - self.started
        plugin = config.plugins.get("om-markdoc")
        rendered = plugin.stats.get("rendered", 0) if plugin is not None else 0
        what = self._what()
        self.done = [f"{what} {self.label}: {rendered} pages rendered, {removed} stale files removed in {seconds:.1f} s"]
        homeless = [folder for folder in self.homes if f"{folder}index.html" not in self.current]
        if homeless != self.homeless:
            self.done += [f"{f.rstrip('/') or self.label} has no home page (no page with the slug /): /{f} answers 404" for f in homeless]
        self.homeless = homeless

    def _what(self) -> str:
        initial = 2 if self.first is not None else 1
        if self.builds < initial:
            return "built the first pages of"
        return "built" if self.builds == initial else "rebuilt"

    def report(self) -> None:
        """Print the lines of the build just finished, once the server serves its result."""
        for line in self.done:
            say(line)
        self.done = []

    def _prune(self, gone: Iterable[str]) -> int:
        """Remove the output files no page or file produces any more, and folders left empty."""
        count = 0
        root = self.site_dir.resolve()
        for dest in sorted(gone):
            path = (root / dest).resolve()
            if root not in path.parents or not path.is_file():
                continue
            path.unlink()
            count += 1
            for folder in path.parents:
                if folder == root or any(folder.iterdir()):
                    break
                folder.rmdir()
        return count


class StaticListing:
    """The images and other files the site publishes besides pages.  When that set changes (an
    image added or removed), every page is rendered again: a page's key covers its source and
    partials, not whether the images it shows exist, and ``om-markdoc build`` starts clean then."""

    def __init__(self, plan: BuildPlan) -> None:
        self.plan = plan
        self.last: list[str] | None = None

    def forget_if_changed(self) -> None:
        listing = StaticFiles(self.plan.project.docs_root, self.plan.project.images_root).listing()
        if self.last is not None and listing != self.last:
            forget_builds()
        self.last = listing


class PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, answering while the first build runs: an HTML request gets a
    "building" page (status 503) carrying the reload script, which reloads it once the build is
    done; other requests wait for the build as MkDocs' own server makes them do.  While the
    rest of the pages are built (``answering``), what is built already is served at once."""

    def __init__(self, *args: Any, building: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.building: str | None = building
        """What the first build builds, until it is done (then None)."""

    @contextmanager
    def answering(self) -> Iterator[None]:
        """Serve what is built already while this build runs (MkDocs' server holds every request
        until the build in progress ends); browsers still reload when it ends."""
        with self._epoch_cond:
            wanted, self._wanted_epoch = self._wanted_epoch, self._visible_epoch
            self._epoch_cond.notify_all()  # requests already waiting for this build go on
        try:
            yield
        finally:
            with self._epoch_cond:
                self._wanted_epoch = wanted

    def build_now(self) -> None:
        """Have the build loop run a build next, as if a file had changed."""
        with self._rebuild_cond:
            self._want_rebuild = True
            self._rebuild_cond.notify_all()

    def _serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes] | None:
        path = environ.get("PATH_INFO", "")
        building = self.building
        if building is None or path.startswith("/livereload/") or not (path.endswith("/") or path.endswith(".html")):
            return super()._serve_request(environ, start_response)
        body = self._inject_js_into_html(BUILDING_PAGE.format(what=building).encode(), self._visible_epoch)
        start_response(
            "503 Service Unavailable",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))), ("Retry-After", "2")],
        )
        return [body]


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM stop the server as Ctrl-C does (the ``finally`` blocks run and remove the
    temporary folders); returns what puts the previous handler back."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _watched(config: Any, plan: BuildPlan, own: list[Path]) -> list[str]:
    """What the server watches: the sources and the user's own config files, never a folder of
    ours (the site, the generated config) nor anything inside one."""
    paths = [config.docs_dir, *(p for p in (plan.partials_root, plan.images_root) if p), *config.watch]
    if plan.project.config_file is not None:
        paths.append(plan.project.config_file)
    mine = [folder.resolve() for folder in own]
    keep = []
    for item in dict.fromkeys(str(Path(p).resolve()) for p in paths):
        path = Path(item)
        if path.exists() and not any(path == folder or folder in path.parents for folder in mine):
            keep.append(item)
    return keep


def serve_tree(plan: BuildPlan, *, version: str | None, dev_addr: str | None = None, open_browser: bool = False) -> None:
    """Serve ``plan`` until interrupted (``version`` None: all versions in one site)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    restore_sigterm = _stop_on_sigterm()
    site_dir = Path(tempfile.mkdtemp(prefix="om-markdoc-serve-"))
    work_dir = Path(tempfile.mkdtemp(prefix="om-markdoc-config-"))
    try:
        label = version or f"all {len(plan.versions)} versions"
        home = None if version else f"{plan.latest or plan.versions[0].name}/"
        homes = ("",) if version else tuple(f"{v.name}/" for v in plan.versions)
        first_pages = "index.html" if version else f"{home}index.html"  # the home page, or the latest version
        outputs = Outputs(site_dir, label, home, homes, first_pages)
        get_config = _loader(plan, version, site_dir, work_dir, dev_addr)
        config = outputs.attach(get_config())
        # Not "dirty" for the plugins, though every rebuild is a dirty build: Material's search
        # would then merge its last index itself, assuming one page per rebuild (a rebuild of two
        # pages indexed one of them twice); om-markdoc merges the index of the pages left alone.
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        mount_path = urlsplit(config.site_url or "/").path
        serve_url = f"http://{host}:{port}{mount_path}"
        first = [config]
        statics = StaticListing(plan)

        def builder(config: Any = None) -> None:
            with server.answering() if outputs.deferred else nullcontext():  # the pages the first build left
                rebuild(config)
            if outputs.deferred:
                server.build_now()  # the rest, at once

        def rebuild(config: Any = None) -> None:
            given = config or (first.pop() if first else outputs.attach(get_config()))
            statics.forget_if_changed()
            try:
                build(given, serve_url=serve_url, dirty=True)
            except MkDocsException as exc:  # keep serving the last good site
                log.error("rebuild failed: %s", exc)
                say(f"rebuild of {label} failed: {exc}")
            finally:
                server.building = None
                for item in _watched(given, plan, [site_dir, work_dir]):
                    if item not in server._watched_paths:  # noqa: SLF001 - LiveReloadServer has no public list; watching twice doubles rebuilds
                        server.watch(item)
            outputs.report()

        logging.getLogger("mkdocs.commands.build").addFilter(DirtyBuildNotice())
        server = PreviewServer(
            builder=builder, host=host, port=port, root=str(site_dir), mount_path=mount_path, building=label
        )
        try:
            for item in _watched(config, plan, [site_dir, work_dir]):
                server.watch(item)
            server = config.plugins.on_serve(server, config=config, builder=builder)
            say(f"serving {serve_url} (building {label} first)")
            server.build_now()
            try:
                server.serve(open_in_browser=open_browser)
            except KeyboardInterrupt:
                log.info("Shutting down...")
            finally:
                server.shutdown()
        finally:
            config.plugins.on_shutdown()
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(work_dir, ignore_errors=True)
        restore_sigterm()
