"""What ``om-markdoc build`` will build: the project's versions and how each is configured.

The project (``om_markdoc.site.project.Project``) says where everything is and how it renders.
A project with a ``mkdocs.yml`` is built with that config, the plugin narrowed to one version
per build; for a bare OpenMetadata tree a Material configuration is generated from the project
(``Project.to_options``), so a team gets a site without moving a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..site.labels import readable_name
from ..site.menu import load_menu
from ..site.pages import load_page
from ..site.project import PageSource, Project, ProjectError


class PlanError(ProjectError):
    """The input cannot be built (reported as a usage/configuration problem, exit code 2)."""


@dataclass(frozen=True)
class VersionTarget:
    name: str
    title: str
    prerelease: bool
    aliases: tuple[str, ...] = ()


@dataclass
class BuildPlan:
    """Everything needed to build each version of one project."""

    project: Project
    versions: list[VersionTarget]
    """Newest first, as ``versions.json`` lists them."""
    latest: str | None

    @property
    def root(self) -> Path:
        return self.project.root

    @property
    def content_root(self) -> Path:
        return self.project.docs_root

    @property
    def config_file(self) -> Path | None:
        """The ``mkdocs.yml`` to build with (``None``: generate one)."""
        return self.project.config_file if self.project.kind == "mkdocs" else None

    @property
    def partials_root(self) -> Path | None:
        return self.project.partials_root

    @property
    def images_root(self) -> Path | None:
        return self.project.images_root

    @property
    def edition_flag(self) -> str | None:
        return self.project.settings.edition_flag

    @property
    def include_edition(self) -> bool:
        return self.project.settings.include_edition

    @property
    def inputs(self) -> list[Path]:
        """Files and folders whose content decides whether a version must be rebuilt."""
        paths = [self.project.config_file, self.project.docs_root, self.project.partials_root, self.project.images_root]
        return [path for path in dict.fromkeys(paths) if path is not None]

    @property
    def site_name(self) -> str:
        """The name a generated configuration gives the site (see ``site_name``)."""
        return site_name(self.project, self.latest)

    def version(self, name: str) -> VersionTarget:
        for target in self.versions:
            if target.name == name:
                return target
        raise PlanError(f"no version {name!r}; known: {', '.join(v.name for v in self.versions)}")


def plan_build(
    path: str | Path,
    *,
    edition_flag: str | None = None,
    include_edition: bool = False,
    unreleased: set[str] | None = None,
) -> BuildPlan:
    """Plan the build of ``path``: a ``mkdocs.yml``, a folder with one, or an OpenMetadata tree.

    ``edition_flag``/``include_edition`` override the project's settings (command-line flags).
    A project without version folders has no targets: it is built as one site (``unversioned``)."""
    project = Project.load(path)
    changes: dict[str, object] = {}
    if edition_flag:
        changes["edition_flag"] = edition_flag
    if include_edition:
        changes["include_edition"] = True
    if changes:
        project = project.with_settings(**changes)
    unreleased = unreleased or set()
    latest = project.latest
    targets = [
        VersionTarget(
            v.name, v.name, v.prerelease or v.name in unreleased, ("latest",) if latest is not None and v.name == latest.name else ()
        )
        for v in sorted(project.versions, key=lambda v: v.sort_key(), reverse=True)
    ]
    return BuildPlan(project, targets, latest.name if latest is not None else None)


def site_name(project: Project, latest: str | None) -> str:
    """The tree's own name for its product: the latest version's home page title (up to `` | ``
    or ``: ``, the rest is for search engines) or first heading, else the root folder's name,
    spelled as the latest version's menu and page titles spell its words (``openmetadata-docs``
    → "OpenMetadata Docs" when they write "OpenMetadata")."""
    version = project.version(latest) if latest is not None else None
    if version is None:
        return readable_name(project.root)
    home = version.path / "index.md"
    if home.is_file():
        page = load_page(home, version=version.name, rel_path="index.md", root=project.root)
        short = page.title.split(" | ")[0].split(": ")[0].strip()
        if short and short != "Home":  # "Home": the title made from the file name, no product's
            return short
    menu = version.path / "menu.md"
    names = [node.title for root in load_menu(menu).roots for node in root.walk()] if menu.is_file() else []
    titles = [page.title for page in project.scan(PageSource(version.name, version.path))]
    return readable_name(project.root, [*names, *titles])
