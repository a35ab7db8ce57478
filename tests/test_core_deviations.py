"""Deliberate deviations from the reference where it crashes or hangs (docs/guide/differences.md)."""

from __future__ import annotations

from om_markdoc.core.document import render_document


def test_comment_inside_link_text_terminates() -> None:
    # The reference loops forever here (its inline comment rule does not advance when probed).
    result = render_document("[a <!-- c --> b](x)\n", allow_comments=True)
    assert result["html"] == '<article><p><a href="x">a  b</a></p></article>'
    assert [e["id"] for e in result["errors"]] == ["child-invalid"]  # links take no comments, as in the reference


def test_unclosed_link_label_with_comment_terminates() -> None:
    result = render_document("[[<!-- c -->\n", allow_comments=True)
    assert result["html"] == "<article><p>[[</p></article>"


def test_tag_splitting_link_text_is_reported_not_raised() -> None:
    # The reference throws a TypeError in its parser here.
    result = render_document("[a{% t %}b]()\n", config={"tags": {"t": {"render": "span"}}})
    assert "exception" not in result
    assert "attribute-missing-required" in [e["id"] for e in result["errors"]]


def test_stray_closing_tag_in_link_text_is_reported_not_raised() -> None:
    # The reference throws a TypeError while balancing delimiters here.
    result = render_document("[{% /if %}](/u)\n")
    assert "exception" not in result
    assert result["html"] == '<article><p><a href="/u"></a></p></article>'
    assert "missing-opening" in [e["id"] for e in result["errors"]]
