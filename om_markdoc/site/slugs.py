"""Slug → page lookup for one version, and classification of every link a page can contain.

OpenMetadata content links pages by absolute, version-less slug (``/deployment/security/basic-auth``)
and the site prefixes the current version, so a link can only be checked against the slugs of the
linking page's own version. ``resolve_link`` is the single place that decides what a link *is*
(a page, a same-page anchor, external, an allow-listed static file, or missing) so the renderer,
the link checker and the menu check cannot disagree.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from ..diagnostics import Diagnostic
from .files import StaticFiles, looks_like_file
from .layout import VERSION_DIR_RE
from .pages import Page, normalize_slug

LinkKind = Literal["page", "anchor-only", "external", "static", "missing"]

DEFAULT_EXTERNAL_PREFIXES: tuple[str, ...] = ("http:", "https:", "mailto:", "ftp:", "tel:", "www.", "//")
DEFAULT_STATIC_FILES: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkTarget:
    """What a link points at. ``target`` is the normalised slug (or file/URL) that was looked up,
    ``version`` the version folder it was looked up in (another one for ``/v1.4.x/...`` links),
    and ``reason`` says why a ``missing`` link is missing."""

    kind: LinkKind
    page: Page | None = None
    fragment: str | None = None
    target: str | None = None
    version: str | None = None
    reason: str | None = None

    def problem(self, href: str) -> str:
        """The ``link-broken`` message for a missing target (one wording for build and check)."""
        return f"link to '{href}': {self.reason or 'no such page'}"


def split_href(href: str) -> tuple[str, str | None, str | None]:
    """``path?query#fragment`` → ``(path, query, fragment)`` (query/fragment ``None`` when absent)."""
    path, hash_sign, fragment = href.partition("#")
    path, question, query = path.partition("?")
    return path, (query if question else None), (fragment if hash_sign else None)


