"""Content written inside a tag that takes none is kept on the page, never dropped.

A self-closing tag's transform builds its element from attributes alone, so the body of a
``{% image … %}…{% /image %}`` would vanish from the page, and plain Markdoc only says that the
tag "should be self-closing".  The dialect renders such a body right after the tag's own output
and reports ``tag-body-kept``, a warning that says where the content went.  Tags that do take a
body (``tile``) are not self-closing and never reach this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..core.ast import Node

KEEPS_BODY = "omKeepsBody"
"""Schema key marking a self-closing tag whose transform keeps a stray body (see ``keep_bodies``)."""

SELF_CLOSING_WITH_BODY = "tag-selfclosing-has-children"
"""The core's (Markdoc's) rule for a self-closing tag written with content."""

BODY_KEPT = "tag-body-kept"
"""The dialect's rule for the same content, once it is known to be kept."""

Transform = Callable[[Node, dict[str, Any]], Any]


def _keeping(transform: Transform) -> Transform:
    """``transform``, followed by the node's children when it has any."""

    def keep(node: Node, config: dict[str, Any]) -> Any:
        own = transform(node, config)
        if not node.children:
            return own
        # one flat list, as transforms return them (a partial's own output is a list already)
        return [*(own if isinstance(own, list) else [own]), *node.transform_children(config)]

    keep.__doc__ = transform.__doc__
    return keep


def keep_bodies(tags: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``tags`` with every self-closing tag that has a transform made to keep a stray body.

    Tags without a transform already render their children (Markdoc's default transform) and
    are left as they are, as are the schemas that allow a body."""
    out: dict[str, dict[str, Any]] = {}
    for name, schema in tags.items():
        transform = schema.get("transform")
        if schema.get("selfClosing") and callable(transform):
            schema = {**schema, "transform": _keeping(transform), KEEPS_BODY: True}
        out[name] = schema
    return out


def body_kept_message(tag: str) -> str:
    """What ``tag-body-kept`` says: what was done with the content, and how to write it."""
    return (
        f"'{tag}' takes no content; the content written inside it is shown after it "
        f"(write {{% {tag} … /%}} and move the content out)"
    )
