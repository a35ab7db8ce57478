"""Version folders: which folder names are versions, and in what order.

A version folder is ``vX.Y.z`` (``v1.7.x``, ``v1.7.0``), optionally ``-SNAPSHOT`` (either case) for
a prerelease; partials and images use ``vX.Y``.  Where the folders are is the project model's
business (``project.py``).  Versions are ordered numerically (``v1.10.x`` after ``v1.9.x``) with a prerelease before its
release, and ``latest`` is the highest version that is not a prerelease, which is what the
version switcher and the unversioned URLs point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

VERSION_DIR_RE = re.compile(r"^v(\d+)\.(\d+)\.(\w+?)(-(?i:snapshot))?$")
"""``v1.6.x``, ``v1.7.0``, ``v1.7.x-SNAPSHOT``; real trees write the suffix in either case."""
VERSION_LIKE_RE = re.compile(r"^[vV]?\d+\.\d+")
"""A folder name that reads like a version; one that is not a ``VERSION_DIR_RE`` is reported."""
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


def near_versions(directory: Path) -> list[Path]:
    """Folders under ``directory`` named like versions that are not (``v1.7``, ``1.7.x``,
    ``v1.7.x-beta``): left out of every build and check, and reported, never dropped silently."""
    if not directory.is_dir():
        return []
    return sorted(
        p for p in directory.iterdir() if p.is_dir() and VERSION_LIKE_RE.match(p.name) and parse_version_dir(p) is None
    )
