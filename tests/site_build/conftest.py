"""Whole-site builds through MkDocs' Python API, once per test session.

``build_site`` runs ``load_config`` + ``build`` with a capturing plugin added, and returns what a
test needs afterwards: the site directory, every log record MkDocs and the plugin emitted (the
om-markdoc diagnostics are the ``mkdocs.plugins.om_markdoc…`` records), and per page its source,
URL, output file and table of contents.

The big builds (this repo's site, the three corpus versions) are session fixtures shared across
pytest-xdist workers: the first worker that needs a site builds it under the run's common temp
directory while holding a file lock, the others wait and read the saved result.  So whatever the
distribution, each site is built once per run.  When ``tests/site_build`` is what pytest was
asked to run (``pytest tests/site_build -n 2``) this conftest also makes xdist hand out whole
test classes/modules (``loadscope``), so the three corpus versions (one test class each) are
built on different workers in parallel instead of one worker waiting for another's build.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.plugins import BasePlugin

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs"
CORPUS_VERSIONS = ("v1.4.x", "v1.5.x", "v1.6.x-SNAPSHOT")
PLUGIN_LOGGER = "mkdocs.plugins.om_markdoc"


# --- building ------------------------------------------------------------------------------------


@dataclass
class BuiltPage:
    src_uri: str
    url: str
    dest_uri: str
    title: str | None
    toc: list[dict[str, Any]]
    """Flattened ``page.toc``: ``{"level", "id", "title"}`` in document order."""


@dataclass
class BuiltSite:
    """A finished build (or the exception that stopped it)."""

    site_dir: Path
    config_file: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    pages: dict[str, BuiltPage] = field(default_factory=dict)
    error: str | None = None
    """``repr`` of the exception the build raised (``mkdocs.exceptions.Abort`` in strict mode)."""
    seconds: float = 0.0

    # -- log records -------------------------------------------------------------------------

    def messages(self, *, plugin_only: bool = True, min_level: int = logging.INFO) -> list[str]:
        return [
            r["message"]
            for r in self.records
            if r["level"] >= min_level and (not plugin_only or r["name"].startswith(PLUGIN_LOGGER))
        ]

    def warnings(self, *, plugin_only: bool = True) -> list[str]:
        return self.messages(plugin_only=plugin_only, min_level=logging.WARNING)

    def diagnostics(self, rule: str | None = None) -> list[str]:
        """Plugin messages, optionally only those of one rule (``[rule]`` ends the message)."""
        return [m for m in self.messages() if rule is None or f"[{rule}]" in m]

    # -- output ------------------------------------------------------------------------------

    def html_files(self) -> list[Path]:
        return sorted(self.site_dir.rglob("*.html"))

    def page_by_url(self, url: str) -> BuiltPage:
        for page in self.pages.values():
            if page.url == url:
                return page
        raise KeyError(f"no page at {url!r}; have {sorted(p.url for p in self.pages.values())[:20]}…")

    def html(self, page_or_url: BuiltPage | str) -> str:
        page = self.page_by_url(page_or_url) if isinstance(page_or_url, str) else page_or_url
        return (self.site_dir / page.dest_uri).read_text(encoding="utf-8")


class _CapturePlugin(BasePlugin):
    """Records every page's URL, output path, title and TOC after MkDocs rendered it."""

    def __init__(self, pages: dict[str, BuiltPage]) -> None:
        self.pages = pages

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        toc: list[dict[str, Any]] = []

        def walk(items: Iterable[Any]) -> None:
            for item in items:
                toc.append({"level": item.level, "id": item.id, "title": item.title})
                walk(item.children)

        walk(page.toc)
        self.pages[page.file.src_uri] = BuiltPage(page.file.src_uri, page.url, page.file.dest_uri, page.title, toc)
        return output


class _RecordHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append({"name": record.name, "level": record.levelno, "message": record.getMessage()})


