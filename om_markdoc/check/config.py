"""The ``check:`` configuration: per-rule severities, per-path ignores, external links.

The project model (``om_markdoc.site.project.Project``) reads it with every other option, from
the plugin's options in ``mkdocs.yml``::

    plugins:
      - om-markdoc:
          check:
            severity: {page-not-in-menu: off, slug-missing: error}
            ignore:
              - {path: "docs/v1.6.x/legacy/**", rules: [link-broken]}

or, for a tree without ``mkdocs.yml``, from ``om-markdoc.yml`` beside it (same ``check:`` mapping);
this module gives the mapping its meaning.  Problems raise ``ConfigError`` (the CLI exits with 2).
"""

from __future__ import annotations

import fnmatch
import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import SEVERITIES
from ..site.project import Project, ProjectError
from .model import parse_rule_list

CACHE_DIR_NAME = ".om-markdoc-cache"


class ConfigError(ProjectError):
    """The ``check:`` configuration cannot be used (exit code 2)."""


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
            raise ConfigError(f"{source}: each 'check.ignore' entry needs a 'path' glob, got {reprlib.repr(entry)}")
        rules = entry.get("rules")
        if rules is not None and not (isinstance(rules, str) or isinstance(rules, list) and all(isinstance(r, str) for r in rules)):
            raise ConfigError(f"{source}: 'rules' of an ignore entry must be a list of rule ids, got {reprlib.repr(rules)}")
        ignores.append(PathIgnore(entry["path"], parse_rule_list(rules)))
    external = data.get("external") or {}
    if not isinstance(external, dict):
        raise ConfigError(f"{source}: 'check.external' must be a mapping")
    for key in ("timeout", "ttl", "per_host", "workers"):
        if key in external and not isinstance(external[key], (int, float)):
            raise ConfigError(f"{source}: 'check.external.{key}' must be a number")
    return CheckConfig(severity, ignores, dict(external), source)


def check_config(project: Project) -> CheckConfig:
    """The project's ``check:`` settings, validated."""
    return parse_check_config(dict(project.settings.check) or None, str(project.config_file or project.root))


def cache_dir_of(project: Project) -> Path:
    """Where ``check`` keeps its page records unless told otherwise."""
    return project.root / CACHE_DIR_NAME
