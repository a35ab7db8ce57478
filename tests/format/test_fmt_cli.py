"""``om-markdoc fmt``: in place, ``--check``, ``--diff``, folders, stdin, bad input, exit codes,
what the reference would break (kept), line breaks and BOMs (kept), files it must not touch."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from om_markdoc.cli import COMMANDS, main

UGLY = "* a\n* b\n\n{%   note    type=\"x\"   %}\nbody\n{% /note %}\n"
PRETTY = "* a\n* b\n\n{% note type=\"x\" %}\nbody\n{% /note %}\n"
# The reference drops GFM column alignment: its output would render differently.
ALIGNED = "| a |\n|:-|\n| b |\n\ntext\n"
# An escaped bracket: neither printer writes the escape back, so the text would become a link.
DAMAGING = "# T\n\na \\[b](c)\n"
# Two nested lists in a row in a tight list: the reference separates them by a blank line,
# which makes the list loose.
NESTED = "- **a**: b\n- c:\n    1. d\n    - e\n"
# Issue #18: an unquoted attribute value; the tag does not parse and renders as nothing.
BROKEN = '{% image src=/images/v1.0/shot.png alt="x" /%}'


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


def test_diff_applies_with_patch_when_lines_hold_separators(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """U+2028 and a form feed are not line breaks for ``patch``: the diff must not cut lines there."""
    source = "{%   note    %}\nA line\u2028with a separator and a \x0c feed.\n{% /note %}\n"
    page = write(tmp_path / "work", "a.md", source)
    expected = write(tmp_path / "formatted", "a.md", source)
    assert main(["fmt", str(expected)]) == 0
    monkeyed = tmp_path / "work"
    os.chdir(monkeyed)
    try:
        assert main(["fmt", "--diff", "a.md"]) == 0
    finally:
        os.chdir(tmp_path)
    diff = capsys.readouterr().out
    patched = subprocess.run(["patch", "-p1", "-s"], cwd=monkeyed, input=diff.encode("utf-8"), capture_output=True, check=False)
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert page.read_bytes() == expected.read_bytes()


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
    assert f"{page}:3:1: warning: formatting would change the rendered page" in capsys.readouterr().err
    assert main(["fmt", "--check", str(page)]) == 0
    assert main(["fmt", "--force", str(page)]) == 0
    assert page.read_text() != DAMAGING


def test_render_warning_points_at_the_block(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "t.md", "# Title\n\npara\n\n" + ALIGNED)
    main(["fmt", "--reference", str(page)])
    assert f"{page}:5:1: warning:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("mean\\\\\nmedian\n", "mean\\\\\nmedian\n"),  # an escaped backslash, not a hard break
        ("Steps:\n    1. one\n    2. two\n", "Steps:\n1\\. one\n2\\. two\n"),  # lines that would start a list
        ("\n---\ntitle: x\n---\n\n#  T\n", "***\n\ntitle: x\n\n---\n\n# T\n"),  # a rule, not front matter
    ],
    ids=["backslash", "list-start", "leading-rule"],
)
def test_keeps_what_a_reflow_would_change(tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str, expected: str) -> None:
    page = write(tmp_path, "e.md", source)
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == expected
    assert "warning" not in capsys.readouterr().err


def test_keeps_a_tight_list_tight(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "l.md", NESTED)
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == "- **a**: b\n- c:\n  1. d\n  - e\n"
    assert "warning" not in capsys.readouterr().err


def test_keeps_table_alignment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #19: the page the reference would damage is formatted, alignment row kept."""
    page = write(tmp_path, "t.md", "|a|b|c|d|\n|:-|-:|:-:|-|\n|x|y|z|w|\n")
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == "| a  | b  | c   | d |\n| :- | -: | :-: | - |\n| x  | y  | z   | w |\n"
    assert "warning" not in capsys.readouterr().err


def test_keeps_code_span_spaces_and_backticks(tmp_path: Path) -> None:
    page = write(tmp_path, "c.md", "Run `  npm  ` and `` a`b `` {%   x   /%}\n")
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == "Run `  npm  ` and ``a`b`` {% x /%}\n"


def test_reference_mode_is_markdoc_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--reference``: exactly Markdoc.format's text, so a page it would damage is kept."""
    page = write(tmp_path, "t.md", ALIGNED)
    assert main(["fmt", "--reference", str(page)]) == 0
    assert page.read_text() == ALIGNED
    assert f"{page}:1:1: warning: formatting would change the rendered page" in capsys.readouterr().err
    assert main(["fmt", "--reference", "--force", str(page)]) == 0
    assert page.read_text() == "| a |\n| - |\n| b |\n\ntext\n"


def test_broken_tag_is_kept_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Issue #18: a tag with a syntax error is written back as it was, the rest formatted."""
    source = f"#  Shots\n\n{BROKEN}\n\nSee {{%  icon  name=/x  %}} here, {{%   note   /%}}\n"
    page = write(tmp_path, "b.md", source)
    assert main(["fmt", str(page)]) == 0
    assert page.read_text() == f"# Shots\n\n{BROKEN}\n\nSee {{%  icon  name=/x  %}} here, {{% note /%}}\n"
    assert "warning" not in capsys.readouterr().err


