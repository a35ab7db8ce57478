"""The bridge between MkDocs' ``Files`` and the site model: URLs from slugs, links, images, partials.

MkDocs names a page's URL after its path; OpenMetadata-style pages name it in front matter
(``slug``) and live in version folders.  ``SiteFiles`` reads every page's front matter once,
re-points each page ``File`` at ``<version>/<slug>/``, drops menus and (unless configured)
commercial-edition pages, and then answers the renderer's questions: where does this link
go, where is this image, which partial is this.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from ..core.ast import Node
from ..dialect.context import PageContext
from ..dialect.pipeline import DialectRenderer, source_lines
from ..site.diagnostics import Diagnostic, error
from ..site.layout import parse_version_dir
from ..site.pages import Page, load_page, points_inside
from ..site.partials import PartialResolver, PartialStore
from ..site.slugs import SlugIndex
from .config import OmMarkdocConfig

MENU_NAMES = ("menu.md",)
IMAGE_PREFIX = "/images/"


@dataclass
class PageInfo:
    """What the plugin knows of one page file."""

    page: Page
    file: File
    version: str | None
    display_path: str


def _find_dir(candidates: Iterable[Path]) -> Path | None:
    return next((path for path in candidates if path.is_dir()), None)


def _from_page(file: File, target: str) -> str:
    """``target`` (a path from the site root) as a URL relative to the page ``file`` is written to."""
    return posixpath.relpath(target, posixpath.dirname(file.dest_uri) or ".")


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` lies under ``root`` (both absolute and normalised, as MkDocs' paths are)."""
    return path.is_relative_to(root)


def _is_menu(src_uri: str) -> bool:
    name = posixpath.basename(src_uri)
    return name in MENU_NAMES or name.endswith("-menu.md")


