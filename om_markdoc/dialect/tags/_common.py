"""Helpers shared by the tag families: attribute reading, diagnostics, render-tree walking, icons.

Transforms stay small because the repetitive parts live here: reading an attribute that may be
missing or of the wrong type (validation reports those; rendering must still not crash), turning
nested transform results into a flat list, and producing Material's inline SVG icons.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from ...core.ast import Node
from ...core.tag import RawHtml, Tag
from ..context import PageContext, page_context


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


def diagnose(config: dict[str, Any], node: Node, rule: str, message: str, severity: str = "warning") -> None:
    """Record a problem the schema cannot express, for the site's build report."""
    ctx(config).diagnostics.append({"rule": rule, "severity": severity, "message": message, "lines": list(node.lines)})


def flatten(items: Any) -> list[Any]:
    """Transform output as a flat list: nested lists and nameless ``Tag``s (fragments) are opened.

    Partials and transparent tags return lists; containers need their real items to wrap them.
    """
    out: list[Any] = []
    stack = [items]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, Tag) and not item.name:
            stack.extend(reversed(item.children or []))
        elif item is not None and not isinstance(item, (bool, dict)):
            out.append(item)
    return out


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


# --- Material icons --------------------------------------------------------------------------

_ICON_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=1)
def _icon_dir() -> Path | None:
    """Material's bundled Material Design Icons folder (``material/templates/.icons/material``)."""
    try:
        import material
    except ImportError:  # pragma: no cover - mkdocs-material is a dependency
        return None
    folder = Path(material.__file__).resolve().parent / "templates" / ".icons" / "material"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=512)
def material_svg(name: str) -> RawHtml | None:
    """The SVG markup of Material Design Icon ``name``, or ``None`` if there is no such icon.

    The name is checked against a strict pattern before any file is touched, and the file must
    sit directly in Material's icon folder, so content can never make us read anything else.
    The SVG comes from the installed theme (trusted), hence ``RawHtml``.
    """
    folder = _icon_dir()
    if folder is None or not _ICON_NAME.fullmatch(name):
        return None
    path = folder / f"{name}.svg"
    if path.parent != folder or not path.is_file():
        return None
    svg = path.read_text(encoding="utf-8").strip()
    return RawHtml(svg) if svg.startswith("<svg") else None


# Google Material Icons names (``play_arrow``) and react-icons names (``MdArrowForward``), as the
# OpenMetadata site uses them, to the Material Design Icons that Material for MkDocs bundles.
# The site's own pictograms (``discovery``, ``lineage``...) get the closest MDI equivalent.
ICON_ALIASES: dict[str, str] = {
    "check": "check",
    "cross": "close",
    "arrow-forward": "arrow-right",
    "arrow-back": "arrow-left",
    "add-moderator": "shield-plus",
    "mediation": "transit-connection-variant",
    "celebration": "party-popper",
    "discount": "sale",
    "storage": "database",
    "10k": "numeric-10-box-outline",
    "fit-screen": "fit-to-screen",
    "description": "file-document-outline",
    "play-arrow": "play",
    "discovery": "compass-outline",
    "insights": "lightbulb-on-outline",
    "cable": "connection",
    "menu-book": "book-open-variant",
    "manage-accounts": "account-cog",
    "push-pin": "pin",
    "volume-up": "volume-high",
    "search": "magnify",
    "vpn-key": "key",
    "luggage": "bag-suitcase",
    "360": "rotate-360",
    "source": "source-branch",
    "polyline": "vector-polyline",
    "collaboration": "account-group",
    "observability": "monitor-eye",
    "lineage": "family-tree",
    "governance": "bank",
    "administration": "cog",
    "steward": "account-tie",
    "gpp-good": "shield-check-outline",
    "visibility": "eye",
    "add-alert": "bell-plus",
    "change-circle": "swap-horizontal-circle",
    "filter-alt": "filter",
    "filter-list": "filter-variant",
    "model-training": "brain",
    "person": "account",
    "done": "check",
    "dashboard-customize": "view-dashboard-edit",
    "cancel": "close-circle",
    "extension": "puzzle",
    "groups": "account-group",
    "person-add": "account-plus",
    "admin-panel-settings": "shield-account",
    "notifications": "bell",
    "assignment-turned-in": "clipboard-check",
    "analytics": "chart-box-outline",
    "schema": "table-network",
    "person-pin": "account-box",
    "manage-search": "text-search",
    "fact-check": "text-box-check",
    "connect-without-contact": "account-network",
    "mark-unread-chat-alt": "message-badge",
    "task": "checkbox-marked-circle-outline",
}


def icon_name(raw: str) -> str:
    """An author's icon name (``MdOutlineSchema``, ``play_arrow``, ``check``) as an MDI file name."""
    name = raw.strip()
    if name.startswith("Md") and name[2:3].isupper():
        name = name[2:]
        if name.startswith("Outline") and name[7:8].isupper():
            name = name[7:]
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    name = re.sub(r"[_\s]+", "-", name).lower()
    return ICON_ALIASES.get(name, name)


def icon_svg(raw: str) -> RawHtml | None:
    """The inline SVG for an author's icon name, or ``None`` when no such icon exists."""
    return material_svg(icon_name(raw)) if raw else None


def icon_span(svg: RawHtml, classes: str = "twemoji", **attributes: Any) -> Tag:
    """Material's markup for an inline icon: ``<span class="twemoji">svg</span>``."""
    return Tag("span", {"class": classes, **attributes}, [svg])


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
