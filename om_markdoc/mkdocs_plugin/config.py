"""Options of the ``om-markdoc`` plugin in ``mkdocs.yml``."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class OmMarkdocConfig(base.Config):
    """``plugins: [om-markdoc: {...}]``.

    Paths are relative to ``mkdocs.yml``.  Left unset, ``partials_dir`` and ``images_dir`` are
    found by layout: ``snippets/`` beside ``mkdocs.yml`` or ``<docs>/../partials`` (the
    OpenMetadata ``content/partials``), and ``<docs>/images`` or ``<docs>/../../images``.
    """

    partials_dir = c.Optional(c.Dir(exists=True))
    """Where ``{% partial file="/v1.7/x.md" /%}`` looks (``v1.7/x.md`` below it)."""
    images_dir = c.Optional(c.Dir(exists=True))
    """What ``/images/...`` paths refer to."""
    delimiters = c.Choice(("curly", "angle"), default="curly")
    """``curly`` for ``{% %}``; ``angle`` for ``<% %>`` (leaves ``{% %}`` to Jinja-based plugins)."""
    raw_html = c.Choice(("escape", "strip", "allow"), default="escape")
    """Raw HTML in Markdown: shown as text (default, as Markdoc does), removed, or passed through
    (only for trusted authors: it can carry scripts)."""
    edition_flag = c.Type(str, default="collate")
    """Front-matter flag of commercial-edition pages (the OpenMetadata docs say ``collate``)."""
    include_edition = c.Type(bool, default=False)
    """Build pages flagged for the commercial edition too."""
    nav = c.Choice(("auto", "menu", "config", "folders"), default="auto")
    """Navigation from ``menu.md`` files, from ``mkdocs.yml``'s ``nav``, or from the folder tree."""
    version = c.Optional(c.Type(str))
    """Build one version: the version of a ``docs_dir`` that is one version folder, or, for a
    ``docs_dir`` holding several version folders, the one to build (its pages lose the version
    prefix; the other versions are left out; unversioned pages stay)."""
    versions_manifest = c.Optional(c.File(exists=True))
    """JSON written by ``om-markdoc build``: all versions, the latest, and each version's slugs;
    enables the outdated/unreleased banner and place-keeping version switches."""
    cache_dir = c.Optional(c.Type(str))
    """Where page keys and search entries persist between builds (``om-markdoc build`` sets it);
    without it the state lives in memory, which is what ``serve`` needs."""
    examples = c.Type(dict, default={})
    """Fenced-example checks (see guide/examples.md); read by ``om-markdoc check`` and ``pytest --om-markdoc``."""
    check = c.Type(dict, default={})
    """Rule severities and ignores of ``om-markdoc check`` (see guide/check.md)."""
    static_links = c.Type(list, default=["/swagger.html"])
    """Absolute links that are files served beside the site, not pages."""
