"""The pages of one version folder, known from their front matter alone.

The site maps a URL to a file by the front-matter ``slug`` (not by the file path: they differ on
~45% of OpenMetadata pages), so the slug index, the menu check and the link checker need every
page's slug before any page is rendered. ``scan_pages`` therefore reads only the head of each
file (up to the closing ``---``), which keeps a 1,000-page version well under a second.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, display_path, error, warning
from .files import walk_tree
from .frontmatter import split_front_matter
from .layout import VersionDir
from .slugpath import clean_slug
from .textfile import LINE_BREAK, read_head, read_text_file

DEFAULT_EXCLUDE: tuple[str, ...] = ("menu.md", "*-menu.md")
DEFAULT_EDITION_FLAGS: tuple[str, ...] = ("collate", "digitrans")

_MULTI_SLASH = re.compile(r"/{2,}")
_ATX = re.compile(r"^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TAG = re.compile(r"\{%.*?%\}")


@dataclass(eq=False)
class Page:
    """One page: where it is, the URL it claims, and its front matter.

    ``rel_path`` is POSIX and relative to the version folder (or the docs dir for unversioned
    pages); ``file`` is the same file as diagnostics name it (relative to the tree root).
    ``slug_line`` is the line of ``slug:`` so slug problems point at it. Pages compare by
    identity: two pages with the same slug are the problem ``SlugIndex`` reports.
    """

    version: str | None
    path: Path
    rel_path: str
    slug: str
    title: str
    meta: dict[str, Any]
    edition_only: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    file: str = ""
    slug_line: int = 1
    body_start_line: int = 1
    slug_from_path: bool = False
    edition_flag: str | None = None

    def __repr__(self) -> str:
        return f"Page({self.version!r}, {self.rel_path!r}, slug={self.slug!r})"


def normalize_slug(slug: str) -> str:
    """``a/b/`` → ``/a/b``; ``//a//b`` → ``/a/b``; ``""`` and ``/`` → ``/``. Case is kept (URLs are)."""
    text = _MULTI_SLASH.sub("/", "/" + slug.strip())
    if len(text) > 1:
        text = text.rstrip("/") or "/"
    return text


def slug_from_path(rel_path: str) -> str:
    """The URL a file would have without a slug: ``a/b/index.md`` → ``/a/b``, ``a/b.md`` → ``/a/b``."""
    parts = rel_path.split("/")
    last = parts[-1]
    stem = last.rsplit(".", 1)[0] if "." in last else last
    parts = parts[:-1] if stem == "index" else [*parts[:-1], stem]
    return normalize_slug("/".join(parts))


def title_from_path(rel_path: str) -> str:
    """A readable title from a file name: ``getting-started/index.md`` → ``Getting started``."""
    parts = rel_path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem == "index":
        if len(parts) == 1:
            return "Home"
        stem = parts[-2]
    words = re.sub(r"[-_]+", " ", stem).strip() or stem
    return words[:1].upper() + words[1:]


def first_heading(text: str) -> str | None:
    """The first ``# `` (level-1 ATX) heading outside code fences, tags stripped."""
    fence: str | None = None
    for line in LINE_BREAK.split(text):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        if match:
            fence = match.group(1)
            continue
        heading = _ATX.match(line)
        if heading:
            title = _TAG.sub("", heading.group(1)).strip()
            if title:
                return title
    return None


def _is_edition_flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


_LOADED: dict[tuple[Any, ...], tuple[tuple[int, int, int], Page]] = {}
"""Pages read so far in this process, with the file's (inode, size, mtime) when read."""


def load_page(
    path: Path,
    *,
    version: str | None,
    rel_path: str,
    root: Path | None = None,
    edition_flags: Collection[str] = DEFAULT_EDITION_FLAGS,
    text: str | None = None,
) -> Page:
    """Read one page's front matter (and, only when it has no title, its first heading).

    A page whose file is unchanged since this process last read it (same inode, size and
    modification time) is not read again: ``serve`` rescans every page on each save, and the
    ``Page`` is a pure function of the file and these arguments (callers never change it).
    ``text``: the page as an editor's unsaved buffer holds it, instead of its file (the
    language server lets other pages' links see a new slug before it is saved); not cached."""
    read = functools.partial(_read_page, version=version, rel_path=rel_path, root=root, edition_flags=edition_flags)
    if text is not None:
        return read(path, text=text)
    key = (str(path), version, rel_path, None if root is None else str(root), tuple(edition_flags))
    try:
        stat = os.stat(path)
    except OSError:
        return read(path)
    signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    known = _LOADED.get(key)
    if known is not None and known[0] == signature:
        return known[1]
    page = read(path)
    _LOADED[key] = (signature, page)
    return page


