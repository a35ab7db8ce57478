"""Diagnostics, decoding and front matter: every problem is a located Diagnostic, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from om_markdoc.diagnostics import Diagnostic, display_path
from om_markdoc.site.frontmatter import split_front_matter
from om_markdoc.site.textfile import decode_bytes, read_head, read_text_file


def test_diagnostic_format_and_chain() -> None:
    d = Diagnostic("partial-missing", "error", "partial /v1.5/x.md not found", "partials/v1.5/a.md", 3, 7,
                   (("v1.5.x/page.md", 12),))
    assert d.format() == "partials/v1.5/a.md:3:7: error: partial /v1.5/x.md not found [partial-missing]"
    assert d.format(include_chain=True).endswith("(via v1.5.x/page.md:12)")
    assert d.format_chain() == "v1.5.x/page.md:12"
    assert d.to_dict()["chain"] == [{"file": "v1.5.x/page.md", "line": 12}]
    assert str(Diagnostic("r", "info", "m", "f", 1)) == "f:1:1: info: m [r]"
    with pytest.raises(ValueError):
        Diagnostic("r", "fatal", "m", "f", 1)


def test_display_path(tmp_path: Path) -> None:
    assert display_path(tmp_path / "a" / "b.md", tmp_path) == "a/b.md"
    assert display_path("/elsewhere/x.md", tmp_path) == "/elsewhere/x.md"


def test_front_matter_values_and_lines() -> None:
    fm = split_front_matter("---\ntitle: Hello\nslug: /a/b\n---\n# Body\n", "p.md")
    assert fm.meta == {"title": "Hello", "slug": "/a/b"}
    assert fm.body_start_line == 5
    assert fm.raw == "title: Hello\nslug: /a/b"
    assert fm.key_lines == {"title": 2, "slug": 3}
    assert fm.line_of("slug") == 3 and fm.line_of("nope") == 1
    assert fm.diagnostics == []


def test_front_matter_recognition_is_markdocs() -> None:
    # No front matter: body starts at line 1.
    fm = split_front_matter("# Title\n---\nx: 1\n---\n", "p.md")
    assert fm.meta == {} and fm.raw is None and fm.body_start_line == 1 and fm.diagnostics == []
    # Fences may carry surrounding whitespace (Markdoc trims the line).
    assert split_front_matter("---  \na: 1\n  ---\n", "p.md").meta == {"a": 1}
    # Empty front matter is fine.
    fm = split_front_matter("---\n---\nbody", "p.md")
    assert fm.meta == {} and fm.diagnostics == [] and fm.body_start_line == 3


def test_front_matter_crlf_and_cr() -> None:
    fm = split_front_matter("---\r\ntitle: A\r\nslug: /x\r\n---\r\nbody\r\n", "p.md")
    assert fm.meta == {"title": "A", "slug": "/x"} and fm.body_start_line == 5
    assert split_front_matter("---\rtitle: A\r---\rbody", "p.md").meta == {"title": "A"}


def test_unclosed_front_matter_is_a_warning_only_on_whole_files() -> None:
    fm = split_front_matter("---\ntitle: x\nno end\n", "p.md")
    assert fm.meta == {} and [d.rule for d in fm.diagnostics] == ["frontmatter-unclosed"]
    assert split_front_matter("---\ntitle: x\n", "p.md", complete=False).diagnostics == []


def test_invalid_yaml_is_located_in_the_file() -> None:
    fm = split_front_matter("---\ntitle: ok\nslug: [unclosed\nother: 1\n---\nbody\n", "bad.md")
    assert fm.meta == {}
    (d,) = fm.diagnostics
    assert d.rule == "frontmatter-yaml" and d.severity == "error" and d.file == "bad.md"
    assert d.line >= 4  # the error is found after the '[' on line 4, never at YAML's own line 0
    fm = split_front_matter("---\ntitle: ok\n  bad: indent\n---\n", "bad.md")
    (d,) = fm.diagnostics
    assert (d.line, d.column) == (3, 6)


def test_front_matter_must_be_a_mapping() -> None:
    fm = split_front_matter("---\n- a\n- b\n---\n", "l.md")
    assert fm.meta == {}
    assert [(d.rule, d.line) for d in fm.diagnostics] == [("frontmatter-not-mapping", 2)]
    assert split_front_matter("---\njust text\n---\n", "l.md").diagnostics[0].rule == "frontmatter-not-mapping"


def test_alias_bomb_is_refused() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    fm = split_front_matter("---\n" + "\n".join(levels) + "\n---\n", "bomb.md")
    assert fm.meta == {}
    assert [d.rule for d in fm.diagnostics] == ["frontmatter-alias-bomb"]
    # Many aliases, even cheap ones, are capped too.
    many = "---\nx: &x 1\nl: [" + ", ".join(["*x"] * 150) + "]\n---\n"
    assert split_front_matter(many, "m.md").diagnostics[0].rule == "frontmatter-alias-bomb"
    # A recursive anchor.
    assert split_front_matter("---\na: &r [*r]\n---\n", "r.md").diagnostics[0].message == "recursive YAML alias"
    # A couple of ordinary aliases are fine.
    assert split_front_matter("---\nx: &x 1\ny: *x\n---\n", "ok.md").meta == {"x": 1, "y": 1}


def test_size_cap_and_odd_values() -> None:
    fm = split_front_matter("---\nt: " + "x" * 200 + "\n---\n", "big.md", max_bytes=100)
    assert [d.rule for d in fm.diagnostics] == ["frontmatter-too-large"]
    fm = split_front_matter("---\nd: 2024-02-30\n---\n", "date.md")  # PyYAML raises ValueError here
    assert [d.rule for d in fm.diagnostics] == ["frontmatter-yaml"]
    fm = split_front_matter("---\na: \x00\n---\n", "nul.md")
    assert fm.diagnostics[0].rule == "frontmatter-yaml" and fm.diagnostics[0].line == 2
    fm = split_front_matter("---\na: " + "[" * 5000 + "\n---\n", "deep.md")
    assert fm.diagnostics and fm.diagnostics[0].rule == "frontmatter-yaml"


def test_duplicate_key_warns_and_last_wins() -> None:
    fm = split_front_matter("---\nslug: /a\ntitle: T\nslug: /b\n---\n", "d.md")
    assert fm.meta["slug"] == "/b" and fm.key_lines["slug"] == 4
    assert [(d.rule, d.severity, d.line) for d in fm.diagnostics] == [("frontmatter-duplicate-key", "warning", 4)]


def test_decode_bom_and_invalid_utf8(tmp_path: Path) -> None:
    assert decode_bytes(b"\xef\xbb\xbf---\n", "f") == ("---\n", [])
    text, diagnostics = decode_bytes(b"ab\ncd\xffe\n", "f.md")
    assert text == "ab\ncd\ufffde\n"
    (d,) = diagnostics
    assert (d.rule, d.line, d.column) == ("invalid-utf8", 2, 3)
    assert "byte offset 5" in d.message and "0xff" in d.message
    # With a BOM the offset still counts file bytes.
    _, (d,) = decode_bytes(b"\xef\xbb\xbfx\xc3(", "f.md")
    assert "byte offset 4" in d.message and (d.line, d.column) == (1, 2)
    # Floods are summarised.
    _, diagnostics = decode_bytes(b"\xff" * 50, "f.md")
    assert len(diagnostics) == 20 and "30 more" in diagnostics[-1].message


def test_read_text_file(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "p.md"
    page.parent.mkdir()
    page.write_bytes(b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nbody \xe9t\xe9\r\n")
    text, diagnostics = read_text_file(page, tmp_path)
    assert text.startswith("---\r\n") and "\r\n" in text  # BOM gone, CRLF kept
    assert [d.file for d in diagnostics] == ["docs/p.md", "docs/p.md"]
    assert diagnostics[0].line == 4
    text, diagnostics = read_text_file(tmp_path / "missing.md", tmp_path)
    assert text == "" and [(d.rule, d.file) for d in diagnostics] == [("read-error", "missing.md")]
    text, diagnostics = read_text_file(tmp_path, tmp_path)  # a directory
    assert diagnostics[0].rule == "read-error"


def test_read_head_stops_after_front_matter(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: T\n---\n" + "BODY\n" * 1000)
    head, whole, diagnostics = read_head(page, tmp_path)
    assert head == "---\ntitle: T\n---\n" and not whole and diagnostics == []
    page.write_text("# no front matter\nmore\n")
    head, whole, _ = read_head(page, tmp_path)
    assert head == "# no front matter\n" and not whole
    page.write_text("---\ntitle: T\n")
    head, whole, _ = read_head(page, tmp_path)
    assert whole and head == "---\ntitle: T\n"
    page.write_text("---\ntitle: T\n---")
    assert read_head(page, tmp_path)[1] is True
    assert read_head(tmp_path / "nope.md", tmp_path)[2][0].rule == "read-error"