@dataclass
class SiteFiles:
    """Pages, their versions and slug indexes, the partial store and the image root of a build."""

    config_dir: Path
    docs_dir: Path
    images_root: Path | None
    partials: PartialStore | None
    renderer: DialectRenderer
    static_links: tuple[str, ...]
    pages: dict[str, PageInfo] = field(default_factory=dict)
    indexes: dict[str | None, SlugIndex] = field(default_factory=dict)
    menus: dict[str | None, Path] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    partials_checked: set[str] = field(default_factory=set)
    files_by_page: dict[int, File] = field(default_factory=dict)

    @classmethod
    def build(cls, files: Files, config: MkDocsConfig, options: OmMarkdocConfig, renderer: DialectRenderer) -> "SiteFiles":
        config_dir = Path(config.config_file_path or ".").resolve().parent
        docs_dir = Path(config.docs_dir).resolve()
        partials_root = Path(options.partials_dir).resolve() if options.partials_dir else _find_dir(
            [config_dir / "snippets", docs_dir.parent / "partials", docs_dir / "partials"]
        )
        images_root = Path(options.images_dir).resolve() if options.images_dir else _find_dir(
            [docs_dir / "images", docs_dir.parent.parent / "images", docs_dir.parent / "images"]
        )
        partials = None
        if partials_root is not None:
            partials = PartialStore(PartialResolver(partials_root), lambda source, name: renderer.parse(source, name)[0])
        site = cls(config_dir, docs_dir, images_root, partials, renderer, tuple(options.static_links))
        site._scan(files, config, options)
        return site

    def _version_of(self, src_uri: str, default: str | None) -> tuple[str | None, str]:
        """``(version, path inside the version)`` of a docs file."""
        head, _, rest = src_uri.partition("/")
        if rest and parse_version_dir(self.docs_dir / head) is not None:
            return head, rest
        return default, src_uri

    def _scan(self, files: Files, config: MkDocsConfig, options: OmMarkdocConfig) -> None:
        default_version = options.version or (
            self.docs_dir.name if parse_version_dir(self.docs_dir) is not None else None
        )
        by_version: dict[str | None, list[Page]] = {}
        flags = (options.edition_flag,)
        only = options.version
        for file in list(files):
            source = file.abs_src_path
            if file.generated_by is None and source and Path(source).is_symlink() and not points_inside(Path(source), self.docs_dir):
                # A link out of the docs tree would publish whatever it points at.
                self.diagnostics.append(error("page-outside-root", "links to a file outside the docs folder; left out", file.src_uri))
                files.remove(file)
        for file in list(files.documentation_pages()):
            version, inner = self._version_of(file.src_uri, default_version)
            in_partials = self.partials is not None and _inside(Path(file.abs_src_path), self.partials.resolver.root)
            if in_partials or (only and version is not None and version != only):
                files.remove(file)
                continue
            if _is_menu(file.src_uri):
                # `menu.md` is the navigation; edition menus (`collate-menu.md`) are left out.
                if posixpath.basename(file.src_uri) in MENU_NAMES:
                    self.menus[version] = Path(file.abs_src_path)
                files.remove(file)
                continue
            display = posixpath.join(version, inner) if version and version != default_version else file.src_uri
            page = load_page(Path(file.abs_src_path), version=version, rel_path=inner, edition_flags=flags)
            page.file = display
            # Outside version folders a page's URL comes from its path by design: no slug warning.
            self.diagnostics.extend(d for d in page.diagnostics if version is not None or d.rule != "slug-missing")
            if page.edition_only and not options.include_edition:
                files.remove(file)
                continue
            prefix = version if version and version != default_version else ""
            url_path = "/".join(part for part in (prefix, page.slug.strip("/")) if part)
            file.dest_uri = posixpath.join(url_path, "index.html") if url_path else "index.html"
            file.url = (url_path + "/") if url_path else "./"
            if not config.use_directory_urls:
                file.dest_uri = (url_path or "index") + ".html" if url_path else "index.html"
                file.url = file.dest_uri
            self.pages[file.src_uri] = PageInfo(page, file, version, display)
            self.files_by_page[id(page)] = file
            by_version.setdefault(version, []).append(page)
        for version, pages in by_version.items():
            index = SlugIndex(pages, static_files=self.static_links)
            self.indexes[version] = index
            self.diagnostics.extend(index.diagnostics)
            for claimants in index.duplicates.values():
                for page in claimants[1:]:  # the slug's URL serves the first; the others are not built
                    file = self.files_by_page.pop(id(page))
                    del self.pages[file.src_uri]
                    files.remove(file)
        self._add_external_images(files, config)

    def _add_external_images(self, files: Files, config: MkDocsConfig) -> None:
        """Images outside ``docs_dir`` (the OpenMetadata ``images/`` beside ``content/``) join the build."""
        root = self.images_root
        if root is None or root == self.docs_dir or self.docs_dir in root.parents:
            return
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                rel = path.relative_to(root).as_posix()
                files.append(File(f"images/{rel}", str(root.parent), config.site_dir, config.use_directory_urls,
                                  dest_uri=f"images/{rel}"))

    def page_info(self, file: File) -> PageInfo:
        return self.pages[file.src_uri]

    def _file_of(self, page: Page) -> File | None:
        return self.files_by_page.get(id(page))

    def link(self, file: File, href: str, context: PageContext, line: int = 0) -> str:
        """A link target as written → a URL relative to the page (unresolvable ones unchanged)."""
        info = self.pages.get(file.src_uri)
        if info is None or not href:
            return href
        by_path = self._relative_file(file, href)
        if by_path is not None:
            return by_path
        target = self.indexes[info.version].resolve_link(href, info.page)
        if target.kind == "page" and target.page is not None:
            target_file = self._file_of(target.page)
            if target_file is not None:
                url = target_file.url_relative_to(file)
                return f"{url}#{target.fragment}" if target.fragment else url
        if target.kind == "static":
            return _from_page(file, href.lstrip("/"))
        if target.kind == "missing":
            context.diagnostics.append(
                {"rule": "link-broken", "severity": "warning", "message": f"link to '{href}': no such page in {info.version or 'the site'}", "lines": [line], "needle": href}
            )
        return href

    def _relative_file(self, file: File, href: str) -> str | None:
        """A relative ``.md`` link to any page of the build (across version folders too)."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md") or parts.path.startswith("/"):
            return None
        src_uri = posixpath.normpath(posixpath.join(posixpath.dirname(file.src_uri), parts.path))
        target = self.pages.get(src_uri)
        if target is None:
            return None
        url = target.file.url_relative_to(file)
        return f"{url}#{parts.fragment}" if parts.fragment else url

    def image(self, file: File, src: str, context: PageContext, line: int = 0) -> str:
        """``/images/vX.Y/...`` → a URL relative to the page; other sources unchanged."""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not src.startswith(IMAGE_PREFIX) or self.images_root is None:
            return src
        rel = src[len(IMAGE_PREFIX):]
        candidate = (self.images_root / rel).resolve()
        if self.images_root not in candidate.parents or not candidate.is_file():
            context.diagnostics.append(
                {"rule": "image-missing", "severity": "warning", "message": f"image '{src}' not found", "lines": [line], "needle": src}
            )
        return _from_page(file, posixpath.join("images", rel))

    def partial_diagnostics(self, ast: Node | None, info: PageInfo) -> list[Diagnostic]:
        """Problems of the partials a page includes: unresolvable ones at the including line,
        and each partial's own validation, once per build, at the partial's lines."""
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
                out.extend(self._check_partial(resolved.name))
        return out

    def _check_partial(self, name: str) -> list[Diagnostic]:
        assert self.partials is not None
        resolved = self.partials.resolve(name)
        if resolved.path is None or name not in self.partials:
            return []
        file = self.partials.resolver.display(resolved.path)
        config = self.renderer.config(PageContext(file=file), self.partials, None)
        checked = self.renderer.check(self.partials[name], source_lines(self.partials.source(name)), file, config)
        return [*self.partials.file_diagnostics(name), *checked]
