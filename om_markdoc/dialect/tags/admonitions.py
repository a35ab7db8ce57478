"""Callouts (``note``, ``important`` and flavours) as Material admonitions.

Material styles only its canonical admonition types (``note``, ``tip``, ``info``, ``warning``,
``danger``...), not the aliases, so every flavour maps onto one of those classes and keeps its
own name as the title: ``<div class="admonition warning"><p class="admonition-title">Caution</p>…</div>``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._common import Node, Tag, attr, text_attr

NOTE_TYPES: dict[str, str] = {
    "Note": "note",
    "Tip": "tip",
    "Info": "info",
    "Warning": "warning",
    "Caution": "warning",
    "Danger": "danger",
    "Important": "warning",
}
"""``noteType`` values → Material admonition class (the value itself is the title)."""

FLAVOURS: dict[str, str] = {"tip": "Tip", "info": "Info", "warning": "Warning", "caution": "Caution", "danger": "Danger"}
"""Tags that are a ``note`` with a fixed type (ours, for new content; the corpus uses ``noteType``)."""

_TITLE = attr("Custom title shown in the admonition's title bar instead of the type's name.")


def admonition(kind: str, title: str, children: list[Any]) -> Tag:
    """Material's admonition markup."""
    return Tag("div", {"class": f"admonition {kind}"}, [Tag("p", {"class": "admonition-title"}, [title]), *children])


def _note(node: Node, config: dict[str, Any]) -> Tag:
    note_type = text_attr(node, "noteType", "Note")
    kind = NOTE_TYPES.get(note_type, "note")
    return admonition(kind, text_attr(node, "title") or note_type, node.transform_children(config))


def _fixed(note_type: str) -> Callable[[Node, dict[str, Any]], Tag]:
    def transform(node: Node, config: dict[str, Any]) -> Tag:
        return admonition(NOTE_TYPES[note_type], text_attr(node, "title") or note_type, node.transform_children(config))

    transform.__doc__ = f"A ``{note_type}`` admonition."
    return transform


def admonition_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the admonition family."""
    tags: dict[str, dict[str, Any]] = {
        "note": {
            "description": "A callout box (Material admonition). `noteType` picks its colour and title.",
            "attributes": {
                "noteType": attr(
                    "Kind of note; also the title. Tip → tip, Info → info, Warning/Caution/Important → warning, "
                    "Danger → danger, Note (default) → note.",
                    matches=list(NOTE_TYPES),
                    default="Note",
                ),
                "title": dict(_TITLE),
            },
            "transform": _note,
        },
        "important": {
            "description": "An important notice (security requirements and the like), rendered as a warning admonition "
            "titled “Important”.",
            "attributes": {"title": dict(_TITLE)},
            "transform": _fixed("Important"),
        },
    }
    for name, note_type in FLAVOURS.items():
        tags[name] = {
            "description": f"Shorthand for `note noteType=\"{note_type}\"` (a {NOTE_TYPES[note_type]} admonition).",
            "attributes": {"title": dict(_TITLE)},
            "transform": _fixed(note_type),
        }
    return tags
