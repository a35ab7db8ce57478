"""Example badges on rendered fences: "validated: openmetadata-server, 1.7", or in ``serve`` a
red "fails ..." with the first problem.

The dialect renders fences and must not learn about examples, so the plugin wraps its
renderer's ``fence`` transform: the wrapper renders the fence as before and, when the page's
context carries statuses (``ExamplesContext.examples``, filled per page from
``om_markdoc.examples.badges``), adds the badge of the fence at that file and line.  A fence
inside a partial is found by the partial's own file and line, which its AST records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.tag import Tag
from ..dialect.context import PageContext, page_context
from ..examples.badges import FenceStatus, PageStatuses

BADGE_CLASS = "om-example-badge"


@dataclass
class ExamplesContext(PageContext):
    """A page context that also carries the statuses of the page's examples."""

    examples: PageStatuses | None = None


def badge(status: FenceStatus) -> Tag:
    """The badge markup: a small label above the code, its status in a modifier class."""
    attributes: dict[str, Any] = {"class": f"{BADGE_CLASS} {BADGE_CLASS}--{status.status}", "data-validator": status.validator}
    if status.detail:
        attributes["title"] = status.detail
    return Tag("span", attributes, [status.text])


def _fence_file(node: Any) -> str | None:
    location = getattr(node, "location", None)
    return location.get("file") if isinstance(location, dict) else None


def install_fence_badges(renderer: Any) -> None:
    """Wrap ``renderer``'s fence transform so fences get their example badge (once)."""
    fence = renderer.nodes["fence"]
    original = fence["transform"]
    if getattr(original, "om_badges", False):
        return

    def transform(node: Any, config: dict[str, Any]) -> Any:
        rendered = original(node, config)
        statuses = getattr(page_context(config), "examples", None)
        if not statuses or not isinstance(rendered, Tag) or not node.lines:
            return rendered
        status = statuses.get(_fence_file(node), node.lines[0] + 1)
        if status is None:
            return rendered
        return Tag(rendered.name, rendered.attributes, [badge(status), *rendered.children])

    transform.om_badges = True  # type: ignore[attr-defined]
    renderer.nodes = {**renderer.nodes, "fence": {**fence, "transform": transform}}
