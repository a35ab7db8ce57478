"""The images folder, published once for every version of a multi-version site.

Pages of every version name images by the same site path (``/images/v1.7/x.png``), and a page
of one version may show another version's image (a partial of ``v1.5`` included in ``v1.7``).
Copying the images folder into each version's folder made a site grow with the square of its
versions; instead ``om-markdoc build`` copies it once, to ``<site>/images/``, and each version's
build (``shared_images``) links there.  What is copied is the project's own listing of the images
folder (its one tree walk), so a link out of the tree is never published, as in every other build.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Iterable
from pathlib import Path

from ..site.files import walk_tree

IMAGES_DIR = "images"
"""The folder of the site root the images are published in."""


def _same_file(source: Path, target: Path) -> bool:
    """Whether ``target`` already holds ``source``'s bytes: the same size and time, as
    ``shutil.copy2`` leaves them, or, when only the time differs, the same bytes (a published
    file is not rewritten for a touched source)."""
    try:
        theirs, ours = source.stat(), target.stat()
    except OSError:
        return False
    if theirs.st_size != ours.st_size:
        return False
    return theirs.st_mtime_ns == ours.st_mtime_ns or filecmp.cmp(source, target, shallow=False)


def publish_images(images_root: Path | None, names: Iterable[str], site_dir: Path) -> int:
    """Make ``<site_dir>/images`` a copy of the images folder's files ``names`` (POSIX, relative
    to ``images_root``, as the project lists them): changed files are copied, files gone from the
    folder are removed.  Returns how many files were copied."""
    target_root = site_dir / IMAGES_DIR
    wanted = {rel: images_root / rel for rel in names} if images_root is not None else {}
    copied = 0
    for rel, source in sorted(wanted.items()):
        target = target_root / rel
        if _same_file(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    if target_root.is_dir():
        for stale in set(walk_tree(target_root, (target_root,)).files) - wanted.keys():
            (target_root / stale).unlink()
    return copied
