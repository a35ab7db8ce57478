"""Static files: which images and downloadable files exist, and what an image path means.

Links and images name files by site path (``/images/v1.5/x.png``, ``/swagger.html``) or relative
to the page.  ``/images/...`` is the images folder (beside ``content/`` in an OpenMetadata
tree); other paths are files of the docs folder, looked up in the page's version folder first
(the site serves a version's files under the version, as it does its pages).  Each folder is
listed once, so thousands of lookups cost one walk; lookups are exact (the published site is
case-sensitive) with case-insensitive hints.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

IMAGE_PREFIX = "/images/"


class FileIndex:
    """Exact existence of the files below one folder, with case-insensitive hints."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self._files: set[str] | None = None
        self._folded: dict[str, str] = {}

    def _load(self) -> set[str]:
        if self._files is None:
            self._files = set()
            if self.root is not None and self.root.is_dir():
                for current, _dirs, files in os.walk(self.root):
                    rel_dir = Path(current).relative_to(self.root).as_posix()
                    prefix = "" if rel_dir == "." else rel_dir + "/"
                    for name in files:
                        rel = prefix + name
                        self._files.add(rel)
                        self._folded.setdefault(rel.casefold(), rel)
        return self._files

    def names(self) -> set[str]:
        """Every file below the folder (POSIX, relative to it)."""
        return self._load()

    def exists(self, rel: str) -> bool:
        return rel in self._load()

    def case_variant(self, rel: str) -> str | None:
        self._load()
        return self._folded.get(rel.casefold())


def is_external(target: str) -> bool:
    parts = urlsplit(target)
    return bool(parts.scheme or parts.netloc) or target.startswith("//")


def looks_like_file(path: str) -> bool:
    """Whether a link path names a file rather than a page slug (its last part has a suffix)."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return "." in last.strip(".") and not last.endswith(".md")


class StaticFiles:
    """The static files of a project: the images folder and the docs folder."""

    def __init__(self, docs_root: Path, images_root: Path | None) -> None:
        self.docs_root = docs_root
        self.images_root = images_root
        self.images = FileIndex(images_root)
        self.docs = FileIndex(docs_root)

    def listing(self) -> list[str]:
        """Every file the site publishes besides pages (``images/...``, docs files that are not
        Markdown), sorted: a build whose previous output lists others must start clean, since
        an incremental build never deletes a file."""
        images = [f"images/{rel}" for rel in self.images.names()] if self.images_root is not None else []
        docs = [rel for rel in self.docs.names() if not rel.endswith(".md")]
        return sorted({*images, *docs})

    def site_file(self, path: str, version: str | None) -> str | None:
        """The site path a file link resolves to (``images/x.png``, ``v1.7.x/files/a.pdf`` as it
        lies in the docs folder), or ``None`` when no such file exists."""
        clean = posixpath.normpath("/" + unquote(path).lstrip("/"))
        if clean.startswith(IMAGE_PREFIX) and self.images_root is not None:
            rel = clean[len(IMAGE_PREFIX) :]
            return f"images/{rel}" if self.images.exists(rel) else None
        rel = clean.lstrip("/")
        if version is not None and self.docs.exists(f"{version}/{rel}"):
            return f"{version}/{rel}"
        return rel if self.docs.exists(rel) else None

    def image_problem(self, src: str, page_path: Path | None) -> str | None:
        """Why ``src`` (as written in the page at ``page_path``) shows no image; ``None`` when it does."""
        raw = src.strip()
        if not raw:
            return "image with an empty path"
        if raw.startswith("//") and not raw.startswith(IMAGE_PREFIX):
            # "//images/x.png" is a path a typo made, not a protocol-relative URL to a host called images
            if not raw.lstrip("/").startswith("images/"):
                return None
        elif is_external(raw) or raw.startswith("data:"):
            return None
        path = unquote(urlsplit(raw).path)
        doubled = "//" in path
        collapsed = posixpath.normpath("/" + path.lstrip("/")) if path.startswith("/") else posixpath.normpath(path)
        shown_root: str | None
        if collapsed.startswith(IMAGE_PREFIX) and self.images_root is not None:
            index, rel, shown_root = self.images, collapsed[len(IMAGE_PREFIX) :], IMAGE_PREFIX
        elif collapsed.startswith("/"):
            index, rel, shown_root = self.docs, collapsed.lstrip("/"), "/"
        else:
            base = ""
            page = Path(page_path) if page_path is not None else None
            if page is not None and not page.is_relative_to(self.docs_root):
                page = page.resolve()  # the docs folder is held resolved; the page may not be
            if page is not None and page.is_relative_to(self.docs_root):
                base = posixpath.dirname(page.relative_to(self.docs_root).as_posix())
            joined = posixpath.normpath(posixpath.join(base, collapsed))
            if joined.startswith(".."):
                return f"image '{src}' points outside the docs folder"
            index, rel, shown_root = self.docs, joined, None
        if index.exists(rel):
            if doubled:
                return f"image path '{src}' contains '//'; the file exists as '{shown_root or ''}{rel}' but the site does not serve this path"
            return None
        variant = index.case_variant(rel)
        if variant is not None:
            shown = f"{shown_root}{variant}" if shown_root else variant
            return f"image '{src}' not found: the file is '{shown}' (letter case differs; the site is case-sensitive)"
        return f"image '{src}' not found"
