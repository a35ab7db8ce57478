"""Core rule: flag inline content whose first tag sits inside an ``http(s)://`` URL.

Only with ``allow_link_validation``; Markdoc wants URLs to be static strings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it.rules_core import StateCore

from .delimiters import Delimiters, find_tag_end

MESSAGE = "The 'href' format cannot contain Markdoc tag or variable. URLs must be static strings."


def _tag_in_url(content: str, protocols: Sequence[str], delims: Delimiters) -> bool:
    pos = content.find(delims.open)
    while pos != -1:
        if find_tag_end(content, pos, delims.close) is None:
            pos = content.find(delims.open, pos + len(delims.open))
            continue
        start = pos
        while start > 0 and not content[start - 1].isspace():
            start -= 1
        word = content[start:pos]
        return any(f"{protocol}://" in word for protocol in protocols)
    return False


def make_link_validation_rule(protocols: Sequence[str], delims: Delimiters) -> Callable[[StateCore], None]:
    """Build the ``link_url_validation`` core rule."""

    def link_url_validation(state: StateCore) -> None:
        for token in state.tokens:
            if token.type == "inline" and _tag_in_url(token.content, protocols, delims):
                token.meta = dict(token.meta or {})
                token.meta.setdefault("errors", []).append(
                    {"id": "href-format-invalid", "level": "error", "message": MESSAGE}
                )

    return link_url_validation
