"""Connector pages: the header card with stage and feature lists, and the connector card grid.

The stage (PROD/BETA) and a non-default platform (Collate, or Digitrans in the rebranded corpus)
are badges; features are lists marked with Material's check/close icons.
"""

from __future__ import annotations

from typing import Any

from ...core.jsvalue import js_string
from ..icons import material_svg
from ._common import (
    Node,
    Tag,
    attr,
    ctx,
    grid,
    grid_item,
    icon_span,
    in_grid,
    text_attr,
)

STAGES = ["PROD", "BETA"]
PLATFORMS = ["OpenMetadata", "Collate", "MetaMart", "Digitrans"]
"""The real names and the corpus's rebranded ones."""
DEFAULT_PLATFORMS = {"OpenMetadata", "MetaMart"}
"""Platforms that need no badge (the open-source product the docs are about)."""
CONNECTORS_CLASS = "om-connectors"

FEATURE_LISTS = (
    ("availableFeatures", "available", "check", "Available features"),
    ("unavailableFeatures", "unavailable", "close", "Unavailable features"),
    ("availableFeaturesCollate", "collate", "check", "Also available in Collate"),
    ("availableFeaturesDigitrans", "collate", "check", "Also available in Digitrans"),
)


def badges(node: Node) -> list[Any]:
    """`` <span class="om-badge om-badge--prod">PROD</span>`` and a platform badge when not the default."""
    out: list[Any] = []
    stage = text_attr(node, "stage").strip()
    if stage:
        out += [" ", Tag("span", {"class": f"om-badge om-badge--{stage.lower()}"}, [stage])]
    platform = text_attr(node, "platform").strip()
    if platform and platform not in DEFAULT_PLATFORMS:
        out += [" ", Tag("span", {"class": "om-badge om-badge--platform"}, [platform])]
    return out


def feature_list(items: Any, kind: str, icon: str, label: str) -> Tag | None:
    """One labelled list of features with an icon per item, or ``None`` when there are none."""
    if not isinstance(items, list) or not items:
        return None
    svg = material_svg(icon)
    mark = [icon_span(svg, "twemoji om-feature__icon"), " "] if svg else []
    lis = [Tag("li", {}, [*mark, item if isinstance(item, str) else js_string(item)]) for item in items]
    return Tag(
        "div",
        {"class": f"om-connector-header__group om-connector-header__group--{kind}"},
        [Tag("p", {"class": "om-connector-header__label"}, [label]), Tag("ul", {"class": "om-feature-list"}, lis)],
    )


def _connector_details_header(node: Node, config: dict[str, Any]) -> Tag:
    title = Tag("p", {"class": "om-connector-header__title"}, [Tag("strong", {}, [text_attr(node, "name")]), *badges(node)])
    groups = [g for g in (feature_list(node.attributes.get(key), *rest) for key, *rest in FEATURE_LISTS) if g]
    body = [Tag("div", {"class": "om-connector-header__features"}, groups)] if groups else []
    return Tag("div", {"class": "om-connector-header"}, [title, *body])


def _connector_info_card(node: Node, config: dict[str, Any]) -> Tag:
    name: Any = Tag("strong", {}, [text_attr(node, "name")])
    href = text_attr(node, "href").strip()
    if href:
        name = Tag("a", {"href": ctx(config).link(href, node)}, [name])
    li = Tag("li", {"class": "om-connector-card"}, [Tag("p", {}, [name, *badges(node)])])
    return grid_item(config, li, CONNECTORS_CLASS)


def _connectors_list_container(node: Node, config: dict[str, Any]) -> Tag:
    return grid(CONNECTORS_CLASS, node.transform_children(in_grid(config)))


def connector_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the connectors family."""
    stage = attr("Maturity of the connector, shown as a badge.", matches=STAGES)
    platform = attr(
        "Product the connector belongs to; anything but the open-source product gets a badge.", matches=PLATFORMS
    )
    features = {
        key: attr(f"{label} (a list of strings).", "Array") for key, _kind, _icon, label in FEATURE_LISTS
    }
    return {
        "connectorDetailsHeader": {
            "description": "The header of a connector page: name, stage and platform badges, and which features "
            "the connector supports.",
            "selfClosing": True,
            "attributes": {
                "name": attr("Connector name.", required=True),
                "stage": dict(stage),
                "platform": dict(platform),
                **features,
            },
            "transform": _connector_details_header,
        },
        "connectorInfoCard": {
            "description": "A card linking to one connector's page, with its stage badge.",
            "selfClosing": True,
            "attributes": {
                "name": attr("Connector name (the link text).", required=True),
                "stage": dict(stage),
                "href": attr("The connector's page (a docs slug or a URL)."),
                "platform": dict(platform),
            },
            "transform": _connector_info_card,
        },
        "connectorsListContainer": {
            "description": "A grid of `connectorInfoCard`s.",
            "transform": _connectors_list_container,
        },
    }
