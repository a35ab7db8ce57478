"""What ``om-markdoc check`` reports: findings, the rule catalogue, options and the report.

A ``Finding`` is a ``Diagnostic`` made portable: plain values only (so per-page results can be
cached as JSON and sent between processes), a file relative to the tree root and the include
chain that led to it. The rule catalogue is the single list of ids the checker can emit, each
with its default severity and a one-line explanation; the CLI, the SARIF output and the docs
all read it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..site.diagnostics import RULES as SITE_RULES
from ..site.diagnostics import Diagnostic

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

Chain = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``file`` is POSIX and relative to the tree root; ``line`` and
    ``column`` are 1-based; ``chain`` is the include path (outermost page first) when the
    problem sits in a partial: ``(("content/v1.5.x/a.md", 12), ("content/partials/v1.5/b.md", 3))``."""

    rule: str
    severity: str
    file: str
    line: int
    column: int
    message: str
    chain: Chain = ()

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.rule, self.message, self.chain)

    def to_dict(self) -> dict[str, Any]:
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
        """Compact form for the cache."""
        return [self.rule, self.severity, self.file, self.line, self.column, self.message, [list(c) for c in self.chain]]

    @classmethod
    def from_row(cls, row: list[Any]) -> Finding:
        rule, severity, file, line, column, message, chain = row
        return cls(rule, severity, file, line, column, message, tuple((f, n) for f, n in chain))

    @classmethod
    def from_diagnostic(cls, diagnostic: Diagnostic, *, file: str | None = None, chain: Chain | None = None) -> Finding:
        return cls(
            diagnostic.rule,
            diagnostic.severity,
            file if file is not None else diagnostic.file,
            max(1, diagnostic.line),
            max(1, diagnostic.column),
            diagnostic.message,
            tuple(chain if chain is not None else diagnostic.chain),
        )

    def with_severity(self, severity: str) -> Finding:
        return Finding(self.rule, severity, self.file, self.line, self.column, self.message, self.chain)

    def format_chain(self) -> str:
        return " → ".join(f"{f}:{n}" for f, n in self.chain)

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message} [{self.rule}]"
        if self.chain:
            text += f"\n    included via {self.format_chain()}"
        return text


# Rule id → (default severity, what it finds). ``None`` keeps the severity the emitter chose
# (the dialect maps Markdoc levels: errors stay errors, Markdoc warnings become infos).
CHECK_RULES: dict[str, tuple[str | None, str]] = {
    # links, anchors, images
    "link-broken": ("error", "a link to a slug or .md page that does not exist in the page's version"),
    "anchor-broken": ("error", "a #fragment that no heading or explicit id on the target page produces"),
    "image-missing": ("error", "an image path with no file (also: wrong letter case, '//' in the path)"),
    "external-link-broken": ("warning", "an external URL that fails (only with --external)"),
    # partials
    "partial-missing": ("error", "a {% partial %} file that does not exist"),
    "partial-outside-root": ("error", "a partial path that leaves the partials folder"),
    "partial-invalid": ("error", "a partial file attribute that is empty or not a string"),
    "partial-dynamic": ("warning", "a partial file attribute computed from a variable (cannot be checked)"),
    "partial-cycle": ("error", "partials that include each other (or themselves) in a loop"),
    "partial-variable-undefined": ("warning", "a $variable used in a partial that the including tag does not pass"),
    "partial-unused": ("info", "a partial file no page or partial includes"),
    # Markdoc syntax and validation (ids of the reference implementation)
    "parse-error": ("error", "a tag that cannot be read ({% x collate: true %}, unquoted values...)"),
    "tag-undefined": (None, "a tag the dialect does not define"),
    "attribute-undefined": (None, "an attribute the tag does not define"),
    "attribute-missing-required": (None, "a required attribute is missing"),
    "attribute-type-invalid": (None, "an attribute value of the wrong type"),
    "attribute-value-invalid": (None, "an attribute value outside the allowed ones"),
    "duplicate-attribute": (None, "the same attribute twice on one tag"),
    "missing-closing": (None, "a tag that is opened but never closed"),
    "missing-opening": (None, "a closing tag without an opening one"),
    "child-invalid": (None, "a tag placed where its parent does not allow it"),
    "tag-placement-invalid": (None, "a block tag used inline or the other way round"),
    "tag-selfclosing-has-children": (None, "a self-closing tag with content"),
    "variable-undefined": (None, "a variable with no value"),
    "function-undefined": (None, "a function the config does not define"),
    "no-inline-annotations": (None, "an annotation where none is allowed"),
    "validate-exception": (None, "a schema validator raised"),
    # recoveries the dialect makes (the page still renders; the source should be fixed)
    "tag-toggle-close": (None, "a tag written twice as a toggle ({% important %}...{% important %})"),
    "tag-close-recovered": (None, "a closing tag with attributes or a backslash, read as a plain close"),
    "tag-auto-closed": (None, "a tag re-opened before it was closed; the first one is closed there"),
    # dialect transforms
    "free-text-tag": (None, "text where a tag expects only child tags"),
    "icon-unknown": (None, "an icon name the dialect does not know"),
    "image-size-ignored": (None, "an image size the dialect cannot apply"),
    "image-src-missing": (None, "an image tag without a src"),
    "language-selector-content": (None, "unexpected content in a language selector"),
    "language-selector-missing": (None, "a language selector without languages"),
    "youtube-video-id": (None, "a youtube tag without a usable video id"),
    # pages, slugs, menus
    "slug-duplicate": ("error", "two pages of one version claim the same slug"),
    "slug-missing": ("warning", "a versioned page without a front-matter slug"),
    "menu-target-missing": ("error", "a menu.md url that matches no page"),
    "page-not-in-menu": ("info", "a page that no menu.md entry points to"),
}
for _rule, _why in SITE_RULES.items():
    CHECK_RULES.setdefault(_rule, (None, _why))


def default_severity(rule: str, emitted: str) -> str:
    """The severity a finding gets before configuration: the catalogue's, else the emitter's."""
    fixed = CHECK_RULES.get(rule, (None, ""))[0]
    return fixed or emitted


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
    """Validate fenced config examples: ``None`` = when the tree configures ``examples:``."""


@dataclass
class CheckReport:
    """The outcome: findings (sorted), what was checked, and how long it took."""

    root: str
    findings: list[Finding] = field(default_factory=list)
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
