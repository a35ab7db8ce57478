"""What ``check --fix`` would change: one exact text edit per fixable finding.

Each proposal is built from a finding's ``file:line:column`` and the file's text, never from a
re-serialised page: the edit replaces the few characters the finding is about and nothing else.
A proposal is only a candidate; ``fix.py`` applies it when the re-checked page is better and
otherwise unchanged.  A finding gets no proposal when the text at its place is not exactly what
its message describes (the file changed, or the finding is not of the shape a fix knows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..core.tokenizer.delimiters import Delimiters
from ..diagnostics import Diagnostic
from ..site.textfile import LINE_BREAK, line_break_after, line_number, line_starts, newline_of

SYNTAX_ONLY = frozenset({"tag-toggle-close", "tag-close-recovered", "tag-auto-closed"})
"""Fix kinds that change how a tag is written, never what the page shows: the whole page must
render to the same HTML after them."""


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` of ``file`` (relative to the tree root) by ``replacement``."""

    file: str
    start: int
    end: int
    replacement: str
    kind: str
    """The rule the edit repairs, or ``md-link`` for a ``.md`` link rewritten to its slug."""
    line: int
    column: int
    description: str
    finding: Diagnostic | None = None
    """The finding the edit removes (``None`` for ``.md`` links, which are not findings)."""

    def apply(self, text: str) -> str:
        return text[: self.start] + self.replacement + text[self.end :]

    def lines(self, text: str) -> tuple[int, int]:
        """1-based first and last line of ``text`` the edit touches (before it is applied)."""
        starts = line_starts(text)
        return line_number(starts, self.start), line_number(starts, self.end)

    def line_delta(self, text: str) -> int:
        """How many lines applying the edit to ``text`` adds (counted in the whole text, so a
        CR the edit leaves just before an LF counts as the one line break the two make)."""
        return len(line_starts(self.apply(text))) - len(line_starts(text))

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.description} [{self.kind}]"


