"""The one catalogue of rule ids: every id any part of om-markdoc can report.

Each rule has a default severity (``None`` keeps the severity the emitter chose: Markdoc errors
stay errors, Markdoc warnings become infos) and a one-line explanation.  ``build`` marks the
rules a site build reports (MkDocs warnings, ``serve``'s problem panel): the parity tests hold
the build and ``om-markdoc check`` to the same findings for exactly those.  A build renders
every page of what it builds, so it judges anchors too (once all pages are rendered; a link
into a version it does not build is left to ``check``, and the build says how many), and it
runs the pages' examples and follows partials to any depth (include loops).  The other rules
need the whole tree (unused partials, menus against every page) or opt-in work (external
links) and are the checker's alone.  The CLI, SARIF output, the docs and
configuration validation all read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from .core.errors import ERROR_LEVELS


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str | None
    """Default severity; ``None``: the emitter's."""
    summary: str
    build: bool = True
    """Reported by a site build too (not only by ``om-markdoc check``)."""


_MARKDOC = {
    "parse-error": "a tag that cannot be read ({% x collate: true %}, unquoted values...)",
    "fence-tag-error": "a tag in a fence's info string that cannot be read",
    "missing-opening": "a closing tag without an opening one",
    "missing-closing": "a tag that is opened but never closed",
    "no-inline-annotations": "an annotation where none is allowed",
    "duplicate-attribute": "the same attribute twice on one tag",
    "table-syntax": "a {% table %} whose rows are not lists",
    "href-format-invalid": "a link whose href holds a tag or variable",
    "tag-undefined": "a tag the dialect does not define",
    "node-undefined": "a node type the config does not define",
    "tag-placement-invalid": "a block tag used inline or the other way round",
    "tag-selfclosing-has-children": "a self-closing tag with content",
    "slot-undefined": "a slot the tag does not define",
    "slot-missing-required": "a required slot is missing",
    "attribute-undefined": "an attribute the tag does not define",
    "attribute-missing-required": "a required attribute is missing",
    "attribute-type-invalid": "an attribute value of the wrong type",
    "attribute-value-invalid": "an attribute value outside the allowed ones",
    "variable-undefined": "a variable with no value",
    "function-undefined": "a function the config does not define",
    "parameter-undefined": "a function parameter the function does not define",
    "parameter-type-invalid": "a function parameter of the wrong type",
    "parameter-missing-required": "a required function parameter is missing",
    "child-invalid": "a tag placed where its parent does not allow it",
}
assert set(_MARKDOC) == set(ERROR_LEVELS), "the Markdoc ids must match the core's catalogue"

