"""Which tree is checked and how: the layout (``mkdocs.yml`` repository or bare OpenMetadata
tree) and the ``check:`` configuration (per-rule severities, per-path ignores, external links).

Configuration lives under the plugin's options in ``mkdocs.yml``::

    plugins:
      - om-markdoc:
          check:
            severity: {page-not-in-menu: off, slug-missing: error}
            ignore:
              - {path: "docs/v1.6.x/legacy/**", rules: [link-broken]}

or, for a tree without ``mkdocs.yml``, in ``om-markdoc.yml`` beside it (same ``check:`` mapping).
Problems with either file raise ``ConfigError`` (the CLI exits with 2).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..site.layout import detect_layout, find_versions, parse_version_dir
from ..site.pages import DEFAULT_EDITION_FLAGS
from .model import SEVERITIES, parse_rule_list

CONFIG_NAMES = ("om-markdoc.yml", "om-markdoc.yaml", ".om-markdoc.yml")
CACHE_DIR_NAME = ".om-markdoc-cache"


class ConfigError(Exception):
    """The tree or its configuration cannot be used (exit code 2)."""


class _LenientLoader(yaml.SafeLoader):
    """``mkdocs.yml`` may use ``!ENV``/``!relative``/python tags; they read as ``None`` here."""


_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class PathIgnore:
    """Findings in files matching ``path`` (a glob relative to the tree root; ``**`` spans
    folders) are dropped, for ``rules`` (all rules when empty)."""

    path: str
    rules: tuple[str, ...] = ()

    def matches(self, file: str, rule: str) -> bool:
        if not _glob_match(file, self.path):
            return False
        return not self.rules or any(rule == r or fnmatch.fnmatchcase(rule, r) for r in self.rules)


def _glob_match(file: str, pattern: str) -> bool:
    pattern = pattern.strip()
    pattern = pattern.removeprefix("./")
    if fnmatch.fnmatchcase(file, pattern):
        return True
    if pattern.endswith("/"):  # a folder: everything below it
        return file.startswith(pattern)
    if pattern.endswith("/**"):
        return file.startswith(pattern[:-2])
    return False


@dataclass
class CheckConfig:
    severity: dict[str, str] = field(default_factory=dict)
    """rule (or glob) → ``error``/``warning``/``info``/``off``."""
    ignore: list[PathIgnore] = field(default_factory=list)
    external: dict[str, Any] = field(default_factory=dict)
    """``timeout`` (s), ``ttl`` (s), ``per_host`` (concurrent requests), ``workers``, ``exclude`` (URL globs)."""
    source: str | None = None

    def severity_for(self, rule: str, current: str) -> str | None:
        """The configured severity (``None`` = off) or ``current``."""
        level = self.severity.get(rule)
        if level is None:
            for pattern, value in self.severity.items():
                if fnmatch.fnmatchcase(rule, pattern):
                    level = value
                    break
        if level is None:
            return current
        return None if level == "off" else level

    def ignored(self, file: str, rule: str) -> bool:
        return any(entry.matches(file, rule) for entry in self.ignore)


def parse_check_config(data: Any, source: str) -> CheckConfig:
    """Validate a ``check:`` mapping (``None`` is an empty configuration)."""
    if data is None:
        return CheckConfig(source=source)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: 'check' must be a mapping, not {type(data).__name__}")
    unknown = set(data) - {"severity", "ignore", "external"}
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) under 'check': {', '.join(sorted(map(str, unknown)))}")
    severity: dict[str, str] = {}
    raw_severity = data.get("severity") or {}
    if not isinstance(raw_severity, dict):
        raise ConfigError(f"{source}: 'check.severity' must map rule ids to error|warning|info|off")
    for rule, level in raw_severity.items():
        # YAML 1.1 reads a bare `off` as False
        text = "off" if level is False else str(level).strip().lower()
        if text not in (*SEVERITIES, "off"):
            raise ConfigError(f"{source}: severity of {rule!r} must be error, warning, info or off, not {level!r}")
        severity[str(rule)] = text
    ignores: list[PathIgnore] = []
    raw_ignore = data.get("ignore") or []
    if not isinstance(raw_ignore, list):
        raise ConfigError(f"{source}: 'check.ignore' must be a list of {{path, rules}} entries")
    for entry in raw_ignore:
        if isinstance(entry, str):
            ignores.append(PathIgnore(entry))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise ConfigError(f"{source}: each 'check.ignore' entry needs a 'path' glob, got {entry!r}")
        rules = entry.get("rules")
        if rules is not None and not isinstance(rules, (list, str)):
            raise ConfigError(f"{source}: 'rules' of an ignore entry must be a list of rule ids")
        ignores.append(PathIgnore(entry["path"], parse_rule_list(rules)))
    external = data.get("external") or {}
    if not isinstance(external, dict):
        raise ConfigError(f"{source}: 'check.external' must be a mapping")
    for key in ("timeout", "ttl", "per_host", "workers"):
        if key in external and not isinstance(external[key], (int, float)):
            raise ConfigError(f"{source}: 'check.external.{key}' must be a number")
    return CheckConfig(severity, ignores, dict(external), source)


def read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


def plugin_options(config: Any) -> dict[str, Any] | None:
    """The ``om-markdoc`` plugin's options in a parsed ``mkdocs.yml`` (``None``: not enabled)."""
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if isinstance(plugins, dict):  # the mapping form of `plugins:`
        plugins = [{k: v} for k, v in plugins.items()]
    for entry in plugins or []:
        if isinstance(entry, dict) and "om-markdoc" in entry:
            options = entry["om-markdoc"]
            return options if isinstance(options, dict) else {}
        if entry == "om-markdoc":
            return {}
    return None


