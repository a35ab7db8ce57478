"""One version of a docs tree as a plain CommonMark tree: a file per page, images beside them.

The pages are rendered as a site build renders them (the project's renderer and partials, the
edition filter), then written by the dialect's Markdown renderer.  Links between the version's
pages become relative ``.md`` paths and images relative paths into ``OUT/images``, each image
copied once; every link or image that cannot be followed stays as written and is reported.
``OUT/README.md`` lists the pages in menu order.  The tree is read through ``Project`` only.
"""

from __future__ import annotations

import posixpath
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..atomic import write_atomic
from ..diagnostics import Diagnostic
from ..dialect.context import PageContext
from ..dialect.markdown import render_page_markdown
from ..dialect.pipeline import DialectRenderer, column_of, source_lines
from ..site.files import IMAGE_PREFIX
from ..site.menu import MenuNode, load_menu
from ..site.pages import Page
from ..site.partials import PartialStore
from ..site.project import PageSource, Project, ProjectError
from ..site.slugpath import URL_SAFE, clean_slug, url_path
from ..site.slugs import SlugIndex
from ..site.textfile import read_text_file

LISTING = "README.md"
"""The file that lists the exported pages in menu order."""


@dataclass
class ExportReport:
    """What an export wrote and what it could not follow."""

    out: Path
    version: str | None
    pages: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def page_file(page: Page) -> str:
    """Where a page goes in the export: ``<slug>.md``, the home page ``index.md`` (dot segments
    and control characters are removed from the slug first, so no file lands outside OUT)."""
    slug = clean_slug(page.slug)[0].strip("/")
    return f"{slug}.md" if slug else "index.md"


def relative(from_file: str, to_file: str) -> str:
    """``to_file`` as a link destination from ``from_file`` (both relative to OUT), percent-encoded."""
    return quote(posixpath.relpath(to_file, posixpath.dirname(from_file) or "."), safe=URL_SAFE)


def choose_source(project: Project, version: str | None) -> PageSource:
    """The page set of ``version`` (default: the latest version, else the only page set)."""
    sources = project.sources()
    if version is None:
        latest = project.latest
        wanted = latest.name if latest is not None else None
        found = next((s for s in sources if s.name == wanted), sources[0] if sources else None)
    else:
        found = next((s for s in sources if s.name == version), None)
    if found is None:
        names = ", ".join(str(s.name) for s in sources if s.name) or "none"
        raise ProjectError(f"no version {version!r} in {project.root} (versions: {names})")
    return found


