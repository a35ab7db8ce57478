"""Positions and the constructs under the cursor.

An LSP column counts code units of the encoding client and server agreed on at start (UTF-8,
UTF-16 or UTF-32: Neovim offers UTF-8 first, VS Code only knows UTF-16); om-markdoc counts
Python characters.  Every column sent or received goes through pygls' ``PositionCodec`` for
that encoding (``server.workspace.position_codec``), here, so a line with accents, CJK or
emoji puts squiggles, edits and jumps where the client expects them.  The cursor helpers read
only the current line: tags, links and partial names are written on one line in practice, and a
line-local look-up stays cheap on every keystroke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.workspace import PositionCodec

from ..dialect.pipeline import source_lines


def uri_to_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names (``None`` for other schemes: untitled buffers)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


def path_to_uri(path: Path) -> str:
    return Path(path).resolve().as_uri()


def to_client(codec: PositionCodec, text: str, column: int) -> int:
    """Python column on the line ``text`` → the client's column."""
    return codec.position_to_client_units([text], types.Position(line=0, character=column)).character


def from_client(codec: PositionCodec, text: str, character: int) -> int:
    """The client's column on the line ``text`` → Python column."""
    return codec.position_from_client_units([text], types.Position(line=0, character=max(0, character))).character


def lines_of(text: str) -> list[str]:
    """Lines as the renderer counts them (so line numbers agree with diagnostics)."""
    return source_lines(text)


def position(codec: PositionCodec, lines: list[str], line0: int, column0: int) -> types.Position:
    """An LSP position from 0-based line and Python column (clamped to the text)."""
    line0 = min(max(0, line0), max(0, len(lines) - 1)) if lines else 0
    text = lines[line0] if lines else ""
    return types.Position(line=line0, character=to_client(codec, text, min(max(0, column0), len(text))))


def span(codec: PositionCodec, line0: int, text: str, start: int, end: int) -> types.Range:
    """The LSP range of Python columns ``start:end`` on line ``line0``, whose text is ``text``."""
    return types.Range(
        start=types.Position(line=line0, character=to_client(codec, text, start)),
        end=types.Position(line=line0, character=to_client(codec, text, end)),
    )


_TOKEN_END = re.compile(r"%\}|[\s)\"'\]]")


def finding_range(codec: PositionCodec, lines: list[str], line: int, column: int) -> types.Range:
    """The range a finding at 1-based ``line:column`` covers: to the end of a tag when one
    starts there, else to the end of the word (links, paths), else one character."""
    line0, col0 = max(0, line - 1), max(0, column - 1)
    text = lines[line0] if line0 < len(lines) else ""
    rest = text[col0:]
    if rest.startswith("{%"):
        end = rest.find("%}")
        length = end + 2 if end != -1 else len(rest)
    else:
        match = _TOKEN_END.search(rest)
        length = match.start() if match else len(rest)
    length = max(1, length)
    return types.Range(start=position(codec, lines, line0, col0), end=position(codec, lines, line0, col0 + length))


@dataclass(frozen=True)
class Cursor:
    """The line under the cursor and the Python column of the cursor on it."""

    line0: int
    text: str
    column: int
    codec: PositionCodec

    @property
    def before(self) -> str:
        return self.text[: self.column]

    @classmethod
    def at(cls, source: str, pos: types.Position, codec: PositionCodec) -> Cursor:
        lines = lines_of(source)
        text = lines[pos.line] if 0 <= pos.line < len(lines) else ""
        return cls(pos.line, text, from_client(codec, text, pos.character), codec)

    def tag_before(self) -> str | None:
        """The text of an unclosed ``{%`` before the cursor (``None`` when outside a tag)."""
        start = self.before.rfind("{%")
        if start == -1 or "%}" in self.before[start:]:
            return None
        return self.before[start + 2 :]

    def tag_around(self) -> tuple[str, int, int] | None:
        """``(inside text, start, end)`` of the ``{% ... %}`` the cursor is in."""
        for match in re.finditer(r"\{%(.*?)(%\}|$)", self.text):
            if match.start() <= self.column <= match.end():
                return match.group(1), match.start(), match.end()
        return None

    def quoted_around(self) -> tuple[str, str, int, int] | None:
        """``(attribute, value, start, end)`` of ``name="value"`` containing the cursor."""
        for match in re.finditer(r'([A-Za-z_][\w-]*)\s*=\s*"([^"]*)"', self.text):
            if match.start(2) <= self.column <= match.end(2):
                return match.group(1), match.group(2), match.start(2), match.end(2)
        return None

    def link_around(self) -> tuple[str, int, int] | None:
        """``(target, start, end)`` of a Markdown link target ``](target)`` or a quoted
        ``href``/``link``/``src`` value containing the cursor."""
        for match in re.finditer(r"\]\(\s*<?([^)\s>]*)", self.text):
            if match.start(1) <= self.column <= match.end(1):
                return match.group(1), match.start(1), match.end(1)
        quoted = self.quoted_around()
        if quoted is not None and quoted[0] in ("href", "link", "src", "url"):
            return quoted[1], quoted[2], quoted[3]
        return None

    def word_range(self, start: int, end: int) -> types.Range:
        return span(self.codec, self.line0, self.text, start, end)
