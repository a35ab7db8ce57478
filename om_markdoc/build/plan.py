"""What ``om-markdoc build`` will build: the versions of a tree and the MkDocs config of each.

Two kinds of input: a repository with a ``mkdocs.yml`` whose docs folder holds version folders
(its config is used, with the plugin narrowed to one version per build), and a bare
OpenMetadata-layout tree (``content/vX.Y.x``, ``content/partials``, ``images``) for which a
Material configuration is generated, so a team gets a site without moving a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..site.layout import SiteLayout, VersionDir, detect_layout, find_versions


class PlanError(Exception):
    """The input cannot be built (reported as a usage/configuration problem, exit code 2)."""


@dataclass(frozen=True)
class VersionTarget:
    name: str
    title: str
    prerelease: bool
    aliases: tuple[str, ...] = ()


@dataclass
class BuildPlan:
    """Everything needed to build each version of one tree."""

    root: Path
    content_root: Path
    versions: list[VersionTarget]
    latest: str | None
    config_file: Path | None = None
    partials_root: Path | None = None
    images_root: Path | None = None
    edition_flag: str = "collate"
    include_edition: bool = False
    inputs: list[Path] = field(default_factory=list)
    """Files and folders whose content decides whether a version must be rebuilt."""

    def version(self, name: str) -> VersionTarget:
        for target in self.versions:
            if target.name == name:
                return target
        raise PlanError(f"no version {name!r}; known: {', '.join(v.name for v in self.versions)}")


def _targets(versions: list[VersionDir], latest: VersionDir | None, unreleased: set[str]) -> list[VersionTarget]:
    out = []
    for version in sorted(versions, key=lambda v: v.sort_key(), reverse=True):
        aliases = ("latest",) if latest is not None and version.name == latest.name else ()
        out.append(VersionTarget(version.name, version.name, version.prerelease or version.name in unreleased, aliases))
    return out


def _plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "om-markdoc" in entry:
            return entry["om-markdoc"] or {}
        if entry == "om-markdoc":
            return {}
    raise PlanError("mkdocs.yml does not enable the om-markdoc plugin")


def _from_mkdocs_yml(config_file: Path, unreleased: set[str]) -> BuildPlan:
    try:
        raw = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlanError(f"cannot read {config_file}: {exc}") from exc
    root = config_file.parent
    docs = (root / str(raw.get("docs_dir", "docs"))).resolve()
    options = _plugin_options(raw)
    versions = find_versions(docs)
    if not versions:
        raise PlanError(f"{docs} holds no version folders (v1.6.x, v1.7.x, ...)")
    layout = SiteLayout(root, docs, None, None, versions, "repository")
    partials = (root / options["partials_dir"]).resolve() if options.get("partials_dir") else None
    images = (root / options["images_dir"]).resolve() if options.get("images_dir") else None
    inputs = [config_file, docs] + [p for p in (partials, images) if p is not None]
    return BuildPlan(
        root=root,
        content_root=docs,
        versions=_targets(versions, layout.latest, unreleased),
        latest=layout.latest.name if layout.latest else None,
        config_file=config_file,
        partials_root=partials,
        images_root=images,
        inputs=inputs,
    )


class _LenientLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for planning only: MkDocs' ``!ENV``/``!relative`` tags become plain values."""


_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def plan_build(
    path: str | Path,
    *,
    edition_flag: str | None = None,
    include_edition: bool = False,
    unreleased: set[str] | None = None,
) -> BuildPlan:
    """Plan the build of ``path``: a ``mkdocs.yml``, a folder with one, or an OpenMetadata tree."""
    given = Path(path)
    unreleased = unreleased or set()
    config_file = given if given.is_file() else given / "mkdocs.yml"
    if config_file.is_file():
        plan = _from_mkdocs_yml(config_file.resolve(), unreleased)
    else:
        layout = detect_layout(given)
        if not layout.versions:
            raise PlanError(f"{given}: no mkdocs.yml and no OpenMetadata layout (content/vX.Y.x folders)")
        plan = BuildPlan(
            root=layout.root.resolve(),
            content_root=layout.content_root.resolve(),
            versions=_targets(layout.versions, layout.latest, unreleased),
            latest=layout.latest.name if layout.latest else None,
            partials_root=layout.partials_root.resolve() if layout.partials_root else None,
            images_root=layout.images_root.resolve() if layout.images_root else None,
            inputs=[p.resolve() for p in (layout.content_root, layout.images_root) if p is not None],
        )
    if edition_flag:
        plan.edition_flag = edition_flag
    plan.include_edition = include_edition
    return plan
