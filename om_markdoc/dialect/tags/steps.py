"""Numbered walkthroughs: ``stepsContainer`` › ``step`` › ``stepDescription`` + ``stepVisualInfo``.

Each step is a row with a number badge, the instructions and the screenshot (side by side on
wide screens, stacked on narrow ones; see ``om-markdoc.css``).  Titles in the corpus repeat the
number (``"1. Visit the Services Page"``); since the badge shows it, that prefix is dropped when
it equals the step's ``srNumber``.  ``extraContent`` is free content spanning the whole row.
"""

from __future__ import annotations

import re
from typing import Any

from ._common import Node, Tag, attr, number_attr, number_text, text_attr

STEP_NUMBER = "omStepNumber"
"""Config key through which a ``step`` tells its ``stepDescription`` its number."""


def _steps_container(node: Node, config: dict[str, Any]) -> Tag:
    return Tag("div", {"class": "om-steps"}, node.transform_children(config))


def _step(node: Node, config: dict[str, Any]) -> Tag:
    number = number_attr(node, "srNumber")
    if number is None:
        return Tag("div", {"class": "om-step"}, node.transform_children({**config, STEP_NUMBER: None}))
    label = number_text(number)
    children = node.transform_children({**config, STEP_NUMBER: label})
    return Tag("div", {"class": "om-step", "data-step": label}, [Tag("span", {"class": "om-step__number"}, [label]), *children])


def step_title(title: str, number: str | None) -> str:
    """``title`` without a leading ``"N. "`` when N is the step's own number (the badge shows it)."""
    if number is not None:
        match = re.match(rf"\s*{re.escape(number)}\s*[.):]\s+(\S.*)", title, re.DOTALL)
        if match:
            return match.group(1).strip()
    return title.strip()


def _step_description(node: Node, config: dict[str, Any]) -> Tag:
    title = step_title(text_attr(node, "title"), config.get(STEP_NUMBER))
    head = [Tag("p", {"class": "om-step__title"}, [title])] if title else []
    return Tag("div", {"class": "om-step__description"}, [*head, *node.transform_children(config)])


def _step_visual_info(node: Node, config: dict[str, Any]) -> Tag:
    return Tag("div", {"class": "om-step__visual"}, node.transform_children(config))


def _extra_content(node: Node, config: dict[str, Any]) -> Tag:
    return Tag("div", {"class": "om-steps__extra"}, node.transform_children(config))


def step_tags() -> dict[str, dict[str, Any]]:
    """Schemas of the steps family."""
    parent = "Name of the enclosing container tag (informational; the corpus always writes `stepsContainer`)."
    return {
        "stepsContainer": {
            "description": "A numbered walkthrough: a column of `step`s (and `extraContent`).",
            "transform": _steps_container,
        },
        "step": {
            "description": "One step: a number badge, its `stepDescription` and its `stepVisualInfo` side by side.",
            "attributes": {"srNumber": attr("The step's number, shown in the badge.", "Number")},
            "transform": _step,
        },
        "stepDescription": {
            "description": "A step's instructions, under its title.",
            "attributes": {"title": attr("The step's title; a leading `N.` equal to the step number is dropped.")},
            "transform": _step_description,
        },
        "stepVisualInfo": {
            "description": "A step's illustration (usually an `image`), beside the instructions on wide screens.",
            "transform": _step_visual_info,
        },
        "extraContent": {
            "description": "Free content between steps, spanning the full width of the walkthrough.",
            "attributes": {
                "parentTagName": attr(parent),
                "parentTagNme": attr("Misspelling of `parentTagName` found in the corpus; accepted and ignored."),
            },
            "transform": _extra_content,
        },
    }
