"""Example outcomes kept between ``om-markdoc check`` runs, in check's cache folder.

Collecting the examples of a page means parsing it (and its partials) again, which is most of
the cost of checking examples (about 5 s on the 3,000 corpus pages, where validating them all
takes 0.4 s).  What a page's examples give depends only on

* the page's text and display path (rules match paths; front matter binds);
* the text of every partial its collection looked up, found or not (a partial created later
  changes the page);
* the examples configuration, the files its validators name (schemas, templates, charts),
  whether unbound examples are parsed, and om-markdoc's own code;

so a page's findings are stored under those and replayed when they all match, the way the
checker keeps page records (both key by ``om_markdoc.digest``).  Pages whose examples reach a custom validator are never
stored: its code is not something this cache can see change.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..atomic import write_atomic
from ..diagnostics import Diagnostic
from ..digest import digest, module_stamps
from .bind import ExamplesConfig
from .validators import BUILTIN

CACHE_FILE = "check-examples.json"
FORMAT = 2


def _paths_named(value: Any, base: Path) -> Iterable[Path]:
    """Files and folders a validator option names (``file.json#/$defs/X`` counts as the file)."""
    if isinstance(value, str):
        if not value or "\n" in value or len(value) > 500:
            return
        path = base / value.split("#", 1)[0]
        try:
            if path.exists():
                yield path
        except OSError:
            return
    elif isinstance(value, dict):
        for item in value.values():
            yield from _paths_named(item, base)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _paths_named(item, base)


def _stat_parts(path: Path) -> list[str]:
    """Size and modification time of a file, or of every file below a folder (a schema's
    ``$ref``s are read from its folder)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    parts = []
    for file in files:
        try:
            stat = file.stat()
        except OSError:
            continue
        parts.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
    return parts


def config_fingerprint(config: ExamplesConfig, default_syntax: bool | None) -> str:
    """The examples configuration, the files its validators read, and om-markdoc's code."""
    parts = [__version__, *module_stamps("core", "dialect", "site", "examples"), str(FORMAT)]
    parts += [repr(default_syntax), repr(config.parse_unbound), str(config.base_dir)]
    parts.append(repr(sorted((name, repr(sorted(spec.items(), key=str))) for name, spec in config.validators.items())))
    parts += [repr((r.validator, r.path, r.language, r.contains.pattern if r.contains else None, r.expect, r.skip)) for r in config.rules]
    folders: set[Path] = set()
    for spec in config.validators.values():
        for path in _paths_named({k: v for k, v in spec.items() if k != "type"}, config.base_dir):
            folders.add(path.parent if path.is_file() else path)
            parts += _stat_parts(path)
    for folder in sorted(folders):  # $refs resolve in the schema's folder
        parts += _stat_parts(folder)
    return digest(*parts)


def custom_validators(config: ExamplesConfig) -> set[str]:
    """Names of the configured validators whose code lives outside om-markdoc."""
    return {name for name, spec in config.validators.items() if str(spec.get("type") or "") not in BUILTIN}


@dataclass(frozen=True)
class PartialRead:
    """A partial a page's collection looked up: its written ``name`` and the ``digest`` of its
    text, or ``"missing"`` when no such partial exists (creating it changes the page)."""

    name: str
    digest: str


@dataclass(frozen=True)
class ExampleFindings:
    """The findings of one example of a page; ``key`` (a digest of the example's place, text and
    binding) keeps an example reached from several pages from being reported twice."""

    key: str
    diagnostics: list[Diagnostic]


def _diagnostic(row: Any) -> Diagnostic:
    """The finding stored as ``row``; ``ValueError`` unless every field has its type, so that a
    damaged file costs a fresh collection of the page, never a misread finding."""
    if not isinstance(row, list) or len(row) != 7:
        raise ValueError("not a finding")
    rule, severity, file, line, column, message, chain = row
    texts = (rule, severity, file, message)
    numbers = (line, column)
    if not all(isinstance(t, str) for t in texts) or not all(type(n) is int for n in numbers):
        raise ValueError("not a finding")
    if not isinstance(chain, list) or not all(
        isinstance(step, list) and len(step) == 2 and isinstance(step[0], str) and type(step[1]) is int for step in chain
    ):
        raise ValueError("not a finding")
    return Diagnostic.from_row(row)


@dataclass
class PageExamples:
    """What one page's examples gave: the digest of its ``text``, the ``partials`` its collection
    read, and the ``found`` findings of each example that has some, in page order.

    Stored as ``{"text": ..., "partials": [[name, digest]...], "found": [[key, [row...]]...]}``
    (``to_json``), the layout of format 2."""

    text: str
    partials: list[PartialRead] = field(default_factory=list)
    found: list[ExampleFindings] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "partials": [[p.name, p.digest] for p in self.partials],
            "found": [[f.key, [d.to_row() for d in f.diagnostics]] for f in self.found],
        }

    @classmethod
    def from_json(cls, entry: Any) -> PageExamples:
        """The record stored as ``entry``; ``ValueError`` when it is not one (a damaged file)."""
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            raise ValueError("not a page record")
        try:
            partials = [PartialRead(str(name), str(value)) for name, value in entry["partials"]]
            found = [ExampleFindings(str(key), [_diagnostic(row) for row in items]) for key, items in entry["found"]]
        except (KeyError, TypeError) as exc:
            raise ValueError("not a page record") from exc
        return cls(entry["text"], partials, found)


class ExampleCache:
    """``check-examples.json``: page display path → ``PageExamples``, under one fingerprint.

    Entries are decoded when a page asks for its own (``get``), so that a check of a few pages
    does not decode the records of the whole tree."""

    def __init__(self, folder: Path | None, key: str) -> None:
        self.folder = folder
        self.key = key
        self.pages: dict[str, Any] = {}
        """Display path → the stored JSON entry, or the ``PageExamples`` put since loading."""
        self.changed = False
        if folder is None:
            return
        try:
            data = json.loads((folder / CACHE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("key") == key and isinstance(data.get("pages"), dict):
            self.pages = data["pages"]

    def get(self, page: str, text_hash: str, partial_hash: Callable[[str], str]) -> PageExamples | None:
        """The stored outcome of ``page`` when its text and every partial it read are unchanged."""
        entry = self.pages.get(page)
        try:
            record = entry if isinstance(entry, PageExamples) else PageExamples.from_json(entry)
        except ValueError:
            return None
        if record.text != text_hash or any(partial_hash(p.name) != p.digest for p in record.partials):
            return None
        return record

    def put(self, page: str, record: PageExamples) -> None:
        if self.folder is None:
            return
        self.pages[page] = record
        self.changed = True

    def forget_others(self, pages: Iterable[str]) -> None:
        """Drop pages no longer checked (deleted), so the file does not grow forever.  Only
        called for a whole-tree check: a check of some paths keeps the rest."""
        keep = set(pages)
        for page in [p for p in self.pages if p not in keep]:
            del self.pages[page]
            self.changed = True

    def save(self) -> None:
        if self.folder is None or not self.changed:
            return
        pages = {page: entry.to_json() if isinstance(entry, PageExamples) else entry for page, entry in self.pages.items()}
        with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
            write_atomic(self.folder / CACHE_FILE, json.dumps({"key": self.key, "pages": pages}, separators=(",", ":")))
