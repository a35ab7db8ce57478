"""``om-markdoc fmt``: in place, ``--check``, ``--diff``, folders, stdin, bad input, exit codes."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
import yaml

from om_markdoc.cli import COMMANDS, main

UGLY = "* a\n* b\n\n{%   note    type=\"x\"   %}\nbody\n{% /note %}\n"
PRETTY = "* a\n* b\n\n{% note type=\"x\" %}\nbody\n{% /note %}\n"
# The reference drops GFM column alignment: the page would render differently.
DAMAGING = "| a |\n|:-|\n| b |\n\ntext\n"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def test_registered() -> None:
    assert "fmt" in COMMANDS


def test_formats_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "a.md", UGLY)
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == PRETTY
    assert "1 of 1 file(s) reformatted" in capsys.readouterr().err
    assert main(["fmt", str(page)]) == 0 and page.read_text() == PRETTY


def test_check_lists_files_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ugly, pretty = write(tmp_path, "ugly.md", UGLY), write(tmp_path, "pretty.md", PRETTY)
    assert main(["fmt", "--check", str(ugly), str(pretty)]) == 1
    out = capsys.readouterr().out
    assert f"would reformat {ugly}" in out and str(pretty) not in out
    assert ugly.read_text() == UGLY
    assert main(["fmt", "--check", str(pretty)]) == 0


def test_diff_prints_unified_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "a.md", UGLY)
    assert main(["fmt", "--diff", str(page)]) == 0
    out = capsys.readouterr().out
    assert f"--- a/{page}" in out and f"+++ b/{page}" in out
    assert '-{%   note    type="x"   %}' in out and '+{% note type="x" %}' in out
    assert page.read_text() == UGLY
    assert main(["fmt", "--diff", "--check", str(page)]) == 1


def test_walks_folders_for_md_only(tmp_path: Path) -> None:
    nested = write(tmp_path, "docs/sub/page.md", UGLY)
    other = write(tmp_path, "docs/notes.txt", UGLY)
    hidden = write(tmp_path, "docs/.cache/page.md", UGLY)
    assert main(["fmt", str(tmp_path / "docs")]) == 0
    assert nested.read_text() == PRETTY
    assert other.read_text() == UGLY and hidden.read_text() == UGLY


def test_keeps_pages_whose_rendering_would_change(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "t.md", DAMAGING)
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == DAMAGING
    assert f"{page}:1:1: warning: formatting would change the rendered page" in capsys.readouterr().err
    assert main(["fmt", "--check", str(page)]) == 0
    assert main(["fmt", "--force", str(page)]) == 0
    assert page.read_text() == "| a |\n| - |\n| b |\n\ntext\n"


def test_render_warning_points_at_the_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "t.md", "# Title\n\npara\n\n" + DAMAGING)
    main(["fmt", str(page)])
    assert f"{page}:5:1: warning:" in capsys.readouterr().err


def test_invalid_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "bad.md", b"fine\nok \xff here\n")
    assert main(["fmt", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"{page}:2:4: error: invalid UTF-8 (byte 0xff)" in err and "Traceback" not in err
    assert page.read_bytes() == b"fine\nok \xff here\n"


def test_too_large(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from om_markdoc.cli import fmt_cmd

    monkeypatch.setattr(fmt_cmd, "MAX_FILE_BYTES", 10)
    page = write(tmp_path, "big.md", "x" * 11)
    assert main(["fmt", str(page)]) == 1
    assert f"{page}:1:1: error: file is over 10 bytes" in capsys.readouterr().err


def test_too_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = write(tmp_path, "deep.md", "{% a %}\n\n" * 60 + "x\n")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)
    try:
        code = main(["fmt", str(page)])
    finally:
        sys.setrecursionlimit(limit)
    assert code == 1
    assert f"{page}:1:1: error: nested too deeply to format" in capsys.readouterr().err


def test_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = write(tmp_path, "locked.md", UGLY)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # chmod 0 does not stop root
    assert main(["fmt", str(page)]) == 1
    assert f"{page}:1:1: error: cannot read: Permission denied" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "missing.md")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["fmt", "--max-width", "0", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["fmt"])
    assert exc.value.code == 2


def test_stdin_to_stdout_angle_delimiters(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("<%   note a=1 %>\nx\n<% /note %>\n"))
    assert main(["fmt", "--delimiters", "angle", "-"]) == 0
    assert capsys.readouterr().out == "<% note a=1 %>\nx\n<% /note %>\n"


def test_options(tmp_path: Path) -> None:
    page = write(tmp_path, "o.md", "1. a\n1. b\n\n{% t first=1 second=2 /%}\n")
    assert main(["fmt", "--ordered-list-mode", "increment", "--max-width", "20", str(page)]) == 0
    assert page.read_text() == "1. a\n2. b\n\n{% t\n   first=1\n   second=2 /%}\n"


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml").read_text())
    by_id = {hook["id"]: hook for hook in hooks}
    assert by_id["om-markdoc-fmt"]["entry"] == "om-markdoc fmt"
    assert by_id["om-markdoc-check"]["entry"] == "om-markdoc check"
    assert by_id["om-markdoc-check"]["pass_filenames"] is False
