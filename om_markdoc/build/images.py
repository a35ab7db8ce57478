"""The images folder, published once for every version of a multi-version site.

Pages of every version name images by the same site path (``/images/v1.7/x.png``), and a page
of one version may show another version's image (a partial of ``v1.5`` included in ``v1.7``).
Copying the images folder into each version's folder made a site grow with the square of its
versions; instead ``om-markdoc build`` copies it once, to ``<site>/images/``, and each version's
build (``shared_images``) links there.  Symbolic links are left out, as every build leaves them
out of the images folder: one could publish a file from outside the tree.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

IMAGES_DIR = "images"
"""The folder of the site root the images are published in."""


def image_files(root: Path) -> dict[str, Path]:
    """The regular files below ``root`` by POSIX path relative to it (links not followed)."""
    found: dict[str, Path] = {}
    pending = [("", root)]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir():
                pending.append((f"{prefix}{entry.name}/", Path(entry.path)))
            elif entry.is_file():
                found[prefix + entry.name] = Path(entry.path)
    return found


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


def publish_images(images_root: Path | None, site_dir: Path) -> int:
    """Make ``<site_dir>/images`` a copy of the images folder: changed files are copied, files
    gone from the folder are removed.  Returns how many files were copied."""
    target_root = site_dir / IMAGES_DIR
    wanted = image_files(images_root) if images_root is not None else {}
    copied = 0
    for rel, source in sorted(wanted.items()):
        target = target_root / rel
        if _same_file(source, target):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copied += 1
    if target_root.is_dir():
        for stale in image_files(target_root).keys() - wanted.keys():
            (target_root / stale).unlink()
    return copied
