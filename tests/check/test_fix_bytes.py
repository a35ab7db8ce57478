"""``check --fix`` and ``--diff`` byte for byte: a fixed file differs from the file read only
inside the intended edits, whatever its line breaks (LF, CRLF, CR, mixed), BOM, final newline
or line-like characters (U+2028, form feed, NEL); the ``--diff`` output applies with ``patch
-p1`` and with ``git apply`` to exactly the bytes ``--fix`` writes; files that must not be
rewritten (read-only, invalid UTF-8, changed while checked) are left alone with a "skipped ...,
because ..." line.  The property test runs a few dozen random files here;
``benchmarks/fuzz_write.py`` runs it for as long as asked."""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from om_markdoc.check import fix as fix_module
from om_markdoc.cli import check_cmd
from om_markdoc.dialect.pipeline import source_lines
from om_markdoc.site.textfile import encode_like_original, line_number, line_starts

PAGE = "content/v1.0.x/index.md"
BOM = b"\xef\xbb\xbf"
BAD_IMAGE, GOOD_IMAGE = b"![x](/images/v1.0//a.png)", b"![x](/images/v1.0/a.png)"
OPEN_AGAIN = b"{% codeInfo srNumber=2 %}"


@dataclass(frozen=True)
class Sample:
    """A page as bytes and the bytes ``--fix`` must turn it into."""

    data: bytes
    fixed: bytes


def sample(breaks: list[bytes], *, bom: bool = False, filler: list[bytes] | None = None, final: bool = True) -> Sample:
    """A page whose lines end with ``breaks`` (cycled), holding an image path with ``//`` and a
    reopened ``codeInfo``: both fixed by ``--fix``, one in place, one by inserting a line.  The
    inserted line ends like the line it is inserted before; ``filler`` lines surround both, so
    they are in the diff's context."""
    filler = filler or []
    lines = [b"---", b"title: Home", b"slug: /", b"---", b"# Home", b"", b"{% codeInfo srNumber=1 %}", b"one", *filler, b""]
    lines += [OPEN_AGAIN, b"two", b"{% /codeInfo %}", b"", *filler, BAD_IMAGE, *filler, b"end"]
    ends = [breaks[i % len(breaks)] for i in range(len(lines))]
    if not final:
        ends[-1] = b""
    data = b"".join(line + end for line, end in zip(lines, ends, strict=True))
    closing = b"{% /codeInfo %}" + ends[lines.index(OPEN_AGAIN)]
    fixed = data.replace(OPEN_AGAIN, closing + OPEN_AGAIN, 1).replace(BAD_IMAGE, GOOD_IMAGE, 1)
    return Sample(BOM + data if bom else data, BOM + fixed if bom else fixed)


STYLES = {
    "lf": sample([b"\n"]),
    "crlf": sample([b"\r\n"]),
    "cr": sample([b"\r"]),
    "mixed": sample([b"\n", b"\r\n", b"\r"]),
    "bom-crlf": sample([b"\r\n"], bom=True),
    "bom-cr": sample([b"\r"], bom=True),
    "no-final-newline": sample([b"\r\n"], final=False),
    "line-separator": sample([b"\n"], filler=["a\u2028b \u2029 c".encode(), b"d\x0ce", "f\x85g\x1ch".encode()]),
    "line-separator-crlf": sample([b"\r\n"], bom=True, filler=["a\u2028b".encode(), b"\x0c."], final=False),
}


def make_tree(root: Path, data: bytes) -> Path:
    (root / "content" / "partials").mkdir(parents=True)
    (root / "images" / "v1.0").mkdir(parents=True)
    (root / "images" / "v1.0" / "a.png").write_bytes(b"\x89PNG")
    (root / PAGE).parent.mkdir(parents=True)
    (root / PAGE).write_bytes(data)
    return root


def check(root: Path, *flags: str) -> int:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    return check_cmd.run(parser.parse_args([str(root), "--no-cache", "--no-examples", *flags]))


