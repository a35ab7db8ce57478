"""Core rule: Markdoc syntax inside fenced code blocks.

The first tag in a fence's info string annotates the fence (```` ```yaml {% title="x" %} ````);
unless an attribute ``process`` is falsy, the fence body is split into text and tag tokens that
become the fence's children, exactly as the reference's ``parseTags`` does.  Extra per-token
data that markdown-it-py's slotted ``Token`` cannot hold (``position``, ``errors``) lives in
``token.meta``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..grammar import TagSyntaxError, parse_tag
from ..jsvalue import js_trim, js_truthy
from .delimiters import Delimiters, find_tag_end


def _annotate_from_info(token: Token, delims: Delimiters) -> None:
    info = token.info
    start = info.find(delims.open)
    end = find_tag_end(info, start, delims.close)
    # JavaScript `slice(a, null)` is `slice(a, 0)`: an unterminated tag parses as empty text.
    content = info[start + len(delims.open) : end if end is not None else 0]
    meta: dict[str, Any] = dict(token.meta or {})
    try:
        meta.update(parse_tag(js_trim(content))["meta"])
    except TagSyntaxError as error:
        meta.setdefault("errors", []).append(
            {"id": "fence-tag-error", "level": "error", "message": f"Syntax error in fence tag: {error.message}"}
        )
    token.meta = meta


def _tag_token(inner: str, line: int, column: int, text: str) -> Token:
    try:
        parsed = parse_tag(js_trim(inner))
        token = Token(parsed["type"], "", parsed.get("nesting", 0))
        token.meta = dict(parsed["meta"])
    except TagSyntaxError as error:
        token = Token("error", "", 0)
        location = {
            "start": {"line": line, "character": error.start + column},
            "end": {"line": line + 1, "character": error.end + column},
        }
        token.meta = {"error": {"message": error.message, "location": location}}
    token.info = text
    token.map = [line, line + 1]
    token.meta["position"] = {"start": column, "end": column + len(text)}
    return token


def _text_token(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def split_fence_body(content: str, first_line: int, delims: Delimiters) -> list[Token]:
    """Split a fence body into text and tag tokens (the reference's ``parseTags``).

    Line numbers count only the newlines the reference's scanner visits: newlines inside a tag,
    and the character right after an unterminated opening delimiter, are skipped as it skips them.
    """
    open_, close = delims.open, delims.close
    output: list[Token] = []
    line = first_line + 1
    start = scan = 0
    pos = content.find(open_)
    while pos != -1:
        line += content.count("\n", scan, pos)
        end = find_tag_end(content, pos, close)
        if end is None:
            scan = pos + len(open_) + 1
            pos = content.find(open_, scan)
            continue
        text = content[pos : end + len(close)]
        line_start = content.rfind("\n", 0, pos)
        alone = False
        if line_start != -1:
            line_end = content.find("\n", end)
            alone = js_trim(content[line_start : line_end if line_end != -1 else len(content) - 1]) == text
        # A tag alone on its line takes the newline before it along, leaving no blank line.
        output.append(_text_token(content[start : line_start if alone else pos]))
        output.append(_tag_token(content[pos + len(open_) : end], line, pos - line_start, text))
        start = scan = end + len(close)
        pos = content.find(open_, start)
    output.append(_text_token(content[start:]))
    return output


def make_fence_rule(delims: Delimiters) -> Callable[[StateCore], None]:
    """Build the ``annotations`` core rule that processes fences."""

    def fence_tags(state: StateCore) -> None:
        for token in state.tokens:
            if token.type != "fence":
                continue
            if delims.open in token.info:
                _annotate_from_info(token, delims)
            attributes = (token.meta or {}).get("attributes") or []
            if any(attr["name"] == "process" and not js_truthy(attr["value"]) for attr in attributes):
                continue
            token.children = split_fence_body(token.content, token.map[0] if token.map else 0, delims)

    return fence_tags
