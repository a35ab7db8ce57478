"""Tag delimiters and the scanner that finds where a tag ends.

Markdoc writes tags as ``{% ... %}``; om-markdoc also accepts ``<% ... %>`` (selectable per
site) so that Jinja-based MkDocs plugins such as mkdocs-macros can run over the same pages.
Both pairs share one grammar; only the delimiter strings differ.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Delimiters:
    """The opening and closing strings of a tag."""

    open: str = "{%"
    close: str = "%}"


CURLY = Delimiters("{%", "%}")
ANGLE = Delimiters("<%", "%>")

BY_NAME = {"curly": CURLY, "angle": ANGLE}


def find_tag_end(content: str, start: int, close: str = "%}") -> int | None:
    """Index of the first ``close`` at or after ``start`` that is not inside a double-quoted string.

    Only ``"`` delimits strings and ``\\`` escapes the next character inside one, exactly as the
    reference's three-state scanner does; an unterminated string therefore means "no tag end".
    """
    quote = content.find('"', start)
    end = content.find(close, start)
    while end != -1:
        if quote == -1 or end < quote:
            return end
        # Skip the string that opens at `quote`, honouring backslash escapes: jump from escape to
        # escape with str.find (strings in tags are often long URLs, slow to walk in Python).
        pos = quote + 1
        while True:
            closing = content.find('"', pos)
            if closing == -1:
                return None
            escape = content.find("\\", pos, closing)
            if escape == -1:
                pos = closing
                break
            pos = escape + 2
        quote = content.find('"', pos + 1)
        if end <= pos:
            end = content.find(close, pos + 1)
    return None
