"""The model of a docs project: ``Project`` (folders, versions, settings, renderer, partials,
indexes), and below it files → pages, partials, menus → slug indexes.

Pure Python (no MkDocs imports) so that the MkDocs plugin, ``build``/``serve``/``check`` and the
examples runner share one reading of the tree.  Every problem is a ``Diagnostic``; nothing here
raises on bad content (a tree that cannot be used at all raises ``ProjectError``).
"""

from ..diagnostics import Diagnostic
from .frontmatter import FrontMatter, split_front_matter
from .layout import VersionDir, find_versions, parse_version_dir
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
    PartialRef,
    PartialResolver,
    PartialStore,
    ResolvedPartial,
    find_partial_refs,
)
from .project import PageSource, Project, ProjectError
from .settings import Settings
from .slugs import LinkTarget, SlugIndex, split_href
from .textfile import decode_bytes, read_head, read_text_file
from .yamlsafe import load_yaml

__all__ = [
    "Diagnostic",
    "FrontMatter",
    "decode_bytes",
    "load_yaml",
    "read_head",
    "read_text_file",
    "split_front_matter",
    "VersionDir",
    "find_versions",
    "parse_version_dir",
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
    "PartialRef",
    "PartialResolver",
    "PartialStore",
    "ResolvedPartial",
    "find_partial_refs",
    "PageSource",
    "Project",
    "ProjectError",
    "Settings",
    "LinkTarget",
    "SlugIndex",
    "split_href",
]