class MarkdownExport:
    """The export of one page set; ``run`` renders and writes every page, then the listing and images."""

    def __init__(self, project: Project, source: PageSource, out: Path, base_url: str | None = None) -> None:
        self.project = project
        self.source = source
        self.out = out
        self.base_url = base_url.rstrip("/") if base_url else None
        pages = project.scan(source)
        self.index: SlugIndex = project.indexes(pages)[source.name]
        include = project.settings.include_edition
        self.pages = [p for p in pages if self.index.lookup(p.slug) is p and (include or not p.edition_only)]
        self.files = {id(p): page_file(p) for p in self.pages}
        self.renderer: DialectRenderer = project.renderer()
        self.partials: PartialStore | None = project.partial_store(self.renderer)
        self.report = ExportReport(out, source.name)
        self.images: set[str] = set()

    def run(self) -> ExportReport:
        if LISTING in self.files.values():
            raise ProjectError(f"a page's slug claims {LISTING}, which lists the exported pages")
        for page in self.pages:
            self.write_page(page)
        self.write_listing()
        self.copy_images()
        return self.report

    # -- pages -----------------------------------------------------------------------------------

    def write_page(self, page: Page) -> None:
        """Render one page and write it at its slug path."""
        name = self.files[id(page)]
        target = self.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, self.page_markdown(page))
        self.report.pages.append(name)

    def page_markdown(self, page: Page) -> str:
        """A page rendered as the site renders it, as Markdown; its errors go to the report."""
        source, problems = read_text_file(page.path, self.project.root)
        self.report.diagnostics.extend(problems)
        lines = source_lines(source)
        context = PageContext(
            file=page.file, version=page.version, resolve_link=self._links(page, lines), resolve_image=self._images(page, lines)
        )
        _ast, tree, diagnostics = self.renderer.analyse(
            source, file=page.file, context=context, partials=self.partials, lines=lines
        )
        self.report.diagnostics.extend(d for d in diagnostics if d.severity == "error")
        for found in context.diagnostics:
            if found["severity"] == "error":
                line = (found.get("lines") or [0])[0]
                column = column_of(lines, line, found.get("needle") or self.renderer.delimiter)
                self.report.diagnostics.append(Diagnostic(found["rule"], "error", found["message"], page.file, line + 1, column))
        if tree is None:  # analyse reported nesting-too-deep
            return "This page could not be rendered: it nests constructs too deeply.\n"
        return render_page_markdown(tree, title=page.title)

    def _links(self, page: Page, lines: list[str]) -> Callable[[str, int], str]:
        """A page's link resolution: ``SlugIndex.resolve_link``, as the site build decides links."""
        here = self.files[id(page)]

        def resolve(href: str, line: int) -> str:
            target = self.index.resolve_link(href, page)
            fragment = f"#{target.fragment}" if target.fragment else ""
            if target.kind == "page" and target.page is not None:
                exported = self.files.get(id(target.page))
                if exported is not None:
                    return relative(here, exported) + fragment
                if self.base_url is not None and target.version is not None:
                    path = url_path(target.page.slug)
                    return f"{self.base_url}/{target.version}/{path + '/' if path else ''}{fragment}"
            if target.kind == "missing":
                self._problem(page, lines, line, href, "link-broken", target.problem(href))
            return href

        return resolve

    def _images(self, page: Page, lines: list[str]) -> Callable[[str, int], str]:
        """A page's image resolution: an image of the images folder is copied and linked relatively."""
        here = self.files[id(page)]

        def resolve(src: str, line: int) -> str:
            if not src.startswith(IMAGE_PREFIX) or self.project.images_root is None:
                return src
            site_path = self.project.files.site_file(src.split("#")[0].split("?")[0], page.version)
            if site_path is None or not site_path.startswith("images/"):
                self._problem(page, lines, line, src, "image-missing", f"image '{src}' does not exist; kept as written")
                return src
            self.images.add(site_path[len("images/") :])
            return relative(here, site_path)

        return resolve

    def _problem(self, page: Page, lines: list[str], line: int, needle: str, rule: str, message: str) -> None:
        column = column_of(lines, line, needle)
        self.report.diagnostics.append(Diagnostic(rule, "error", message, page.file, line + 1, column))

    # -- listing and images ----------------------------------------------------------------------

    def menu_order(self) -> list[tuple[Page, int]]:
        """``(page, depth)`` in the order of the version's menu; pages it leaves out follow by file name."""
        menus = self.project.menu_files(self.source)
        menu_path = next((p for p in menus if p.name == "menu.md"), menus[0] if menus else None)
        ordered: list[tuple[Page, int]] = []
        seen: set[int] = set()
        if menu_path is not None:
            menu = load_menu(menu_path, self.project.root, edition_flags=self.project.settings.edition_flags)
            stack: list[tuple[MenuNode, int]] = [(node, 0) for node in reversed(menu.roots)]
            while stack:
                node, depth = stack.pop()
                found = self.index.lookup(node.url) if node.url else None
                if found is not None and id(found) in self.files and id(found) not in seen:
                    seen.add(id(found))
                    ordered.append((found, depth))
                stack.extend((child, depth + 1) for child in reversed(node.children))
        rest = sorted((p for p in self.pages if id(p) not in seen), key=lambda p: self.files[id(p)])
        return ordered + [(p, 0) for p in rest]

    def write_listing(self) -> None:
        title = f"Documentation {self.source.name}" if self.source.name else "Documentation"
        items = [
            f"{'  ' * depth}- [{_link_text(page.title or self.files[id(page)])}]({relative(LISTING, self.files[id(page)])})"
            for page, depth in self.menu_order()
        ]
        write_atomic(self.out / LISTING, f"# {_link_text(title)}\n\n" + "\n".join(items) + "\n")

    def copy_images(self) -> None:
        """Copy each referenced image once (from the images folder only, as the project lists it)."""
        root = self.project.images_root
        if root is None:
            return
        for rel in sorted(self.images):
            target = self.out / "images" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, target)
            self.report.images.append(f"images/{rel}")


def _link_text(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def export_markdown(
    tree: str | Path, out: str | Path, *, version: str | None = None, base_url: str | None = None
) -> ExportReport:
    """Export one version (default: the latest) of the tree at ``tree`` into the folder ``out``.

    Raises ``ProjectError`` for a tree that cannot be loaded, an unknown version, or an ``out``
    inside the docs folder (its files would be read as pages by the next export or build)."""
    project = Project.load(tree)
    source = choose_source(project, version)
    destination = Path(out).resolve()
    if destination.is_relative_to(project.docs_root.resolve()):
        raise ProjectError(f"the export folder {out} lies inside the docs folder {project.docs_root}")
    destination.mkdir(parents=True, exist_ok=True)
    return MarkdownExport(project, source, destination, base_url).run()
