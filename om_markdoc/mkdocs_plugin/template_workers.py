"""Pages' HTML built by forked workers: MkDocs' own ``_build_page`` (the theme's templates, the
search plugin's indexing, the file written) run in a child for most pages of a build.

MkDocs builds pages in one process, one after the other: the page's ``on_page_context``
events, its template, its file.  Once every page has its content (``on_env``), the rest of a
page's build reads nothing another page's build writes, so ``TemplateWorkers`` forks children
(``parallel.ForkedWork``) that build pages completely, search entries included, sharing
the pages out with this process as they go.  This process still walks every page, in order, as MkDocs does:

* a search plugin's ``on_page_context`` (MkDocs' or Material's) for a page a child built takes
  the entries the child added to its copy of the index and appends them here, so the index
  keeps the order of a serial build (``SearchFromWorker``);
* the page's template is a ``BuiltElsewhere``: it waits for the child and renders nothing, and
  MkDocs then writes no file (the child wrote it) and logs a notice we silence
  (``SkippedPageNotice``).

A child that fails on a page, or dies, costs only speed: the page is then built here, search
entries and all.  Not used when a plugin has an ``on_post_page`` event (it would see an empty
page here) or a search plugin keeps its entries where they cannot be found.
"""

from __future__ import annotations

import logging
from typing import Any

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from .navcache import NavCache
from .parallel import ForkedWork

SEARCH_PLUGINS = ("mkdocs.contrib.search", "material.plugins.search.plugin")


def is_search_event(method: Any) -> bool:
    """An ``on_page_context`` of MkDocs' or Material's search plugin: it collects the page for
    the index and strips the index's markers from ``page.content``."""
    return type(_search_plugin(method)).__module__ in SEARCH_PLUGINS and getattr(_unwrapped(method), "__name__", "") == "on_page_context"


def _unwrapped(method: Any) -> Any:
    while isinstance(method, (SearchSkip, SearchFromWorker)):
        method = method.method
    return method


def _search_plugin(method: Any) -> Any:
    return getattr(_unwrapped(method), "__self__", None)


def search_entries(method: Any) -> list[Any] | None:
    """The list a search plugin appends a page's entries to (Material: ``entries``, MkDocs:
    ``_entries``), or None when it cannot be found."""
    index = getattr(_search_plugin(method), "search_index", None)
    for name in ("entries", "_entries"):
        entries = getattr(index, name, None)
        if isinstance(entries, list):
            return entries
    return None


