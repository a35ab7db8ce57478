"""The raw-HTML policy: escaped by default (as Markdoc does), or stripped, or passed through."""

from __future__ import annotations

import pytest

from om_markdoc.dialect.pipeline import DialectRenderer

SOURCE = 'Text <b>bold</b> here.\n\n<div class="x">block</div>\n\n<script>alert(1)</script>\n'


def test_default_escapes_raw_html() -> None:
    html = DialectRenderer().render(SOURCE, file="x.md").html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_strip_removes_raw_html_and_keeps_text() -> None:
    result = DialectRenderer(raw_html="strip").render(SOURCE, file="x.md")
    assert result.html == "<p>Text bold here.</p>"
    assert result.diagnostics == []


def test_allow_passes_raw_html_through() -> None:
    html = DialectRenderer(raw_html="allow").render(SOURCE, file="x.md").html
    assert '<p>Text <b>bold</b> here.</p><div class="x">block</div>' in html
    assert "<script>alert(1)</script>" in html


@pytest.mark.parametrize("policy", ["escape", "strip", "allow"])
def test_tag_attributes_stay_escaped_whatever_the_policy(policy: str) -> None:
    html = DialectRenderer(raw_html=policy).render('{% note title="<img onerror=x>" %}\nx\n{% /note %}\n', file="x.md").html
    assert "<img onerror" not in html
