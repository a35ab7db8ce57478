"""Static files: which images and downloadable files exist, what an image path means, and the
one walk of the tree every reader of folders shares.

Links and images name files by site path (``/images/v1.5/x.png``, ``/swagger.html``) or relative
to the page.  ``/images/...`` is the images folder (beside ``content/`` in an OpenMetadata
tree); other paths are files of the docs folder, looked up in the page's version folder first
(the site serves a version's files under the version, as it does its pages).  Each folder is
listed once, so thousands of lookups cost one walk; lookups are exact (the published site is
case-sensitive) with case-insensitive hints.

``walk_tree`` is the only rule for what a folder holds.  Pages, partials, images, static files
and the build fingerprint all list folders with it, so they cannot disagree about a link:

* names starting with ``.`` are skipped (MkDocs leaves them out of a site too);
* a symbolic link whose real path is inside one of the project's folders (docs, partials,
  images) is followed, to a file or to a folder, as if its target lay where the link is;
* any other link is refused: nothing is read through it, and it is returned so the project can
  report it.  So is a folder link leading back into a folder that holds it (followed, it would
  repeat the tree without end).
"""

from __future__ import annotations

import errno
import os
import posixpath
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

IMAGE_PREFIX = "/images/"


@dataclass(frozen=True)
class RefusedLink:
    """A link the walk did not follow: where it is (POSIX, relative to the walked folder), what
    it names (as written in the link), and whether it leads out of the project or into a loop."""

    rel: str
    target: str
    loop: bool

    def message(self) -> str:
        if self.loop:
            return f"symbolic link to {self.target} leads back into a folder that holds it; not followed"
        return (
            f"symbolic link to {self.target} leads outside the docs, partials and images folders;"
            " nothing is read or published through it"
        )


@dataclass(frozen=True)
class TreeWalk:
    """What ``walk_tree`` found: the files (POSIX, relative to the walked folder, sorted) and the
    links it refused."""

    files: tuple[str, ...]
    refused: tuple[RefusedLink, ...]


def _inside(real: str, roots: Sequence[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _refusal(entry: os.DirEntry[str], rel: str, chain: tuple[str, ...], roots: Sequence[str]) -> RefusedLink | None:
    """Why the link ``entry`` (in the folder whose real path is ``chain[-1]``) is not followed,
    or ``None`` when it is."""
    try:
        target = os.readlink(entry.path)
        real = os.path.realpath(entry.path, strict=True)
    except OSError as exc:  # dangling (nothing to read), or links that go round in a circle
        return RefusedLink(rel, os.readlink(entry.path), True) if exc.errno == errno.ELOOP else None
    if not _inside(real, roots):
        return RefusedLink(rel, target, False)
    if os.path.isdir(real) and (real in chain or _inside(chain[-1], [real])):
        return RefusedLink(rel, target, True)
    return None


def walk_tree(top: Path, roots: Sequence[Path], *, skip: Collection[str] = (), below: bool = True) -> TreeWalk:
    """The files below ``top`` and the links refused on the way (the rules are the module's).

    ``roots``: the folders a link may lead into; ``skip``: relative paths (files or folders) left
    out; ``below``: ``False`` lists ``top``'s own files only.  A ``top`` whose real path is
    outside ``roots`` (a version folder that is a link out of the tree) holds nothing: the walk
    of the folder holding it refuses and reports that link.  ``os.scandir`` knows each entry's
    type without a ``stat`` per file, and only links are resolved: a build lists thousands of
    images on every save."""
    real_roots = [os.path.realpath(root) for root in roots]
    real_top = os.path.realpath(top)
    files: list[str] = []
    refused: list[RefusedLink] = []
    if not top.is_dir() or not _inside(real_top, real_roots):
        return TreeWalk((), ())
    pending: list[tuple[str, str, tuple[str, ...]]] = [("", str(top), (real_top,))]
    while pending:
        prefix, folder, chain = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.startswith(".") or rel in skip:
                continue
            real = os.path.join(chain[-1], entry.name)
            if entry.is_symlink():
                problem = _refusal(entry, rel, chain, real_roots)
                if problem is not None:
                    refused.append(problem)
                    continue
                real = os.path.realpath(entry.path)
            if entry.is_dir():
                if below:
                    pending.append((rel + "/", entry.path, (*chain, real)))
            elif entry.is_file():
                files.append(rel)
    files.sort(key=lambda rel: rel.split("/"))
    refused.sort(key=lambda link: link.rel.split("/"))
    return TreeWalk(tuple(files), tuple(refused))


class FileIndex:
    """Exact existence of the files below one folder (as ``walk_tree`` lists them, ``skip`` left
    out, and Markdown files too unless ``markdown``), with case-insensitive hints."""

    def __init__(
        self, root: Path | None, roots: Sequence[Path] = (), skip: Collection[str] = (), *, markdown: bool = True
    ) -> None:
        self.root = root
        self.roots = tuple(roots) or ((root,) if root is not None else ())
        self.skip = frozenset(skip)
        self.markdown = markdown
        self._walk: TreeWalk | None = None
        self._files: set[str] | None = None
        self._folded: dict[str, str] = {}

    def walk(self) -> TreeWalk:
        """The folder as ``walk_tree`` lists it, walked once."""
        if self._walk is None:
            self._walk = walk_tree(self.root, self.roots, skip=self.skip) if self.root is not None else TreeWalk((), ())
        return self._walk

    def _load(self) -> set[str]:
        if self._files is None:
            walked = self.walk().files
            if not self.markdown:
                walked = tuple(rel for rel in walked if not rel.endswith(".md"))
            self._files = set(walked)
            for rel in walked:
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
    """The static files of a project: the images folder and the docs folder.

    ``roots``: the project's folders, which links may lead into; ``partials``: the partials
    folder when it lies inside the docs folder.  Partials are sources, not published files: a
    file beside them (``notes.txt``) is neither a page nor a file of any version's site.  A
    Markdown file in an images folder outside the docs folder is no image (MkDocs would take
    it for a page) and is not published either."""

    def __init__(
        self, docs_root: Path, images_root: Path | None, roots: Sequence[Path] = (), partials: str | None = None
    ) -> None:
        self.docs_root = docs_root
        self.images_root = images_root
        roots = tuple(roots) or tuple(p for p in (docs_root, images_root) if p is not None)
        self.images = FileIndex(images_root, roots, markdown=images_root is not None and images_root.is_relative_to(docs_root))
        self.docs = FileIndex(docs_root, roots, skip=(partials,) if partials else ())

    def listing(self) -> list[str]:
        """Every file the site publishes besides pages (``images/...``, docs files that are not
        Markdown), sorted: a build whose previous output lists others must start clean, since
        an incremental build never deletes a file."""
        images = [f"images/{rel}" for rel in self.images.names()] if self.images_root is not None else []
        docs = [rel for rel in self.docs.names() if not rel.endswith(".md")]
        return sorted({*images, *docs})

    def image_paths(self) -> list[str]:
        """Every image as a site path (``/images/v1.5/x.png``), sorted: what an editor offers."""
        return sorted(IMAGE_PREFIX + rel for rel in self.images.names()) if self.images_root is not None else []

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
                return (
                    f"image path '{src}' contains '//'; the file exists as '{shown_root or ''}{rel}'"
                    " but the site does not serve this path"
                )
            return None
        variant = index.case_variant(rel)
        if variant is not None:
            shown = f"{shown_root}{variant}" if shown_root else variant
            return f"image '{src}' not found: the file is '{shown}' (letter case differs; the site is case-sensitive)"
        return f"image '{src}' not found"