class SlugIndex:
    """The pages of one version by slug.

    When two pages claim one slug, the first by ``rel_path`` keeps it (deterministic) and each
    other one gets a ``slug-duplicate`` diagnostic naming both files. ``path_fallback=False`` leaves
    out pages without a front-matter slug, which the live site cannot serve.
    """

    def __init__(
        self,
        pages: Iterable[Page],
        *,
        version: str | None = None,
        static_files: Iterable[str] = DEFAULT_STATIC_FILES,
        external_prefixes: Iterable[str] = DEFAULT_EXTERNAL_PREFIXES,
        path_fallback: bool = True,
        files: StaticFiles | None = None,
        include_edition: bool = True,
    ) -> None:
        self.pages: list[Page] = sorted(pages, key=lambda p: p.rel_path)
        self.version = version if version is not None else next((p.version for p in self.pages), None)
        self.static_files: tuple[str, ...] = tuple(static_files)
        self.external_prefixes: tuple[str, ...] = tuple(p.lower() for p in external_prefixes)
        self.by_slug: dict[str, Page] = {}
        self.by_rel_path: dict[str, Page] = {p.rel_path: p for p in self.pages}
        self.duplicates: dict[str, list[Page]] = {}
        self.diagnostics: list[Diagnostic] = []
        self.other_versions: Mapping[str, SlugIndex] = {}
        self.files = files
        """Static files: a link to a file that is no page resolves to it (``kind`` ``static``)."""
        self.include_edition = include_edition
        """Whether commercial-edition pages are published.  When not, they claim no slug (an open
        page with the same slug is no duplicate) and a link from an open page to one is broken
        on the built site, while the edition's own pages still reach each other."""
        self.edition_slugs: dict[str, Page] = {}
        for page in self.pages:
            if page.slug_from_path and not path_fallback:
                continue
            if page.edition_only and not include_edition:
                self.edition_slugs.setdefault(page.slug, page)
                continue
            first = self.by_slug.get(page.slug)
            if first is None:
                self.by_slug[page.slug] = page
                continue
            self.duplicates.setdefault(page.slug, [first]).append(page)
            self.diagnostics.append(
                Diagnostic(
                    "slug-duplicate",
                    "error",
                    f"slug {page.slug} is also claimed by {first.file or first.rel_path};"
                    " that page is served, this one is unreachable",
                    page.file or page.rel_path,
                    page.slug_line,
                )
            )

    def __len__(self) -> int:
        return len(self.by_slug)

    def __contains__(self, slug: object) -> bool:
        return isinstance(slug, str) and self.lookup(slug) is not None

    def link_versions(self, indexes: Mapping[str, SlugIndex]) -> None:
        """Make ``/vX.Y.z/...`` links to other versions resolvable (pass all versions' indexes)."""
        self.other_versions = {name: index for name, index in indexes.items() if index is not self}

    @staticmethod
    def normalize_target(target: str) -> str:
        """A link path as a slug: no query/fragment, percent-decoded, one leading ``/``, no
        trailing ``/``, no ``/index``/``/index.md`` suffix."""
        path, _, _ = split_href(target.strip())
        slug = normalize_slug(unquote(path))
        for suffix in ("/index.md", "/index"):
            if slug.endswith(suffix):
                slug = slug[: -len(suffix)] or "/"
        if slug in ("/index", "/index.md"):
            slug = "/"
        return slug

    def lookup(self, target: str) -> Page | None:
        """The page a version-less slug (``/a/b``, ``a/b/``, ``/a/b#x``, ``/a/b/index``) names.

        A target ending in ``.md`` that matches no slug is also tried as a file path within the
        version, since authors sometimes link files.
        """
        slug = self.normalize_target(target)
        page = self.by_slug.get(slug) or self.edition_slugs.get(slug)
        if page is None and slug.endswith(".md"):
            page = self.by_rel_path.get(slug.lstrip("/"))
            if page is None:
                page = self.by_slug.get(slug[: -len(".md")] or "/")
        return page

    def is_static(self, path: str) -> bool:
        """Whether ``path`` is on the static allow-list (exact paths or globs such as ``/downloads/*``)."""
        clean = normalize_slug(unquote(path))
        return any(clean == pattern or fnmatch.fnmatchcase(clean, pattern) for pattern in self.static_files)

    def is_external(self, href: str) -> bool:
        lowered = href.strip().lower()
        return lowered.startswith(self.external_prefixes)

    def resolve_link(self, href: str, from_page: Page | None = None, *, edition: bool = False) -> LinkTarget:
        """Classify ``href`` as written in ``from_page`` (see ``LinkTarget``).

        * ``#frag`` → ``anchor-only`` (``page`` is ``from_page``);
        * ``http:``/``https:``/``mailto:``/``ftp:``/``tel:``/``www.``/``//host`` → ``external``;
        * an allow-listed static path (``static_links``) → ``static``; a file path that is no
          page (``/images/x.png``, ``/files/a.pdf``) → ``static`` when the file exists (``target``
          is then its site path), else ``missing``;
        * ``/vX.Y.z/slug`` → looked up in that version (after ``link_versions``);
        * ``/slug`` → this version's page;
        * relative ``x.md``/``../x.md`` → the file next to ``from_page``; other relative links
          resolve against ``from_page``'s URL like a browser would;
        * a commercial-edition page is ``missing`` from an open page when the build leaves
          edition pages out, unless ``edition`` asks how the edition's own build resolves it.
        """
        raw = href.strip()
        if not raw:
            return LinkTarget("missing", target="", version=self.version, reason="empty link")
        if self.is_external(raw):
            return LinkTarget("external", target=raw)
        path, _query, fragment = split_href(raw)
        if not path:
            if fragment is None:  # "?x" alone: the same page with a query
                return LinkTarget("page", from_page, None, from_page.slug if from_page else None, self.version)
            return LinkTarget("anchor-only", from_page, fragment, from_page.slug if from_page else None, self.version)
        if path.startswith("/"):
            return self._resolve_absolute(path, fragment, from_page, edition)
        return self._resolve_relative(path, fragment, from_page, edition)

    def _resolve_absolute(
        self, path: str, fragment: str | None, from_page: Page | None = None, edition: bool = False
    ) -> LinkTarget:
        if self.is_static(path):
            return LinkTarget("static", None, fragment, normalize_slug(unquote(path)), self.version)
        index: SlugIndex = self
        version = self.version
        first, _, rest = path.lstrip("/").partition("/")
        if VERSION_DIR_RE.match(first):
            version = first
            if first != self.version:
                other = self.other_versions.get(first)
                if other is None:
                    return LinkTarget(
                        "missing", None, fragment, "/" + rest, first, f"no version {first} is known to this index"
                    )
                index = other
            path = "/" + rest
        page = index.lookup(path)
        target = index.normalize_target(path)
        if page is None:
            if index.files is not None and looks_like_file(path):
                found = index.files.site_file(path, version)
                if found is not None:
                    return LinkTarget("static", None, fragment, found, version)
                message = f"no page or file {target} in {version or 'the site'}"
                return LinkTarget("missing", None, fragment, target, version, message)
            return LinkTarget("missing", None, fragment, target, version, f"no page in {version or 'the site'} has slug {target}")
        published = edition or index.include_edition or (from_page is not None and from_page.edition_only)
        if page.edition_only and not published:
            reason = f"{page.slug} in {version or 'the site'} is a commercial-edition page, which this build leaves out"
            return LinkTarget("missing", None, fragment, page.slug, version, reason)
        return LinkTarget("page", page, fragment, page.slug, version)

    def _resolve_relative(self, path: str, fragment: str | None, from_page: Page | None, edition: bool = False) -> LinkTarget:
        decoded = unquote(path)
        if decoded.endswith(".md") or ".md/" in decoded:
            base = posixpath.dirname(from_page.rel_path) if from_page is not None else ""
            rel = posixpath.normpath(posixpath.join(base, decoded.rstrip("/")))
            if rel.startswith("../") or rel == "..":
                return LinkTarget("missing", None, fragment, rel, self.version, f"{path} points outside the version folder")
            page = self.by_rel_path.get(rel)
            if page is None:
                return LinkTarget("missing", None, fragment, rel, self.version, f"no file {rel} in {self.version or 'the docs'}")
            return LinkTarget("page", page, fragment, page.slug, self.version)
        # A browser resolves "x/y" against the page URL's folder: /a/b + x → /a/x.
        base_slug = from_page.slug if from_page is not None else "/"
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_slug), decoded))
        if joined.startswith(".."):
            joined = "/"
        return self._resolve_absolute(_RELATIVE_ROOT.sub("/", joined), fragment, from_page, edition)

    def nearest_parent(self, slug: str, *, include_self: bool = False) -> str | None:
        """The closest existing ancestor slug (``/a/b/c`` → ``/a/b`` → ``/a`` → ``/``), or ``None``.

        Used when switching versions: a page missing in the other version falls back to its
        nearest parent there. ``include_self=True`` returns ``slug`` itself when it exists.
        """
        current = self.normalize_target(slug)
        if include_self and current in self.by_slug:
            return current
        while current != "/":
            current = current.rsplit("/", 1)[0] or "/"
            if current in self.by_slug:
                return current
        return None


_RELATIVE_ROOT = re.compile(r"^/*")
