"""Helpers shared by the tag families: attribute reading, diagnostics, render-tree walking, icon markup.

Transforms stay small because the repetitive parts live here: reading an attribute that may be
missing or of the wrong type (validation reports those; rendering must still not crash), turning
nested transform results into a flat list, and wrapping icons in Material's inline markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# Node and Tag are re-exported (the `X as X` form): every tag module builds both.
from ...core.ast import Node as Node
from ...core.tag import RawHtml
from ...core.tag import Tag as Tag
from ...core.tag import flatten as flatten  # the dialect's tags open fragments with it
from ..context import PageContext, page_context
from ..icons import Icon, resolve_icon


def ctx(config: dict[str, Any]) -> PageContext:
    """The page context (a neutral one outside a site), so transforms never test for it."""
    return page_context(config)


def attr(description: str, type_: Any = "String", **extra: Any) -> dict[str, Any]:
    """An attribute schema; every attribute carries a description because the tag reference is generated."""
    return {"type": type_, "description": description, **extra}


def text_attr(node: Node, name: str, default: str = "") -> str:
    """A string attribute, or ``default`` when missing or not a string (validation reports the latter)."""
    value = node.attributes.get(name)
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value)
    return default


def number_attr(node: Node, name: str) -> int | float | None:
    """A numeric attribute (numbers written as strings such as ``"3"`` count too), else ``None``."""
    value = node.attributes.get(name)
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d+", value.strip()):
        return int(value.strip())
    return None


def _number_text(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def number_text(value: int | float) -> str:
    """``3`` rather than ``3.0``, as authors wrote it."""
    return _number_text(value)


def diagnose(
    config: dict[str, Any], node: Node, rule: str, message: str, severity: str = "warning", needle: str | None = None
) -> None:
    """Record a problem the schema cannot express, for the site's build report.

    ``needle``: text on the node's first line the column should point at (else its tag opening)."""
    found: dict[str, Any] = {"rule": rule, "severity": severity, "message": message, "lines": list(node.lines)}
    if needle:
        found["needle"] = needle
    ctx(config).diagnostics.append(found)


def iter_tags(items: Any) -> Iterator[Tag]:
    """Every ``Tag`` in a render tree, pre-order (so callers can amend elements the fence transform made)."""
    stack = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, Tag):
            yield item
            stack.extend(reversed(item.children or []))


def has_class(tag: Tag, name: str) -> bool:
    """Whether ``tag`` carries CSS class ``name``."""
    value = (tag.attributes or {}).get("class")
    return isinstance(value, str) and name in value.split()


# --- icons (names are resolved in ..icons; this is their markup) -------------------------------

ICON_ATTRIBUTE = (
    "Icon name: a Google Material Icons name (`play_arrow`, `account_tree`), a react-icons name "
    "(`MdArrowForward`), a Material Design Icon (`account-cog`) or a bundled icon written as "
    "`set/name` (`material/file-tree`, `fontawesome/solid/user`). Unknown names show a neutral dot."
)
"""The description every icon attribute carries in the tag reference."""


def icon_span(svg: RawHtml, classes: str = "twemoji", **attributes: Any) -> Tag:
    """Material's markup for an inline icon: ``<span class="twemoji">svg</span>``."""
    return Tag("span", {"class": classes, **attributes}, [svg])


def use_icon(config: dict[str, Any], node: Node, written: str) -> Icon | None:
    """The icon an author named, as tags render it: the one place names become icons.

    ``icons.resolve_icon`` decides; ``None`` for a blank name.  A name no rule or table knows
    gets the neutral icon and is reported as ``icon-unknown``, an ``info`` only: the page is
    fine, the vocabulary merely lacks that name."""
    icon = resolve_icon(written)
    if icon is not None and not icon.known:
        message = (
            f"no bundled icon matches {written.strip()!r}; a neutral icon stands in (vocabulary: om_markdoc/dialect/icons.py)"
        )
        diagnose(config, node, "icon-unknown", message, "info", needle=written)
    return icon


# --- Material grid cards ---------------------------------------------------------------------

IN_GRID = "omInGrid"
"""Config key set while a grid container transforms its items, so an item knows it is wrapped."""


def grid(classes: str, items: list[Any]) -> Tag:
    """Material's grid cards: ``<div class="grid cards …"><ul><li>…</li></ul></div>``.

    Anything that is not already a list item (stray paragraphs) gets its own ``<li>`` so the
    markup stays valid.
    """
    lis = [item if isinstance(item, Tag) and item.name == "li" else Tag("li", {}, [item]) for item in flatten(items)]
    lis = [li for li in lis if not (li.name == "li" and not li.attributes and _blank(li.children))]
    return Tag("div", {"class": f"grid cards {classes}".strip()}, [Tag("ul", {}, lis)])


def _blank(children: list[Any]) -> bool:
    return all(isinstance(c, str) and not c.strip() for c in children)


def grid_item(config: dict[str, Any], li: Tag, container_class: str) -> Tag:
    """A card as its container expects it, or wrapped in a grid of its own when used alone."""
    return li if config.get(IN_GRID) else grid(container_class, [li])


def in_grid(config: dict[str, Any]) -> dict[str, Any]:
    """The config for a grid container's children (see ``IN_GRID``)."""
    return {**config, IN_GRID: True}
