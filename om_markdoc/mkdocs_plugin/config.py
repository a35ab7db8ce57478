"""Options of the ``om-markdoc`` plugin in ``mkdocs.yml``."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..site.settings import DELIMITERS, NAV_SOURCES, RAW_HTML, Settings


class OmMarkdocConfig(base.Config):
    """``plugins: [om-markdoc: {...}]``: MkDocs validates the options; their meaning and
    defaults are the project model's (``om_markdoc.site.settings.Settings``,
    ``om_markdoc.site.project.Project.from_options``), shared with every other front door.

    Paths are relative to ``mkdocs.yml``.  Left unset, ``partials_dir`` and ``images_dir`` are
    found by layout: ``snippets/`` beside ``mkdocs.yml`` or ``<docs>/../partials`` (the
    OpenMetadata ``content/partials``), and ``<docs>/images`` or ``<docs>/../../images``.
    """

    root = c.Optional(c.Type(str))
    """The project root file names are relative to (default: the folder of ``mkdocs.yml``);
    ``om-markdoc build``/``serve`` set it when they generate the config of a bare tree."""
    partials_dir = c.Optional(c.Dir(exists=True))
    """Where ``{% partial file="/v1.7/x.md" /%}`` looks (``v1.7/x.md`` below it)."""
    images_dir = c.Optional(c.Dir(exists=True))
    """What ``/images/...`` paths refer to."""
    delimiters = c.Choice(DELIMITERS, default=Settings.delimiters)
    """``curly`` for ``{% %}``; ``angle`` for ``<% %>`` (leaves ``{% %}`` to Jinja-based plugins)."""
    raw_html = c.Choice(RAW_HTML, default=Settings.raw_html)
    """Raw HTML in Markdown: shown as text (default, as Markdoc does), removed, or passed through
    (only for trusted authors: it can carry scripts)."""
    edition_flag = c.Optional(c.Type(str))
    """Front-matter flag of commercial-edition pages (unset: ``collate`` and ``digitrans``, the
    flags OpenMetadata-style trees use)."""
    include_edition = c.Type(bool, default=Settings.include_edition)
    """Build pages flagged for the commercial edition too."""
    nav = c.Choice(NAV_SOURCES, default=Settings.nav)
    """Navigation from ``menu.md`` files, from ``mkdocs.yml``'s ``nav``, or from the folder tree."""
    version = c.Optional(c.Type(str))
    """Build one version: the version of a ``docs_dir`` that is one version folder, or, for a
    ``docs_dir`` holding several version folders, the one to build (its pages lose the version
    prefix; the other versions are left out; unversioned pages stay)."""
    versions_manifest = c.Optional(c.File(exists=True))
    """JSON written by ``om-markdoc build``: all versions, the latest, and each version's slugs;
    enables the outdated/unreleased banner and place-keeping version switches."""
    shared_images = c.Type(bool, default=False)
    """Set by ``om-markdoc build``: the images folder is published once, at the root of the
    multi-version site beside the version folders, so this version's pages link to
    ``../images/...`` from their version's root and the build copies no image of it."""
    cache_dir = c.Optional(c.Type(str))
    """Where page keys and search entries persist between builds (``om-markdoc build`` sets it);
    without it the state lives in memory, which is what ``serve`` needs."""
    examples = c.Type(dict, default={})
    """Fenced-example checks (see guide/examples.md); read by ``om-markdoc check`` and ``pytest --om-markdoc``."""
    check = c.Type(dict, default={})
    """Rule severities and ignores of ``om-markdoc check`` (see guide/check.md)."""
    problems = c.Choice(("auto", "each", "summary", "quiet"), default="auto")
    """How the build logs problems: ``each`` one per line, ``summary`` counts per rule with the
    first few places (one warning per rule, so ``--strict`` still fails), ``quiet`` DEBUG lines
    only (``om-markdoc build`` prints the summary itself); ``auto``: ``summary`` in ``serve``,
    ``each`` otherwise."""
    static_links = c.Type(list, default=list(Settings.static_links))
    """Absolute link paths (or globs) served beside the site but not part of the tree; other file
    links are checked against the docs and images folders."""
    nav_cache = c.Type(bool, default=True)
    """Render Material's navigation once per build and reuse it per page (identical HTML, far
    faster on large sites); off renders it per page as Material does (for comparisons)."""
    jobs = c.Type(int, default=0)
    """Worker processes a build renders pages with (0: one per core; 1: none).  ``om-markdoc
    build`` lowers it when versions already build in parallel."""
