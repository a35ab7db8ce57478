"""``{% tagReference /%}``: the tag reference generated from the schemas themselves.

The user guide's tag reference is rendered from the very schemas that validate pages, so it
cannot drift from what om-markdoc accepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.ast import Node
from ..core.tag import Tag
from ..core.validator import type_name
from .context import page_context
from .nodes import slugify


def _heading(level: int, text: str, config: dict[str, Any]) -> Tag:
    context = page_context(config)
    anchor = context.unique_id(slugify(text) or "tag")
    context.toc.append({"level": level, "id": anchor, "name": text})
    link = Tag("a", {"class": "headerlink", "href": f"#{anchor}", "title": "Permanent link"}, ["¶"])
    return Tag(f"h{level}", {"id": anchor}, [Tag("code", {}, [text]) if level == 3 else text, link])


def _cell(value: Any) -> list[Any]:
    return [Tag("code", {}, [value])] if value else ["—"]


def _attribute_rows(schema: Mapping[str, Any]) -> list[Tag]:
    rows = []
    for name, attribute in (schema.get("attributes") or {}).items():
        type_ = attribute.get("type")
        matches = attribute.get("matches")
        allowed = ", ".join(str(m) for m in matches) if isinstance(matches, (list, tuple)) else ""
        default = attribute.get("default")
        rows.append(
            Tag(
                "tr",
                {},
                [
                    Tag("td", {}, [Tag("code", {}, [name])]),
                    Tag("td", {}, _cell(type_name(type_) if type_ else "")),
                    Tag("td", {}, ["yes" if attribute.get("required") else "no"]),
                    Tag("td", {}, _cell(allowed)),
                    Tag("td", {}, _cell("" if default is None else str(default))),
                    Tag("td", {}, [attribute.get("description") or ""]),
                ],
            )
        )
    return rows


def _tag_section(name: str, schema: Mapping[str, Any], config: dict[str, Any]) -> list[Any]:
    out: list[Any] = [_heading(3, name, config)]
    if schema.get("description"):
        out.append(Tag("p", {}, [schema["description"]]))
    form = "self-closing" if schema.get("selfClosing") else "with a body"
    out.append(Tag("p", {}, [f"Written {form}."]))
    rows = _attribute_rows(schema)
    if rows:
        head = Tag("tr", {}, [Tag("th", {}, [h]) for h in ("Attribute", "Type", "Required", "Allowed", "Default", "Meaning")])
        out.append(Tag("table", {}, [Tag("thead", {}, [head]), Tag("tbody", {}, rows)]))
    return out


def make_reference_tag(families: Mapping[str, list[str]]) -> dict[str, Any]:
    """The ``tagReference`` schema for a tag library grouped into families."""

    def transform(node: Node, config: dict[str, Any]) -> list[Any]:
        tags = config.get("tags") or {}
        out: list[Any] = []
        for family, names in families.items():
            out.append(_heading(2, family, config))
            for name in names:
                if name in tags:
                    out.extend(_tag_section(name, tags[name], config))
        return out

    return {
        "selfClosing": True,
        "description": "Renders this reference: every tag of the library, from its schema.",
        "transform": transform,
    }
