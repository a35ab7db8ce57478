"""What ``om-markdoc check`` is told and what it reports: options, rule lists and the report.

Problems are ``om_markdoc.diagnostics.Diagnostic`` objects (the one problem type) and rule ids
come from ``om_markdoc.rules`` (the one catalogue).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic


def parse_rule_list(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """``"a,b" "c"`` → ``("a", "b", "c")`` (globs such as ``partial-*`` are kept as written)."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for value in values:
        out.extend(part.strip() for part in str(value).replace(" ", ",").split(",") if part.strip())
    return tuple(out)


def rule_matches(rule: str, patterns: Iterable[str]) -> bool:
    return any(rule == p or p in ("*", "all") or fnmatch.fnmatchcase(rule, p) for p in patterns)


@dataclass
class CheckOptions:
    """Everything ``run_check`` can be told (the CLI fills it from its arguments)."""

    only: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    changed_since: str | None = None
    external: bool = False
    config_file: str | None = None
    cache_dir: str | None = None
    use_cache: bool = True
    jobs: int | None = None
    progress: Any = None
    """``callable(done, total, label)`` or ``None``."""
    external_timeout: float | None = None
    external_ttl: float | None = None
    examples: bool | None = None
    """Validate fenced config examples: ``None`` = as configured (syntax always, schemas where bound)."""


@dataclass
class CheckReport:
    """The outcome: findings (sorted), what was checked, and how long it took."""

    root: str
    findings: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    partials: int = 0
    rendered: int = 0
    cached: int = 0
    versions: list[str] = field(default_factory=list)
    seconds: float = 0.0
    external_checked: int = 0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return dict(sorted(counts.items()))

    def summary(self) -> dict[str, Any]:
        return {
            "errors": self.count("error"),
            "warnings": self.count("warning"),
            "infos": self.count("info"),
            "findings": len(self.findings),
            "by_rule": self.by_rule(),
            "pages": self.pages,
            "partials": self.partials,
            "versions": list(self.versions),
            "rendered": self.rendered,
            "cached": self.cached,
            "seconds": round(self.seconds, 3),
        }
