"""The HTML renderer on render trees built by hand: escaping, and every shape a tree may hold."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from om_markdoc.core.renderers.html import escape_html, render_html
from om_markdoc.core.tag import RawHtml, Tag

ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


@given(st.text())
def test_escape_html_replaces_exactly_the_four_characters(text: str) -> None:
    assert escape_html(text) == "".join(ESCAPES.get(char, char) for char in text)


def test_shapes() -> None:
    tree = Tag(
        "div",
        {"class": "a&b", "data-n": 1.5, "hidden": True, "ID": None},
        [
            "x<y",
            [["nested", 2], None, False, {"k": "v"}],
            Tag(None, {}, ["bare", Tag("br", {}, ["dropped"])]),
            Tag("", {}, ["empty name"]),
            RawHtml("<b>raw</b>"),
            0,
            -0.0,
        ],
    )
    assert render_html(tree) == (
        '<div class="a&amp;b" data-n="1.5" hidden="true" id="null">'
        "x&lt;ynested2bare<br>empty name<b>raw</b>00</div>"
    )


def test_anything_else_renders_as_nothing() -> None:
    # Tuples included: only strings, numbers, lists and tags produce output.
    assert render_html(Tag("p", {}, [("<script>",), object(), True, "ok"])) == "<p>ok</p>"


def test_deep_trees_do_not_exhaust_the_stack() -> None:
    tree: Tag | list = Tag("i", {}, ["x"])
    for depth in range(20_000):
        tree = Tag("b", {}, [tree, "y"]) if depth % 2 else [tree]
    assert render_html(tree) == "<b>" * 10_000 + "<i>x</i>" + "y</b>" * 10_000
