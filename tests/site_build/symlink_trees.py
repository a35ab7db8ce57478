"""Trees with symbolic links in every folder role, for the symlink tests and the tree fuzz.

``base_tree`` writes a small OpenMetadata tree (two versions, a page folder, a static file, a
partials folder with a file that is not a page, an images folder) and, beside it, a folder
``outside`` whose every file holds ``SECRET``: the marker must never reach a built site or a
report.  ``hostile_links`` adds one link of each kind the tests name; ``random_links`` adds a
seeded mix for the fuzz (``benchmarks/fuzz_tree.py`` runs it for as long as asked).

The fuzz never makes a folder link that leads back into a folder holding it, and its folder
links form no circle: MkDocs' own walk of ``docs_dir`` follows every link, so a circle makes it
list the tree once per level, up to the system's 40 links per path (two circles: exponentially
many).  The walker refuses such links; ``hostile_links`` has one, alone, to prove it.
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.rules import BUILD_RULES

from .conftest import build_site
from .test_parity import logged

SECRET = "OM-MARKDOC-OUTSIDE-5d1e0b7a"
"""Written into every file outside the tree."""


def page(slug: str, body: str = "", title: str = "Page") -> str:
    return f"---\ntitle: {title}\nslug: {slug}\n---\n\n# {title}\n\n{body}\n"


BASE_FILES = {
    "content/v1.0.x/index.md": page("/", '{% partial file="/v1.0/shared.md" /%}\n\n![a](/images/v1.0/a.png)\n\n[doc](/files/doc.pdf)\n\n[notes](/partials/notes.txt)', "Home"),
    "content/v1.0.x/guide/index.md": page("/guide", "The guide.", "Guide"),
    "content/v1.0.x/guide/more.md": page("/guide/more", "More.", "More"),
    "content/v1.0.x/files/doc.pdf": "%PDF-1.4 inside",
    "content/v1.1.x/index.md": page("/", "Home of v1.1.", "Home"),
    "content/partials/v1.0/shared.md": "Shared text.\n",
    "content/partials/notes.txt": "notes beside the partials\n",
    "images/v1.0/a.png": "png a",
    "images/v1.0/icons/b.png": "png b",
}
OUTSIDE_FILES = {
    "passwd": f"root:x:0:0:{SECRET}\n",
    "secret.md": page("/secret", SECRET, "Secret"),
    "secret.png": f"png {SECRET}",
    "pages/s.md": page("/s", SECRET, "S"),
    "pages/notes.txt": SECRET,
}


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def base_tree(root: Path, *, mkdocs_yml: bool) -> tuple[Path, Path]:
    """``(tree, outside)``: the tree at ``root / "tree"`` (with a ``mkdocs.yml`` enabling the
    plugin when asked) and the folder of secrets beside it."""
    tree, outside = root / "tree", root / "outside"
    _write(tree, BASE_FILES)
    _write(outside, OUTSIDE_FILES)
    if mkdocs_yml:
        config = {
            "site_name": "Links",
            "docs_dir": "content",
            "theme": {"name": "material"},
            "plugins": ["search", {"om-markdoc": {"partials_dir": "content/partials", "images_dir": "images"}}],
        }
        (tree / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return tree, outside


def link(path: Path, target: Path | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)


HOSTILE_OUTSIDE = (
    "content/v1.0.x/leak",  # a version's folder: outside folder
    "content/v1.0.x/leak.md",  # a page: outside file
    "content/v1.0.x/guide/etc",  # a page folder: outside folder of pages (relative link)
    "content/v1.0.x/files/leak.pdf",  # a static file
    "content/partials/lp",  # the partials folder: leaks into every version otherwise
    "content/partials/v1.0/secret.md",  # a partial
    "images/v1.0/li",  # an images folder: outside folder
    "images/v1.0/leak.png",  # an image
    "content/v1.0.x/up",  # a loop: the folder that holds it
    "content/v1.2.x",  # a version folder: outside folder of pages
    "content/v1.1.x/menu.md",  # a menu
)
"""The links ``hostile_links`` makes that the walk refuses (each one a finding)."""
HOSTILE_ROUTES = (
    "content/v1.0.x/alias/etc",  # alias -> guide, which holds etc
    "content/v1.1.x/guide/etc",
    "content/v1.0.x/img/li",  # img -> images/v1.0
    "content/v1.0.x/img/leak.png",
)
"""The same refused links reached through the links inside the tree that are followed."""


def hostile_links(tree: Path, outside: Path) -> None:
    """One link in every folder role: out of the tree (``HOSTILE_OUTSIDE``) and inside it (a
    folder of the same version, of another version, of the images folder)."""
    link(tree / "content/v1.0.x/leak", outside)
    link(tree / "content/v1.0.x/leak.md", outside / "secret.md")
    link(tree / "content/v1.0.x/guide/etc", os.path.relpath(outside / "pages", tree / "content/v1.0.x/guide"))
    link(tree / "content/v1.0.x/files/leak.pdf", outside / "passwd")
    link(tree / "content/partials/lp", outside)
    link(tree / "content/partials/v1.0/secret.md", outside / "secret.md")
    link(tree / "images/v1.0/li", outside)
    link(tree / "images/v1.0/leak.png", outside / "secret.png")
    link(tree / "content/v1.0.x/up", "..")
    link(tree / "content/v1.2.x", outside / "pages")
    link(tree / "content/v1.1.x/menu.md", outside / "secret.md")
    link(tree / "content/v1.0.x/alias", "guide")  # same version: its pages repeat the guide's slugs
    link(tree / "content/v1.1.x/guide", "../v1.0.x/guide")  # shared with another version
    link(tree / "content/v1.0.x/img", "../../images/v1.0")


# --- the fuzz ------------------------------------------------------------------------------------

FOLDERS = (
    "content",
    "content/v1.0.x",
    "content/v1.0.x/guide",
    "content/v1.0.x/files",
    "content/v1.1.x",
    "content/partials",
    "content/partials/v1.0",
    "images/v1.0",
    "images/v1.0/icons",
)
"""Where the fuzz puts links: every folder role of ``BASE_FILES``."""
LEAVES = ("content/v1.0.x/guide", "content/v1.0.x/files", "content/partials/v1.0", "images/v1.0/icons")
"""Folders with no folder below them: a folder link may lead to one listed after its own folder
(so the links form no circle, see the module docstring)."""


@dataclass
class Links:
    """The links one fuzz tree holds: all of them, and those leading out of the tree."""

    made: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)


def random_links(tree: Path, outside: Path, rng: random.Random, count: int) -> Links:
    """``count`` links in random folder roles, to outside files and folders, to files and folders
    inside, and to nothing; link texts absolute or relative."""
    links = Links()
    inside_files = sorted(BASE_FILES)
    for number in range(count):
        folder = rng.choice(FOLDERS)
        kind = rng.choice(["outside-file", "outside-folder", "inside-file", "inside-folder", "dangling"])
        if kind == "outside-file":
            target, name = outside / rng.choice(sorted(OUTSIDE_FILES)), None
        elif kind == "outside-folder":
            target, name = rng.choice([outside, outside / "pages"]), f"out{number}"
        elif kind == "inside-file":
            target, name = tree / rng.choice(inside_files), None
        elif kind == "inside-folder":
            later = [leaf for leaf in LEAVES if FOLDERS.index(leaf) > FOLDERS.index(folder)]
            if not later:
                continue
            target, name = tree / rng.choice(later), f"in{number}"
        else:
            target, name = tree / folder / f"gone{number}.md", None
        if folder == "content" and name is not None:
            name = f"v2.{number}.x"  # a version folder
        elif folder in ("content/v1.0.x", "content/v1.1.x") and kind.endswith("file") and rng.random() < 0.2:
            name = None if os.path.lexists(tree / folder / "menu.md") else "menu.md"
        name = name or f"l{number}{Path(target).suffix}"
        path = tree / folder / name
        text: Path | str = target if rng.random() < 0.5 else os.path.relpath(target, path.parent)
        link(path, text)
        rel = f"{folder}/{name}"
        links.made.append(rel)
        if kind.startswith("outside"):
            links.outside.append(rel)
    return links


def refused_link_of(tree: Path, file: str) -> str | None:
    """The link a ``symlink-outside`` finding names, as made (``folder/name`` of ``random_links``),
    found through the real path of the folder it was reported in; ``None`` when there is none."""
    path = tree / file
    real_parent = Path(os.path.realpath(path.parent))
    try:
        rel = (real_parent / path.name).relative_to(tree.resolve()).as_posix()
    except ValueError:
        return None
    return rel if (real_parent / path.name).is_symlink() else None


def leaked_files(site: Path) -> list[str]:
    """Files of the built ``site`` (links not followed) holding the secret marker."""
    found = []
    for current, _dirs, files in os.walk(site):
        for name in files:
            path = Path(current) / name
            if not path.is_symlink() and SECRET.encode() in path.read_bytes():
                found.append(str(path.relative_to(site)))
    return sorted(found)


def refused(found: set[tuple[str, str, int]]) -> set[str]:
    """The files of the ``symlink-outside`` findings among ``(rule, file, line)``."""
    return {file for rule, file, _ in found if rule == "symlink-outside"}


def fuzz_one(work: Path, seed: int, *, links: int = 6) -> str | None:
    """One seeded tree with random links built with the plugin and checked; what went wrong, or
    ``None``.  (``benchmarks/fuzz_tree.py`` calls this for each seed it tries.)"""
    rng = random.Random(seed)
    tree, outside = base_tree(work, mkdocs_yml=True)
    made = random_links(tree, outside, rng, rng.randint(1, links))
    site = build_site(tree / "mkdocs.yml", work / "site")
    if site.error is not None:
        return f"seed {seed}: the build failed: {site.error} (links {made.made})"
    leaked = leaked_files(site.site_dir)
    if leaked or any(SECRET in message for message in site.messages(min_level=0)):
        return f"seed {seed}: the secret reached {leaked or 'the build log'} (links {made.made})"
    built = {item for item in logged(site) if item[0] in BUILD_RULES}
    report = run_check(tree, CheckOptions(use_cache=False, examples=False))
    checked = {(f.rule, f.file, f.line) for f in report.findings if f.rule in BUILD_RULES}
    # A page that loses its slug to another is not built, so only check reads the rest of it
    # (as with edition pages in ``test_parity.assert_parity``): compare the other pages.
    unbuilt = {file for rule, file, _ in checked if rule == "slug-duplicate"}
    checked = {item for item in checked if item[1] not in unbuilt or item[0] == "slug-duplicate"}
    if built != checked:
        return f"seed {seed}: build-only {sorted(built - checked)}, check-only {sorted(checked - built)} (links {made.made})"
    named = {refused_link_of(tree, file) for file in refused(checked)}
    if named != set(made.outside):
        return f"seed {seed}: findings name {sorted(map(str, named))}, links out of the tree are {sorted(made.outside)}"
    return None
