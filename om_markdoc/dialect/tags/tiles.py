"""Link cards: ``tilesContainer``/``tile`` and ``inlineCalloutContainer``/``inlineCallout``.

Both become Material's grid cards (``<div class="grid cards"><ul><li>…``), so they inherit the
theme's card borders, hover shadow and responsive columns.  The card title is the link (the
stylesheet stretches it over the whole card); targets go through the page's link rewriting,
icons are the theme's bundled SVGs, inlined (``om_markdoc/dialect/icons.py`` maps the names).
"""

from __future__ import annotations

from typing import Any

from ._common import (
    ICON_ATTRIBUTE,
    Node,
    Tag,
    attr,
    ctx,
    grid,
    grid_item,
    icon_span,
    in_grid,
    text_attr,
    use_icon,
)

TILES_CLASS = "om-tiles"
CALLOUTS_CLASS = "om-callouts"


def card_head(node: Node, config: dict[str, Any], title: str, href: str, link_attributes: dict[str, Any]) -> Tag:
    """``<p>[icon] <a href><strong>title</strong></a></p>``: the first line of a card."""
    children: list[Any] = []
    icon = use_icon(config, node, text_attr(node, "icon"))
    if icon is not None:
        children += [icon_span(icon.svg, "twemoji lg middle"), " "]
    strong = Tag("strong", {}, [title])
    children.append(Tag("a", {"href": ctx(config).link(href, node), **link_attributes}, [strong]) if href else strong)
    return Tag("p", {}, children)


def _tile(node: Node, config: dict[str, Any]) -> Tag:
    """Title, then a rule and the description and body (the roadmap pages list features in
    the body), as Material's cards separate a card's title from its text."""
    head = card_head(node, config, text_attr(node, "title"), text_attr(node, "link").strip(), {})
    description = text_attr(node, "description")
    text = [Tag("p", {}, [description])] if description else []
    text += node.transform_children(config)
    body = [Tag("hr", {}, []), *text] if text else []
    return grid_item(config, Tag("li", {"class": "om-tile"}, [head, *body]), TILES_CLASS)


def _inline_callout(node: Node, config: dict[str, Any]) -> Tag:
    external = node.attributes.get("isExternalLink") is True
    link_attributes = {"target": "_blank", "rel": "noopener"} if external else {}
    head = card_head(node, config, text_attr(node, "bold"), text_attr(node, "href").strip(), link_attributes)
    align = text_attr(node, "align")
    classes = "om-callout" + (f" om-callout--{align}" if align in ("left", "right") else "")
    return grid_item(config, Tag("li", {"class": classes}, [head, *node.transform_children(config)]), CALLOUTS_CLASS)


def _tiles_container(node: Node, config: dict[str, Any]) -> Tag:
    return grid(TILES_CLASS, node.transform_children(in_grid(config)))


def _inline_callout_container(node: Node, config: dict[str, Any]) -> Tag:
    return grid(CALLOUTS_CLASS, node.transform_children(in_grid(config)))


def tile_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the tiles and callouts family."""
    icon = attr(ICON_ATTRIBUTE)
    return {
        "tilesContainer": {
            "description": "A grid of `tile` cards.",
            "transform": _tiles_container,
        },
        "tile": {
            "description": "A card linking to a page: icon, title, a one-line description and, written with "
            "a body, more text under it (lists of features on roadmap pages).",
            "attributes": {
                "title": attr("Card title (the link text).", required=True),
                "description": attr("One-line summary under the title."),
                "link": attr("Target page (a docs slug such as `/connectors/database`, or a URL)."),
                "icon": dict(icon),
            },
            "transform": _tile,
        },
        "inlineCalloutContainer": {
            "description": "A grid of `inlineCallout` cards.",
            "transform": _inline_callout_container,
        },
        "inlineCallout": {
            "description": "A card linking to a page, with a bold title and the tag's body as its text.",
            "attributes": {
                "bold": attr("Card title (the link text).", required=True),
                "href": attr("Target page (a docs slug such as `/deployment/security`, or a URL).", required=True),
                "icon": dict(icon),
                "color": attr("Accent colour of the original site (`violet-70`); the Material palette decides here."),
                "align": attr("Side the original site placed the icon on; kept as a class.", matches=["left", "right"]),
                "isExternalLink": attr("Open the link in a new tab.", "Boolean"),
            },
            "transform": _inline_callout,
        },
    }
