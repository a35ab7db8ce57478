"""Inline ignores: ``<!-- om-markdoc-ignore rule -->`` comments in pages and partials."""

from __future__ import annotations

import re
from typing import Any

from ..dialect.pipeline import source_lines
from .model import parse_rule_list

_IGNORE = re.compile(r"<!--\s*om-markdoc-ignore(-file)?(?![\w-])(.*?)-->")


def ignore_marks(text: str) -> dict[str, Any]:
    """``<!-- om-markdoc-ignore rule -->`` (the next line) and ``<!-- om-markdoc-ignore-file rule -->``
    (the whole file), found textually: ``{"file": [rules], "lines": {"12": [rules]}}``.
    No rule id means every rule."""
    if "om-markdoc-ignore" not in text:
        return {}
    marks: dict[str, Any] = {"file": [], "lines": {}}
    for number, line in enumerate(source_lines(text)):
        if "om-markdoc-ignore" not in line:
            continue
        for match in _IGNORE.finditer(line):
            rules = list(parse_rule_list(match.group(2))) or ["*"]
            if match.group(1):
                marks["file"].extend(rules)
            else:
                marks["lines"].setdefault(str(number + 2), []).extend(rules)
    return marks