_TABLE: list[Rule] = [
    *(Rule(rule, None, why) for rule, why in _MARKDOC.items()),
    # recoveries the dialect makes (the page still renders; the source should be fixed)
    Rule("tag-toggle-close", None, "a tag written twice as a toggle ({% important %}...{% important %})"),
    Rule("tag-close-recovered", None, "a closing tag with attributes or a backslash, read as a plain close"),
    Rule("tag-auto-closed", None, "a tag re-opened before it was closed; the first one is closed there"),
    # dialect transforms
    Rule("free-text-tag", None, "text where a tag expects only child tags"),
    Rule("tag-body-kept", "warning", "content inside a tag that takes none (self-closing); shown after the tag"),
    Rule("icon-unknown", "info", "an icon name the dialect does not know; a neutral icon is shown"),
    Rule("image-size-ignored", None, "an image size the dialect cannot apply"),
    Rule("image-src-missing", None, "an image tag without a src"),
    Rule("language-selector-content", None, "unexpected content in a language selector"),
    Rule("language-selector-missing", None, "a language selector without languages"),
    Rule("youtube-video-id", None, "a youtube tag without a usable video id"),
    Rule("url-unsafe", "error", "a javascript:, vbscript:, data: or file: URL in a tag attribute; not emitted"),
    # limits (hostile or broken input)
    Rule("page-too-large", "error", "a page over the size cap; not rendered"),
    Rule("nesting-too-deep", "error", "a page nests constructs too deeply to render; a notice replaces it"),
    Rule("partial-limit", "error", "partials nest too deep, or expand too many times on one page; the rest are left out"),
    # files and front matter
    Rule("read-error", "error", "a file could not be read at all"),
    Rule("invalid-utf8", None, "bytes that are not UTF-8; decoded with U+FFFD so the rest still renders"),
    Rule(
        "symlink-outside",
        "error",
        "a symbolic link leading outside the docs, partials and images folders (or into a loop); nothing is "
        "read or published through it",
    ),
    Rule("frontmatter-yaml", None, "front matter is not valid YAML"),
    Rule("frontmatter-not-mapping", None, "front matter parsed, but to a list or scalar instead of key: value pairs"),
    Rule("frontmatter-too-large", None, "front matter over the size cap (protects the build)"),
    Rule("frontmatter-alias-bomb", None, "YAML aliases/anchors expand beyond the cap (billion laughs)"),
    Rule("frontmatter-duplicate-key", None, "a top-level key appears twice; YAML keeps the last silently"),
    Rule("frontmatter-unclosed", None, "the file starts with --- but no closing --- follows"),
    Rule(
        "config-yaml",
        "error",
        "mkdocs.yml or om-markdoc.yml is not valid YAML, or its aliases expand past the caps; nothing is "
        "built or checked",
    ),
    Rule("config-invalid", "error", "a configuration option has the wrong type or an unknown key; nothing is built or checked"),
    # the tree
    Rule("layout-unknown", "error", "the tree matches no known layout"),
    Rule("layout-missing-dir", None, "a configured directory does not exist"),
    Rule(
        "version-skipped",
        "warning",
        "a folder named like a version that is not one (vX.Y.z or vX.Y.z-SNAPSHOT); its pages are left out",
    ),
    # pages and slugs
    Rule("slug-missing", "warning", "a versioned page without a front-matter slug; its URL falls back to the file path"),
    Rule("slug-invalid", None, "a front-matter slug is not a string"),
    Rule(
        "slug-unsafe",
        "warning",
        "a slug holds characters a URL path cannot hold (quotes, <, spaces, #, ..); it is cleaned and "
        "percent-encoded",
    ),
    Rule("slug-duplicate", "error", "two pages of one version claim the same slug; only one can be served"),
    Rule("title-invalid", None, "a front-matter title is not a string"),
    # links, anchors, images
    Rule("link-broken", "error", "a link to a slug, .md page or static file that does not exist in the page's version"),
    Rule("anchor-broken", "error", "a #fragment that no heading or explicit id on the target page produces"),
    Rule("image-missing", "error", "an image path with no file (also: wrong letter case, '//' in the path)"),
    Rule("external-link-broken", "warning", "an external URL that fails (only with --external)", build=False),
    # partials
    Rule("partial-missing", "error", "a {% partial %} file that does not exist"),
    Rule("partial-outside-root", "error", "a partial path that leaves the partials folder"),
    Rule("partial-invalid", "error", "a partial file attribute that is empty or not a string"),
    Rule("partial-dynamic", "warning", "a partial file attribute computed from a variable (cannot be checked)"),
    Rule("partial-parse-error", None, "the parse callback failed on a partial"),
    Rule("partial-cycle", "error", "partials that include each other (or themselves) in a loop"),
    Rule(
        "partial-variable-undefined",
        "warning",
        "a $variable used in a partial that the including tag does not pass",
        build=False,
    ),
    Rule("partial-unused", "info", "a partial file no page or partial includes", build=False),
    # menus
    Rule("menu-yaml", None, "menu.md front matter is not valid YAML"),
    Rule("menu-invalid", None, "menu.md has no usable site_menu list"),
    Rule("menu-entry-invalid", None, "a menu entry is not a {category, url} mapping"),
    Rule("menu-parent-missing", None, "a menu entry's parent category has no entry of its own"),
    Rule("menu-parent-after-child", None, "a menu parent entry comes after its child"),
    Rule("menu-duplicate-category", None, "two menu entries have the same category path"),
    Rule("menu-category-format", None, "a category has odd spacing or empty parts around '/'"),
    Rule("menu-target-missing", "error", "a menu.md url that matches no page", build=False),
    Rule("page-not-in-menu", "info", "a page that no menu.md entry points to", build=False),
    # executable guides
    Rule("example-invalid", "error", "a config example fails its validator (schema, env names, Helm values)"),
    Rule("example-unparseable", "error", "a config example is not valid YAML, JSON or .env syntax"),
    Rule("example-too-large", "error", "a config example expands past the YAML alias/node caps; refused unvalidated"),
    Rule("example-expected-invalid", "error", 'an example marked expect="invalid" passes its validator'),
    Rule("example-config", "error", "an example names a validator that does not exist or whose schema is missing"),
    # om-markdoc fmt (files it formats, not the tree it checks)
    Rule(
        "fmt-skipped",
        "error",
        "a file fmt cannot write back as it was (CR-only or mixed line breaks, invalid UTF-8, a symbolic "
        "link, too large, unreadable); left alone",
        build=False,
    ),
    Rule("fmt-read-only", "error", "a read-only file that fmt would change; not rewritten", build=False),
    Rule(
        "fmt-changes-page",
        "warning",
        "formatting would change a page's HTML or text; left unchanged unless --force",
        build=False,
    ),
    Rule(
        "fmt-failed",
        "error",
        "a page fmt cannot format (nested too deeply, or a construct the formatter refuses) or cannot write",
        build=False,
    ),
    Rule("fmt-unsettled", "warning", "formatting did not reach a fixed point within its passes", build=False),
    # the tool itself
    Rule("check-internal-error", "error", "om-markdoc failed on this file; please report it", build=False),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _TABLE}
"""Rule id → ``Rule``, in catalogue order."""

BUILD_RULES: frozenset[str] = frozenset(rule.id for rule in _TABLE if rule.build)
"""The rules a site build reports while rendering (see the module docstring)."""


def default_severity(rule: str, emitted: str) -> str:
    """The severity a diagnostic gets before configuration: the catalogue's, else the emitter's."""
    known = RULES.get(rule)
    return (known.severity if known is not None else None) or emitted


def summary(rule: str) -> str:
    known = RULES.get(rule)
    return known.summary if known is not None else rule
