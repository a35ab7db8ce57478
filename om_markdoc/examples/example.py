"""The model of one fenced example: where it is, what it says, and how its text maps back.

An ``Example`` is data, the way a Sybil ``Region`` is: the file and line that hold the fence,
the body as Markdoc renders it and as it was written, the annotations and variables in force,
and the position tables (``segments``, ``indents``, ``line_numbers``) that turn a place in the
rendered text back into a ``file:line:column``.  Finding examples is ``collect``'s job, judging
them the validators'; both only read this module.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Segment:
    """Where a stretch of a rendered text comes from: from offset ``out`` of the result on, the
    text is the source from offset ``raw`` on (``literal``), or the value of the tag or
    variable written at ``raw`` (not ``literal``: every offset in it maps to ``raw``)."""

    out: int
    raw: int
    literal: bool


IDENTITY = (Segment(0, 0, True),)
"""The segments of a text that is its source, character for character."""


@dataclass(eq=False)
class Example:
    """One fenced example as found in one place.

    ``file`` holds the fence (a page, or a partial) and ``line`` is the 1-based line of its
    opening fence there; ``page`` is the page it was reached from and ``chain`` the includes
    leading to ``file``, outermost first (``(("docs/a.md", 12),)``: a.md line 12 includes it).
    ``attributes`` are the fence's annotations (``validate``, ``expect``, ``skip``...),
    ``variables`` the partial variables in scope, ``meta`` the ``examples`` front-matter
    mapping of the file (a partial's own, else its page's).
    """

    file: str
    line: int
    language: str
    text: str
    raw: str
    page: str = ""
    path: Path | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    chain: tuple[tuple[str, int], ...] = ()
    variables: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=lambda: list(IDENTITY), repr=False)
    indents: list[int] = field(default_factory=list, repr=False)
    line_numbers: list[int] = field(default_factory=list, repr=False)
    """1-based line in ``file`` of each line of ``raw`` when they are not consecutive (an example
    joined from the fences of a ``codeBlock``); empty when ``raw`` follows the opening fence."""

    # -- identity --------------------------------------------------------------------------

    @property
    def body_line(self) -> int:
        """1-based line of the first line of the body in ``file``."""
        return self.line + 1

    @property
    def name(self) -> str:
        """``file:line``, with the partial variables when there are any: ``x.md:12[connector=mysql]``."""
        label = f"{self.file}:{self.line}"
        if self.variables:
            label += "[" + ",".join(f"{k}={_short(v)}" for k, v in sorted(self.variables.items())) + "]"
        return label

    def key(self) -> tuple[Any, ...]:
        """Two occurrences with the same key are the same test (same place, same rendered text)."""
        return (self.file, self.line, self.text)

    @property
    def expect(self) -> str:
        value = self.attributes.get("expect", "valid")
        return value if value in ("valid", "invalid") else "valid"

    @property
    def skip(self) -> bool:
        return self.attributes.get("skip") is True or str(self.attributes.get("skip")).lower() == "true"

    # -- positions -------------------------------------------------------------------------

    def _raw_offset(self, offset: int) -> int:
        starts = [s.out for s in self.segments]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        segment = self.segments[index]
        return segment.raw + (offset - segment.out) if segment.literal else segment.raw

    def offset_of(self, line: int, column: int = 0) -> int:
        """Offset in ``text`` of a 0-based ``(line, column)`` of ``text``."""
        lines = self.text.split("\n")
        line = max(0, min(line, len(lines) - 1)) if lines else 0
        return sum(len(x) + 1 for x in lines[:line]) + max(0, min(column, len(lines[line]) if lines else 0))

    def locate(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` in ``file`` of an offset into ``text``."""
        raw_offset = max(0, min(self._raw_offset(max(0, offset)), len(self.raw)))
        before = self.raw[:raw_offset]
        raw_line = before.count("\n")
        column = raw_offset - (before.rfind("\n") + 1)
        indent = self.indents[raw_line] if raw_line < len(self.indents) else 0
        if raw_line < len(self.line_numbers):
            return self.line_numbers[raw_line], column + indent + 1
        return self.body_line + raw_line, column + indent + 1

    def locate_position(self, line: int, column: int = 0) -> tuple[int, int]:
        """1-based ``(line, column)`` in ``file`` of a 0-based ``(line, column)`` of ``text``."""
        return self.locate(self.offset_of(line, column))

    def source_line_of(self, text_line: int) -> int:
        """1-based line in ``file`` of the 0-based line ``text_line`` of ``text``."""
        return self.locate_position(text_line, 0)[0]


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 24 else text[:21] + "..."
