"""A body written inside a tag that takes none: exact markup and finding (``dialect/bodies.py``).

The front doors are covered by ``tests/adversarial/test_nothing_lost.py``; this pins where the
content goes (right after the tag's own output) and what the warning says.
"""

from __future__ import annotations

from om_markdoc.dialect.pipeline import DialectRenderer


def test_a_stray_body_follows_the_tag_and_is_reported_once() -> None:
    result = DialectRenderer().render(
        'Intro.\n\n{% image src="/a.png" caption="A" %}\nStray *text*.\n{% /image %}\n', file="p.md"
    )
    assert result.html == (
        "<p>Intro.</p>"
        '<figure class="om-figure"><img src="/a.png" alt="A" loading="lazy"><figcaption>A</figcaption></figure>'
        "<p>Stray <em>text</em>.</p>"
    )
    assert [(d.rule, d.severity, d.line, d.column, d.message) for d in result.diagnostics] == [
        (
            "tag-body-kept",
            "warning",
            3,
            1,
            "'image' takes no content; the content written inside it is shown after it "
            "(write {% image … /%} and move the content out)",
        )
    ]


def test_an_inline_stray_body_stays_in_its_paragraph() -> None:
    result = DialectRenderer().render('Yes {% icon iconName="check" %}really{% /icon %} here.\n', file="p.md")
    assert result.html.startswith('<p>Yes <span class="twemoji om-icon om-icon--check"')
    assert result.html.endswith("</span>really here.</p>")
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("tag-body-kept", 1, 5)]


def test_a_tag_outside_the_dialect_keeps_markdocs_error() -> None:
    extra = {"badge": {"selfClosing": True, "render": "span"}}  # no transform: Markdoc's default keeps the body
    result = DialectRenderer(extra_tags=extra).render("{% badge %}\nx\n{% /badge %}\n", file="p.md")
    assert [d.rule for d in result.diagnostics] == ["tag-selfclosing-has-children"]
    assert "x" in result.html