def test_reference_mode_refuses_to_drop_a_broken_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The reference prints a broken tag as nothing; its HTML is nothing too, so only the text
    check sees the loss, and the page is kept."""
    source = f"Text   here\n\n{BROKEN}\n"
    page = write(tmp_path, "b.md", source)
    assert main(["fmt", "--reference", str(page)]) == 0
    assert page.read_text() == source
    assert f"{page}:3:1: warning: formatting would change the page's text from here" in capsys.readouterr().err


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_keeps_line_breaks_and_bom(tmp_path: Path, bom: bytes, newline: bytes) -> None:
    page = write(tmp_path, "p.md", bom + UGLY.encode().replace(b"\n", newline))
    assert main(["fmt", str(page)]) == 0
    assert page.read_bytes() == bom + PRETTY.encode().replace(b"\n", newline)
    assert main(["fmt", "--check", str(page)]) == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"* a\r* b\r", "skipped, because its lines end in CR only"),
        (b"* a\r\n* b\n", "2:1: error: skipped, because its line breaks are mixed (line 1 ends in CRLF, line 2 does not)"),
    ],
    ids=["cr-only", "mixed"],
)
def test_skips_line_breaks_it_cannot_keep(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str) -> None:
    page = write(tmp_path, "p.md", content)
    assert main(["fmt", str(page)]) == 1
    assert reason in capsys.readouterr().err
    assert page.read_bytes() == content


def test_read_only_file_is_not_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "ro.md", UGLY)
    page.chmod(0o444)
    assert main(["fmt", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"{page}:1:1: error: not rewritten, because the file is read-only" in err
    assert "0 of 1 file(s) reformatted" in err
    assert page.read_text() == UGLY and page.stat().st_mode & 0o777 == 0o444
    assert main(["fmt", "--check", str(page)]) == 1 and page.read_text() == UGLY


def test_symbolic_link_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = write(tmp_path, "real/page.md", UGLY)
    link = tmp_path / "docs" / "page.md"
    link.parent.mkdir()
    os.symlink(target, link)
    assert main(["fmt", str(tmp_path / "docs")]) == 1
    assert f"{link}:1:1: error: skipped, because it is a symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text() == UGLY


def test_invalid_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = write(tmp_path, "bad.md", b"fine\nok \xff here\n")
    assert main(["fmt", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"{page}:2:4: error: skipped, because it is not valid UTF-8 (byte 0xff)" in err and "Traceback" not in err
    assert page.read_bytes() == b"fine\nok \xff here\n"


def test_too_large(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from om_markdoc.cli import fmt_cmd

    monkeypatch.setattr(fmt_cmd, "MAX_FILE_BYTES", 10)
    page = write(tmp_path, "big.md", "x" * 11)
    assert main(["fmt", str(page)]) == 1
    assert f"{page}:1:1: error: skipped, because the file is over 10 bytes" in capsys.readouterr().err


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


def test_table_without_header_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Found by fuzzing: a table whose header row holds only a tag; the reference throws."""
    page = write(tmp_path, "t.md", "a||\n-|-\n{%x%}\\\n")
    assert main(["fmt", str(page)]) == 1
    err = capsys.readouterr().err
    assert f"{page}:1:1: error: cannot format: a GFM table without a header row" in err and "Traceback" not in err
    assert page.read_text() == "a||\n-|-\n{%x%}\\\n"


def test_unreadable(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = write(tmp_path, "locked.md", UGLY)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # chmod 0 does not stop root
    assert main(["fmt", str(page)]) == 1
    assert f"{page}:1:1: error: skipped, because it cannot be read: Permission denied" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fmt", str(tmp_path / "missing.md")]) == 2
    assert "no such file or directory" in capsys.readouterr().err
    assert main(["fmt", "--max-width", "0", str(tmp_path)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["fmt"])
    assert exc.value.code == 2


def stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin_to_stdout_angle_delimiters(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin(monkeypatch, b"<%   note a=1 %>\nx\n<% /note %>\n")
    assert main(["fmt", "--delimiters", "angle", "-"]) == 0
    assert capsys.readouterr().out == "<% note a=1 %>\nx\n<% /note %>\n"


def test_stdin_keeps_crlf_and_bom(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    stdin(monkeypatch, b"\xef\xbb\xbf" + UGLY.encode().replace(b"\n", b"\r\n"))
    assert main(["fmt", "-"]) == 0
    assert capsysbinary.readouterr().out == b"\xef\xbb\xbf" + PRETTY.encode().replace(b"\n", b"\r\n")


def test_stdin_that_is_skipped_comes_back_unchanged(
    monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    stdin(monkeypatch, b"* a\r\n* b\n")
    assert main(["fmt", "-"]) == 1
    captured = capsysbinary.readouterr()
    assert captured.out == b"* a\r\n* b\n" and b"<stdin>:2:1: error: skipped, because" in captured.err


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
