"""Example outcomes kept between ``om-markdoc check`` runs, in check's cache folder.

Collecting the examples of a page means parsing it (and its partials) again, which is most of
the cost of checking examples (about 5 s on the 3,000 corpus pages, where validating them all
takes 0.4 s).  What a page's examples give depends only on

* the page's text and display path (rules match paths; front matter binds);
* the text of every partial its collection looked up, found or not (a partial created later
  changes the page);
* the examples configuration, the files its validators name (schemas, templates, charts),
  whether unbound examples are parsed, and om-markdoc's own code;

so a page's findings are stored under those and replayed when they all match, the way
``check/cache.py`` keeps page records.  Pages whose examples reach a custom validator are never
stored: its code is not something this cache can see change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from ..atomic import write_atomic
from ..check.cache import code_fingerprint, digest
from ..diagnostics import Diagnostic
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
    package = Path(__file__).resolve().parent
    parts = [code_fingerprint(), str(FORMAT), repr(default_syntax), repr(config.parse_unbound), str(config.base_dir)]
    parts += [f"{p.relative_to(package)}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(package.rglob("*.py"))]
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


@dataclass
class PageExamples:
    """What one page's examples gave: ``found`` is ``(example key, findings)`` for each example
    with findings, in page order (the key deduplicates an example reached from several pages);
    ``partials`` the partials looked up, as ``(written name, text hash or "missing")``."""

    text: str
    partials: list[tuple[str, str]] = field(default_factory=list)
    found: list[tuple[str, list[Diagnostic]]] = field(default_factory=list)


class ExampleCache:
    """``check-examples.json``: page display path → ``PageExamples``, under one fingerprint."""

    def __init__(self, folder: Path | None, key: str) -> None:
        self.folder = folder
        self.key = key
        self.pages: dict[str, dict[str, Any]] = {}
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
        if not isinstance(entry, dict) or entry.get("text") != text_hash:
            return None
        try:
            partials = [(str(name), str(value)) for name, value in entry["partials"]]
            if any(partial_hash(name) != value for name, value in partials):
                return None
            found = [(str(key), [Diagnostic.from_row(d) for d in items]) for key, items in entry["found"]]
        except (KeyError, TypeError, ValueError):
            return None
        return PageExamples(text_hash, partials, found)

    def put(self, page: str, record: PageExamples) -> None:
        if self.folder is None:
            return
        self.pages[page] = {
            "text": record.text,
            "partials": [list(p) for p in record.partials],
            "found": [[key, [d.to_row() for d in items]] for key, items in record.found],
        }
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
        try:
            write_atomic(self.folder / CACHE_FILE, json.dumps({"key": self.key, "pages": self.pages}, separators=(",", ":")))
        except OSError:
            pass  # a cache that cannot be written only costs time