class SearchSkip:
    """A search plugin's ``on_page_context`` that leaves out the pages whose index entries the
    last build wrote already (same body, same title): they are merged back from it instead
    (``incremental.merge_search``), as for pages a dirty build leaves alone."""

    def __init__(self, method: Any, skip: set[str]) -> None:
        self.method = method
        self.skip = skip

    def __call__(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        if page.file.src_uri in self.skip:
            return None
        return self.method(context, page=page, **kwargs)


class SkippedPageNotice(logging.Filter):
    """Drops MkDocs' "Page skipped: ... empty output" for the pages a worker built: here their
    render is deliberately empty (``BuiltElsewhere``), the worker wrote the real one."""

    def __init__(self) -> None:
        super().__init__()
        self.quiet: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Page skipped: '") and message.split("'")[1] in self.quiet)


class WorkerResults:
    """Each page's result from its child, taken once by whichever step of this process asks
    first (its search events, then its template); None when the page is this process's to
    build (or the child failed on it)."""

    def __init__(self, work: ForkedWork) -> None:
        self.work = work
        self.taken: dict[str, Any] = {}

    def result(self, src_uri: str) -> Any | None:
        if src_uri not in self.taken:
            self.taken[src_uri] = self.work.take(src_uri)
        return self.taken[src_uri]


class SearchFromWorker:
    """A search plugin's ``on_page_context`` in this process: for a page a child built, the
    entries the child's copy of the plugin added (the ``position``-th list of its result);
    for any other page (or when the child failed), the plugin itself."""

    def __init__(self, method: Any, entries: list[Any], position: int, results: WorkerResults) -> None:
        self.method = method
        self.entries = entries
        self.position = position
        self.results = results

    def __call__(self, context: Any, /, *, page: Page, **kwargs: Any) -> Any:
        result = self.results.result(page.file.src_uri)
        if result is not None:
            self.entries.extend(result[1][self.position])
            return None
        return self.method(context, page=page, **kwargs)


class BuiltElsewhere:
    """The template of a page a worker builds: rendering it here waits for the worker, and
    gives the empty page MkDocs then does not write (the worker's file stays).  If the worker
    failed, or a plugin changed the navigation since the fork, it renders here after all."""

    def __init__(self, template: Any, workers: TemplateWorkers, src_uri: str) -> None:
        self.template = template
        self.workers = workers
        self.src_uri = src_uri

    def render(self, context: Any) -> str:
        result = self.workers.results.result(self.src_uri) if self.workers.results is not None else None
        if result is not None and context.get("nav") is self.workers.nav:
            self.workers.notice.quiet.add(self.src_uri)
            self.workers.nav_served += result[0]
            return ""
        return self.template.render(context)


class TemplateWorkers:
    """One build's forked template workers (see the module's docstring)."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.work: ForkedWork | None = None
        self.results: WorkerResults | None = None
        self.notice = SkippedPageNotice()
        self.nav_served = 0
        """Navigations the workers' caches served for the pages this process took from them."""

    @property
    def built(self) -> int:
        """Pages whose HTML a worker wrote."""
        return len(self.notice.quiet)

    def start(self, env: Environment, config: MkDocsConfig, files: Files, processes: int, *,
              serving: bool, navcache: NavCache | None) -> None:
        """Fork the children and route this process's search events and templates to them."""
        from mkdocs.commands.build import _build_page

        events = config.plugins.events["page_context"]
        searches = [(index, search_entries(method)) for index, method in enumerate(events) if is_search_event(method)]
        if processes < 2 or config.plugins.events["post_page"] or any(entries is None for _, entries in searches):
            return
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        doc_files = files.documentation_pages(inclusion=inclusion)
        pages = {file.src_uri: file.page for file in doc_files if file.page is not None and file.page.content is not None}
        nav = self.nav

        def build_page(src_uri: str) -> tuple[int, list[list[Any]]]:
            """In a child: build one page; tell how many navigations the cache served and which
            entries each search plugin added."""
            served = navcache.served if navcache is not None else 0
            before = [len(entries) for _, entries in searches]  # type: ignore[arg-type]
            page = pages[src_uri]
            _build_page(page, config, doc_files, nav, env, False, excluded=page.file.inclusion.is_excluded())
            added = [entries[start:] for (_, entries), start in zip(searches, before, strict=True)]  # type: ignore[index]
            return (navcache.served if navcache is not None else 0) - served, added

        self.work = ForkedWork(list(pages), processes, build_page)
        if not self.work.forked:
            return
        results = self.results = WorkerResults(self.work)
        for position, (index, entries) in enumerate(searches):
            events[index] = SearchFromWorker(events[index], entries, position, results)  # type: ignore[arg-type]
        original = env.get_template

        def get_template(name: Any, parent: str | None = None, globals: Any = None) -> Any:  # noqa: A002 - Jinja's keyword name
            template = original(name, parent, globals)
            page = config._current_page  # noqa: SLF001 - MkDocs keeps the page being built only there
            if page is not None and name == page.meta.get("template", "main.html") and results.result(page.file.src_uri) is not None:
                return BuiltElsewhere(template, self, page.file.src_uri)
            return template

        env.get_template = get_template  # type: ignore[method-assign]
        logging.getLogger("mkdocs.commands.build").addFilter(self.notice)

    def close(self, *, kill: bool = False) -> None:
        """Wait for the children (or stop them: the build failed) and stop silencing MkDocs."""
        if self.work is not None:
            self.work.close(kill=kill)
        logging.getLogger("mkdocs.commands.build").removeFilter(self.notice)
