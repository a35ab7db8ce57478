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

from ..diagnostics import SEVERITIES, error
from ..site.config_file import option_position
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


class _Invalid(Exception):
    """A ``check:`` option that cannot be used: ``keys`` name it below ``check``."""

    def __init__(self, keys: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.keys = keys


def parse_check_config(data: Any, source: str) -> CheckConfig:
    """Validate a ``check:`` mapping (``None`` is an empty configuration).  A problem is a
    ``ConfigError`` placed at the option's line and column when ``source`` is the file."""
    try:
        return _parse(data, source)
    except _Invalid as exc:
        path = Path(source)
        line, column = option_position(path, ("check", *exc.keys)) if path.is_file() else (1, 1)
        raise ConfigError(error("config-invalid", str(exc), source, line, column).format()) from None


def _parse(data: Any, source: str) -> CheckConfig:
    if data is None:
        return CheckConfig(source=source)
    if not isinstance(data, dict):
        raise _Invalid((), f"'check' must be a mapping, not {type(data).__name__}")
    unknown = set(data) - {"severity", "ignore", "external"}
    if unknown:
        names = sorted(map(str, unknown))
        raise _Invalid((names[0],), f"unknown key(s) under 'check': {', '.join(names)}")
    return CheckConfig(
        _severities(data.get("severity") or {}),
        _ignores(data.get("ignore") or []),
        _external(data.get("external") or {}),
        source,
    )


def _severities(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _Invalid(("severity",), "'check.severity' must map rule ids to error|warning|info|off")
    severity: dict[str, str] = {}
    for rule, level in raw.items():
        # YAML 1.1 reads a bare `off` as False
        text = "off" if level is False else str(level).strip().lower()
        if text not in (*SEVERITIES, "off"):
            raise _Invalid(
                ("severity", str(rule)), f"severity of {rule!r} must be error, warning, info or off, not {reprlib.repr(level)}"
            )
        severity[str(rule)] = text
    return severity


def _ignores(raw: Any) -> list[PathIgnore]:
    if not isinstance(raw, list):
        raise _Invalid(("ignore",), "'check.ignore' must be a list of {path, rules} entries")
    ignores: list[PathIgnore] = []
    for number, entry in enumerate(raw):
        if isinstance(entry, str):
            ignores.append(PathIgnore(entry))
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise _Invalid(("ignore", number), f"each 'check.ignore' entry needs a 'path' glob, got {reprlib.repr(entry)}")
        rules = entry.get("rules")
        if rules is not None and not (isinstance(rules, str) or isinstance(rules, list) and all(isinstance(r, str) for r in rules)):
            raise _Invalid(
                ("ignore", number, "rules"), f"'rules' of an ignore entry must be a list of rule ids, got {reprlib.repr(rules)}"
            )
        ignores.append(PathIgnore(entry["path"], parse_rule_list(rules)))
    return ignores


def _external(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _Invalid(("external",), "'check.external' must be a mapping")
    for key in ("timeout", "ttl", "per_host", "workers"):
        if key in raw and not isinstance(raw[key], (int, float)):
            raise _Invalid(("external", key), f"'check.external.{key}' must be a number")
    return dict(raw)


def check_config(project: Project) -> CheckConfig:
    """The project's ``check:`` settings, validated."""
    return parse_check_config(dict(project.settings.check) or None, str(project.config_file or project.root))


def cache_dir_of(project: Project) -> Path:
    """Where ``check`` keeps its page records unless told otherwise."""
    return project.root / CACHE_DIR_NAME
