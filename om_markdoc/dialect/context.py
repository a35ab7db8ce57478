"""What tag and node transforms need to know about the page and site they render for.

Transforms receive Markdoc's ``(node, config)``; the page context travels in
``config["omContext"]`` so that the core stays unaware of sites.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CONTEXT_KEY = "omContext"


def _same(value: str, line: int) -> str:
    return value


@dataclass
class PageContext:
    """Per-page rendering state shared by the dialect's transforms."""

    file: str = "page.md"
    """The page's path, as diagnostics show it."""
    version: str | None = None
    resolve_link: Callable[[str, int], str] = _same
    """``(target as written, 0-based line)`` → URL: slugs, ``.md`` paths, ``#fragments``, external."""
    resolve_image: Callable[[str, int], str] = _same
    """``(image path as written, 0-based line)`` → URL (``/images/v1.7/x.png``)."""
    ids: set[str] = field(default_factory=set)
    """Element ids already used on the page, so generated ids stay unique."""
    toc: list[dict[str, Any]] = field(default_factory=list)
    """Headings in document order: ``{"level", "id", "name"}``."""
    counter: Any = field(default_factory=lambda: itertools.count(1))
    """Unique numbers for generated ids (tab sets, figures)."""
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    """Problems transforms notice: ``{"rule", "severity", "message", "lines"}``.  A list with a
    ``places`` attribute (``(file, lines, chain)`` per item) places each problem where it was
    met, e.g. inside a partial."""
    pending_ids: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """Second ids waiting for ``settle_extra_ids``: ``(wanted id, attributes to receive it)``."""

    def link(self, href: str, node: Any = None) -> str:
        """A link target rewritten for the output; ``node`` gives the line problems are reported at.

        Script-bearing URLs (``javascript:``, ``data:``...) are refused: ``#`` and an ``url-unsafe``
        error, since tag attributes reach the page without markdown-it's own link check."""
        if is_unsafe_url(href):
            self._refuse(href, node, "link")
            return "#"
        return self.resolve_link(href, _line(node))

    def image(self, src: str, node: Any = None) -> str:
        """An image path rewritten for the output (unsafe URLs refused, as for links)."""
        if is_unsafe_url(src):
            self._refuse(src, node, "image")
            return ""
        return self.resolve_image(src, _line(node))

    def _refuse(self, url: str, node: Any, what: str) -> None:
        self.diagnostics.append(
            {
                "rule": "url-unsafe",
                "severity": "error",
                "message": f"{what} URL with a {url.split(':', 1)[0].strip().lower()}: scheme refused",
                "lines": [_line(node)],
                "needle": url,
            }
        )

    def unique_id(self, base: str) -> str:
        """``base``, or ``base_1``, ``base_2``... so that ids on a page never collide (as MkDocs does)."""
        candidate, n = base, 0
        while candidate in self.ids or not candidate:
            n += 1
            candidate = f"{base}_{n}"
        self.ids.add(candidate)
        return candidate

    def extra_id(self, base: str) -> dict[str, Any]:
        """Attributes of an empty anchor that gives an element a second id (``base``, made unique).

        The id is filled in by ``settle_extra_ids`` once the page is transformed, so that the
        page's own ids (headings, tabs...) claim their names first, whatever the order: a second
        id never pushes a heading's id to ``_1``."""
        attributes: dict[str, Any] = {"class": "om-anchor"}
        self.pending_ids.append((base, attributes))
        return attributes

    def settle_extra_ids(self) -> None:
        """Give the anchors ``extra_id`` made their ids, in document order."""
        for base, attributes in self.pending_ids:
            attributes["id"] = self.unique_id(base)
        self.pending_ids.clear()


UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
"""URL schemes never emitted from content: they run script or read local files."""

_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


def is_unsafe_url(url: str) -> bool:
    """Whether ``url`` uses a refused scheme, as a browser would read it (it drops control
    characters and spaces inside the scheme: ``java\tscript:`` is ``javascript:``)."""
    return _IGNORED_BY_BROWSERS.sub("", url).lower().startswith(UNSAFE_SCHEMES)


def _line(node: Any) -> int:
    lines = getattr(node, "lines", None)
    return lines[0] if lines else 0


def page_context(config: dict[str, Any]) -> PageContext:
    """The context of the page being rendered (a neutral one outside a site)."""
    context = config.get(CONTEXT_KEY)
    return context if isinstance(context, PageContext) else PageContext()
