"""The options of a docs project, read once from the plugin's options or ``om-markdoc.yml``.

The same keys configure every front door: the MkDocs plugin validates them with its config
class (whose defaults are taken from here), ``om-markdoc build``/``check``/``serve`` and the
examples runner get them through ``Project``.  ``check`` and ``examples`` are kept as the
mappings the author wrote; their own packages give them meaning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .pages import DEFAULT_EDITION_FLAGS

DELIMITERS = ("curly", "angle")
RAW_HTML = ("escape", "strip", "allow")
NAV_SOURCES = ("auto", "menu", "config", "folders")


class SettingsError(ValueError):
    """An option with a value of the wrong kind."""


@dataclass(frozen=True)
class Settings:
    """What a project is configured to do (defaults: an OpenMetadata tree as it is)."""

    delimiters: str = "curly"
    """``curly`` for ``{% %}``; ``angle`` for ``<% %>`` (leaves ``{% %}`` to Jinja-based plugins)."""
    raw_html: str = "escape"
    """Raw HTML in Markdown: ``escape`` (shown as text, as Markdoc does), ``strip`` or ``allow``."""
    edition_flag: str | None = None
    """Front-matter flag of commercial-edition pages; unset, the flags real trees use
    (``collate``, ``digitrans``) all count."""
    include_edition: bool = False
    """Build pages flagged for the commercial edition too."""
    nav: str = "auto"
    """Navigation from ``menu.md`` files, from ``mkdocs.yml``'s ``nav``, or from the folder tree."""
    static_links: tuple[str, ...] = ()
    """Absolute link paths (or globs) served beside the site but not part of the tree, such as an
    API page the product serves; other file links are checked against the docs and images folders."""
    check: Mapping[str, Any] = field(default_factory=dict)
    """The ``check:`` mapping (``om_markdoc.check.config`` reads it)."""
    examples: Mapping[str, Any] = field(default_factory=dict)
    """The ``examples:`` mapping (``om_markdoc.examples`` reads it)."""

    @property
    def edition_flags(self) -> tuple[str, ...]:
        """The configured flag alone, else the flags real trees use."""
        return (self.edition_flag,) if self.edition_flag else DEFAULT_EDITION_FLAGS

    @classmethod
    def from_options(cls, options: Mapping[str, Any], source: str) -> Settings:
        """Validate the option mapping of ``source`` (unknown keys belong to the plugin and are ignored)."""

        def choice(key: str, allowed: tuple[str, ...]) -> str:
            value = options.get(key, getattr(cls, key))
            if value not in allowed:
                raise SettingsError(f"{source}: '{key}' must be one of {', '.join(allowed)}, not {value!r}")
            return str(value)

        def mapping(key: str) -> Mapping[str, Any]:
            value = options.get(key)
            if value is None:
                return {}
            if not isinstance(value, Mapping):
                raise SettingsError(f"{source}: '{key}' must be a mapping, not {type(value).__name__}")
            return value

        flag = options.get("edition_flag")
        if flag is not None and (not isinstance(flag, str) or not flag.strip()):
            raise SettingsError(f"{source}: 'edition_flag' must be a non-empty string, not {flag!r}")
        static = options.get("static_links") or ()
        if isinstance(static, str) or not all(isinstance(item, str) for item in static):
            raise SettingsError(f"{source}: 'static_links' must be a list of paths, not {static!r}")
        return cls(
            delimiters=choice("delimiters", DELIMITERS),
            raw_html=choice("raw_html", RAW_HTML),
            edition_flag=flag.strip() if flag else None,
            include_edition=bool(options.get("include_edition", cls.include_edition)),
            nav=choice("nav", NAV_SOURCES),
            static_links=tuple(static),
            check=mapping("check"),
            examples=mapping("examples"),
        )
