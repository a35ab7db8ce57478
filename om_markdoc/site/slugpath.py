"""From a slug to the URL path and output file of its page.

A slug is written by a contributor and may hold anything YAML can: quotes, ``<``, spaces,
``#``, control characters, ``..`` segments.  MkDocs and Material write a page's URL into
``href="..."`` unescaped and its destination onto disk as given, so a slug is made safe here,
before any of them sees it: ``clean_slug`` removes what no page path may hold (control
characters, ``.`` and ``..`` segments, which would climb out of the site folder) and says what
it found, and ``url_path`` percent-encodes every character a URL path cannot carry as it is.
The slug itself stays the decoded text that links are compared with (``SlugIndex`` decodes
``%xx`` in links), so ``/a%20b`` in a link still finds the page whose slug is ``/a b``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

URL_SAFE = "/-._~!$()*+,;=:@"
"""Characters left as they are in a URL path: RFC 3986's unreserved and sub-delimiters, less
``&`` and ``'``, which HTML attributes give a meaning of their own."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile(r"[\x00-\x20\x7f\"<>\\^`{|}#?%]")
"""ASCII a URL path cannot hold as written: controls, space, quotes, brackets, ``#``, ``?``, ``%``."""


def clean_slug(slug: str) -> tuple[str, str | None]:
    """``slug`` (normalised: one leading ``/``) without control characters and dot segments,
    and why it is unsafe (``None``: nothing to say)."""
    found = sorted(set(_UNSAFE.findall(slug)))
    segments = slug.split("/")
    dots = [s for s in segments if s in (".", "..")]
    cleaned = "/" + "/".join(s for s in (_CONTROL.sub("", part) for part in segments) if s and s not in (".", ".."))
    if not found and not dots:
        return slug, None
    shown = ", ".join(repr(ch) for ch in found + sorted(set(dots)))
    return cleaned, f"slug {slug!r} holds {shown}, which a URL path cannot hold as written; its URL is /{url_path(cleaned)}"


def url_path(slug: str) -> str:
    """The percent-encoded URL path of ``slug``, without leading or trailing ``/`` (``""`` for
    the home page): every character outside ``URL_SAFE`` and ASCII letters and digits becomes
    ``%xx`` of its UTF-8 bytes."""
    return quote(slug.strip("/"), safe=URL_SAFE)
