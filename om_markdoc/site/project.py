"""``Project``: one docs project, loaded once, consumed by every front door.

The MkDocs plugin, ``om-markdoc build``/``serve``/``check``, the examples runner and the pytest
plugin all start from a ``Project`` and never read configuration, guess folders or resolve links
on their own.  A project comes from a ``mkdocs.yml`` (or the folder holding one), from the option
mapping of a running MkDocs build, or from a bare OpenMetadata tree (``content/vX.Y.z``,
``content/partials``, ``images``) with an optional ``om-markdoc.yml``.  It knows:

* where things are: the root every file name is relative to, the docs, partials and images
  folders (configured, or guessed by one rule), the version folders (folders that look like a
  version but are not one are reported as ``version-skipped``, never dropped silently);
* how to render: ``renderer()`` and ``partial_store()`` build the one renderer and partial store
  configuration (delimiters, raw-HTML policy) every consumer uses;
* how to resolve: ``indexes()`` gives each version's ``SlugIndex`` (slugs, links, static files,
  cross-version links) and ``files`` the static-file lookups images and file links share.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..diagnostics import Diagnostic, display_path, error, warning
from .config_file import ConfigFileError, find_config_file, plugin_options, read_config
from .files import StaticFiles, walk_tree
from .layout import VersionDir, find_versions, near_versions, parse_version_dir
from .pages import Page, iter_page_files, scan_pages
from .partials import PartialResolver, PartialStore
from .settings import Settings, SettingsError
from .slugs import SlugIndex

if TYPE_CHECKING:
    from ..dialect.pipeline import DialectRenderer


class ProjectError(Exception):
    """The tree or its configuration cannot be used (the CLI exits with 2)."""


@dataclass(frozen=True)
class PageSource:
    """One set of pages read together: a version folder, or the unversioned pages of the docs
    folder (``name`` ``None``, with the folders that belong to something else skipped)."""

    name: str | None
    directory: Path
    skip_dirs: tuple[str, ...] = ()


def _first_dir(candidates: Iterable[Path]) -> Path | None:
    return next((path.resolve() for path in candidates if path.is_dir()), None)


def _openmetadata_dirs(given: Path) -> tuple[Path, Path] | None:
    """``(root, content)`` of an OpenMetadata tree, given its root or its ``content`` folder
    (a folder that directly holds version folders is accepted as a content folder too)."""
    if (given / "content").is_dir() and find_versions(given / "content"):
        return given, given / "content"
    if find_versions(given):
        return (given.parent if given.name == "content" else given), given
    return None


@dataclass
class Project:
    """A docs project (see the module docstring).  Build one with ``load`` or ``from_options``."""

    root: Path
    """What every diagnostic's file name is relative to: the folder of ``mkdocs.yml``, or the
    root of an OpenMetadata tree (so names read ``content/v1.5.x/page.md``)."""
    docs_root: Path
    partials_root: Path | None
    images_root: Path | None
    versions: list[VersionDir]
    settings: Settings = field(default_factory=Settings)
    kind: str = "mkdocs"
    """``mkdocs`` (configured by a ``mkdocs.yml``), ``openmetadata`` (a bare tree) or ``folder``
    (a plain folder of pages, see ``around``)."""
    config_file: Path | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems of the tree itself: skipped version-like folders, missing optional folders,
    symbolic links the tree walk refuses (``refused_links``)."""
    _files: StaticFiles | None = field(default=None, repr=False, compare=False)

    # -- loading ---------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: str | Path, *, config_file: str | Path | None = None) -> Project:
        """The project at ``path``: a ``mkdocs.yml``, a folder with one, or an OpenMetadata tree.

        ``config_file``: a YAML file whose options (plugin options of a ``mkdocs.yml``, or the
        top-level keys of an ``om-markdoc.yml``) take precedence over the tree's own."""
        given = Path(path)
        if not given.exists():
            raise ProjectError(f"{given} does not exist")
        overrides = cls._options_of(Path(config_file)) if config_file is not None else {}
        mkdocs_yml = given if given.is_file() else given / "mkdocs.yml"
        if mkdocs_yml.is_file():
            data = cls._read(mkdocs_yml)
            options = plugin_options(data)
            if options is None:
                raise ProjectError(f"{mkdocs_yml} does not enable the om-markdoc plugin")
            root = mkdocs_yml.parent.resolve()
            return cls.from_options(
                root, root / str(data.get("docs_dir") or "docs"), {**options, **overrides}, config_file=mkdocs_yml.resolve()
            )
        found = _openmetadata_dirs(given.resolve())
        if found is None:
            raise ProjectError(f"{given}: no mkdocs.yml and no OpenMetadata layout (content/vX.Y.z folders)")
        root, content = found
        own = find_config_file(list(dict.fromkeys([given.resolve(), root])))
        options = {**(cls._options_of(own) if own is not None else {}), **overrides}
        project = cls.from_options(
            root,
            content,
            {"partials_dir": content / "partials", "images_dir": root / "images", **options},
            config_file=Path(config_file).resolve() if config_file is not None else own,
            kind="openmetadata",
            required=tuple(key for key in ("partials_dir", "images_dir") if key in options),
        )
        return project

    @classmethod
    def around(cls, folder: Path) -> Project:
        """The project at ``folder`` as ``load`` finds it, or, for a plain folder of Markdown
        files (no ``mkdocs.yml``, no version folders), that folder as an unversioned project
        with its ``om-markdoc.yml`` options: the pytest plugin collects examples from any folder."""
        folder = Path(folder).resolve()
        if (folder / "mkdocs.yml").is_file() or _openmetadata_dirs(folder) is not None:
            return cls.load(folder)
        own = find_config_file([folder])
        return cls.from_options(folder, folder, cls._options_of(own) if own is not None else {}, config_file=own, kind="folder")

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            return read_config(path)
        except ConfigFileError as exc:
            raise ProjectError(str(exc)) from exc

    @classmethod
    def _options_of(cls, path: Path) -> dict[str, Any]:
        """Options in a configuration file: a ``mkdocs.yml``'s plugin options, else its top level."""
        if not path.is_file():
            raise ProjectError(f"config file {path} does not exist")
        data = cls._read(path)
        options = plugin_options(data)
        if options is not None:
            return options
        if "plugins" in data or "site_name" in data:  # a mkdocs.yml without the plugin
            return {}
        return data

    @classmethod
    def from_options(
        cls,
        root: Path,
        docs_dir: Path | str,
        options: Mapping[str, Any],
        *,
        config_file: Path | None = None,
        kind: str = "mkdocs",
        required: tuple[str, ...] = ("partials_dir", "images_dir"),
    ) -> Project:
        """A project from its folder, docs folder and option mapping (the plugin's, validated
        by MkDocs, or a parsed file's).  Relative folders are taken from ``root``.  Configured
        folders in ``required`` must exist; unset ones are guessed: partials in ``snippets/``
        beside the config, else ``partials/`` beside or inside the docs folder; images in
        ``images/`` inside the docs folder or up to two levels above it."""
        root = Path(root).resolve()
        docs = (root / docs_dir).resolve()
        source = str(config_file or root)
        if not docs.is_dir():
            raise ProjectError(f"{source}: docs folder {docs} does not exist")
        try:
            settings = Settings.from_options(options, source)
        except SettingsError as exc:
            raise ProjectError(str(exc)) from exc

        def folder(key: str, guesses: list[Path]) -> Path | None:
            value = options.get(key)
            if not value:
                return _first_dir(guesses)
            path = (root / str(value)).resolve()
            if path.is_dir():
                return path
            if key in required:
                raise ProjectError(f"{source}: {key} {value} does not exist")
            return None

        partials = folder("partials_dir", [root / "snippets", docs.parent / "partials", docs / "partials"])
        images = folder("images_dir", [docs / "images", docs.parent.parent / "images", docs.parent / "images"])
        single = parse_version_dir(docs)
        versions = [single] if single is not None else find_versions(docs)
        project = cls(root, docs, partials, images, versions, settings, kind, config_file)
        for skipped in [] if single is not None else near_versions(docs):
            project.diagnostics.append(
                warning(
                    "version-skipped",
                    f"folder {skipped.name} is named like a version but is not one (vX.Y.z or vX.Y.z-SNAPSHOT);"
                    " its pages are left out",
                    project.rel(skipped),
                )
            )
        project.diagnostics.extend(project.refused_links())
        return project

    def to_options(self) -> dict[str, Any]:
        """The project as plugin options: ``from_options(root, docs_root, to_options())`` gives it
        back, so a generated MkDocs config builds exactly this project."""
        options: dict[str, Any] = {
            "root": str(self.root),
            "delimiters": self.settings.delimiters,
            "raw_html": self.settings.raw_html,
            "edition_flag": self.settings.edition_flag,
            "include_edition": self.settings.include_edition,
            "nav": self.settings.nav,
            "static_links": list(self.settings.static_links),
            "check": dict(self.settings.check),
            "examples": dict(self.settings.examples),
        }
        for key, path in (("partials_dir", self.partials_root), ("images_dir", self.images_root)):
            if path is not None:
                options[key] = str(path)
        return options

    def with_settings(self, **changes: Any) -> Project:
        """The same project with some settings changed (command-line overrides)."""
        return replace(self, settings=replace(self.settings, **changes), _files=None)

    # -- places ----------------------------------------------------------------------------------

    def rel(self, path: Path | str) -> str:
        """A file as every diagnostic names it: POSIX, relative to ``root``."""
        return display_path(path, self.root)

    @property
    def single_version(self) -> VersionDir | None:
        """The version when the docs folder is itself one version folder."""
        return self.versions[0] if len(self.versions) == 1 and self.versions[0].path == self.docs_root else None

    @property
    def latest(self) -> VersionDir | None:
        """Highest non-prerelease version (the highest prerelease when there is nothing else)."""
        releases = [v for v in self.versions if not v.prerelease]
        pool = releases or self.versions
        return pool[-1] if pool else None

    def version(self, name: str) -> VersionDir | None:
        return next((v for v in self.versions if v.name == name), None)

    def version_of(self, rel_to_docs: str) -> tuple[str | None, str]:
        """``(version, path inside the version)`` of a file named relative to the docs folder."""
        single = self.single_version
        if single is not None:
            return single.name, rel_to_docs
        head, _, rest = rel_to_docs.partition("/")
        if rest and self.version(head) is not None:
            return head, rest
        return None, rel_to_docs

    def skip_dirs(self) -> tuple[str, ...]:
        """Folders of the docs folder that hold no unversioned pages: versions, skipped
        version-like folders, and the partials and images folders when they lie inside it."""
        skip = [v.name for v in self.versions if v.path.parent == self.docs_root]
        skip += [p.name for p in near_versions(self.docs_root)]
        for extra in (self.partials_root, self.images_root):
            if extra is not None and extra != self.docs_root and extra.is_relative_to(self.docs_root):
                skip.append(extra.relative_to(self.docs_root).as_posix())
        return tuple(skip)

    def md_link_target(self, page_path: Path, href: str) -> str | None:
        """The docs-relative path a relative ``.md`` link names, as MkDocs resolves it (across
        version folders too), or ``None`` for any other link.  Slug links are the slug index's
        business; this is the one case it leaves to the file tree."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.endswith(".md") or parts.path.startswith("/"):
            return None
        if not page_path.is_relative_to(self.docs_root):
            page_path = page_path.resolve()  # the docs folder is held resolved; the page may not be
            if not page_path.is_relative_to(self.docs_root):
                return None
        base = posixpath.dirname(page_path.relative_to(self.docs_root).as_posix())
        return posixpath.normpath(posixpath.join(base, unquote(parts.path)))

    @property
    def roots(self) -> tuple[Path, ...]:
        """The folders a site is made of (docs, partials, images): a symbolic link is followed
        only when its real path is inside one of them (``site/files.py:walk_tree``)."""
        return tuple(dict.fromkeys(p for p in (self.docs_root, self.partials_root, self.images_root) if p is not None))

    @property
    def partials_in_docs(self) -> str | None:
        """Where the partials folder lies inside the docs folder (``partials``), or ``None``:
        its files are sources, so no build publishes them as files of the docs folder."""
        root = self.partials_root
        if root is None or root == self.docs_root or not root.is_relative_to(self.docs_root):
            return None
        return root.relative_to(self.docs_root).as_posix()

    def refused_links(self) -> list[Diagnostic]:
        """A ``symlink-outside`` error for each link the tree walk refuses in the project's
        folders: no build or check reads through such a link, and both report it from here.
        Each folder is walked once, a folder inside the docs folder as part of it, with the
        walks ``files`` answers lookups from (the partials folder, which ``files`` leaves out
        of the docs folder, on its own)."""
        walks = [(self.docs_root, self.files.docs.walk())]
        if self.images_root is not None and not self.images_root.is_relative_to(self.docs_root):
            walks.append((self.images_root, self.files.images.walk()))
        partials = self.partials_root
        if (
            partials is not None
            and partials != self.docs_root
            and not any(partials.is_relative_to(folder) for folder, _ in walks[1:])
        ):
            walks.append((partials, walk_tree(partials, self.roots)))
        found = [(folder.joinpath(*link.rel.split("/")), link) for folder, walk in walks for link in walk.refused]
        ordered = sorted(found, key=lambda item: item[0])
        return [error("symlink-outside", link.message(), self.rel(path)) for path, link in ordered]

    def menu_files(self, source: PageSource) -> list[Path]:
        """A page set's menu files (``menu.md``, edition menus such as ``collate-menu.md``) as
        the tree walk admits them: a menu that is a link out of the tree is never read."""
        names = walk_tree(source.directory, self.roots, below=False).files
        return [source.directory / name for name in names if name == "menu.md" or name.endswith("-menu.md")]

    def page_files(self, source: PageSource) -> list[tuple[Path, str]]:
        """``(path, rel_path)`` of a page set's files, as every door lists them."""
        return iter_page_files(source.directory, skip_dirs=source.skip_dirs, roots=self.roots)

    def is_partial(self, path: Path) -> bool:
        return self.partials_root is not None and Path(path).resolve().is_relative_to(self.partials_root)

    def sources(self) -> list[PageSource]:
        """The page sets of the project: each version, then the unversioned pages if any."""
        if self.single_version is not None:
            return [PageSource(self.single_version.name, self.docs_root, self.skip_dirs())]
        out = [PageSource(v.name, v.path) for v in self.versions]
        skip = self.skip_dirs()
        if any(rel.endswith(".md") for rel in walk_tree(self.docs_root, self.roots, skip=skip).files):
            out.append(PageSource(None, self.docs_root, skip))
        return out

    # -- rendering -------------------------------------------------------------------------------

    def renderer(self, *, extra_tags: Mapping[str, Any] | None = None) -> DialectRenderer:
        """The dialect renderer configured for this project (delimiters, raw-HTML policy)."""
        from ..dialect.pipeline import DialectRenderer

        return DialectRenderer(delimiters=self.settings.delimiters, raw_html=self.settings.raw_html, extra_tags=extra_tags)

    def partial_resolver(self) -> PartialResolver | None:
        return PartialResolver(self.partials_root, display_root=self.root) if self.partials_root is not None else None

    def partial_store(self, renderer: DialectRenderer, *, check_mtime: bool = True) -> PartialStore | None:
        """The partials as the renderer's ``partials`` mapping, parsed with ``renderer``."""
        resolver = self.partial_resolver()
        if resolver is None:
            return None
        return PartialStore(resolver, lambda source, name: renderer.parse(source, name)[0], check_mtime=check_mtime)

    # -- pages and resolution --------------------------------------------------------------------

    def scan(self, source: PageSource) -> list[Page]:
        """A page set's pages from their front matter (fast: heads only), named as diagnostics name them."""
        return scan_pages(
            source.directory,
            version=source.name,
            root=self.root,
            edition_flags=self.settings.edition_flags,
            skip_dirs=source.skip_dirs,
            roots=self.roots,
        )

    @property
    def files(self) -> StaticFiles:
        """Existence of static files (images, downloadable files) below the docs and images folders."""
        if self._files is None:
            self._files = StaticFiles(self.docs_root, self.images_root, self.roots, self.partials_in_docs)
        return self._files

    def indexes(self, pages: Iterable[Page]) -> dict[str | None, SlugIndex]:
        """Each version's ``SlugIndex`` of ``pages``; ``/vX.Y.z/...`` links reach the other
        versions, read from their front matter when ``pages`` does not hold them."""
        by_version: dict[str | None, list[Page]] = {}
        for page in pages:
            by_version.setdefault(page.version, []).append(page)
        indexes = {name: self._index(name, group) for name, group in by_version.items()}
        others = _VersionIndexes(self, indexes)
        for index in indexes.values():
            index.other_versions = others
        return indexes

    def _index(self, version: str | None, pages: list[Page]) -> SlugIndex:
        return SlugIndex(
            pages, version=version, static_files=self.settings.static_links, files=self.files,
            include_edition=self.settings.include_edition,
        )  # fmt: skip

    def __getstate__(self) -> dict[str, Any]:  # worker processes rebuild their own caches
        state = dict(self.__dict__)
        state["_files"] = None
        return state


class _VersionIndexes(Mapping[str, SlugIndex]):
    """Every version's index for cross-version links, scanned from front matter on first use
    (a one-version build rarely links elsewhere, and then pays for one scan)."""

    def __init__(self, project: Project, known: dict[str | None, SlugIndex]) -> None:
        self.project = project
        self.known = known

    def __getitem__(self, name: str) -> SlugIndex:
        if name not in self.known:
            version = self.project.version(name)
            if version is None:
                raise KeyError(name)
            pages = self.project.scan(PageSource(name, version.path))
            index = self.project._index(name, pages)  # noqa: SLF001 - Project's own helper, for its lazy mapping
            index.other_versions = self
            self.known[name] = index
        return self.known[name]

    def __iter__(self) -> Iterator[str]:
        return iter(v.name for v in self.project.versions)

    def __len__(self) -> int:
        return len(self.project.versions)

