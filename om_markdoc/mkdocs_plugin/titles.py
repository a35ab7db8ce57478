"""Titles and labels as themes print them."""

from __future__ import annotations

import re
from html import escape

_TAG_LIKE = re.compile(r"<[^>]*>")


def safe_title(text: str) -> str:
    """Text for places themes print as HTML: tag-like runs removed, the rest escaped.

    Removing tags matters beyond escaping: Material pipes titles through Jinja's ``striptags``,
    which unescapes entities, so an escaped ``</title><script>`` would come back to life."""
    return escape(_TAG_LIKE.sub("", text))
