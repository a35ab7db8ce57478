"""The model of a docs tree: files → pages, partials, menus → indexes.

Pure Python (no MkDocs imports) so that the MkDocs plugin, the ``build``/``check`` CLI and the
link checker share one reading of the tree. Every problem is a ``Diagnostic``; nothing here
raises on bad content.
"""

from .diagnostics import RULES, Diagnostic
from .frontmatter import (
    FrontMatter,
    decode_bytes,
    load_yaml,
    read_head,
    read_text_file,
    split_front_matter,
)
from .layout import (
    SiteLayout,
    VersionDir,
    detect_layout,
    find_versions,
    parse_version_dir,
    repository_layout,
)
from .menu import (
    Menu,
    MenuEntry,
    MenuNode,
    check_menu_targets,
    load_menu,
    menu_targets,
    parse_menu,
)
from .pages import Page, load_page, normalize_slug, scan_pages, slug_from_path
from .partials import (
    Include,
    PartialGraph,
    PartialRef,
    PartialResolver,
    PartialStore,
    ResolvedPartial,
    find_partial_refs,
)
from .slugs import LinkTarget, SlugIndex, split_href

__all__ = [
    "RULES",
    "Diagnostic",
    "FrontMatter",
    "decode_bytes",
    "load_yaml",
    "read_head",
    "read_text_file",
    "split_front_matter",
    "SiteLayout",
    "VersionDir",
    "detect_layout",
    "find_versions",
    "parse_version_dir",
    "repository_layout",
    "Menu",
    "MenuEntry",
    "MenuNode",
    "check_menu_targets",
    "load_menu",
    "menu_targets",
    "parse_menu",
    "Page",
    "load_page",
    "normalize_slug",
    "scan_pages",
    "slug_from_path",
    "Include",
    "PartialGraph",
    "PartialRef",
    "PartialResolver",
    "PartialStore",
    "ResolvedPartial",
    "find_partial_refs",
    "LinkTarget",
    "SlugIndex",
    "split_href",
]
