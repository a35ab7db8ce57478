"""The bridge between MkDocs' ``Files`` and the site model: URLs from slugs, links, images, partials.

MkDocs names a page's URL after its path; OpenMetadata-style pages name it in front matter
(``slug``) and live in version folders.  ``SiteFiles`` reads every page's front matter once,
re-points each page ``File`` at ``<version>/<slug>/``, drops menus and (unless configured)
commercial-edition pages, and then answers the renderer's questions: where does this link
go, where is this image, which partial is this.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..check.rules import chain_of, check_images
from ..core.ast import Node
from ..diagnostics import Diagnostic
from ..site.files import IMAGE_PREFIX
from ..site.pages import Page, load_page
from ..site.partials import PartialStore
from ..site.project import Project
from ..site.slugpath import url_path
from ..site.slugs import SlugIndex
from .config import OmMarkdocConfig

MENU_NAMES = ("menu.md",)


@dataclass
class PageInfo:
    """What the plugin knows of one page file."""

    page: Page
    file: File
    version: str | None
    display_path: str


def _from_page(file: File, target: str) -> str:
    """``target`` (a path from the site root) as a URL relative to the page ``file`` is written to."""
    return posixpath.relpath(target, posixpath.dirname(file.dest_uri) or ".")


def _inside(src_uri: str, folder: str) -> bool:
    """Whether the docs file ``src_uri`` lies in ``folder`` (POSIX, relative to the docs folder)."""
    return src_uri == folder or src_uri.startswith(folder.rstrip("/") + "/")


def _is_menu(src_uri: str) -> bool:
    name = posixpath.basename(src_uri)
    return name in MENU_NAMES or name.endswith("-menu.md")


@dataclass
class SiteFiles:
    """The build's pages (by MkDocs source path) with their versions, slug indexes and menus,
    and the project's partial store; link and image questions are answered by the project."""

    project: Project
    docs_dir: Path
    partials: PartialStore | None
    one_version: bool
    """Each version is built as its own site (``version`` option): other versions are siblings."""
    pages: dict[str, PageInfo] = field(default_factory=dict)
    indexes: dict[str | None, SlugIndex] = field(default_factory=dict)
    menus: dict[str | None, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    partials_checked: set[str] = field(default_factory=set)
    files_by_page: dict[int, File] = field(default_factory=dict)
    shared_images: bool = False
    """The images folder is published once beside the version folders (``om-markdoc build``),
    not by this build: image URLs climb out of the version's folder to it."""

    @classmethod
    def build(
        cls, files: Files, config: MkDocsConfig, options: OmMarkdocConfig, project: Project, partials: PartialStore | None,
    ) -> SiteFiles:
        site = cls(project, Path(config.docs_dir).resolve(), partials, bool(options.version))
        site.shared_images = bool(options.shared_images)
        site.diagnostics.extend(project.diagnostics)
        site._scan(files, config, options)
        return site

    def _version_of(self, file: File, default: str | None) -> tuple[str | None, str]:
        """``(version, path inside the version)`` of a docs file (unversioned pages of a
        one-version build belong to that version)."""
        # MkDocs names the file relative to its docs_dir, the project's docs folder (which the
        # project holds resolved: a docs tree reached through a symlink must still match).
        version, inner = self.project.version_of(file.src_uri)
        return (version if version is not None else default), inner

    def _scan(self, files: Files, config: MkDocsConfig, options: OmMarkdocConfig) -> None:
        single = self.project.single_version
        default_version = options.version or (single.name if single is not None else None)
        by_version: dict[str | None, list[Page]] = {}
        settings = self.project.settings
        only = options.version
        skipped = self.project.skip_dirs()
        self._keep_walked(files, config)
        for file in list(files.documentation_pages()):
            version, inner = self._version_of(file, default_version)
            path = Path(file.abs_src_path)
            # where the file lies decides, not where a link inside the tree leads: as in check
            outside_versions = version is None and any(_inside(file.src_uri, folder) for folder in skipped)
            if outside_versions or (only and version is not None and version != only):
                files.remove(file)
                continue
            if _is_menu(file.src_uri):
                # `menu.md` is the navigation; edition menus (`collate-menu.md`) are left out.
                if posixpath.basename(file.src_uri) in MENU_NAMES:
                    self.menus[version] = Path(file.abs_src_path)
                files.remove(file)
                continue
            display = self.project.rel(path)
            page = load_page(path, version=version, rel_path=inner, root=self.project.root, edition_flags=settings.edition_flags)
            # Outside version folders a page's URL comes from its path by design: no slug warning,
            # also when a one-version build counts the unversioned pages as that version's.
            in_version_folder = self.project.version_of(file.src_uri)[0] is not None
            self.diagnostics.extend(d for d in page.diagnostics if in_version_folder or d.rule != "slug-missing")
            if page.edition_only and not settings.include_edition:
                files.remove(file)
                by_version.setdefault(version, []).append(page)  # indexed: links to it are reported as edition-only
                continue
            prefix = version if version and version != default_version else ""
            dest_path = "/".join(part for part in (prefix, page.slug.strip("/")) if part)
            url = "/".join(part for part in (prefix, url_path(page.slug)) if part)
            file.dest_uri = posixpath.join(dest_path, "index.html") if dest_path else "index.html"
            file.url = (url + "/") if url else "./"
            if not config.use_directory_urls:
                file.dest_uri = (dest_path + ".html") if dest_path else "index.html"
                file.url = (url + ".html") if url else "index.html"
            self.pages[file.src_uri] = PageInfo(page, file, version, display)
            self.files_by_page[id(page)] = file
            by_version.setdefault(version, []).append(page)
        self.indexes = self.project.indexes(page for pages in by_version.values() for page in pages)
        for index in self.indexes.values():
            self.diagnostics.extend(index.diagnostics)
            for claimants in index.duplicates.values():
                for page in claimants[1:]:  # the slug's URL serves the first; the others are not built
                    file = self.files_by_page.pop(id(page))
                    del self.pages[file.src_uri]
                    files.remove(file)
        self._add_external_images(files, config)

    def _keep_walked(self, files: Files, config: MkDocsConfig) -> None:
        """Leave out every docs file the project's tree walk does not list.  MkDocs follows
        every symbolic link of ``docs_dir``; the walk follows only those that stay inside the
        project's folders (the others are the project's ``symlink-outside`` findings), and it
        skips the partials folder, whose files are sources, not files of the site."""
        listed = self.project.files.docs.names()
        for file in list(files):
            if file.generated_by is None and file.src_dir == config.docs_dir and file.src_uri not in listed:
                files.remove(file)

    def _add_external_images(self, files: Files, config: MkDocsConfig) -> None:
        """Images outside ``docs_dir`` (the OpenMetadata ``images/`` beside ``content/``) join the
        build, as the project's tree walk lists them."""
        root = self.project.images_root
        if root is not None and self.shared_images:
            if root.is_relative_to(self.docs_dir):
                _leave_out_images(files, root.relative_to(self.docs_dir).as_posix())
            return  # an images folder outside docs_dir is not in the build to begin with
        if root is None or root == self.docs_dir or self.docs_dir in root.parents:
            return
        for rel in sorted(self.project.files.images.names()):
            files.append(File(f"images/{rel}", str(root.parent), config.site_dir, config.use_directory_urls,
                              dest_uri=f"images/{rel}"))

    def page_info(self, file: File) -> PageInfo:
        return self.pages[file.src_uri]

    def _file_of(self, page: Page) -> File | None:
        return self.files_by_page.get(id(page))

    def link(self, file: File, href: str) -> str:
        """A link target as written → a URL relative to the page (unresolvable ones unchanged;
        ``problems`` reports them)."""
        info = self.pages.get(file.src_uri)
        if info is None or not href:
            return href
        by_path = self._relative_file(file, href)
        if by_path is not None:
            return by_path
        target = self.indexes[info.version].resolve_link(href, info.page)
        if target.kind == "page" and target.page is not None:
            url = self._page_url(file, target.page, target.version)
            if url is not None:
                return f"{url}#{target.fragment}" if target.fragment else url
        if target.kind == "static":
            site_path = self._published(target.target or href.lstrip("/"))
            url = _from_page(file, site_path.lstrip("/"))
            return f"{url}#{target.fragment}" if target.fragment else url
        return href

    def problems(self, file: File, links: list[list[Any]], images: list[list[Any]]) -> list[Diagnostic]:
        """``link-broken`` and ``image-missing`` for the links and images a page's recorder met
        (``[target, file, line, column, chain]``, placed where they are written, in the page or
        a partial), decided as ``om-markdoc check`` decides them: same lookups, same messages."""
        info = self.pages[file.src_uri]
        out: list[Diagnostic] = []
        for href, where, line, column, chain in links:
            if href and self._relative_file(file, href) is not None:
                continue
            target = self.indexes[info.version].resolve_link(href, info.page)
            if target.kind == "missing":
                out.append(Diagnostic("link-broken", "error", target.problem(href), where, line, column, chain_of(chain, info.page.file)))
        return out + check_images(self.project, info.page, images)

    def _page_url(self, file: File, page: Page, version: str | None) -> str | None:
        """The URL of ``page`` relative to ``file``: a page of this build, or a page of a sibling
        version's site (``om-markdoc build`` puts each version beside the others)."""
        target_file = self._file_of(page)
        if target_file is not None:
            return target_file.url_relative_to(file)
        if self.one_version and version is not None:
            depth = posixpath.dirname(file.dest_uri).count("/") + (1 if posixpath.dirname(file.dest_uri) else 0)
            path = url_path(page.slug)
            return "../" * (depth + 1) + f"{version}/" + (f"{path}/" if path else "")
        return None

    def _relative_file(self, file: File, href: str) -> str | None:
        """A relative ``.md`` link to any page of the build (across version folders too)."""
        md_path = self.project.md_link_target(Path(file.abs_src_path), href) if file.abs_src_path else None
        target = self.pages.get(md_path) if md_path is not None else None
        if target is None:
            return None
        url = target.file.url_relative_to(file)
        fragment = urlsplit(href).fragment
        return f"{url}#{fragment}" if fragment else url

    def image(self, file: File, src: str) -> str:
        """``/images/vX.Y/...`` → a URL relative to the page; other sources unchanged."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not src.startswith(IMAGE_PREFIX) or self.project.images_root is None:
            return src
        return _from_page(file, self._published(posixpath.join("images", src[len(IMAGE_PREFIX):])))

    def _published(self, site_path: str) -> str:
        """Where a static file's site path is served from, relative to this build's site root."""
        if self.shared_images and site_path.lstrip("/").startswith("images/"):
            return "../" + site_path.lstrip("/")
        return site_path

    def partial_diagnostics(self, ast: Node | None, info: PageInfo, check: Callable[[str], list[Diagnostic]]) -> list[Diagnostic]:
        """Problems of the partials a page includes: unresolvable ones at the including line,
        and each partial's own problems, once per build, at the partial's lines (``check``:
        ``om-markdoc check``'s own check of a partial, so both report the same)."""
        if ast is None or self.partials is None:
            return []
        out: list[Diagnostic] = []
        for node in ast.walk():
            if node.type != "tag" or node.tag != "partial":
                continue
            name = node.attributes.get("file")
            line = (node.lines[0] + 1) if node.lines else 1
            resolved = self.partials.resolve(name, file=info.display_path, line=line)
            if resolved.diagnostic is not None:
                out.append(resolved.diagnostic)
            elif resolved.name is not None and resolved.name not in self.partials_checked:
                self.partials_checked.add(resolved.name)
                out.extend(check(resolved.name))
        return out


def _leave_out_images(files: Files, folder: str) -> None:
    """Remove the images folder's files (``folder``, relative to the docs folder) from a build that
    publishes them elsewhere, where they lie: a version's own static files stay, also when a link
    inside the tree makes them the images folder's files (``v1.0.x/img -> ../images/v1.0``)."""
    for file in list(files):
        if not file.is_documentation_page() and file.generated_by is None and _inside(file.src_uri, folder):
            files.remove(file)
