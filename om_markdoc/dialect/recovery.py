"""Lenient recovery of near-miss tag syntax that real OpenMetadata pages contain.

The core reports these exactly as the reference does; a docs site wants the page to come out
right anyway, with a warning that names the line.  Recovery rewrites block-level tokens before
the AST is built:

* ``{%important%} … {%important%}`` — the same body-less tag opened twice in a row is a toggle:
  the second one closes the first (``tag-toggle-close``);
* ``{% codeInfo srNumber=2 %}`` while ``codeInfo`` 1 is still open — tags that never nest in
  themselves close the previous one implicitly (``tag-auto-closed``);
* ``{% /note noteType="Warning" %}`` and ``{% \\note %}`` — closing tags with attributes or a
  backslash, which the grammar rejects, become plain closing tags (``tag-close-recovered``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

NON_NESTING = frozenset(
    {"important", "note", "codeInfo", "step", "stepDescription", "stepVisualInfo", "tile", "inlineCallout", "extraContent"}
)
"""Tags that never contain themselves, so a second opening means the first one ended."""

_CLOSE_LIKE = re.compile(r"^(?:/\s*|\\)([A-Za-z0-9_-]+)(?:\s|$)")


@dataclass(frozen=True)
class Recovery:
    """One rewrite, reported as a warning at ``line`` (0-based, as token maps are)."""

    rule: str
    line: int
    message: str


def _closing(name: str, like: Token) -> Token:
    token = Token("tag_close", "", -1)
    token.meta = {"tag": name}
    token.map = list(like.map) if like.map else None
    token.info = f"/{name}"
    return token


def recover(tokens: list[Token]) -> tuple[list[Token], list[Recovery]]:
    """Rewrite near-miss block tags; returns the new token list and what was recovered."""
    out: list[Token] = []
    notes: list[Recovery] = []
    open_tags: list[str | None] = []
    for token in tokens:
        line = token.map[0] if token.map else 0
        if token.type == "error" and token.map:
            match = _CLOSE_LIKE.match(token.info or "")
            if match and match.group(1) in open_tags:
                name = match.group(1)
                notes.append(Recovery("tag-close-recovered", line, f"closing tag written as '{token.info}'; read as '/{name}'"))
                token = _closing(name, token)
        elif token.type == "tag_open" and open_tags and open_tags[-1] == token.meta.get("tag") and open_tags[-1] in NON_NESTING:
            name = open_tags[-1]
            if name == "important" and not token.meta.get("attributes"):
                notes.append(
                    Recovery("tag-toggle-close", line, f"'{{% {name} %}}' used to close '{name}'; write '{{% /{name} %}}'")
                )
                token = _closing(name, token)
            else:
                notes.append(
                    Recovery("tag-auto-closed", line, f"'{name}' opened again before it was closed; closed the previous one")
                )
                out.append(_closing(name, token))
                open_tags.pop()
        if token.type == "tag_open":
            open_tags.append(token.meta.get("tag"))
        elif token.type == "tag_close" and token.meta.get("tag") in open_tags:
            while open_tags and open_tags.pop() != token.meta.get("tag"):
                pass
        out.append(token)
    return out, notes