def build_site(config_file: Path, site_dir: Path, *, strict: bool = False) -> BuiltSite:
    """Build ``config_file`` into ``site_dir`` in this process; never raises for a failed build."""
    import time

    result = BuiltSite(site_dir=site_dir, config_file=config_file)
    handler = _RecordHandler()
    logger = logging.getLogger("mkdocs")
    previous_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    started = time.perf_counter()
    try:
        config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
        config.plugins["om-markdoc-test-capture"] = _CapturePlugin(result.pages)
        build(config)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        result.error = f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    finally:
        result.seconds = time.perf_counter() - started
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
    result.records = [r for r in handler.records if r["level"] >= logging.INFO]
    return result


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def corpus_config(version: str, folder: Path, **plugin_options: Any) -> Path:
    """A ``mkdocs.yml`` in ``folder`` for one corpus version (docs_dir = content/<version>)."""
    options = {
        "partials_dir": str(CORPUS / "content" / "partials"),
        "images_dir": str(CORPUS / "images"),
        "edition_flag": "digitrans",
        "root": str(CORPUS / "content" / version),  # diagnostics name files as the version folder does
        **plugin_options,
    }
    return write_config(
        folder / "mkdocs.yml",
        {
            "site_name": f"OpenMetadata docs {version}",
            "docs_dir": str(CORPUS / "content" / version),
            # navigation.prune: Material renders only the active part of a 1000-page navigation
            # per page (its option for big sites); without it the theme alone takes most of the time.
            "theme": {"name": "material", "features": ["navigation.prune"]},
            "plugins": ["search", {"om-markdoc": options}],
        },
    )


# --- sharing between xdist workers ---------------------------------------------------------------


def _shared_root(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


def _save(site: BuiltSite, path: Path) -> None:
    data = {
        "site_dir": str(site.site_dir),
        "config_file": str(site.config_file),
        "records": site.records,
        "pages": {k: vars(v) for k, v in site.pages.items()},
        "error": site.error,
        "seconds": site.seconds,
    }
    path.write_text(json.dumps(data), encoding="utf-8")


def _load(path: Path) -> BuiltSite:
    data = json.loads(path.read_text(encoding="utf-8"))
    return BuiltSite(
        site_dir=Path(data["site_dir"]),
        config_file=Path(data["config_file"]),
        records=data["records"],
        pages={k: BuiltPage(**v) for k, v in data["pages"].items()},
        error=data["error"],
        seconds=data["seconds"],
    )


def shared_build(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    key: str,
    make: Callable[[Path], BuiltSite],
) -> BuiltSite:
    """``make(folder)`` once per test run (across xdist workers), keyed by ``key``."""
    root = _shared_root(request, tmp_path_factory)
    folder = root / f"built-{key}"
    with open(root / f"built-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        saved = folder / "build-result.json"
        if not saved.is_file():
            folder.mkdir(parents=True, exist_ok=True)
            try:
                site = make(folder)
            except Exception:  # noqa: BLE001 - reported to every test that needs the site
                site = BuiltSite(site_dir=folder / "site", config_file=folder, error=traceback.format_exc())
            _save(site, saved)
    return _load(saved)


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def repo_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """This repository's ``mkdocs.yml`` built with ``--strict``."""
    site = shared_build(
        request, tmp_path_factory, "repo", lambda folder: build_site(REPO_ROOT / "mkdocs.yml", folder / "site", strict=True)
    )
    assert site.error is None, f"strict build of mkdocs.yml failed: {site.error}\n" + "\n".join(site.warnings(plugin_only=False))
    return site


def require_corpus() -> Path:
    if not (CORPUS / "content").is_dir() or not (CORPUS / "images").is_dir():
        pytest.fail(
            f"the OpenMetadata docs corpus is missing: expected {CORPUS} with content/ and images/ "
            "(../shared/corpus/openmetadata-docs relative to the repository root)",
            pytrace=False,
        )
    return CORPUS


def corpus_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, version: str) -> BuiltSite:
    require_corpus()

    def make(folder: Path) -> BuiltSite:
        return build_site(corpus_config(version, folder), folder / "site", strict=False)

    site = shared_build(request, tmp_path_factory, f"corpus-{version}", make)
    assert site.error is None, f"corpus build of {version} failed: {site.error}"
    return site


def page_count_expected(version: str, edition_flag: str = "digitrans") -> tuple[int, list[str], list[str]]:
    """``(pages that should be built, edition-only pages, menus)`` of a corpus version, read
    independently of om-markdoc: every ``.md`` but menus and pages whose front matter sets the
    edition flag to true."""
    root = CORPUS / "content" / version
    pages = 0
    edition: list[str] = []
    menus: list[str] = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        if path.name == "menu.md" or path.name.endswith("-menu.md"):
            menus.append(rel)
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        meta: Any = {}
        if text.startswith("---"):
            end = text.find("\n---", 3)
            try:
                meta = yaml.safe_load(text[3:end]) if end != -1 else {}
            except yaml.YAMLError:
                meta = {}
        if isinstance(meta, dict) and meta.get(edition_flag) is True:
            edition.append(rel)
            continue
        pages += 1
    return pages, edition, menus


def os_walk_html(site_dir: Path) -> Iterable[Path]:
    for current, _dirs, files in os.walk(site_dir):
        for name in files:
            if name.endswith(".html"):
                yield Path(current) / name


# --- a small DOM over html.parser --------------------------------------------------------------

VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Any] = field(default_factory=list)
    parent: Element | None = None

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self) -> Iterable[Element]:
        stack: list[Element] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed([c for c in node.children if isinstance(c, Element)]))

    def find_all(self, tag: str | None = None, *, classes: Iterable[str] = (), **attrs: str) -> list[Element]:
        wanted = set(classes)
        return [
            e
            for e in self.iter()
            if e is not self
            and (tag is None or e.tag == tag)
            and wanted <= e.classes
            and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str | None = None, *, classes: Iterable[str] = (), **attrs: str) -> Element | None:
        found = self.find_all(tag, classes=classes, **attrs)
        return found[0] if found else None

    def text(self) -> str:
        out: list[str] = []
        stack: list[Any] = [self]
        while stack:
            node = stack.pop()
            if isinstance(node, str):
                out.append(node)
            else:
                stack.extend(reversed(node.children))
        return "".join(out)

    def ancestors(self) -> Iterable[Element]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


