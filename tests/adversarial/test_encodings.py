"""Encodings: a BOM, CRLF, lone CR, mixed line endings and invalid UTF-8 are handled, and the
positions in diagnostics stay those of the file as an editor shows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.dialect.context import PageContext
from om_markdoc.site.frontmatter import split_front_matter
from om_markdoc.site.textfile import decode_bytes, read_text_file

from .conftest import small_tree

BODY = [
    "---",
    "title: T",
    "slug: /t",
    "---",
    "",
    "# T",
    "",
    "Text.",
    "",
    "   {% unknowntag /%}",
    "",
    'x {% image src="javascript:x" alt="a" /%}',
    "",
]
"""Line 10: an unknown tag at column 4; line 12: an unsafe URL at column 17."""


def positions(renderer, text: str) -> set[tuple[str, int, int]]:
    result = renderer.render(text, file="enc.md", context=PageContext(file="enc.md"))
    return {(d.rule, d.line, d.column) for d in result.diagnostics}


EXPECTED = {("tag-undefined", 10, 4), ("url-unsafe", 12, 17)}


@pytest.mark.parametrize(
    "join",
    [
        lambda ls: "\n".join(ls),
        lambda ls: "\r\n".join(ls),
        lambda ls: "\r".join(ls),
        lambda ls: "".join(line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(ls)),
    ],
    ids=["lf", "crlf", "cr", "mixed"],
)
@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["no-bom", "bom"])
def test_positions_survive_line_endings_and_bom(renderer, join, bom: str) -> None:
    text = bom + join(BODY)
    found = positions(renderer, text)
    assert found >= EXPECTED, found
    fm = split_front_matter(text, "enc.md")
    assert fm.meta == {"title": "T", "slug": "/t"} and fm.body_start_line == 5


def test_bom_then_tag_on_line_one_is_column_one(renderer) -> None:
    data = b"\xef\xbb\xbf{% unknowntag /%}\n"
    text, diagnostics = decode_bytes(data, "bom.md")
    assert not diagnostics and not text.startswith("\ufeff")
    assert ("tag-undefined", 1, 1) in positions(renderer, text)


def test_invalid_utf8_names_file_byte_offset_line_and_column(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbfline one\nline two \xff\xfe here\nok\n\xc3"
    path = tmp_path / "bad.md"
    path.write_bytes(data)
    text, diagnostics = read_text_file(path, tmp_path)
    assert "\ufffd" in text and text.endswith("\ufffd")
    first = diagnostics[0]
    assert (first.rule, first.file, first.line, first.column) == ("invalid-utf8", "bad.md", 2, 10)
    offset = data.index(b"\xff")  # BOM included, as xxd counts
    assert f"byte offset {offset}" in first.message
    last = diagnostics[-1]
    assert (last.line, last.column) == (4, 1) and f"byte offset {len(data) - 1}" in last.message


def test_many_invalid_bytes_are_summarised() -> None:
    _, diagnostics = decode_bytes(b"\xff" * 10_000, "junk.md")
    assert len(diagnostics) == 20 and "more invalid sequences" in diagnostics[-1].message


def _check_crlf_page_with_bad_byte(tmp_path: Path) -> set[tuple[str, int]]:
    from om_markdoc.check import CheckOptions, run_check

    guide = "\r\n".join(
        ["---", "title: Guide", "slug: /guide", "---", "", "# Guide", "", "caf\udcff", "", "[broken](/nowhere)", ""]
    )
    root = small_tree(tmp_path / "tree")
    (root / "content/v1.0.x/guide.md").write_bytes(guide.encode("utf-8", "surrogateescape"))
    report = run_check(root, CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1))
    return {(f.rule, f.line) for f in report.findings if f.file == "content/v1.0.x/guide.md"}


def test_check_positions_in_a_crlf_page_with_a_bad_byte(tmp_path: Path) -> None:
    found = _check_crlf_page_with_bad_byte(tmp_path)
    assert ("link-broken", 10) in found, found


def test_check_reports_invalid_utf8_in_pages(tmp_path: Path) -> None:
    found = _check_crlf_page_with_bad_byte(tmp_path)
    assert ("invalid-utf8", 8) in found, found
