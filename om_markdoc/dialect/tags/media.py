"""``youtube``: a privacy-friendly video facade.

Nothing is requested from YouTube (not even a thumbnail) until the reader asks for the video:
the page holds a link to the ``youtube-nocookie.com`` player, which ``om-markdoc.js`` swaps for
an embedded player on click.  Without JavaScript the link simply opens the player.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from ...core.validator import JSRegExp
from ..icons import material_svg
from ._common import Node, Tag, attr, diagnose, icon_span, text_attr

VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_TIMESTAMP = re.compile(r"\s*(\d+)(?::(\d{1,2}))?(?::(\d{1,2}))?\s*")


def seconds(value: Any) -> int | None:
    """``"1:08:10"``, ``"13:30"``, ``"0:00"``, ``"75"`` or ``75`` as seconds; ``None`` if unreadable."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _TIMESTAMP.fullmatch(value)
    if not match:
        return None
    parts = [int(p) for p in match.groups() if p is not None]
    total = 0
    for part in parts:
        total = total * 60 + part
    return total


def embed_url(video_id: str, start: int | None, end: int | None) -> str:
    """The no-cookie player URL, with start/end when they say something."""
    query = {k: v for k, v in (("start", start), ("end", end)) if v}
    return f"https://www.youtube-nocookie.com/embed/{video_id}" + (f"?{urlencode(query)}" if query else "")


def _youtube(node: Node, config: dict[str, Any]) -> Tag | None:
    video_id = text_attr(node, "videoId").strip()
    if not VIDEO_ID.fullmatch(video_id):
        diagnose(config, node, "youtube-video-id", f"youtube videoId {video_id!r} is not a YouTube id; nothing rendered", "error")
        return None
    start, end = seconds(node.attributes.get("start")), seconds(node.attributes.get("end"))
    caption = text_attr(node, "caption").strip()
    data: dict[str, Any] = {"class": "om-youtube", "data-video-id": video_id}
    if start:
        data["data-start"] = start
    if end:
        data["data-end"] = end
    if caption:
        data["data-title"] = caption
    play = material_svg("play")
    link = Tag(
        "a",
        {"class": "om-youtube__link", "href": embed_url(video_id, start, end), "target": "_blank", "rel": "noopener"},
        [
            *([icon_span(play, "twemoji om-youtube__play")] if play else []),
            Tag("span", {"class": "om-youtube__label"}, ["Play video"]),
            Tag("span", {"class": "om-youtube__note"}, ["Loads the player from youtube-nocookie.com"]),
        ],
    )
    facade = Tag("div", data, [link])
    if not caption:
        return facade
    return Tag("figure", {"class": "om-figure om-video"}, [facade, Tag("figcaption", {}, [caption])])


_TIME = JSRegExp(r"^\s*\d+(:\d{1,2}){0,2}\s*$")
_CSS_SIZE = JSRegExp(r"^\s*\d+(\.\d+)?\s*(px|%)?\s*$")


def media_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the media family."""
    return {
        "youtube": {
            "description": "A YouTube video behind a click-to-load facade (no request to YouTube before the click).",
            "selfClosing": True,
            "attributes": {
                "videoId": attr(
                    "The YouTube video id (`cZdIobCpI9U`).", required=True, matches=JSRegExp(r"^[A-Za-z0-9_-]{6,20}$")
                ),
                "start": attr("Start time, `m:ss` or `h:mm:ss` (or seconds).", ["String", "Number"], matches=_TIME),
                "end": attr("End time, `m:ss` or `h:mm:ss` (or seconds).", ["String", "Number"], matches=_TIME),
                "caption": attr("Caption under the video; also the player's title."),
                "width": attr(
                    "Player width on the original site; here the player fills the column (16:9).",
                    ["String", "Number"],
                    matches=_CSS_SIZE,
                ),
                "height": attr(
                    "Player height on the original site; here the player keeps a 16:9 ratio.",
                    ["String", "Number"],
                    matches=_CSS_SIZE,
                ),
            },
            "transform": _youtube,
        }
    }