def parse_html(text: str) -> Element:
    """A forgiving tree: void elements never take children, stray end tags close up to their match."""
    from html.parser import HTMLParser

    root = Element("#document", {})

    class Builder(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.current = root

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, parent=self.current)
            self.current.children.append(element)
            if tag not in VOID_ELEMENTS:
                self.current = element

        def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.current.children.append(Element(tag, {k: (v or "") for k, v in attrs}, parent=self.current))

        def handle_endtag(self, tag: str) -> None:
            node: Element | None = self.current
            while node is not None and node.tag != tag:
                node = node.parent
            if node is not None and node.parent is not None:
                self.current = node.parent

        def handle_data(self, data: str) -> None:
            self.current.children.append(data)

    builder = Builder()
    builder.feed(text)
    builder.close()
    return root


def article(html: str) -> Element:
    """The page content (Material's ``<article class="md-content__inner">``)."""
    root = parse_html(html)
    found = root.find("article")
    assert found is not None, "no <article> in the page"
    return found


# --- links --------------------------------------------------------------------------------------

LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


def internal_links(root: Element) -> list[tuple[str, str]]:
    """``(tag, url)`` of every link, stylesheet, script and image that stays inside the site
    (no scheme, no host, not only a ``#fragment``)."""
    from urllib.parse import urlsplit

    out = []
    for element in root.iter():
        name = LINK_ATTRIBUTES.get(element.tag)
        url = element.attrs.get(name) if name else None
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#"):
            continue
        out.append((element.tag, url))
    return out


def resolve_link(site_dir: Path, page_dest: str, url: str) -> tuple[Path, str]:
    """The file a relative ``url`` on the page written to ``page_dest`` points to, and its fragment."""
    import posixpath
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    base = posixpath.dirname(page_dest)
    if not parts.path:
        return site_dir / page_dest, parts.fragment
    # absolute paths (MkDocs writes them on 404.html, served from any depth) are from the site root
    joined = parts.path.lstrip("/") if parts.path.startswith("/") else posixpath.join(base, parts.path)
    target = posixpath.normpath(unquote(joined))
    path = site_dir / target
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def element_ids(root: Element) -> set[str]:
    return {e.attrs["id"] for e in root.iter() if "id" in e.attrs}
