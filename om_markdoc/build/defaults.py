"""How the Material settings ``om-markdoc build`` gives a site meet a team's ``mkdocs.yml``.

A bare tree gets a generated configuration with these settings (``builder.MATERIAL_FEATURES``).  A tree with its own
``mkdocs.yml`` keeps what it says: theme features it does not mention at all are added (the
team expressed no choice), while a ``features:`` list it writes is its choice and stands; every
default that list leaves out is named, one line each, so a team sees what it gives up (without
``navigation.prune`` every page embeds the whole navigation again).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..site.config_file import read_config
from .plan import BuildPlan

WHY = {
    "navigation.prune": "every page embeds the whole navigation (larger pages, slower builds)",
    "navigation.indexes": "a section's index page is not its section's link",
    "content.code.copy": "code blocks get no copy button",
}
"""What leaving out a feature costs, where it is more than its own name says."""


def _theme(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    theme = raw.get("theme")
    return theme if isinstance(theme, Mapping) else {"name": theme}


def missing_features(raw: Mapping[str, Any], defaults: list[str]) -> list[str]:
    """The ``defaults`` a ``mkdocs.yml`` (parsed, ``raw``) should be given: all of them when its
    Material theme lists no ``features``, none otherwise."""
    theme = _theme(raw)
    if theme.get("name") != "material" or "features" in theme:
        return []
    return list(defaults)


def dropped_defaults(raw: Mapping[str, Any], config_name: str, defaults: list[str]) -> list[str]:
    """One line per default the ``mkdocs.yml`` leaves out by its own choice."""
    theme = _theme(raw)
    if theme.get("name") != "material":
        return [f"{config_name}: theme is {theme.get('name')!r}, not material: om-markdoc's Material defaults do not apply"]
    listed = theme.get("features")
    if not isinstance(listed, list):
        return []
    lines = []
    for feature in defaults:
        if feature not in listed:
            cost = WHY.get(feature)
            lines.append(f"{config_name}: theme.features leaves out {feature}" + (f": {cost}" if cost else ""))
    return lines


def merge_defaults(config: Any, raw: Mapping[str, Any], defaults: list[str]) -> None:
    """Give a loaded MkDocs ``config`` the ``defaults`` its file expressed no choice about."""
    features = config.theme["features"]
    features.extend(feature for feature in missing_features(raw, defaults) if feature not in features)


def config_notes(plan: BuildPlan, defaults: list[str]) -> list[str]:
    """The ``defaults`` the plan's ``mkdocs.yml`` leaves out (none for a generated configuration)."""
    if plan.config_file is None:
        return []
    return dropped_defaults(read_config(plan.config_file), plan.project.rel(plan.config_file), defaults)


def merge_into(config: Any, plan: BuildPlan, defaults: list[str]) -> None:
    """``merge_defaults`` with the plan's own ``mkdocs.yml``."""
    if plan.config_file is not None:
        merge_defaults(config, read_config(plan.config_file), defaults)
