"""The one shape of every problem om-markdoc reports.

The core's Markdoc errors, the dialect's recoveries, the site layer's front-matter and slug
problems, the checker's link and partial rules and the examples' validation failures all end up
as a ``Diagnostic``, so that the MkDocs build, ``om-markdoc check``, ``serve`` and the pytest
plugin print the same ``file:line:column: severity: message [rule]`` for the same problem, and
a parity test can compare them as sets.  It lives below every other package (the dialect and
the site layer both import it) and holds plain values only, so records can be cached as JSON
and sent between worker processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

Chain = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Diagnostic:
    """A problem at a place: ``file`` is POSIX and relative to the project root; line and column
    are 1-based.

    ``chain`` records how the problem was reached through includes, outermost first:
    ``(("docs/v1.7.x/page.md", 12), ("snippets/v1.7/a.md", 3))`` means line 12 of the page
    includes a partial whose line 3 includes the one with the problem.
    """

    rule: str
    severity: str
    message: str
    file: str
    line: int
    column: int = 1
    chain: Chain = field(default=())

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}, not {self.severity!r}")

    def format(self, *, include_chain: bool = False) -> str:
        """``file:line:column: severity: message [rule]`` (+ `` (via a:1 → b:2)`` if asked)."""
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"
        if include_chain and self.chain:
            text += f" (via {self.format_chain()})"
        return text

    def format_chain(self) -> str:
        """``page.md:12 → partials/v1.5/a.md:3``; empty when the problem was not reached via includes."""
        return " → ".join(f"{f}:{n}" for f, n in self.chain)

    def with_chain(self, chain: Iterable[tuple[str, int]]) -> Diagnostic:
        """The same diagnostic reached through ``chain`` (a partial's problem found via a page)."""
        return Diagnostic(self.rule, self.severity, self.message, self.file, self.line, self.column, tuple(chain))

    def with_severity(self, severity: str) -> Diagnostic:
        """The same diagnostic at another severity (configuration overrides the default)."""
        return Diagnostic(self.rule, severity, self.message, self.file, self.line, self.column, self.chain)

    def refiled(self, file: str) -> Diagnostic:
        """The same diagnostic named after another file (a placeholder filled in, a path re-rooted)."""
        return Diagnostic(self.rule, self.severity, self.message, file, self.line, self.column, self.chain)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.rule, self.message, self.chain)

    def to_dict(self) -> dict[str, Any]:
        """JSON form (``check --format json``)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "chain": [{"file": f, "line": n} for f, n in self.chain],
        }

    def to_row(self) -> list[Any]:
        """Compact form for caches and worker results."""
        return [self.rule, self.severity, self.file, self.line, self.column, self.message, [list(c) for c in self.chain]]

    @classmethod
    def from_row(cls, row: list[Any]) -> Diagnostic:
        rule, severity, file, line, column, message, chain = row
        return cls(rule, severity, message, file, max(1, int(line)), max(1, int(column)), tuple((f, int(n)) for f, n in chain))

    def __str__(self) -> str:
        return self.format()


def error(rule: str, message: str, file: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(rule, "error", message, file, line, column)


def warning(rule: str, message: str, file: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(rule, "warning", message, file, line, column)


def info(rule: str, message: str, file: str, line: int = 1, column: int = 1) -> Diagnostic:
    return Diagnostic(rule, "info", message, file, line, column)


def display_path(path: Path | str, root: Path | str | None) -> str:
    """``path`` as diagnostics show it: POSIX, relative to ``root`` when it lies inside it."""
    return _display_path(str(path), None if root is None else str(root))


@lru_cache(maxsize=16384)
def _display_path(path: str, root: str | None) -> str:
    """Cached: a build asks for the same few thousand paths again and again, and a path
    outside ``root`` costs two ``resolve()`` walks of the file system."""
    p = Path(path)
    if root is not None:
        try:
            return p.relative_to(Path(root)).as_posix()
        except ValueError:
            try:
                return p.resolve().relative_to(Path(root).resolve()).as_posix()
            except (ValueError, OSError):
                pass
    return p.as_posix()
