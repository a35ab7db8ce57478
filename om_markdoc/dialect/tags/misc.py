"""The remaining tags of the corpus: ``icon``, table and API page layouts, ``roadmap``, ``list``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...core.validator import JSRegExp
from ._common import (
    ICON_ATTRIBUTE,
    Node,
    Tag,
    attr,
    ctx,
    diagnose,
    icon_span,
    text_attr,
    use_icon,
)

ICON_LABELS = {"check": "Yes", "close": "No"}
"""Accessible names of the icons that stand for yes/no in support tables."""


def _icon(node: Node, config: dict[str, Any]) -> Tag | None:
    written = text_attr(node, "iconName")
    icon = use_icon(config, node, written)
    if icon is None:
        return None
    label = ICON_LABELS.get(icon.name, icon.name.replace("-", " ")) if icon.known else written.strip()
    return icon_span(icon.svg, f"twemoji om-icon om-icon--{icon.name}", role="img", **{"aria-label": label})


def _wrapper(class_name: str) -> Callable[[Node, dict[str, Any]], Tag]:
    """A transform that wraps the children in ``<div class=class_name>`` (the CSS does the layout)."""

    def transform(node: Node, config: dict[str, Any]) -> Tag:
        return Tag("div", {"class": class_name}, node.transform_children(config))

    transform.__doc__ = f'Children in ``<div class="{class_name}">``.'
    return transform


def _roadmap(node: Node, config: dict[str, Any]) -> Tag:
    """The original site fills this from a live feed; a static site can only point to it."""
    href = text_attr(node, "href").strip()
    text: list[Any] = ["The roadmap of upcoming releases is maintained outside these docs."]
    if href:
        text += [" ", Tag("a", {"href": ctx(config).link(href, node)}, ["See the roadmap"]), "."]
    return Tag(
        "div", {"class": "admonition info om-roadmap"}, [Tag("p", {"class": "admonition-title"}, ["Roadmap"]), Tag("p", {}, text)]
    )


def _list(node: Node, config: dict[str, Any]) -> list[Any]:
    """Free text in ``{% %}`` (``{% list of python versions supported %}``) read as a tag: say so, keep the content."""
    diagnose(
        config, node, "free-text-tag", "`{% list … %}` is text inside tag delimiters, not a tag; its content is kept without it"
    )
    return node.transform_children(config)


def misc_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the miscellaneous family."""
    return {
        "icon": {
            "description": "An inline icon (`check` and `cross` mark support in tables).",
            "selfClosing": True,
            "attributes": {
                "iconName": attr(
                    "`check` and `cross` (→ `close`) mark support in tables. " + ICON_ATTRIBUTE,
                    required=True,
                    matches=JSRegExp(r"^[A-Za-z0-9_/-]+$"),
                )
            },
            "transform": _icon,
        },
        "multiTablesWrapper": {
            "description": "Tables shown together, each scrolling horizontally on its own when too wide.",
            "transform": _wrapper("om-multi-tables"),
        },
        "apiPageContainer": {
            "description": "An API reference page: a column of `apiInfoContainer` sections.",
            "transform": _wrapper("om-api-page"),
        },
        "apiInfoContainer": {
            "description": "One API section: `apiDescription` beside `apiVisualInfo` (stacked on narrow screens).",
            "transform": _wrapper("om-api-info"),
        },
        "apiDescription": {
            "description": "The prose of an API section.",
            "transform": _wrapper("om-api-info__description"),
        },
        "apiVisualInfo": {
            "description": "The code or picture of an API section, beside its description on wide screens.",
            "transform": _wrapper("om-api-info__visual"),
        },
        "roadmap": {
            "description": "The product roadmap widget of the original site; here an info box pointing to the roadmap.",
            "selfClosing": True,
            "attributes": {"href": attr("Where the roadmap is published (a docs slug or a URL).")},
            "transform": _roadmap,
        },
        "list": {
            "description": "Not a real tag: `{% list of python versions supported %}` is free text inside tag "
            "delimiters. Its content is rendered as is, with a build warning.",
            "transform": _list,
        },
    }
