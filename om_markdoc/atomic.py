"""Replacing a file so that a reader (or a crash) never sees half of it: fmt, check --fix,
check --update-baseline, every cache (check's, the examples', external links', the plugin's
pages and diagnostics) and ``om-markdoc build``'s own files all write through ``write_atomic``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``, keeping
    the permissions of the file it replaces; a new file gets the usual ones (the process's
    umask), since a site folder's files must stay readable by the web server (line endings are
    written as given)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def write_if_changed(path: Path, text: str) -> bool:
    """``write_atomic``, unless the file already holds ``text``: an unchanged file keeps its
    modification time (deploy tools sync by it).  True if the file was written."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):  # missing or damaged: write it
        pass
    write_atomic(path, text)
    return True
