"""One shape for every problem the site layer finds.

The plugin, the ``build``/``check`` CLI and the link checker all report through this type, so
that a broken slug, an unreadable file and a partial cycle look the same to a user and to CI:
``file:line:column: severity: message [rule]``. Nothing in ``om_markdoc.site`` raises on bad
content; it returns ``Diagnostic`` objects instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

# Rule ids emitted by this package, with the reason each exists. Kept in one place so that the
# CLI can list them and a configuration can change a rule's severity by id.
RULES: dict[str, str] = {
    "page-too-large": "a page over the size cap; not rendered",
    "partial-limit": "partials nest too deep, or expand too many times on one page; the rest are left out",
    "page-outside-root": "a page or file is a link to something outside the docs tree; it is not read or published",
    "url-unsafe": "a javascript:, vbscript:, data: or file: URL in a tag attribute; not emitted",
    "example-invalid": "a config example fails its validator (schema, env names, Helm values)",
    "example-too-large": "a config example expands past the YAML alias/node caps; refused unvalidated",
    "example-unparseable": "a config example is not valid YAML, JSON or .env syntax",
    "example-expected-invalid": "an example marked expect=\"invalid\" passes its validator",
    "example-config": "an example names a validator that does not exist or whose schema is missing",
    "read-error": "a file could not be read at all",
    "invalid-utf8": "bytes that are not UTF-8; decoded with U+FFFD so the rest still renders",
    "frontmatter-yaml": "front matter is not valid YAML",
    "frontmatter-not-mapping": "front matter parsed, but to a list or scalar instead of key: value pairs",
    "frontmatter-too-large": "front matter over the size cap (protects the build)",
    "frontmatter-alias-bomb": "YAML aliases/anchors expand beyond the cap (billion laughs)",
    "frontmatter-duplicate-key": "a top-level key appears twice; YAML keeps the last silently",
    "frontmatter-unclosed": "the file starts with --- but no closing --- follows",
    "layout-unknown": "the tree matches no known layout",
    "layout-missing-dir": "a configured directory does not exist",
    "slug-missing": "a page has no front-matter slug; its URL falls back to the file path",
    "slug-invalid": "a front-matter slug is not a string",
    "slug-duplicate": "two pages of one version claim the same slug; only one can be served",
    "title-invalid": "a front-matter title is not a string",
    "partial-outside-root": "a partial path escapes the partials directory",
    "partial-invalid": "a partial path is empty, has NUL bytes or is not a string",
    "partial-missing": "a partial path names no file",
    "partial-dynamic": "a partial's file attribute is a variable; it cannot be tracked",
    "partial-parse-error": "the parse callback failed on a partial",
    "partial-cycle": "partials include each other (or themselves) in a loop",
    "menu-yaml": "menu.md front matter is not valid YAML",
    "menu-invalid": "menu.md has no usable site_menu list",
    "menu-entry-invalid": "a menu entry is not a {category, url} mapping",
    "menu-parent-missing": "a menu entry's parent category has no entry of its own",
    "menu-parent-after-child": "a menu parent entry comes after its child",
    "menu-duplicate-category": "two menu entries have the same category path",
    "menu-category-format": "a category has odd spacing or empty parts around '/'",
    "menu-target-missing": "a menu url matches no page slug",
}


@dataclass(frozen=True)
class Diagnostic:
    """A problem at a place: ``file`` is POSIX and relative to the tree root; line/column 1-based.

    ``chain`` records how the problem was reached through includes, outermost first:
    ``(("v1.5.x/page.md", 12), ("partials/v1.5/a.md", 3))`` means page line 12 includes a
    partial whose line 3 includes the one with the problem.
    """

    rule: str
    severity: str
    message: str
    file: str
    line: int
    column: int = 1
    chain: tuple[tuple[str, int], ...] = field(default=())

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

    def with_chain(self, chain: Iterable[tuple[str, int]]) -> "Diagnostic":
        """The same diagnostic reached through ``chain`` (used when a partial is found via a page)."""
        return Diagnostic(self.rule, self.severity, self.message, self.file, self.line, self.column, tuple(chain))

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form for ``check --format json``."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "chain": [list(c) for c in self.chain],
        }

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