def _read_page(
    path: Path,
    *,
    version: str | None,
    rel_path: str,
    root: Path | None,
    edition_flags: Collection[str],
    text: str | None = None,
) -> Page:
    file = display_path(path, root) if root is not None else rel_path
    diagnostics: list[Diagnostic]
    if text is not None:
        head, whole, diagnostics = text, True, []
    else:
        head, whole, diagnostics = read_head(path, root)
        if root is None:
            diagnostics = [_refile(d, file) for d in diagnostics]
    fm = split_front_matter(head, file, complete=whole)
    diagnostics.extend(fm.diagnostics)
    meta = fm.meta

    slug_line = fm.line_of("slug")
    raw_slug = meta.get("slug")
    from_path = False
    if isinstance(raw_slug, str) and raw_slug.strip():
        slug = normalize_slug(raw_slug)
    else:
        slug, from_path = slug_from_path(rel_path), True
        if "slug" in meta:
            diagnostics.append(
                error("slug-invalid", f"slug must be a non-empty string, not {raw_slug!r}; using {slug}", file, slug_line)
            )
        else:
            diagnostics.append(warning("slug-missing", f"no slug in front matter; using {slug} from the file path", file, 1))
    slug, unsafe = clean_slug(slug)
    if unsafe is not None:
        diagnostics.append(warning("slug-unsafe", unsafe, file, slug_line))

    raw_title = meta.get("title")
    title: str | None = None
    if isinstance(raw_title, str) and raw_title.strip():
        title = raw_title.strip()
    elif isinstance(raw_title, (int, float)) and not isinstance(raw_title, bool):
        title = str(raw_title)
    elif raw_title is not None and raw_title != "":
        diagnostics.append(warning("title-invalid", f"title must be a string, not {raw_title!r}", file, fm.line_of("title")))
    if title is None:
        body = head
        if not whole:
            body, _ = read_text_file(path, root)
        lines = LINE_BREAK.split(body)
        title = first_heading("\n".join(lines[fm.body_start_line - 1 :])) or title_from_path(rel_path)

    flag = next((name for name in edition_flags if _is_edition_flag(meta.get(name))), None)
    return Page(
        version=version,
        path=path,
        rel_path=rel_path,
        slug=slug,
        title=title,
        meta=meta,
        edition_only=flag is not None,
        diagnostics=diagnostics,
        file=file,
        slug_line=slug_line,
        body_start_line=fm.body_start_line,
        slug_from_path=from_path,
        edition_flag=flag,
    )


def _refile(diagnostic: Diagnostic, file: str) -> Diagnostic:
    return Diagnostic(diagnostic.rule, diagnostic.severity, diagnostic.message, file, diagnostic.line, diagnostic.column)


def iter_page_files(
    directory: Path,
    *,
    exclude: Iterable[str] = DEFAULT_EXCLUDE,
    skip_dirs: Collection[str] = (),
    suffixes: Collection[str] = (".md",),
    roots: Sequence[Path] = (),
) -> list[tuple[Path, str]]:
    """``(path, rel_path)`` of page files under ``directory``, sorted by ``rel_path``.

    The folder is listed by ``walk_tree`` (``site/files.py``), the one rule every walk of the
    tree follows: hidden files and folders are skipped, and a link is followed only when its
    real path is inside ``roots`` (the project's folders; by default ``directory`` alone).
    Folders whose relative path is in ``skip_dirs`` (e.g. the version folders and ``partials``
    when scanning unversioned pages) are left out, as are files whose name or relative path
    matches an ``exclude`` glob.
    """
    patterns = tuple(exclude)
    skip = {s.strip("/") for s in skip_dirs}
    found: list[tuple[Path, str]] = []
    for rel in walk_tree(directory, roots or (directory,), skip=skip).files:
        name = rel.rsplit("/", 1)[-1]
        if not name.endswith(tuple(suffixes)):
            continue
        if any(fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(rel, p) for p in patterns):
            continue
        found.append((directory.joinpath(*rel.split("/")), rel))
    found.sort(key=lambda item: item[1])
    return found


def scan_pages(
    version_dir: Path | VersionDir,
    *,
    version: str | None = None,
    exclude: Iterable[str] = DEFAULT_EXCLUDE,
    edition_flags: Collection[str] = DEFAULT_EDITION_FLAGS,
    root: Path | None = None,
    skip_dirs: Collection[str] = (),
    roots: Sequence[Path] = (),
) -> list[Page]:
    """Every page of a version folder (or of a docs dir, with ``version=None``), by ``rel_path``.

    ``root`` is what diagnostics' file names are relative to; by default the folder's parent
    (the content root), so files read ``v1.5.x/a/b.md``.  ``roots``: the folders links may lead
    into (``iter_page_files``).
    """
    if isinstance(version_dir, VersionDir):
        version = version if version is not None else version_dir.name
        directory = version_dir.path
    else:
        directory = Path(version_dir)
    base = root if root is not None else directory.parent
    return [
        load_page(path, version=version, rel_path=rel, root=base, edition_flags=edition_flags)
        for path, rel in iter_page_files(directory, exclude=exclude, skip_dirs=skip_dirs, roots=roots)
    ]