def config_from_file(path: Path) -> CheckConfig:
    """``check:`` from an ``om-markdoc.yml`` or from a ``mkdocs.yml``'s plugin options."""
    data = read_yaml(path)
    if data is None:
        return CheckConfig(source=str(path))
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    options = plugin_options(data)
    if options is not None:
        return parse_check_config(options.get("check"), str(path))
    if "plugins" in data or "site_name" in data:
        return CheckConfig(source=str(path))
    return parse_check_config(data.get("check"), str(path))


@dataclass
class VersionSource:
    """One set of pages checked together (a version folder, or the unversioned pages)."""

    name: str | None
    directory: Path
    skip_dirs: tuple[str, ...] = ()


@dataclass
class Tree:
    """A docs tree ready to check. ``root`` is what findings' file names are relative to."""

    root: Path
    kind: str
    docs_root: Path
    versions: list[VersionSource]
    partials_root: Path | None
    images_root: Path | None
    static_links: tuple[str, ...] = ("/swagger.html",)
    edition_flags: tuple[str, ...] = DEFAULT_EDITION_FLAGS
    config: CheckConfig = field(default_factory=CheckConfig)
    config_file: Path | None = None

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @property
    def default_cache_dir(self) -> Path:
        return self.root / CACHE_DIR_NAME


def _first_dir(candidates: list[Path]) -> Path | None:
    return next((p.resolve() for p in candidates if p.is_dir()), None)


def _repository_tree(config_file: Path) -> Tree:
    raw = read_yaml(config_file)
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: expected a mapping at the top level")
    options = plugin_options(raw)
    if options is None:
        raise ConfigError(f"{config_file} does not enable the om-markdoc plugin")
    root = config_file.parent.resolve()
    docs = (root / str(raw.get("docs_dir") or "docs")).resolve()
    if not docs.is_dir():
        raise ConfigError(f"{config_file}: docs_dir {docs} does not exist")
    partials = (root / options["partials_dir"]).resolve() if options.get("partials_dir") else _first_dir(
        [root / "snippets", docs.parent / "partials", docs / "partials"]
    )
    images = (root / options["images_dir"]).resolve() if options.get("images_dir") else _first_dir(
        [docs / "images", docs.parent.parent / "images", docs.parent / "images"]
    )
    if options.get("partials_dir") and not (partials and partials.is_dir()):
        raise ConfigError(f"{config_file}: partials_dir {options['partials_dir']} does not exist")
    versions = [VersionSource(v.name, v.path.resolve()) for v in find_versions(docs)]
    skip = [v.name for v in versions]
    for extra in (partials, images):
        if extra is not None and extra != docs and docs in extra.parents:
            skip.append(extra.relative_to(docs).as_posix())
    if docs_has_loose_pages(docs, skip):
        versions.append(VersionSource(None, docs, tuple(skip)))
    static = options.get("static_links", ["/swagger.html"])
    flags = tuple(dict.fromkeys([str(options.get("edition_flag") or "collate"), *DEFAULT_EDITION_FLAGS]))
    tree = Tree(root, "repository", docs, versions, partials, images, tuple(static or ()), flags, config_file=config_file)
    tree.config = parse_check_config(options.get("check"), str(config_file))
    return tree


def docs_has_loose_pages(docs: Path, skip: list[str]) -> bool:
    for child in docs.iterdir():
        if child.name.startswith(".") or child.name in skip:
            continue
        if child.is_file() and child.suffix == ".md":
            return True
        if child.is_dir() and parse_version_dir(child) is None and any(child.rglob("*.md")):
            return True
    return False


def load_tree(path: str | Path, config_file: str | Path | None = None) -> Tree:
    """The tree at ``path``: a ``mkdocs.yml`` (or a folder with one) or an OpenMetadata tree."""
    given = Path(path)
    if not given.exists():
        raise ConfigError(f"{given} does not exist")
    mkdocs_yml = given if given.is_file() else given / "mkdocs.yml"
    if mkdocs_yml.is_file():
        tree = _repository_tree(mkdocs_yml)
    else:
        layout = detect_layout(given)
        if not layout.versions:
            raise ConfigError(f"{given}: no mkdocs.yml and no OpenMetadata layout (content/vX.Y.x folders)")
        root = layout.root.resolve()
        tree = Tree(
            root,
            "openmetadata",
            layout.content_root.resolve(),
            [VersionSource(v.name, v.path.resolve()) for v in layout.versions],
            layout.partials_root.resolve() if layout.partials_root else None,
            layout.images_root.resolve() if layout.images_root else None,
        )
        for name in CONFIG_NAMES:
            for folder in dict.fromkeys([given.resolve(), root]):
                if (folder / name).is_file():
                    tree.config = config_from_file(folder / name)
                    tree.config_file = folder / name
                    break
            if tree.config_file is not None:
                break
    if config_file is not None:
        explicit = Path(config_file)
        if not explicit.is_file():
            raise ConfigError(f"config file {explicit} does not exist")
        tree.config = config_from_file(explicit)
        tree.config_file = explicit
    return tree
