"""Every write path of ``om-markdoc fmt`` against a byte-level oracle (hypothesis).

Pages are put together from blocks that the reference printer mishandles (broken tags, aligned
tables, code spans with spaces, live backslashes, list-marker line starts, nested lists) and ordinary ones,
then stored with LF, CRLF, CR-only or mixed line breaks, with or without a BOM, writable or
read-only, and run through ``fmt``, ``fmt --check`` and ``fmt --diff``.  The oracle:

* ``--check`` and ``--diff`` never change a byte, and nor does ``fmt`` on a skipped file
  (CR-only, mixed) or a read-only one;
* ``fmt`` writes exactly the BOM the file had, the file's one line-break style throughout, and
  as text the formatting of the file's text (``format_checked``), which renders the same HTML as
  the original and holds every broken tag of it byte for byte;
* ``fmt -`` writes to standard output the bytes ``fmt`` writes to the file (the input itself
  when it is skipped);
* a second ``fmt`` changes nothing.

The suite runs a few examples; for a long run set ``OM_MARKDOC_FMT_EXAMPLES``, e.g.
``OM_MARKDOC_FMT_EXAMPLES=5000 pytest tests/format/test_fmt_bytes.py``.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from om_markdoc.cli import main
from om_markdoc.core import api
from om_markdoc.core.format_safe import format_checked, rendered
from om_markdoc.site.textfile import line_break_style

EXAMPLES = int(os.environ.get("OM_MARKDOC_FMT_EXAMPLES", "40"))
BOM = b"\xef\xbb\xbf"
BROKEN_TAGS = ('{% image src=/images/v1.0/shot.png alt="x" /%}', "{%  link  to=/a/b %}", '{% note type="x %}')
BLOCKS = (
    "#  Title",
    "Some   text with *emphasis*  and `  spaced code  ` here",
    "* one\n* two\n* three",
    "1. first\n1. second",
    "- **a**: b\n- c:\n    1. d\n    - e",
    '{%   note   type="info"   %}\nBody text.\n{% /note %}',
    *BROKEN_TAGS,
    "Inline {% tag a=/b %} broken and {%  ok  /%} fine",
    "| a | b | c |\n|:-|-:|:-:|\n| x | y | z |",
    "| plain | table |\n|---|---|\n| 1 | 2 |",
    "Ends in a backslash\\\\\nnext line",
    "1\\. not a list",
    "> quoted\n> text",
    "```js\nconst x = 1;\n\n```",
    '{% image src="/images/a.png" alt="A long alternative text that makes the tag opening wide" caption="c" /%}',
    "Text with `` a`b `` and ``` `` ```",
)
STYLES = ("\n", "\r\n", "\r", "mixed")


def _encode(text: str, style: str, bom: bool) -> bytes:
    if style == "mixed":
        lines = text.split("\n")
        body = "\r\n".join(lines[:2]) + "\n" + "\n".join(lines[2:]) if len(lines) > 2 else text.replace("\n", "\r\n") + "\n"
    else:
        body = text.replace("\n", style)
    return (BOM if bom else b"") + body.encode("utf-8")


def _run(*args: str) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["fmt", *args])
    return code, err.getvalue()


def _run_stdin(data: bytes) -> bytes:
    """``fmt -`` on ``data``: the bytes it writes to standard output."""
    out = io.TextIOWrapper(io.BytesIO())
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(out):
            main(["fmt", "-"])
    finally:
        sys.stdin = saved
    out.flush()
    return out.buffer.getvalue()


pages = st.lists(st.sampled_from(BLOCKS), min_size=1, max_size=6).map(lambda blocks: "\n\n".join(blocks) + "\n")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=pages, style=st.sampled_from(STYLES), bom=st.booleans(), read_only=st.booleans())
def test_fmt_changes_only_what_it_means_to(page: str, style: str, bom: bool, read_only: bool) -> None:
    data = _encode(page, style, bom)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "page.md")
        path.write_bytes(data)
        if read_only:
            path.chmod(0o444)
        for mode in ("--check", "--diff"):
            _run(mode, str(path))
            assert path.read_bytes() == data, f"{mode} wrote to the file"
        code, err = _run(str(path))
        written = path.read_bytes()
        if style in ("\r", "mixed"):
            assert written == data and code == 1 and "error: skipped, because" in err
            assert _run_stdin(data) == data
            return
        text = page.replace("\r\n", "\n")
        outcome = format_checked(text)
        if read_only:
            assert written == data
            assert (code == 1) == outcome.changed and ("read-only" in err) == outcome.changed
            return
        assert code == 0, err
        assert _run_stdin(data) == written
        assert written.startswith(BOM) == bom
        body = written[len(BOM) :] if bom else written
        decoded = body.decode("utf-8")
        assert line_break_style(decoded)[1] is None and line_break_style(decoded)[0] in ("", style)
        assert decoded.replace("\r\n", "\n") == outcome.text
        assert rendered(api.parse(outcome.text)) == rendered(api.parse(text))
        for tag in BROKEN_TAGS:
            assert outcome.text.count(tag) == text.count(tag), f"{tag} not kept as written"
        _run(str(path))
        assert path.read_bytes() == written, "a second fmt changed the file"
