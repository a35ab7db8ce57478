"""What tag and node transforms need to know about the page and site they render for.

Transforms receive Markdoc's ``(node, config)``; the page context travels in
``config["omContext"]`` so that the core stays unaware of sites.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

CONTEXT_KEY = "omContext"


def _same(value: str) -> str:
    return value


@dataclass
class PageContext:
    """Per-page rendering state shared by the dialect's transforms."""

    file: str = "page.md"
    """The page's path, as diagnostics show it."""
    version: str | None = None
    link: Callable[[str], str] = _same
    """Rewrites a link target as written (slug, ``.md`` path, ``#fragment``, external) to a URL."""
    image: Callable[[str], str] = _same
    """Rewrites an image path as written (``/images/v1.7/x.png``) to a URL."""
    ids: set[str] = field(default_factory=set)
    """Element ids already used on the page, so generated ids stay unique."""
    toc: list[dict[str, Any]] = field(default_factory=list)
    """Headings in document order: ``{"level", "id", "name"}``."""
    counter: Any = field(default_factory=lambda: itertools.count(1))
    """Unique numbers for generated ids (tab sets, figures)."""
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    """Problems transforms notice: ``{"rule", "severity", "message", "lines"}``."""

    def unique_id(self, base: str) -> str:
        """``base``, or ``base_1``, ``base_2``... so that ids on a page never collide (as MkDocs does)."""
        candidate, n = base, 0
        while candidate in self.ids or not candidate:
            n += 1
            candidate = f"{base}_{n}"
        self.ids.add(candidate)
        return candidate


def page_context(config: dict[str, Any]) -> PageContext:
    """The context of the page being rendered (a neutral one outside a site)."""
    context = config.get(CONTEXT_KEY)
    return context if isinstance(context, PageContext) else PageContext()
