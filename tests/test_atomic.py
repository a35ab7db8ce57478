"""``om_markdoc.atomic``: whole files or nothing, with the permissions a reader expects."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from om_markdoc.atomic import write_atomic, write_if_changed


def test_a_new_file_gets_the_umask_permissions_not_a_private_temporary_mode(tmp_path: Path) -> None:
    """A site's files must stay readable by a web server: not the 0600 of a temporary file."""
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "site" / "versions.json", "[]\n")
    finally:
        os.umask(previous)
    mode = stat.S_IMODE((tmp_path / "site" / "versions.json").stat().st_mode)
    assert mode == 0o644
    assert [p.name for p in (tmp_path / "site").iterdir()] == ["versions.json"]  # no temporary left


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    write_atomic(path, "new\r\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.read_bytes() == b"new\r\n"  # line endings as given


def test_an_unchanged_file_is_not_written_again(tmp_path: Path) -> None:
    path = tmp_path / "index.html"
    assert write_if_changed(path, "<p>x</p>\n")
    os.utime(path, (1_000_000, 1_000_000))
    assert not write_if_changed(path, "<p>x</p>\n")
    assert path.stat().st_mtime == 1_000_000
    assert write_if_changed(path, "<p>y</p>\n") and path.read_text(encoding="utf-8") == "<p>y</p>\n"
