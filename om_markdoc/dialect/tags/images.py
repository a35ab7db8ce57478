"""``image``: a figure with a lazily loaded picture and an optional caption.

Authors' ``style`` is never passed through (it would let content inject CSS and fight the
theme); the only thing the corpus does with it, ``float:right``, is mapped to the same
alignment class as ``align``.  Sizes become the ``width``/``height`` attributes of ``<img>``.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.validator import JSRegExp
from ._common import Node, Tag, attr, ctx, diagnose, text_attr

ALIGNMENTS = ("left", "right", "center")
_SIZE = re.compile(r"\s*(\d+)(?:\.\d+)?\s*(?:px)?\s*")
_FLOAT = re.compile(r"(?:^|;)\s*float\s*:\s*(left|right)\s*(?:;|$)", re.IGNORECASE)


def pixels(value: Any) -> int | None:
    """``"450px"``, ``"450"`` or ``450`` as a whole number of pixels; anything else (``"50%"``) → ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value > 0 else None
    if isinstance(value, str):
        match = _SIZE.fullmatch(value)
        return int(match.group(1)) if match and int(match.group(1)) > 0 else None
    return None


def alignment(node: Node) -> str | None:
    """``align``, else the side of a ``float`` in ``style`` (the corpus writes both, always agreeing)."""
    align = text_attr(node, "align").strip().lower()
    if align in ALIGNMENTS:
        return align
    match = _FLOAT.search(text_attr(node, "style"))
    return match.group(1).lower() if match else None


def _image(node: Node, config: dict[str, Any]) -> Tag | None:
    src = node.attributes.get("src")
    if not isinstance(src, str) or not src.strip():
        diagnose(config, node, "image-src-missing", "image without a usable `src` is not rendered", "error")
        return None
    caption = text_attr(node, "caption").strip()
    img_attributes: dict[str, Any] = {
        "src": ctx(config).image(src.strip(), node),
        "alt": text_attr(node, "alt") or caption,
        "loading": "lazy",
    }
    for name in ("width", "height"):
        if name in node.attributes:
            size = pixels(node.attributes[name])
            if size is None:
                diagnose(
                    config, node, "image-size-ignored", f"image {name} {node.attributes[name]!r} is not a pixel size; ignored"
                )
            else:
                img_attributes[name] = size
    align = alignment(node)
    classes = "om-figure" + (f" om-figure--{align}" if align else "")
    children: list[Any] = [Tag("img", img_attributes, [])]
    if caption:
        children.append(Tag("figcaption", {}, [caption]))
    return Tag("figure", {"class": classes}, children)


_SIZE_MATCH = JSRegExp(r"^\s*\d+(\.\d+)?\s*(px)?\s*$")


def image_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the image family."""
    return {
        "image": {
            "description": "A screenshot or diagram: a centred figure with a lazily loaded image and an optional caption.",
            "selfClosing": True,
            "attributes": {
                "src": attr(
                    "Image path as written in the docs (`/images/v1.7/...`); the site maps it to its URL.", required=True
                ),
                "alt": attr("Text alternative; defaults to the caption."),
                "caption": attr("Caption shown under the image (blank captions are dropped)."),
                "align": attr(
                    "Float the figure left or right of the text (on wide screens), or centre it.", matches=list(ALIGNMENTS)
                ),
                "style": attr("Accepted for compatibility and never rendered: only `float:left|right` is honoured, as `align`."),
                "width": attr('Display width in pixels (`600`, `"600px"`).', ["String", "Number"], matches=_SIZE_MATCH),
                "height": attr('Display height in pixels (`450`, `"450px"`).', ["String", "Number"], matches=_SIZE_MATCH),
            },
            "transform": _image,
        }
    }