def diff_of(root: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> tuple[bytes, str]:
    """``--diff``'s stdout (bytes, as a pipe into ``patch`` gets them) and stderr."""
    check(root, "--diff")
    out = capsysbinary.readouterr()
    return out.out, out.err.decode("utf-8")


def apply_with(tool: str, tree: Path, diff: bytes, workdir: Path, page: str = PAGE) -> bytes:
    """``page`` after ``tool`` (``patch`` or ``git``) applied ``diff`` to a copy of ``tree``."""
    copy = workdir / f"applied-{tool}"
    shutil.copytree(tree, copy)
    if tool == "patch":
        command = ["patch", "-p1", "--forward", "--batch", "--no-backup-if-mismatch"]
    else:
        subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
        command = ["git", "-c", "core.autocrlf=false", "apply", "-p1", "--whitespace=nowarn", "-"]
    done = subprocess.run(command, cwd=copy, input=diff, capture_output=True)
    assert done.returncode == 0, f"{tool} refused the diff: {done.stdout!r} {done.stderr!r}\n{diff!r}"
    return (copy / page).read_bytes()


@pytest.mark.parametrize("style", sorted(STYLES))
def test_fix_changes_only_the_edits_and_the_diff_applies(style: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    page = STYLES[style]
    root = make_tree(tmp_path / "tree", page.data)
    diff, notes = diff_of(root, capsysbinary)
    assert (root / PAGE).read_bytes() == page.data, "--diff wrote the file"
    assert "would apply 2 fix(es) in 1 file(s); 0 skipped" in notes, notes
    for tool in ("patch", "git"):
        assert apply_with(tool, root, diff, tmp_path) == page.fixed, f"the diff applied with {tool} gives other bytes"
    check(root, "--fix")
    assert "applied 2 fix(es) in 1 file(s); 0 skipped" in capsysbinary.readouterr().err.decode()
    assert (root / PAGE).read_bytes() == page.fixed


def test_read_only_file_is_reported_and_left_alone(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    page = STYLES["crlf"]
    root = make_tree(tmp_path / "tree", page.data)
    (root / PAGE).chmod(0o444)
    diff, notes = diff_of(root, capsysbinary)
    assert diff == b"" and "would apply 0 fix(es) in 0 file(s); 2 skipped" in notes
    check(root, "--fix")
    notes = capsysbinary.readouterr().err.decode()
    assert f"skipped {PAGE}:14:6: image path written as the existing file '/images/v1.0/a.png' [image-missing], because the file is read-only" in notes
    assert (root / PAGE).read_bytes() == page.data and (root / PAGE).stat().st_mode & 0o777 == 0o444


def test_invalid_utf8_file_is_reported_and_left_alone(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    data = STYLES["lf"].data.replace(b"# Home", b"# Ho\xffme")
    root = make_tree(tmp_path / "tree", data)
    check(root, "--fix")
    notes = capsysbinary.readouterr().err.decode()
    assert f"skipped {PAGE}:10:1: 'codeInfo' closed before it is opened again [tag-auto-closed], because the file is not valid UTF-8" in notes
    assert "applied 0 fix(es) in 0 file(s); 2 skipped" in notes
    assert (root / PAGE).read_bytes() == data


def test_file_changed_while_checked_is_left_alone(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_tree(tmp_path / "tree", STYLES["lf"].data)
    saved = STYLES["lf"].data + b"saved by an editor meanwhile\n"

    def plan_then_edit(run):  # an editor saves the page after the fixes were planned
        plan = fix_module.plan_fixes(run)
        (root / PAGE).write_bytes(saved)
        return plan

    monkeypatch.setattr(check_cmd, "plan_fixes", plan_then_edit)
    check(root, "--fix")
    assert "because the file changed while it was checked" in capsysbinary.readouterr().err.decode()
    assert (root / PAGE).read_bytes() == saved


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "\r", "\r\n", "\u2028", "\u2029", "\x0c", "\x85", "\x1c", "\x0b"])).map("".join))
def test_one_line_rule_for_findings_fixes_and_the_renderer(text: str) -> None:
    """The offsets fixes and baselines use start exactly the lines the renderer counts."""
    starts, lines = line_starts(text), source_lines(text)
    assert len(starts) == len(lines)
    for number, (start, line) in enumerate(zip(starts, lines, strict=True), 1):
        assert text.startswith(line, start) and line_number(starts, start + len(line)) == number


@pytest.mark.parametrize(
    ("original", "text", "written"),
    [
        (b"a\r\nb\r\n", "a\nB\nc\n", b"a\r\nB\r\nc\r\n"),  # normalised text back to CRLF
        (BOM + b"a\rb", "a\nB", BOM + b"a\rB"),  # CR only, BOM kept
        (b"a\r\nb\n", "a\nB\n", b"a\nB\n"),  # mixed: no single style to go back to
        (BOM + b"a\r\nb\r\n", "a\r\nB\r\n", BOM + b"a\r\nB\r\n"),  # edited in its own breaks
    ],
)
def test_encode_like_original(original: bytes, text: str, written: bytes) -> None:
    assert encode_like_original(text, original) == written


def test_a_linked_page_is_fixed_in_its_file_and_stays_a_link(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    page = STYLES["crlf"]
    root = make_tree(tmp_path / "tree", page.data)
    real = root / "content" / "v1.0.x" / "shared" / "real.md"
    real.parent.mkdir()
    (root / PAGE).rename(real)
    (root / PAGE).symlink_to("shared/real.md")
    check(root, "--fix")
    notes = capsysbinary.readouterr().err.decode()
    assert (root / PAGE).is_symlink() and real.read_bytes() == page.fixed
    assert "applied 2 fix(es) in 1 file(s)" in notes
    assert "content/v1.0.x/shared/real.md:14:6: image path written as the existing file '/images/v1.0/a.png' [image-missing], because the file changed while it was checked" in notes


@pytest.mark.parametrize("name", ["my page.md", 'a "quoted"\tname.md', "back\\slash ünï.md"])
def test_diff_names_any_file_so_patch_and_git_find_it(name: str, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    page = STYLES["lf"]
    root = make_tree(tmp_path / "tree", page.data)
    (root / PAGE).rename(root / PAGE.replace("index.md", name))
    diff, _notes = diff_of(root, capsysbinary)
    assert diff.count(b"\n+++ ") == 1
    for tool in ("patch", "git"):
        assert apply_with(tool, root, diff, tmp_path, PAGE.replace("index.md", name)) == page.fixed, tool


# -- the property: random files, the fix and the diff change only the intended bytes -----------

LINE_TEXT = st.text(st.sampled_from(list("abc xyz") + ["é", "\u2028", "\u2029", "\x0c", "\x85", "\x1c", "\x0b", "\u00a0", "😀"]), max_size=12)
BREAKS = st.lists(st.sampled_from([b"\n", b"\r\n", b"\r"]), min_size=1, max_size=4)


@st.composite
def pages(draw: st.DrawFn) -> Sample:
    # every filler line holds a letter: the check takes a line of only U+2028, form feeds and the
    # like for a blank one (``check.recorder.find_in_construct`` uses ``str.strip``) and then
    # places the image at its paragraph's start, where no fix can find it
    filler = [f"w{line}".encode() for line in draw(st.lists(LINE_TEXT, max_size=6))]
    return sample(draw(BREAKS), bom=draw(st.booleans()), filler=filler, final=draw(st.booleans()))


def oracle(page: Sample, workdir: Path) -> None:
    """``--diff`` applied with ``patch`` and ``git apply``, and ``--fix``, all give exactly the
    intended bytes (``benchmarks/fuzz_write.py`` calls this too, outside pytest)."""
    root = make_tree(workdir / "tree", page.data)
    with captured() as out:
        check(root, "--diff")
    for tool in ("patch", "git"):
        assert apply_with(tool, root, out.getvalue(), workdir) == page.fixed, f"the diff applied with {tool} gives other bytes"
    with captured():
        check(root, "--fix")
    assert (root / PAGE).read_bytes() == page.fixed


@contextmanager
def captured() -> Iterator[io.BytesIO]:
    """stdout as bytes, stderr dropped, for the duration."""
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    try:
        with redirect_stdout(text), redirect_stderr(io.StringIO()):
            yield out
    finally:
        text.detach()  # closing the wrapper would close ``out``


EXAMPLES = int(os.environ.get("FUZZ_WRITE_EXAMPLES", "20"))
"""Random files in the suite; ``benchmarks/fuzz_write.py`` runs as many as asked."""


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(page=pages())
def test_fix_touches_only_the_intended_bytes(page: Sample, tmp_path_factory: pytest.TempPathFactory) -> None:
    oracle(page, tmp_path_factory.mktemp("fuzz"))
