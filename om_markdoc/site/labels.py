"""Navigation labels: what the sidebar calls a page or a folder when no menu names it.

A page's front-matter ``title`` is written for search engines ("Auth0 SSO for Docker |
OpenMetadata Deployment Guide") and is what the browser tab shows; the sidebar wants the short
name.  In order: the menu's name (``navigation.py``), the front matter's ``sidebarTitle``, the
page's first heading, the title's part before `` | ``, and last the file or folder name made
readable.  Folder names are title-cased with the spellings the tree itself uses for brands and
acronyms: a folder ``mysql`` reads "MySQL" when the tree's headings or menu entries write
"MySQL", and "Mysql" only when nothing in the tree says otherwise.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .pages import Page, first_heading
from .textfile import LINE_BREAK, read_text_file

_WORD = re.compile(r"[A-Za-z0-9]+")
_SEO_SEPARATOR = " | "

_HEADINGS: dict[str, tuple[tuple[int, int], str | None]] = {}
"""First headings read so far in this process, with the file's (size, mtime) when read:
``serve`` labels every page again on each save."""


def _is_special(word: str) -> bool:
    """Whether title case would not produce ``word``: an upper-case letter after the first
    (``MySQL``, ``SSO``, ``OpenMetadata``)."""
    return any(char.isupper() for char in word[1:])


def page_heading(page: Page) -> str | None:
    """The page's first level-1 heading, read from its file (cached while the file is unchanged)."""
    try:
        stat = os.stat(page.path)
    except OSError:
        return None
    signature = (stat.st_size, stat.st_mtime_ns)
    known = _HEADINGS.get(str(page.path))
    if known is not None and known[0] == signature:
        return known[1]
    text, _ = read_text_file(page.path)
    heading = first_heading("\n".join(LINE_BREAK.split(text)[page.body_start_line - 1 :]))
    _HEADINGS[str(page.path)] = (signature, heading)
    return heading


def _sidebar_title(page: Page) -> str | None:
    value = page.meta.get("sidebarTitle")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _path_name(rel_path: str) -> str:
    """The name a file stands for: its stem, or its folder's name for an ``index.md``."""
    parts = rel_path.split("/")
    stem = parts[-1].rsplit(".", 1)[0]
    if stem == "index":
        return parts[-2] if len(parts) > 1 else "home"
    return stem


@dataclass
class Labels:
    """Sidebar labels of one build's pages and folders (see the module docstring)."""

    spellings: dict[str, str] = field(default_factory=dict)
    """Lower-cased word → the tree's own spelling, for words the tree writes specially."""
    headings: dict[int, str | None] = field(default_factory=dict)
    """First heading of each page (by ``id`` of the page), read once."""

    @classmethod
    def of(cls, pages: Iterable[Page], names: Iterable[str] = ()) -> Labels:
        """Labels for ``pages``, learning spellings from their headings and sidebar titles and
        from ``names`` (menu entries)."""
        labels = cls()
        texts = list(names)
        for page in pages:
            heading = page_heading(page)
            labels.headings[id(page)] = heading
            texts += [text for text in (heading, _sidebar_title(page)) if text]
        labels.spellings = learn_spellings(texts)
        return labels

    def page(self, page: Page) -> str:
        """The sidebar label of ``page`` when no menu names it."""
        heading = self.headings[id(page)] if id(page) in self.headings else page_heading(page)
        written = page.meta.get("title")
        title = written.split(_SEO_SEPARATOR)[0].strip() if isinstance(written, str) else None
        return _sidebar_title(page) or heading or title or self.name(_path_name(page.rel_path))

    def name(self, name: str) -> str:
        """A file or folder name as words: ``bare-metal`` → "Bare Metal", ``mysql`` → "MySQL"."""
        words = [word for word in re.split(r"[-_\s]+", name) if word]
        return " ".join(self.spellings.get(word.casefold(), word[:1].upper() + word[1:]) for word in words) or name


def learn_spellings(texts: Iterable[str]) -> dict[str, str]:
    """The tree's special spelling of each word (``MySQL``) where the tree writes it so at
    least as often as the plain capitalised form (``Mysql``)."""
    counts: Counter[str] = Counter(word for text in texts for word in _WORD.findall(text))
    best: dict[str, str] = {}
    for word, count in counts.items():
        if not _is_special(word):
            continue
        key = word.casefold()
        if key not in best or count > counts[best[key]]:
            best[key] = word
    return {key: word for key, word in best.items() if counts[word] >= counts[key[:1].upper() + key[1:]]}


def readable_name(folder: Path, texts: Iterable[str] = ()) -> str:
    """A folder's name as a site name, spelled as ``texts`` (the tree's menus, titles) spell it."""
    return Labels(spellings=learn_spellings(texts)).name(folder.name)
