"""Baselines: adopt ``om-markdoc check`` on a tree that already has findings.

A baseline file lists the findings a team has accepted for now; ``check --baseline FILE``
reports only findings that are not in it, and ``--update-baseline`` writes it from the current
findings.  Entries must keep matching while the pages around them are edited, so a finding is
identified without its line number:

``(rule, file, message, line hash, occurrence)``

* ``message`` with the parts that move when lines move taken out (`` (reached through N
  includes)``, ``file.md:LINE`` in include loops);
* ``line hash``: the first 16 hex digits of the SHA-256 of the finding's source line with its
  whitespace collapsed, so inserting or deleting lines elsewhere, or re-indenting, changes
  nothing;
* ``occurrence``: 0 for the first finding with the same other four parts in the file, 1 for the
  second, and so on (two identical broken links on two identical lines stay two entries).

An entry that matches no current finding is reported as fixed, so the file can be refreshed
(and only shrinks) with ``--update-baseline``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..diagnostics import Diagnostic
from ..site.textfile import LINE_BREAK, decode_bytes
from .model import CheckReport

FORMAT = 1
Key = tuple[str, str, str, str, int]


class BaselineError(Exception):
    """The baseline file cannot be read (the CLI exits with 2)."""


def normalise_message(message: str) -> str:
    """The message without what changes when lines move."""
    message = re.sub(r" \(reached through \d+ includes\)$", "", message)
    return re.sub(r"(\.md):\d+", r"\1", message)


def line_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:16]


class _Lines:
    """Source lines of the tree's files, read once each, decoded and split into lines exactly as
    ``check`` reads them (no BOM; ``\r\n``, ``\r`` or ``\n`` ends a line, U+2028 or a form feed
    does not), so a finding's line number picks the line it is on."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str]] = {}

    def __call__(self, file: str, line: int) -> str:
        if file not in self.files:
            try:
                text, _problems = decode_bytes((self.root / file).read_bytes(), file)  # reported by the check itself
                self.files[file] = LINE_BREAK.split(text)
            except OSError:
                self.files[file] = []
        lines = self.files[file]
        return lines[line - 1] if 1 <= line <= len(lines) else ""


def keys(findings: list[Diagnostic], root: Path) -> list[Key]:
    """The baseline key of each finding (``findings`` sorted by ``Diagnostic.sort_key``, so
    occurrences are counted in file order)."""
    source = _Lines(root)
    seen: Counter[tuple[str, str, str, str]] = Counter()
    out = []
    for finding in findings:
        base = (finding.rule, finding.file, normalise_message(finding.message), line_hash(source(finding.file, finding.line)))
        out.append((*base, seen[base]))
        seen[base] += 1
    return out


@dataclass(frozen=True)
class Entry:
    """One accepted finding; ``severity`` and ``line`` are for readers, not for matching."""

    key: Key
    severity: str
    line: int

    def to_json(self) -> dict[str, Any]:
        rule, file, message, hashed, occurrence = self.key
        return {"rule": rule, "file": file, "message": message, "line_hash": hashed, "occurrence": occurrence,
                "severity": self.severity, "line": self.line}  # fmt: skip

    def format(self) -> str:
        rule, file, message, _hashed, _occurrence = self.key
        return f"{file}:{self.line}: info: fixed since the baseline: {message} [{rule}]"


def entries(findings: list[Diagnostic], root: Path) -> list[Entry]:
    ordered = sorted(findings, key=Diagnostic.sort_key)
    return [Entry(key, f.severity, f.line) for key, f in zip(keys(ordered, root), ordered, strict=False)]


def write_baseline(path: Path, findings: list[Diagnostic], root: Path) -> int:
    """Write the baseline of ``findings`` atomically; returns the number of entries."""
    listed = entries(findings, root)
    text = json.dumps({"om-markdoc-baseline": FORMAT, "findings": [e.to_json() for e in listed]}, indent=1, ensure_ascii=False)
    write_atomic(path, text + "\n")
    return len(listed)


def read_baseline(path: Path) -> list[Entry]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(f"baseline {path} does not exist (write it with --update-baseline)") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(f"baseline {path} cannot be read: {exc}") from exc
    if not isinstance(data, dict) or data.get("om-markdoc-baseline") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"baseline {path} is not an om-markdoc baseline (format {FORMAT})")
    out = []
    for number, item in enumerate(data["findings"], 1):
        try:
            key = (str(item["rule"]), str(item["file"]), str(item["message"]), str(item["line_hash"]), int(item["occurrence"]))
            out.append(Entry(key, str(item.get("severity", "error")), int(item.get("line", 1))))
        except (KeyError, TypeError, ValueError) as exc:
            raise BaselineError(f"baseline {path}: entry {number} is malformed ({exc})") from exc
    return out


@dataclass
class BaselineReport(CheckReport):
    """A report holding only the findings a baseline does not list."""

    suppressed: int = 0
    fixed: list[Entry] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        out = super().summary()
        out["baseline"] = {"suppressed": self.suppressed, "fixed": [e.to_json() for e in self.fixed]}
        return out

    def baseline_lines(self) -> list[str]:
        lines = [entry.format() for entry in self.fixed]
        lines.append(
            f"om-markdoc check: baseline: {self.suppressed} known finding(s) not shown,"
            f" {len(self.fixed)} fixed since it was written"
            + (" (--update-baseline drops them)" if self.fixed else "")
        )
        return lines


def apply_baseline(report: CheckReport, known: list[Entry], root: Path) -> BaselineReport:
    """``report`` without the findings ``known`` lists, and the entries nothing matched."""
    remaining = Counter(entry.key for entry in known)
    ordered = sorted(report.findings, key=Diagnostic.sort_key)
    new = []
    for key, finding in zip(keys(ordered, root), ordered, strict=False):
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            new.append(finding)
    fixed = []
    for entry in known:
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
            fixed.append(entry)
    values = {name: getattr(report, name) for name in report.__dataclass_fields__}
    values["findings"] = new
    return BaselineReport(**values, suppressed=len(ordered) - len(new), fixed=fixed)
