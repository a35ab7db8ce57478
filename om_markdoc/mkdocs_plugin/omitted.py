"""MkDocs' "pages not included in the nav" notice, told only about pages that really are left out.

With a ``nav:`` in ``mkdocs.yml`` MkDocs lists every page that ``nav:`` does not name, before
plugins place pages. The plugin places each version's pages itself (from ``menu.md`` or the
folders), so MkDocs' list would name every versioned page, a long INFO block that a newcomer
reads as a fault. This module narrows the notice to the pages neither ``nav:`` nor a version
holds, logged in MkDocs' words at the level the site configured for it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def nav_uris(entries: Any) -> Iterator[str]:
    """Every page path a ``nav:`` configuration names (sections nested, links left out)."""
    if isinstance(entries, str):
        if "://" not in entries:
            yield entries
    elif isinstance(entries, dict):
        for value in entries.values():
            yield from nav_uris(value)
    elif isinstance(entries, list):
        for entry in entries:
            yield from nav_uris(entry)


def narrow_omitted_notice(
    config: MkDocsConfig, files: Files, placed: Iterable[str], logger: logging.Logger, level: int,
) -> None:
    """Take over MkDocs' omitted-pages notice for a build whose versioned pages (``placed``)
    get their navigation from the plugin; the other pages ``nav:`` leaves out are still listed at
    ``level``, the one the site configured (kept by the caller: a rebuild sees the lowered one)."""
    if config.nav is None:
        return  # MkDocs builds the nav from every page: nothing is reported as omitted
    config.validation.nav.omitted_files = logging.DEBUG  # MkDocs' own list would name every placed page
    named = set(nav_uris(config.nav)) | set(placed)
    left_out = [file.src_uri for file in files.documentation_pages() if file.src_uri not in named]
    if left_out:
        listing = "".join(f"\n  - {uri}" for uri in sorted(left_out))
        logger.log(level, f'The following pages exist in the docs directory, but are not included in the "nav" configuration:{listing}')
