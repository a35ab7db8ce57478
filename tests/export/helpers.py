"""Reading exported Markdown back: with markdown-it-py, as a CommonMark reader (with GFM tables) would."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt
from markdown_it.token import Token

CODE_TOKENS = frozenset({"fence", "code_block", "code_inline"})
_WORD = re.compile(r"[A-Za-z0-9]+")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def reader() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def prose_tokens(markdown: str) -> list[Token]:
    """The text and raw-HTML tokens of ``markdown`` outside code (code spans, fences, indented code)."""
    out: list[Token] = []
    for token in reader().parse(markdown):
        if token.type in CODE_TOKENS:
            continue
        if token.type == "inline":
            out.extend(child for child in token.children or [] if child.type not in CODE_TOKENS)
        else:
            out.append(token)
    return out


def raw_html(markdown: str) -> list[str]:
    """Raw HTML a reader would meet in ``markdown`` (none is written by the renderer)."""
    return [t.content for t in prose_tokens(markdown) if t.type in ("html_block", "html_inline")]


def outside_code(markdown: str) -> str:
    """The Markdown source outside fenced and indented code blocks and code spans."""
    lines = markdown.split("\n")
    for token in reader().parse(markdown):
        if token.type in ("fence", "code_block") and token.map:
            for i in range(*token.map):
                lines[i] = ""
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", "\n".join(lines))


def words(text: str) -> list[str]:
    """Lower-cased words of a text (Markdown escapes removed first)."""
    return [w.lower() for w in _WORD.findall(_ESCAPE.sub(r"\1", text))]


_BREAKS = frozenset(
    {"p", "div", "li", "ul", "ol", "pre", "br", "table", "tr", "td", "th", "blockquote", "figure", "figcaption", "label",
     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img"}
)  # fmt: skip
"""Elements between whose texts a reader sees a break (inline ones, like highlighted code's spans, join)."""


class _ArticleText(HTMLParser):
    """The text of rendered HTML, leaving out inline SVG icons and permalink marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "svg" or "headerlink" in classes:
            self.skipping += 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag in ("svg", "a"):
            self.skipping -= 1
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _ArticleText()
    parser.feed(html)
    return "".join(parser.parts)