class Proposer:
    """Builds edits for the findings of one file's text."""

    def __init__(self, file: str, text: str, delimiters: Delimiters) -> None:
        self.file = file
        self.text = text
        self.offsets = line_starts(text)
        self.open = re.escape(delimiters.open)
        self.close = re.escape(delimiters.close)
        self.delimiters = delimiters

    def _line(self, number: int) -> tuple[int, str] | None:
        """``(offset, text)`` of line ``number``, without its line break."""
        if not 1 <= number <= len(self.offsets):
            return None
        start = self.offsets[number - 1]
        end = LINE_BREAK.search(self.text, start)
        return start, self.text[start : end.start() if end is not None else len(self.text)]

    def _edit(self, finding: Diagnostic, start: int, end: int, replacement: str, description: str) -> Edit:
        line = line_number(self.offsets, start)
        column = start - self.offsets[line - 1] + 1
        return Edit(self.file, start, end, replacement, finding.rule, line, column, description, finding)

    def propose(self, finding: Diagnostic) -> Edit | None:
        """The edit for ``finding``, or ``None`` when it has no exact repair here."""
        method = {
            "tag-toggle-close": self._toggle,
            "tag-close-recovered": self._close_recovered,
            "tag-auto-closed": self._auto_closed,
            "parse-error": self._unquoted,
            "image-missing": self._image,
            "partial-missing": self._partial,
        }.get(finding.rule)
        return method(finding) if method is not None else None

    def _only_tag(self, finding: Diagnostic, name: str) -> tuple[int, re.Match[str]] | None:
        """``(offset of the finding's line, match)`` of the one tag on that line whose text
        between the delimiters is ``name`` (``None`` when there is not exactly one)."""
        at = self._line(finding.line)
        if at is None:
            return None
        found = list(re.finditer(rf"{self.open}\s*({re.escape(name)})\s*{self.close}", at[1]))
        return (at[0], found[0]) if len(found) == 1 else None

    def _toggle(self, finding: Diagnostic) -> Edit | None:
        name = re.search(r"used to close '([\w-]+)'", finding.message)
        tag = self._only_tag(finding, name.group(1)) if name is not None else None
        if name is None or tag is None:
            return None
        start = tag[0] + tag[1].start(1)
        return self._edit(finding, start, start, "/", f"'{name.group(1)}' written again closes it: written as a closing tag")

    def _close_recovered(self, finding: Diagnostic) -> Edit | None:
        written = re.search(r"closing tag written as '(.*)'; read as '/([\w-]+)'$", finding.message)
        tag = self._only_tag(finding, written.group(1)) if written is not None else None
        if written is None or tag is None:
            return None
        start, end = tag[0] + tag[1].start(1), tag[0] + tag[1].end(1)
        name = written.group(2)
        return self._edit(finding, start, end, f"/{name}", f"closing tag '{written.group(1)}' written as '/{name}'")

    def _auto_closed(self, finding: Diagnostic) -> Edit | None:
        name = re.match(r"'([\w-]+)' opened again before it was closed", finding.message)
        at = self._line(finding.line)
        if name is None or at is None:
            return None
        if not re.match(rf"\s*{self.open}\s*{re.escape(name.group(1))}[\s{re.escape(self.delimiters.close[0])}]", at[1]):
            return None
        indent = at[1][: len(at[1]) - len(at[1].lstrip())]
        newline = line_break_after(self.text, at[0]) or newline_of(self.text)
        closing = f"{indent}{self.delimiters.open} /{name.group(1)} {self.delimiters.close}{newline}"
        return self._edit(finding, at[0], at[0], closing, f"'{name.group(1)}' closed before it is opened again")

    def _unquoted(self, finding: Diagnostic) -> Edit | None:
        """Quote every bare attribute value of the tag at the finding (``src=/a.png`` →
        ``src="/a.png"``); only values that cannot be anything else: no quotes, brackets,
        braces or parentheses inside, and not a number, boolean, null or variable."""
        at = self._line(finding.line)
        if at is None:
            return None
        start = self.text.find(self.delimiters.open, at[0] + max(0, finding.column - 1))
        if start == -1 or start > at[0] + len(at[1]):
            return None
        end = self.text.find(self.delimiters.close, start)
        if end == -1:
            return None
        inner = self.text[start + len(self.delimiters.open) : end]
        # quoted strings are left as they are; bare values are looked for between them
        parts = re.split(r'("(?:[^"\\]|\\.)*")', inner)
        if any(part.count('"') % 2 or "'" in part for part in parts[::2]):
            return None  # an unbalanced quote: where a value ends is a guess
        parts[::2] = [re.sub(r"(?<=[\w-]=)([^\s=\[\]{}()$]+?)(?=\s|/?$)", _quote_bare, part) for part in parts[::2]]
        quoted = "".join(parts)
        if quoted == inner:
            return None
        first = start + len(self.delimiters.open)
        return self._edit(finding, first, end, quoted, "unquoted attribute value quoted")

    def _image(self, finding: Diagnostic) -> Edit | None:
        """The existing file's path for an image whose path differs in letter case or holds
        ``//`` (absolute paths only: the message names the file from the site root)."""
        named = re.match(
            r"image (?:path )?'(?P<src>[^']+)' (?:not found: the file is|contains '//'; the file exists as) '(?P<file>[^']+)'",
            finding.message,
        )
        at = self._line(finding.line)
        if named is None or at is None:
            return None
        src, file = named.group("src"), named.group("file")
        if not (src.startswith("/") and file.startswith("/")) or any(c in src for c in "?#%"):
            return None
        start = at[0] + finding.column - 1
        if self.text[start : start + len(src)] != src:
            return None
        return self._edit(finding, start, start + len(src), file, f"image path written as the existing file '{file}'")

    def _partial(self, finding: Diagnostic) -> Edit | None:
        """The one existing partial the message suggests for a missing one (a renamed or
        moved file, see ``PartialResolver.suggestions``), written in place of the ``file``
        value of the tag at the finding; the value's own form (leading ``/`` or not) is kept."""
        named = re.match(r"partial (?P<name>/\S+) not found in .* \(did you mean (?P<hint>/[^\s?]+)\?(?: names are case-sensitive)?\)$", finding.message)
        at = self._line(finding.line)
        if named is None or at is None:
            return None
        tag_start = at[0] + finding.column - 1
        tag_end = self.text.find(self.delimiters.close, tag_start)
        if not self.text.startswith(self.delimiters.open, tag_start) or tag_end == -1:
            return None
        values = [m for m in re.finditer(r'\bfile\s*=\s*"([^"\\]*)"', self.text[tag_start:tag_end])
                  if "/" + m.group(1).strip().lstrip("/") == named.group("name")]  # fmt: skip
        if len(values) != 1:
            return None
        written = values[0].group(1)
        start, end = tag_start + values[0].start(1), tag_start + values[0].end(1)
        hint = named.group("hint")
        replacement = hint if written.lstrip().startswith("/") else hint.lstrip("/")
        return self._edit(finding, start, end, replacement, f"partial '{written}' written as the existing '{replacement}'")

    def relink(self, href: str, line: int, column: int, slug: str, finding: Diagnostic | None = None) -> Edit | None:
        """The link ``href`` written at ``line:column`` pointed at ``slug`` instead, keeping its
        query and fragment: a ``.md`` link (no finding) or a near slug (``link-broken``)."""
        at = self._line(line)
        if at is None:
            return None
        start = at[0] + column - 1
        if self.text[start : start + len(href)] != href:
            return None
        parts = urlsplit(href)
        target = slug + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        kind = finding.rule if finding is not None else "md-link"
        what = "the page's slug" if finding is None else "the one slug that differs only in letter case or '_'/'-'"
        return Edit(self.file, start, start + len(href), target, kind, line, column, f"link '{href}' written as {what} '{target}'", finding)


def _quote_bare(match: re.Match[str]) -> str:
    value = match.group(1)
    if re.fullmatch(r"-?\d+(\.\d+)?|true|false|null", value):
        return value
    return f'"{value}"'
