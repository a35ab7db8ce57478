"""Diagnostics of a site build, kept per page and reported as a short grouped summary.

A real tree (the OpenMetadata docs: 3,000 pages) has hundreds of problems; printing each one
as a log line buries the few an author is working on, and ``serve`` restarts print them all
again.  So the plugin collects them here instead of logging each one, and reports:

* ``each`` (a plain ``mkdocs build``): every diagnostic is a log line, as MkDocs users expect
  of a CI build and as ``--strict`` counts them (one warning per error or warning);
* ``summary`` (``serve``): per rule, the count and the first few places, then a pointer to
  ``om-markdoc check``; one *warning* record per rule holding errors or warnings, so
  ``mkdocs serve --strict`` still fails on them.  Every diagnostic is still logged, at DEBUG
  (``mkdocs serve -v`` shows them), and the pages show their own in the problems panel;
* ``quiet`` (``om-markdoc build``): nothing but DEBUG lines; the command prints the summary
  itself, once for every version built in its worker processes, from the file saved here.

The plugin's ``problems`` option picks the mode (``auto``: ``summary`` when serving, else
``each``).

Diagnostics are kept per page because an incremental build renders only some pages: the
others keep what their last render found, so the summary (and ``om-markdoc build --strict``)
describes the whole version, not only what this build happened to re-render.  So are each
page's links and element ids: a ``#fragment`` is judged against the page it points at once
every page is rendered (``anchor-broken``, as ``om-markdoc check`` judges it), and that page may
be one this build did not render.  A link into a page of a version this build does not render
cannot be judged; the build says how many it left to ``om-markdoc check`` (``left_to_check``).
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..diagnostics import Diagnostic
from ..rules import default_severity

MODES = ("each", "summary", "quiet")
SAVED_FILE = "diagnostics.json"
FORMAT = 3
FIRST = 3
"""Places shown per rule in a summary."""
SITE = ""
"""The key of problems that belong to no page (menus, slugs, files)."""


def catalogued(diagnostic: Diagnostic) -> Diagnostic:
    """The diagnostic at its catalogue severity, as ``om-markdoc check`` gives it."""
    severity = default_severity(diagnostic.rule, diagnostic.severity)
    return diagnostic if severity == diagnostic.severity else diagnostic.with_severity(severity)


_RANK = {"error": 0, "warning": 1, "info": 2}


CHECK_HINT = "run `om-markdoc check` for the full list"
SERVE_HINT = "each page shows its own; " + CHECK_HINT


def summary_lines(
    diagnostics: Iterable[Diagnostic], *, first: int = FIRST, what: str = "", hint: str = CHECK_HINT
) -> list[tuple[str, list[str]]]:
    """The grouped summary: ``(severity, lines)`` per block, the headline first, then one block
    per rule (errors first, then warnings, then infos; the busiest rule first within each).

    ``what`` names what was looked at ("the pages rendered by this rebuild"); empty: the site.
    """
    found = sorted(set(diagnostics), key=Diagnostic.sort_key)
    if not found:
        return []
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in found:
        by_rule.setdefault(d.rule, []).append(d)
    counts = {s: sum(1 for d in found if d.severity == s) for s in ("error", "warning", "info")}
    files = len({d.file for d in found})
    parts = [f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n]
    where = f" in {what}" if what else ""
    headline = (
        f"{len(found)} problem{'s' if len(found) != 1 else ''} in {files} file{'s' if files != 1 else ''}{where} "
        f"({', '.join(parts)}); {hint}"
    )
    worst = min((_RANK[d.severity] for d in found), default=2)
    blocks: list[tuple[str, list[str]]] = [(("error", "warning", "info")[worst], [headline])]
    order = sorted(by_rule.items(), key=lambda item: (min(_RANK[d.severity] for d in item[1]), -len(item[1]), item[0]))
    for rule, items in order:
        severity = ("error", "warning", "info")[min(_RANK[d.severity] for d in items)]
        lines = [f"[{rule}] {len(items)} {severity}{'s' if len(items) != 1 else ''}"]
        lines += [f"  {d.format(include_chain=True)}" for d in items[:first]]
        if len(items) > first:
            lines.append(f"  ... and {len(items) - first} more")
        blocks.append((severity, lines))
    return blocks


def format_summary(diagnostics: Iterable[Diagnostic], *, first: int = FIRST, what: str = "", hint: str = CHECK_HINT) -> str:
    """The summary as plain text (``om-markdoc build`` prints it)."""
    return "\n".join(line for _, lines in summary_lines(diagnostics, first=first, what=what, hint=hint) for line in lines)


@dataclass
class BuildDiagnostics:
    """Every diagnostic of a version, by page (``src_uri``; ``SITE`` for the others).

    ``fresh`` holds the keys reported by the current build; ``begin_build`` starts a new one
    (the site-wide problems are found again by every build, so they are dropped there)."""

    pages: dict[str, list[Diagnostic]] = field(default_factory=dict)
    fresh: set[str] = field(default_factory=set)
    links: dict[str, list[list[Any]]] = field(default_factory=dict)
    """Page → the links its render met (``Recorder.links`` rows), for judging anchors."""
    ids: dict[str, list[str]] = field(default_factory=dict)
    """Page → the element ids its render produced (what an anchor may name)."""
    unjudged: int = 0
    """Links to anchors on pages of versions the build does not render (``left_to_check``)."""

    def begin_build(self) -> None:
        self.pages.pop(SITE, None)
        self.fresh = set()

    def start_page(self, key: str) -> None:
        """A page is read again: what its last render found no longer holds."""
        self.pages[key] = []
        self.fresh.add(key)
        self.links.pop(key, None)
        self.ids.pop(key, None)

    def rendered(self, key: str, links: list[list[Any]], ids: Iterable[str]) -> None:
        """What a page's render met that other pages' anchors depend on."""
        self.links[key] = links
        self.ids[key] = sorted(ids)

    def add(self, key: str, diagnostic: Diagnostic) -> Diagnostic:
        diagnostic = catalogued(diagnostic)
        if key not in self.fresh:
            self.start_page(key)
        self.pages[key].append(diagnostic)
        return diagnostic

    def keep_only(self, keys: Iterable[str]) -> None:
        """Forget pages that left the site (deleted, or now outside the build)."""
        wanted = set(keys) | {SITE}
        for kept in (self.pages, self.links, self.ids):
            for key in [k for k in kept if k not in wanted]:
                del kept[key]

    def all(self) -> list[Diagnostic]:
        return [d for items in self.pages.values() for d in items]

    def of_this_build(self) -> list[Diagnostic]:
        return [d for key in self.fresh for d in self.pages.get(key, [])]

    # -- on disk ---------------------------------------------------------------------------

    def save(self, folder: Path | None) -> None:
        """Written next to the page cache; a write that fails only costs the next summary."""
        if folder is None:
            return
        data = {
            "format": FORMAT,
            "pages": {k: [d.to_row() for d in v] for k, v in self.pages.items()},
            "links": self.links,
            "ids": self.ids,
            "unjudged": self.unjudged,
        }
        with contextlib.suppress(OSError):
            write_atomic(folder / SAVED_FILE, json.dumps(data, separators=(",", ":")))

    @classmethod
    def load(cls, folder: Path | None) -> BuildDiagnostics:
        """What the last build of this version saved (empty when nothing usable is there)."""
        if folder is None:
            return cls()
        try:
            data = json.loads((folder / SAVED_FILE).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls()
            pages = {k: [Diagnostic.from_row(d) for d in v] for k, v in data["pages"].items()}
            return cls(pages, links=dict(data["links"]), ids=dict(data["ids"]), unjudged=int(data["unjudged"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()


def left_to_check(unjudged: int) -> str:
    """What a build says of the anchors it could not judge (see the module docstring)."""
    links = f"{unjudged} link{'s' if unjudged != 1 else ''}"
    return (f"{links} to #anchors on pages of versions this build does not render left to `om-markdoc check` "
            "(it reads every version)")


def log_summary(log: Any, diagnostics: Iterable[Diagnostic], *, what: str = "") -> None:
    """The summary as log records: one per rule, a warning when the rule holds errors or
    warnings (so MkDocs' ``--strict`` counts them), else an info."""
    for severity, lines in summary_lines(diagnostics, what=what, hint=SERVE_HINT):
        level = logging.INFO if severity == "info" else logging.WARNING
        log.log(level, "\n".join(lines))
