"""Small docs trees written for a test, and findings reduced to what the tests compare."""

from __future__ import annotations

import textwrap
from pathlib import Path


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (path → dedented text) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return root


def placed(diagnostics) -> list[tuple[str, str, int, int]]:
    """``(rule, file, line, column)`` of each finding."""
    return [(d.rule, d.file, d.line, d.column) for d in diagnostics]
