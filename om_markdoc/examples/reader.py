"""Text written for the reader inside config examples: elisions and placeholders.

Guides shorten examples (a line of ``...`` or ``[...]`` stands for settings left out) and leave
blanks for the reader to fill (``<your host>``, ``{{ env('SECRET') }}``, ``{your domain}``,
``your-client-id``). Neither is a mistake of the page, so before an example is parsed:

* a line holding only an elision (``...``, ``…``, ``[...]``, ``<...>``, ``{...}``, optionally
  commented out) is blanked;
* a Jinja expression ``{{ ... }}`` becomes a plain word of the same length;
* in JSON, a bare ``<placeholder>`` outside strings becomes ``0`` (a JSON value).

Every replacement keeps the text's length, so offsets found in the result are offsets of the
original. ``is_placeholder`` tells whether a ``${VAR:-default}`` default is such a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ELISION_LINE = re.compile(
    r"^[ \t]*(?:(?:#|//)[ \t]*)?(?:\.\.\.|…|\[[ \t]*(?:\.\.\.|…)[ \t]*\]|<[ \t]*\.\.\.[ \t]*>|\{[ \t]*\.\.\.[ \t]*\})[ \t]*,?[ \t]*(?:(?:#|//).*)?$",
    re.MULTILINE,
)
_JINJA = re.compile(r"\{\{[^{}\n]*\}\}")
# a JSON string literal (kept; an unterminated one runs to the end of its line), or a bare
# reader placeholder (replaced)
_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*(?:"|$)|(?P<blank><[A-Za-z][^<>"\n]*>|\{\{[^{}\n]*\}\})', re.MULTILINE)
_JSON_TRAILING_COMMA = re.compile(r",(?=\s*[}\]])")
_JSON_COMMENT_LINE = re.compile(r"^[ \t]*//.*$", re.MULTILINE)
_JSON_FRAGMENT = re.compile(r'^\s*"(?:[^"\\\n]|\\.)*"\s*:')

# ``{your domain}``, ``<your host>``, ``your-client-id``, ``YOUR_TOKEN``, ``[{your SSO URL}]``
_PLACEHOLDER = re.compile(
    r"\{[ \t]*[A-Za-z][\w .'/-]*\}|<[A-Za-z][^<>\n]*>|(?<![A-Za-z0-9])(?:your|Your|YOUR)(?:[-_ ]|(?=[A-Z]))"
)


@dataclass(frozen=True)
class ReaderText:
    """``text`` ready to parse, and what was blanked in it."""

    text: str
    elided: bool = False
    blanked: bool = False


def _spaces(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def _word(match: re.Match[str]) -> str:
    return "x" * len(match.group(0))


def for_yaml(text: str) -> ReaderText:
    """YAML with elision lines blanked and Jinja expressions made plain words."""
    out, elisions = _ELISION_LINE.subn(_spaces, text)
    out, jinja = _JINJA.subn(_word, out)
    return ReaderText(out, elisions > 0, jinja > 0)


def for_json(text: str) -> ReaderText:
    """JSON with elision lines blanked and bare placeholders made values."""
    out, elisions = _ELISION_LINE.subn(_spaces, text)
    blanked = 0

    def blank(match: re.Match[str]) -> str:
        nonlocal blanked
        if match.group("blank") is None:
            return match.group(0)
        blanked += 1
        return "0" + " " * (len(match.group(0)) - 1)

    out = _JSON_TOKEN.sub(blank, out)
    return ReaderText(out, elisions > 0, blanked > 0)


def json_excerpt(text: str, *, elided: bool = False) -> tuple[str, int] | None:
    """An excerpt of a JSON document made whole, or ``None`` when ``text`` is not one.

    An excerpt shows members of an object (``"name": {...},``) or leaves parts out (``elided``:
    elision lines were blanked, leaving commas before nothing; ``//`` comment lines likewise). Returns the text to parse
    and how many characters were put in front (to map offsets back).
    """
    fixed, comments = _JSON_COMMENT_LINE.subn(_spaces, text)
    if elided or comments:  # the commas before what was left out
        fixed = _JSON_TRAILING_COMMA.sub(" ", fixed)
    stripped = fixed.rstrip()
    if stripped.endswith(",") and (elided or comments or _JSON_FRAGMENT.match(fixed)):
        fixed = stripped[:-1] + " " + fixed[len(stripped) :]
    if _JSON_FRAGMENT.match(fixed):
        return "{" + fixed + "\n}", 1
    return (fixed, 0) if fixed != text else None


def is_placeholder(value: str) -> bool:
    """Whether a value is a blank for the reader to fill (``{your domain}``, ``<host>``...)."""
    return bool(_PLACEHOLDER.search(value))
