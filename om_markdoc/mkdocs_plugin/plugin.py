"""The ``om-markdoc`` MkDocs plugin.

MkDocs keeps discovering files, building navigation and theming; om-markdoc takes over what
Python-Markdown would do.  Per hook:

* ``on_config``: one ``DialectRenderer`` for the build, the partial store, our CSS/JS;
* ``on_files``: pages get their URL from the front-matter slug (``/<version>/<slug>/``), menus
  and edition-only pages leave the build, images outside ``docs_dir`` and our assets join it;
* ``on_nav``: navigation from ``menu.md`` files when there are any (see ``nav`` option);
* ``on_page_markdown``: the page is rendered by om-markdoc and Python-Markdown is handed an
  empty string; ``on_page_content`` swaps our HTML in and sets the TOC and anchor ids.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .. import __version__
from ..check.recorder import RECORDER_ATTR, CheckState, Recorder, check_partial
from ..check.rules import anchor_problem, chain_of, cycle_findings, resolve_ref
from ..core.ast import Node
from ..core.renderers.html import render_html
from ..core.tag import Tag
from ..diagnostics import Diagnostic
from ..dialect.pipeline import PageResult, source_lines
from ..digest import digest
from ..examples.badges import PageExamples, PageStatuses
from ..examples.bind import ExamplesConfigError
from ..site.frontmatter import find_front_matter
from ..site.labels import Labels
from ..site.pages import Page as SourcePage
from ..site.partials import RecordingPartials
from ..site.project import Project, ProjectError
from ..site.textfile import read_text_file
from .badges import ExamplesContext, install_fence_badges
from .config import OmMarkdocConfig
from .home import add_home, fill_home
from .incremental import (
    BuildState,
    CachedBody,
    PageRecord,
    file_stamp,
    merge_search,
    save_state,
    state_for,
)
from .navcache import NavCache
from .navigation import build_navigation, nav_labels
from .omitted import narrow_omitted_notice
from .parallel import ForkedCopy, ForkedWork, worker_count
from .site_files import PageInfo, SiteFiles
from .summary import SITE, BuildDiagnostics, catalogued, left_to_check, log_summary
from .template_code import TemplateCode
from .template_workers import SearchSkip, TemplateWorkers, is_search_event
from .titles import safe_title
from .versioning import VersionManifest, banner_html, root_prefix, slugs_document

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ASSET_FILES = ("om-markdoc.css", "om-markdoc.js")
ASSET_PREFIX = "assets/om-markdoc"


def nest_toc(flat: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat headings → the nested tokens ``mkdocs.structure.toc.get_toc`` expects."""
    root: list[dict[str, Any]] = []
    stack: list[dict[str, Any]] = []
    for entry in flat:
        token = {"level": entry["level"], "id": entry["id"], "name": safe_title(entry["name"]), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def log_diagnostic(diagnostic: Diagnostic, *, quiet: bool = False) -> Diagnostic:
    """Errors and warnings become MkDocs warnings (``--strict`` fails on them); infos are infos.
    Severities are the rule catalogue's, as ``om-markdoc check`` gives them.

    ``quiet`` (``serve``, ``om-markdoc build``): a DEBUG line only, the summary reports it
    (see ``summary``); the line keeps the same text, so a verbose log still lists every one."""
    diagnostic = catalogued(diagnostic)
    text = diagnostic.format(include_chain=True)
    if quiet:
        log.debug(text)
    elif diagnostic.severity in ("error", "warning"):
        log.warning(text)
    else:
        log.info(text)
    return diagnostic


EMPTY_BODY = "<p></p>"
"""The body of a page that renders to nothing: an element for the search plugin to index."""


def with_markdown(source: str, markdown: str) -> str:
    """The page as om-markdoc renders it: its own front matter, then the body MkDocs hands over.

    Plugins that run before om-markdoc (mkdocs-macros, for instance) change the body; keeping
    the original front matter, and the blank lines MkDocs strips after it, keeps line numbers
    pointing at the file.
    """
    if source.endswith(markdown):
        return source
    lines = source.splitlines(keepends=True)
    close = find_front_matter([line.rstrip("\r\n") for line in lines])
    if close is None:
        return markdown
    end = close + 1
    while end < len(lines) and not lines[end].strip():
        end += 1
    return "".join(lines[:end]) + markdown


def skip_python_markdown(page: Page) -> None:
    """Make MkDocs' ``Page.render`` a no-op for a page om-markdoc renders: it would build a
    Python-Markdown instance, extensions and all, to convert the empty string this plugin hands
    over (a third of a millisecond per page, every build).  ``on_page_content`` sets what it
    would have set (the HTML, TOC, anchors and title)."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = ""
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = {}

    page.render = render  # type: ignore[method-assign]


def problems_panel(problems: list[Diagnostic]) -> str:
    """What ``serve`` shows at the top of a page with problems (the terminal shows them too);
    Material's search leaves it out of the index (``data-search-exclude``): it is not content."""
    items = [Tag("li", {}, [Tag("code", {}, [d.format(include_chain=True)])]) for d in problems if d.severity != "info"]
    title = Tag("p", {"class": "admonition-title"}, [f"om-markdoc: {len(items)} problem(s) on this page"])
    box = {"class": "admonition failure om-problems", "data-search-exclude": ""}
    return render_html(Tag("div", box, [title, Tag("ul", {}, items)]))


def partial_tags(ast: Node | None) -> Node | None:
    """A document holding only the ``{% partial %}`` tags of ``ast``, without their content:
    what a worker sends back instead of the whole tree."""
    if ast is None:
        return None
    tags = [
        Node(type=node.type, tag=node.tag, attributes=dict(node.attributes), lines=list(node.lines))
        for node in ast.walk()
        if node.type == "tag" and node.tag == "partial"
    ]
    return Node(type="document", children=tags)


class OmMarkdocPlugin(BasePlugin[OmMarkdocConfig]):
    """Renders Markdoc pages of an OpenMetadata-style tree as a Material site."""

    def __init__(self) -> None:
        self.project: Project | None = None
        self.engine: CheckState | None = None
        self.site: SiteFiles | None = None
        self.results: dict[str, PageResult] = {}
        self.sources: dict[str, str] = {}
        self.manifest: VersionManifest | None = None
        self.scope = ""
        self.state = BuildState()
        self.records: dict[str, PageRecord] = {}
        self.statics: dict[str, str] = {}
        self.kept: set[str] = set()
        self.nav_key = ""
        self.body_key = ""
        self.reused: set[str] = set()
        self.reuse: dict[str, CachedBody] = {}
        """Pages whose body is reused as last rendered (only their navigation changed)."""
        self.bodies: dict[str, CachedBody] = {}
        self.stats = {"rendered": 0, "rendered_in_workers": 0, "reused": 0, "built_in_workers": 0, "nav_cached": 0}
        """What the last build did (tests and benchmarks read it)."""
        self.omitted_level = 20  # logging.INFO, MkDocs' default for pages left out of ``nav:``
        self.serving = False
        self.serve_command = False
        self.serve_site: str | None = None
        self.report = "each"
        """How diagnostics reach the log this build: ``each``, ``summary`` (serve) or ``quiet``
        (``om-markdoc build``, which prints the summary itself); the ``problems`` option, see
        ``summary``."""
        self.found = BuildDiagnostics()
        """Every diagnostic of the site, by page, including pages this build did not render."""
        self.builds = 0
        self.found_scope = ""
        self.includes: dict[str, list[tuple[int, str]]] = {}
        """Partial name → ``(line, included partial)`` of the partials this build checked: the
        include graph whose loops are ``partial-cycle``, as ``check`` finds them."""
        self.cycles: set[Diagnostic] = set()
        """The include loops reported this build (each once, with the page that reached it)."""
        self.graph_grew = False
        """Partials joined ``includes`` since loops were last looked for."""
        self.unjudged = 0
        """Anchors into pages this build does not render (see ``summary.left_to_check``)."""
        self.examples: PageExamples | None = None
        self.examples_broken = False
        self.navcache: NavCache | None = None
        self.renders: ForkedWork | None = None
        self.templates: TemplateWorkers | None = None
        self.page_context_events: tuple[list[Any], list[Any]] | None = None
        self.template_code = TemplateCode()
        self.copier: ForkedCopy | None = None
        self.nav: Navigation | None = None
        self.home: File | None = None
        """The generated home page of a build whose tree has no page at the site root."""
        self.labels = Labels()
        """The sidebar labels of this build's pages (``site.labels``)."""

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_workers(kill=True)

    def _stop_workers(self, *, kill: bool = False) -> None:
        if self.renders is not None:
            self.renders.close(kill=kill)
        if self.templates is not None:
            self.templates.close(kill=kill)
            self.stats["built_in_workers"] = self.templates.built
            self.stats["nav_cached"] += self.templates.nav_served
        if self.copier is not None:
            copier, self.copier = self.copier, None
            copier.wait(kill=kill)
        self.renders = self.templates = None
        if self.navcache is not None:
            self.stats["nav_cached"] += self.navcache.served
            self.navcache.served = 0
        if self.page_context_events is not None:
            events, original = self.page_context_events
            events[:] = original
            self.page_context_events = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also keeps the plugin alive across `serve` rebuilds.
        self.serve_command = command == "serve"
        self.serve_site = None

    def _build_mode(self, config: MkDocsConfig) -> None:
        """Whether this build is the preview's, and how it reports problems.  MkDocs keeps this
        one plugin instance for every later build of the process too, so serving is tied to
        the site folder of the first build after ``on_startup("serve")`` (``serve`` rebuilds
        into one folder), not left on for whatever the process builds next."""
        if self.serve_command and self.serve_site is None:
            self.serve_site = str(config.site_dir)
        self.serving = self.serve_command and str(config.site_dir) == self.serve_site
        wanted = self.config.problems
        self.report = ("summary" if self.serving else "each") if wanted == "auto" else wanted

    def _diagnostics_for(self, scope: str) -> None:
        """Start this build's diagnostics.  MkDocs keeps one plugin instance for every build of a
        process (``om-markdoc build`` builds versions one after another in a worker), so the
        pages a dirty build leaves alone take their problems from the cache folder when there
        is one (the truth after each build), else from memory of the same site (``serve``)."""
        cache_dir = self._cache_dir()
        if cache_dir is not None or scope != self.found_scope:
            self.found = BuildDiagnostics.load(cache_dir)
        if scope != self.found_scope:
            self.builds = 0
        self.found_scope = scope
        self.found.begin_build()

    def _diagnostic(self, key: str, diagnostic: Diagnostic) -> Diagnostic:
        """Record a diagnostic of page ``key`` (``SITE``: of no page) and log it per ``report``."""
        return log_diagnostic(self.found.add(key, diagnostic), quiet=self.report != "each")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._build_mode(config)
        self.omitted_level = config.validation.nav.omitted_files  # the site's level, before on_files lowers it
        try:
            self.project = self._load_project(config)
        except ProjectError as exc:
            raise PluginError(str(exc)) from exc
        # The checker's rendering state: same renderer, partial store and recorder as
        # `om-markdoc check`, so a problem inside a partial is placed where check places it.
        self.engine = CheckState(self.project, highlight=True, check_mtime=True)
        install_fence_badges(self.engine.renderer)
        self.examples = None  # built for the first page, with the site's partial store
        self.examples_broken = False
        manifest = self.config.versions_manifest
        self.manifest = VersionManifest.load(manifest) if manifest else None
        for path in (self.project.partials_root, self.project.images_root):
            folder = str(path) if path is not None else None
            if folder and folder not in config.watch:
                config.watch.append(folder)  # `serve` reloads on partial and image edits too
        for name in ASSET_FILES:
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if f"{ASSET_PREFIX}/{name}" not in target:
                target.append(f"{ASSET_PREFIX}/{name}")
        return config

    def _load_project(self, config: MkDocsConfig) -> Project:
        """The project this build renders, from this build's options (for a bare tree,
        ``om-markdoc build`` writes them with ``Project.to_options``, ``root`` included)."""
        config_file = Path(config.config_file_path).resolve() if config.config_file_path else None
        root = Path(self.config.root) if self.config.root else (config_file.parent if config_file is not None else Path.cwd())
        return Project.from_options(root, config.docs_dir, dict(self.config.items()), config_file=config_file)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.engine is not None and self.project is not None
        self.stats = dict.fromkeys(self.stats, 0)
        self.bodies = {}
        self.includes = {}
        self.cycles = set()
        self.graph_grew = False
        self.unjudged = 0
        self.site = SiteFiles.build(files, config, self.config, self.project, self.engine.store)
        self.scope = f"{config.config_file_path}|{config.site_dir}|{self.config.version}"
        self._diagnostics_for(self.scope)
        for diagnostic in self.site.diagnostics:
            self._diagnostic(SITE, diagnostic)
        if self.config.nav != "config":
            narrow_omitted_notice(config, files, self.site.pages, log, self.omitted_level)
        for name in ASSET_FILES:
            files.append(File.generated(config, f"{ASSET_PREFIX}/{name}", abs_src_path=str(ASSETS / name)))
        # A site that is one version's (or has no versions) gets a home where the tree has none; a
        # site holding every version leaves its root to the chooser (serve --all redirects it).
        several = len(self.project.versions) > 1 and not self.site.one_version
        self.home = None if several else add_home(files, config)
        self.labels = nav_labels(self.site)
        self._plan_rebuild(config, files)
        return files

    def _cache_dir(self) -> Path | None:
        return Path(self.config.cache_dir) if self.config.cache_dir else None

    def _plan_rebuild(self, config: MkDocsConfig, files: Files) -> None:
        """Key every page; tell MkDocs (dirty builds) which pages to leave alone."""
        assert self.site is not None
        self.state = state_for(self.scope, self._cache_dir())
        # What every page's body depends on besides its source and partials: where links go
        # (all slugs), the version manifest, the plugin's options and om-markdoc's own version.
        body_parts = [__version__, repr(sorted(self.config.items()))]
        if self.config.versions_manifest:
            body_parts.append(Path(self.config.versions_manifest).read_bytes())
        body_parts += [f"{uri}|{info.page.slug}".encode() for uri, info in sorted(self.site.pages.items())]
        self.body_key = digest(*body_parts)
        # What every page's navigation shows besides that: menus and every page's sidebar label.
        nav_parts = [self.body_key.encode(), *(path.read_bytes() for path in sorted(self.site.menus.values()))]
        nav_parts += [f"{uri}|{self.labels.page(info.page)}".encode() for uri, info in sorted(self.site.pages.items())]
        self.nav_key = digest(*nav_parts)
        partial_keys: dict[str, str] = {}
        self.kept = set()
        self.records = {}  # MkDocs reuses the plugin instance: keep no page of another build
        self.statics = {}
        for file in files:
            if file.src_uri in self.site.pages or not file.abs_src_path or file.generated_by is not None:
                continue
            stamp = file_stamp(file.abs_src_path)
            self.statics[file.src_uri] = stamp
            copied = os.path.isfile(file.abs_dest_path) and self.state.statics.get(file.src_uri) == stamp
            file.is_modified = (lambda flag=not copied: flag)  # type: ignore[method-assign]
        self.reuse = {}
        self.reused: set[str] = set()
        for src_uri, info in self.site.pages.items():
            previous = self.state.pages.get(src_uri)
            changed = True
            if previous is not None and os.path.isfile(info.file.abs_dest_path):
                same_body = previous.key == self._page_key(info.file, previous.partials, partial_keys)
                changed = not same_body or previous.nav != self.nav_key
                body = self.state.bodies.get(src_uri)
                if changed and same_body and body is not None and body.key == previous.key:
                    self.reuse[src_uri] = body  # only the navigation changed: templates only
            if not changed:
                self.kept.add(info.file.url)
                self.records[src_uri] = previous
            info.file.is_modified = (lambda flag=changed: flag)  # type: ignore[method-assign]

    def _page_key(self, file: File, partials: list[str], memo: dict[str, str]) -> str:
        """The page's body key: its file, the partials it read (their files' bytes, not parsed:
        a menu edit renders no page and should parse no partial) and ``body_key``."""
        parts = [self.body_key, file.content_bytes]
        store = self.site.partials if self.site is not None else None
        for name in partials:
            if name not in memo:
                resolved = store.resolve(name) if store is not None else None
                path = resolved.path if resolved is not None and resolved.ok else None
                try:
                    memo[name] = digest(path.read_bytes()) if path is not None else "missing"
                except OSError:
                    memo[name] = "missing"
            parts.append(f"{name}={memo[name]}")
        return digest(*parts)

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        assert self.site is not None
        # Sidebar labels (``site.labels``) for every page, including those a dirty build does not read.
        for info in self.site.pages.values():
            if info.file.page is not None and info.file.page.title is None:  # nav titles win
                # Themes print titles as HTML (Python-Markdown hands them over escaped): escape.
                info.file.page.title = safe_title(self.labels.page(info.page))
        self.nav = nav
        if self.config.nav != "config":
            built = build_navigation(
                self.site, files, nav, folders_only=self.config.nav == "folders", labels=self.labels, home=self.home,
            )
            for diagnostic in built.diagnostics:
                self._diagnostic(SITE, diagnostic)
            self.nav = built.navigation or nav
        fill_home(self.home, self._home_title(config), self.nav)
        self._start_renders(files)
        return self.nav

    def _home_title(self, config: MkDocsConfig) -> str:
        """The generated home page's title: the site's name and the version it shows."""
        assert self.project is not None
        single = self.project.single_version
        version = self.config.version or (single.name if single is not None else None)
        name = str(config.site_name)
        return f"{name} {version}" if version and version not in name else name

    def _start_renders(self, files: Files) -> None:
        """Fork workers that render ahead the pages this build will render (see ``parallel``)."""
        assert self.site is not None
        inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included  # the pages MkDocs reads
        pages = [file.src_uri for file in files.documentation_pages(inclusion=inclusion)
                 if file.src_uri in self.site.pages and file.is_modified() and file.src_uri not in self.reuse]
        self.renders = ForkedWork(pages, worker_count(self.config.jobs), self._render_in_worker)

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        """Every page is rendered by now: anchors are judged (``_judge_anchors``).  Material's
        navigation is rendered once per build and reused per page (``navcache``); templates
        are compiled once per process (``template_code``); pages are built by forked workers
        (``template_workers``)."""
        if self.site is not None:
            self._judge_anchors()
        env.bytecode_cache = self.template_code
        self.navcache = NavCache.install(env) if self.config.nav_cache else None
        if self.renders is not None:  # every page has been rendered by now
            self.renders.close()
            self.renders = None
        events = config.plugins.events["page_context"]
        self.page_context_events = (events, list(events))  # put back after the build
        self._skip_known_search_entries(config, files)
        if self.nav is not None:
            self.templates = TemplateWorkers(self.nav)
            self.templates.start(env, config, files, worker_count(self.config.jobs), serving=self.serving, navcache=self.navcache)
        if worker_count(self.config.jobs) > 1:
            inclusion = InclusionLevel.is_in_serve if self.serving else InclusionLevel.is_included
            self.copier = ForkedCopy([f for f in files if not f.is_documentation_page() and inclusion(f.inclusion)])
        return env

    def _skip_known_search_entries(self, config: MkDocsConfig, files: Files) -> None:
        """Pages whose body was reused and whose title is unchanged have the search entries of
        the last build: the search plugin leaves them out, ``on_post_build`` merges them back."""
        skip: set[str] = set()
        for file in files.documentation_pages(inclusion=InclusionLevel.all):
            page = file.page
            if page is None or page.content is None:
                continue
            record = self.records.get(file.src_uri)
            if record is not None:
                record.title = str(page.title)
            previous = self.state.pages.get(file.src_uri)
            if file.src_uri in self.reused and previous is not None and record is not None and previous.title == record.title:
                skip.add(file.src_uri)
                self.kept.add(file.url)
        events = config.plugins.events["page_context"]
        if skip:
            events[:] = [SearchSkip(method, skip) if is_search_event(method) else method for method in events]

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Read pages ourselves: a BOM is dropped and invalid UTF-8 becomes a diagnostic naming the
        byte offset, where MkDocs would stop the whole build."""
        if self.site is None or page.file.src_uri not in self.site.pages:
            return None
        info = self.site.page_info(page.file)
        text, problems = read_text_file(page.file.abs_src_path)
        if page.file.src_uri in self.reuse:
            # Its body (same key) is reused: the last build's problems of this page still hold.
            self.sources[page.file.src_uri] = text
            return text
        self.found.start_page(page.file.src_uri)
        for problem in problems:
            self._diagnostic(
                page.file.src_uri,
                Diagnostic(problem.rule, problem.severity, problem.message, info.display_path, problem.line, problem.column),
            )
        self.sources[page.file.src_uri] = text  # whole, front matter included: lines stay true
        return text

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.engine is not None and self.site is not None
        if page.file.src_uri not in self.site.pages:
            return markdown  # the generated home (``home``): plain Markdown, no Markdoc
        # Themes print front-matter values (Material: `page.meta.title` in <title>, the
        # description in a meta tag) as HTML, unescaped: escape the strings authors wrote.
        page.meta = {key: safe_title(value) if isinstance(value, str) else value for key, value in page.meta.items()}
        info = self.site.page_info(page.file)
        raw = self.sources.pop(page.file.src_uri, None)
        if raw is None:
            raw = page.file.content_string
        source = with_markdown(raw, markdown)
        uri = page.file.src_uri
        skip_python_markdown(page)
        body = self.reuse.pop(uri, None)
        if body is not None and source == raw:  # no plugin changed the page's Markdown
            # Same body key: the page's problems are the last build's, still in `self.found`.
            self.stats["reused"] += 1
            self.reused.add(uri)
            self.records[uri] = PageRecord(body.key, self.state.pages[uri].partials, self.nav_key)
            self.bodies[uri] = body
            self.results[uri] = PageResult(body.html, body.toc, set(body.ids), body.title, None)
            return ""
        rendered = self.renders.take(uri) if self.renders is not None else None
        if rendered is None or rendered[0] != digest(source):
            rendered = (digest(source), *self._render_page(page.file, source))
        else:
            self.stats["rendered_in_workers"] += 1
        self.stats["rendered"] += 1
        _, result, seen, links, images = rendered
        key = self._page_key(page.file, seen, {})
        self.records[uri] = PageRecord(key, seen, self.nav_key)
        self.found.rendered(uri, links, result.ids)
        problems = [
            self._diagnostic(uri, d)
            for d in (
                *result.diagnostics,
                *self.site.problems(page.file, links, images),
                *self.site.partial_diagnostics(result.ast, info, self._check_partial),
                *self._new_cycles(),
            )
        ]
        if self.serving and any(d.severity in ("error", "warning") for d in problems):
            result.html = problems_panel(problems) + result.html
        self.results[uri] = result
        self.bodies[uri] = CachedBody(key, result.html, result.toc, sorted(result.ids), result.title)
        return ""

    def _check_partial(self, name: str) -> list[Diagnostic]:
        """A partial's own problems, as ``om-markdoc check`` finds them, and those of the partials
        it includes, at any depth (each partial once per build); their includes join the graph
        ``_new_cycles`` looks for loops in."""
        assert self.engine is not None and self.site is not None
        found: list[Diagnostic] = []
        pending = [name]
        while pending:
            current = pending.pop()
            self.graph_grew = True
            record = check_partial(self.engine, current)
            found.extend(Diagnostic.from_row(row) for row in record["findings"])
            edges = self.includes.setdefault(current, [])
            for ref in record["refs"]:
                problem, included = resolve_ref(self.engine.resolver, ref, self.engine.display(current), ())
                if problem is not None:
                    found.append(problem)
                    continue
                assert included is not None
                edges.append((ref[2], included))
                if included not in self.site.partials_checked:
                    self.site.partials_checked.add(included)
                    pending.append(included)
        return found

    def _new_cycles(self) -> list[Diagnostic]:
        """The include loops among the partials checked so far not yet reported this build.
        A loop is complete once a page that reaches it has been walked (``_check_partial``
        follows includes to any depth), and it is reported with that page."""
        assert self.engine is not None
        if not self.graph_grew:  # most pages include nothing new: no graph walk for them
            return []
        self.graph_grew = False
        fresh = [d for d in cycle_findings(self.includes, self.engine.display) if d not in self.cycles]
        self.cycles.update(fresh)
        return fresh

    def _judge_anchors(self) -> None:
        """``anchor-broken`` for every page's links, once every page is rendered: the ids of
        the page a link points at are known then (``summary``).  A target this build does not
        render (another version) is counted in ``unjudged``."""
        assert self.site is not None
        for src_uri, info in self.site.pages.items():
            for href, file, line, column, chain in self.found.links.get(src_uri, []):
                target, fragment = self._anchor_target(info, href)
                if target is None or not fragment:
                    continue
                built = self.site.files_by_page.get(id(target))
                ids = self.found.ids.get(built.src_uri) if built is not None else None
                if ids is None:
                    self.unjudged += 1
                    continue
                message = anchor_problem(href, fragment, info.page, target, set(ids))
                if message is not None:
                    where = (file, int(line), int(column), chain_of(chain, info.page.file))
                    self._diagnostic(SITE, Diagnostic("anchor-broken", "error", message, *where))

    def _anchor_target(self, info: PageInfo, href: str) -> tuple[SourcePage | None, str | None]:
        """``(page, fragment)`` a link points at, found as ``check`` finds it: by slug, else as a
        ``.md`` path; ``(None, None)`` for anything else (broken links are ``link-broken``)."""
        assert self.site is not None and self.project is not None
        target = self.site.indexes[info.version].resolve_link(href, info.page)
        if target.kind in ("external", "static"):
            return None, None
        if target.kind != "missing":  # a page, or this page (``#fragment`` alone)
            return target.page, target.fragment
        md_path = self.project.md_link_target(info.page.path, href)
        other = self.site.pages.get(md_path) if md_path is not None else None
        return (other.page, urlsplit(href).fragment or None) if other is not None else (None, None)

    def _example_statuses(self, file: File, info: Any, source: str) -> PageStatuses | None:
        """The badges of the page's examples (``om_markdoc.examples.badges``): what validated
        each one and, when serving, which fail.  A broken ``examples:`` configuration is
        reported once and leaves pages without badges; ``check`` reports it in full."""
        assert self.project is not None and self.site is not None
        if self.examples is None and not self.examples_broken:
            try:
                self.examples = PageExamples(self.project, renderer=self.engine.renderer, partials=self.site.partials)
            except ExamplesConfigError as exc:
                log.warning(f"examples configuration: {exc}; examples get no badge")
                self.examples_broken = True
        if self.examples is None or not self.examples.wanted(source, failures=self.serving):
            return None
        path = Path(file.abs_src_path) if file.abs_src_path else None
        return self.examples.for_page(path, info.display_path, source, failures=self.serving)

    def _render_page(self, file: File, source: str) -> tuple[PageResult, list[str], list[list[Any]], list[list[Any]]]:
        """om-markdoc's render of one page with the checker's recorder, in this process or a
        worker's (``_render_in_worker``): the result, the partials it read, and the links and
        images it met, each placed where it is written (``SiteFiles.problems`` judges them)."""
        assert self.engine is not None and self.site is not None
        site = self.site
        info = site.page_info(file)
        recorder = Recorder(self.engine, source_lines(source), page=info.display_path)
        context = ExamplesContext(
            file=info.display_path,
            version=info.version,
            resolve_link=lambda href, line: site.link(file, recorder.link(href, line)),
            resolve_image=lambda src, line: site.image(file, recorder.image(src, line)),
            diagnostics=recorder.diagnostics,
        )
        setattr(context, RECORDER_ATTR, recorder)
        context.examples = self._example_statuses(file, info, source)
        partials = RecordingPartials(site.partials) if site.partials is not None else None
        result = self.engine.renderer.render(source, file=info.display_path, context=context, partials=partials)
        if context.examples is not None:  # the examples' findings, as check reports them
            result.diagnostics.extend(context.examples.problems)
        return result, sorted(partials.seen) if partials is not None else [], recorder.links, recorder.images

    def _render_in_worker(self, src_uri: str) -> tuple[str, PageResult, list[str], list[list[Any]], list[list[Any]]]:
        """A page rendered ahead in a forked worker, from its file as ``on_page_read_source``
        reads it; ``on_page_markdown`` uses it only if that is the source it would render.
        Only the AST's partial tags go back (all ``partial_diagnostics`` reads of it)."""
        assert self.site is not None
        file = self.site.pages[src_uri].file
        source, _ = read_text_file(file.abs_src_path)
        result, seen, links, images = self._render_page(file, source)
        result.ast = partial_tags(result.ast)
        return digest(source), result, seen, links, images

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        result = self.results.pop(page.file.src_uri, None)
        if result is None:
            return self._page_data(page) + html if page.file is self.home else html
        page.toc = get_toc(nest_toc(result.toc))
        page.present_anchor_ids = set(result.ids)
        if result.title and "title" not in page.meta:
            page._title_from_render = safe_title(result.title)  # noqa: SLF001 - MkDocs's own slot for a title found in the body
        # An empty page (a blank home page) still gets a search entry under its title: the
        # search plugins index a page by the elements of its body, and an empty body has none.
        return self._page_data(page) + result.html or EMPTY_BODY

    def _report_diagnostics(self) -> None:
        """Keep this build's diagnostics (for the next dirty build and ``om-markdoc build``'s
        summary) and, when serving, log the summary of what this build rendered."""
        if self.site is not None:
            self.found.keep_only(self.site.pages)
        self.found.unjudged = self.unjudged
        self.found.save(self._cache_dir())
        self.builds += 1
        if self.report == "summary":
            what = "the pages this rebuild rendered" if self.builds > 1 else ""
            log_summary(log, self.found.of_this_build(), what=what)
        if self.unjudged:
            (log.debug if self.report == "quiet" else log.info)(left_to_check(self.unjudged))

    def _page_data(self, page: Page) -> str:
        """The version banner, and the page's slug for the version selector script."""
        if self.manifest is None or self.site is None:
            return ""
        slug = self.site.page_info(page.file).page.slug if page.file.src_uri in self.site.pages else "/"
        data = {"data-slug": slug, "data-version": self.manifest.current, "data-root": root_prefix(page.file.url) or "./"}
        marker = render_html(Tag("span", {"hidden": "hidden", "class": "om-page", **data}, []))
        return marker + banner_html(self.manifest, slug, page.file.url)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_workers()
        self._report_diagnostics()
        index = Path(config.site_dir, "search", "search_index.json")
        search = merge_search(index, self.kept, self.state.search) if index.is_file() else []
        bodies = {uri: body for uri, body in self.state.bodies.items() if uri in self.records}
        bodies.update(self.bodies)
        save_state(self.scope, BuildState(dict(self.records), search, bodies, dict(self.statics)), self._cache_dir())
        if self.manifest is not None and self.site is not None:
            slugs = [info.page.slug for info in self.site.pages.values() if info.version is not None]
            Path(config.site_dir, "om-slugs.json").write_text(slugs_document(slugs), encoding="utf-8")
