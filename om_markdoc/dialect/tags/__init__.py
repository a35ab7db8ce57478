"""The OpenMetadata docs' Markdoc tags, rendered with Material for MkDocs' own markup.

``dialect_tags()`` is what a site puts in ``config["tags"]``; ``TAG_FAMILIES`` groups the tags
for the generated tag reference.  Every tag that occurs in the docs corpus is declared here
(``partial`` and ``table`` are Markdoc built-ins and stay the core's).
"""

from __future__ import annotations

from typing import Any

from .admonitions import admonition_tags
from .code import code_tags
from .connectors import connector_tags
from .images import image_tags
from .media import media_tags
from .misc import misc_tags
from .steps import step_tags
from .tiles import tile_tags

_FAMILIES = (
    ("Admonitions", admonition_tags),
    ("Images", image_tags),
    ("Code", code_tags),
    ("Steps", step_tags),
    ("Tiles and callouts", tile_tags),
    ("Media", media_tags),
    ("Connectors", connector_tags),
    ("Layout and miscellaneous", misc_tags),
)

TAG_FAMILIES: dict[str, list[str]] = {family: list(build()) for family, build in _FAMILIES}
"""Family name → tag names, in the order the tag reference lists them."""

ASSETS = {"css": "om-markdoc.css", "js": "om-markdoc.js"}
"""The stylesheet and script (in ``om_markdoc/assets``) that pages using these tags need."""


def dialect_tags() -> dict[str, dict[str, Any]]:
    """Fresh schemas of every dialect tag (callers may change them without affecting others)."""
    tags: dict[str, dict[str, Any]] = {}
    for _family, build in _FAMILIES:
        tags.update(build())
    return tags


__all__ = ["dialect_tags", "TAG_FAMILIES", "ASSETS"]
