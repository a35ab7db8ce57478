"""Where the pages, partials and images of a docs tree live, and which versions it has.

Two layouts are supported. The OpenMetadata layout is fixed by the docs-v1 site:
``<root>/content/<vX.Y.z>/``, ``<root>/content/partials/<vX.Y>/`` and ``<root>/images/``
(``detect_layout`` also accepts being pointed at ``<root>/content``). A repository that adopts
the tool names its directories explicitly (``repository_layout``): a docs dir holding version
folders and unversioned pages, a partials dir (``snippets/v1.7/``) and an images dir.

Versions are ordered numerically (``v1.10.x`` after ``v1.9.x``) with a prerelease before its
release, and ``latest`` is the highest version that is not a prerelease, which is what the
version switcher and the unversioned URLs point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, error, warning

VERSION_DIR_RE = re.compile(r"^v(\d+)\.(\d+)\.(\w+?)(-SNAPSHOT)?$")
PARTIAL_VERSION_RE = re.compile(r"^v(\d+)\.(\d+)$")


@dataclass(frozen=True)
class VersionDir:
    """One version folder, e.g. ``v1.6.x-SNAPSHOT`` → ``major_minor="1.6"``, ``prerelease=True``."""

    name: str
    path: Path
    major_minor: str
    prerelease: bool

    @property
    def major(self) -> int:
        return int(self.major_minor.split(".")[0])

    @property
    def minor(self) -> int:
        return int(self.major_minor.split(".")[1])

    @property
    def patch(self) -> str:
        match = VERSION_DIR_RE.match(self.name)
        return match.group(3) if match else ""

    @property
    def partials_name(self) -> str:
        """The folder name partials and images use for this version: ``v1.6`` (no patch)."""
        return f"v{self.major_minor}"

    def sort_key(self) -> tuple[int, int, tuple[int, int | str], int]:
        """Numeric order; a ``-SNAPSHOT`` sorts before the release of the same number."""
        patch = self.patch
        patch_key: tuple[int, int | str] = (0, int(patch)) if patch.isdigit() else (1, patch)
        return (self.major, self.minor, patch_key, 0 if self.prerelease else 1)


def parse_version_dir(path: Path) -> VersionDir | None:
    """A ``VersionDir`` when ``path.name`` is a version folder name, else ``None``."""
    match = VERSION_DIR_RE.match(path.name)
    if not match:
        return None
    return VersionDir(path.name, path, f"{int(match.group(1))}.{int(match.group(2))}", bool(match.group(4)))


def find_versions(directory: Path) -> list[VersionDir]:
    """Version folders directly under ``directory``, in version order."""
    if not directory.is_dir():
        return []
    found = [v for p in directory.iterdir() if p.is_dir() and (v := parse_version_dir(p)) is not None]
    return sorted(found, key=VersionDir.sort_key)


@dataclass
class SiteLayout:
    """The directories of one docs tree; ``kind`` is ``openmetadata``, ``repository`` or ``unknown``."""

    root: Path
    content_root: Path
    partials_root: Path | None
    images_root: Path | None
    versions: list[VersionDir]
    kind: str = "openmetadata"
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def latest(self) -> VersionDir | None:
        """Highest non-prerelease version (the highest prerelease when there is nothing else)."""
        releases = [v for v in self.versions if not v.prerelease]
        pool = releases or self.versions
        return pool[-1] if pool else None

    def version(self, name: str) -> VersionDir | None:
        """The version called ``name`` (``v1.5.x``), or ``None``."""
        return next((v for v in self.versions if v.name == name), None)

    def partial_version_dirs(self) -> list[Path]:
        """``<partials_root>/vX.Y`` folders, sorted numerically."""
        if self.partials_root is None or not self.partials_root.is_dir():
            return []
        dirs = [p for p in self.partials_root.iterdir() if p.is_dir() and PARTIAL_VERSION_RE.match(p.name)]
        return sorted(dirs, key=lambda p: tuple(int(x) for x in PARTIAL_VERSION_RE.match(p.name).groups()))  # type: ignore[union-attr]

    @property
    def display_root(self) -> Path:
        """What diagnostics' file names are relative to: ``content`` for OpenMetadata trees (so names
        read ``v1.5.x/page.md``, ``partials/v1.5/x.md`` as the docs team writes them), the
        repository root for a configured layout (``docs/v1.7.x/page.md``)."""
        return self.root if self.kind == "repository" else self.content_root

    @property
    def version_names(self) -> list[str]:
        return [v.name for v in self.versions]


def detect_layout(path: Path | str) -> SiteLayout:
    """The OpenMetadata layout of ``path`` (the tree root or its ``content`` folder).

    A folder that directly holds version folders but has no ``content`` parent is accepted as a
    content root too. Anything else gives a ``layout-unknown`` diagnostic and no versions.
    """
    given = Path(path)
    if (given / "content").is_dir() and find_versions(given / "content"):
        root, content = given, given / "content"
    elif find_versions(given):
        content = given
        root = given.parent if given.name == "content" else given
    else:
        return SiteLayout(
            given,
            given,
            None,
            None,
            [],
            "unknown",
            [error("layout-unknown", f"no version folders (vX.Y.z) found in {given} or {given / 'content'}", str(given))],
        )
    partials = content / "partials"
    images = root / "images" if root != content else content / "images"
    return SiteLayout(
        root=root,
        content_root=content,
        partials_root=partials if partials.is_dir() else None,
        images_root=images if images.is_dir() else None,
        versions=find_versions(content),
        kind="openmetadata",
    )


def repository_layout(
    root: Path | str,
    *,
    docs_dir: str | Path = "docs",
    partials_dir: str | Path | None = "snippets",
    images_dir: str | Path | None = "images",
) -> SiteLayout:
    """An explicitly configured layout; relative directories are taken from ``root``.

    Missing directories are reported (``layout-missing-dir``) rather than guessed: the docs dir is
    an error, the optional partials and images dirs warnings.
    """
    base = Path(root)
    docs = base / docs_dir
    diagnostics: list[Diagnostic] = []
    if not docs.is_dir():
        diagnostics.append(error("layout-missing-dir", f"docs directory {docs_dir} does not exist", str(docs_dir)))

    def optional(name: str | Path | None, what: str) -> Path | None:
        if name is None:
            return None
        target = base / name
        if not target.is_dir():
            diagnostics.append(warning("layout-missing-dir", f"{what} directory {name} does not exist", str(name)))
            return None
        return target

    return SiteLayout(
        root=base,
        content_root=docs,
        partials_root=optional(partials_dir, "partials"),
        images_root=optional(images_dir, "images"),
        versions=find_versions(docs),
        kind="repository",
        diagnostics=diagnostics,
    )
