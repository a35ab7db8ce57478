"""markdown-it-py's heading, table, reference and link handling, with JavaScript's idea of white space.

markdown-it trims headings, table lines and table cells with ``String.prototype.trim``, folds
reference labels with ``trim()`` and ``/\\s+/``, and trims link destinations (``mdurl.parse``,
``validateLink``) with ``trim()``; JavaScript counts U+FEFF (the byte-order mark) as white space
in all of them.  markdown-it-py trims with the CommonMark set (``mdTrim``, ``MD_TRIM_RE``) or
Python's ``str.strip``, which leave U+FEFF in place: ``# Title\\ufeff`` kept the mark in the
heading, ``\\ufeff| a | b |`` was no table, ``[a\\ufeff]`` matched no ``[a]: /url`` and
``[x](\\ufeff/url)`` linked to ``%EF%BB%BF/url``.

The rules here are markdown-it-py's own functions, run with JavaScript's trim in place of
``mdTrim`` and ``normalizeReference`` (``FunctionType`` over the same code object, with a copy
of the module's globals): their logic stays upstream's, nothing is patched for other users of
markdown-it-py, and only the white-space set changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import FunctionType
from typing import Any

from markdown_it.common.normalize_url import normalizeLink, validateLink
from markdown_it.common.utils import normalizeReference
from markdown_it.rules_block.heading import heading
from markdown_it.rules_block.reference import reference
from markdown_it.rules_block.table import table
from markdown_it.rules_inline.image import image
from markdown_it.rules_inline.link import link

from ..jsvalue import JS_WHITESPACE, js_trim

_JS_SPACE_RUN = re.compile(f"[{re.escape(JS_WHITESPACE)}]+")
"""JavaScript's ``/\\s+/`` (its ``\\s`` is the set ``trim`` removes)."""


def js_normalize_reference(label: str) -> str:
    """markdown-it's ``normalizeReference``: trim, collapse ``/\\s+/`` to one space, fold case."""
    return normalizeReference(_JS_SPACE_RUN.sub(" ", js_trim(label)))


def js_normalize_link(url: str) -> str:
    """``normalizeLink`` after JavaScript's trim (markdown-it's ``mdurl.parse`` trims first)."""
    return normalizeLink(js_trim(url))


def js_validate_link(url: str) -> bool:
    """``validateLink`` after JavaScript's trim: ``\\ufeffjavascript:`` is refused, as markdown-it
    refuses it.  Python's ``strip`` then runs too, so nothing refused before is let through."""
    return validateLink(js_trim(url))


def _with(rule: Callable[..., Any], **names: Any) -> Callable[..., Any]:
    """``rule`` (the same code) reading ``names`` instead of its module's globals of those names."""
    return FunctionType(rule.__code__, {**rule.__globals__, **names}, rule.__name__, rule.__defaults__, rule.__closure__)


BLOCK_RULES = {
    "heading": (_with(heading, mdTrim=js_trim), ["paragraph", "reference", "blockquote"]),
    "table": (_with(table, mdTrim=js_trim), ["paragraph", "reference"]),
    "reference": (_with(reference, normalizeReference=js_normalize_reference), []),
}
"""Block rule name → the rule with JavaScript white space, and the rules it may interrupt
(markdown-it's own lists: ``Ruler.at`` forgets them)."""

INLINE_RULES = {
    "link": _with(link, normalizeReference=js_normalize_reference),
    "image": _with(image, normalizeReference=js_normalize_reference),
}
"""Inline rule name → the rule with JavaScript white space."""
