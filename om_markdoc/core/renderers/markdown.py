"""A CommonMark renderer of the render tree: the page a person or a model reads as plain text.

It reads the same tree ``render_html`` writes (``Tag`` objects named like HTML elements), so
everything ``transform`` did (partials inlined, variables resolved, conditionals decided) is
already in it.  HTML elements become their Markdown forms: paragraphs, headings, lists,
blockquotes, fences, GFM tables, emphasis, links and images.  An element it has no form for
is transparent (its children are written), so no text is lost; a ``hook`` handed in by a
dialect writes the elements its tags produce before this module looks at them.

The renderer never resolves links itself: the page context resolved them while transforming;
``resolve_url`` only rewrites the result (a build makes them absolute, an export relative).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from typing import Any

from ..jsvalue import js_number_to_string
from ..tag import RawHtml, Tag, flatten

MarkdownHook = Callable[[Tag, "MarkdownWriter"], "list[str] | str | None"]
"""A dialect's forms: for an element it knows, its Markdown blocks (a list) or its inline
Markdown (a string); ``None`` for the elements this module writes."""

BLOCK_ELEMENTS = frozenset(
    {
        "address", "article", "aside", "blockquote", "details", "dd", "div", "dl", "dt", "fieldset", "figcaption",
        "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }
)  # fmt: skip
"""Elements that start a block of their own; everything else is inline content."""

SKIPPED_ELEMENTS = frozenset({"input", "script", "style", "template", "svg"})
"""Elements that hold no reading text (a tab set's radio buttons, scripts)."""

_HEADING = re.compile(r"h([1-6])")
_ESCAPED = re.compile(r"([\\`*\[\]<>|])")
_LOOSE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=~-]|\d+[.)])(?=\s|$)", re.MULTILINE)
_TAG_OPEN = re.compile(r"\{%")
_BLANK_LINES = re.compile(r"\n{3,}")
_MARKUP = re.compile(r"<[^>]*>")


def escape_text(text: str) -> str:
    """Plain text as Markdown that reads back as the same text: the characters that would start
    emphasis, code, links, HTML or table cells are backslashed, as are line-start markers and
    ``{%`` (so the text of a Markdoc tag an author escaped never reads as a tag again)."""
    text = _ESCAPED.sub(r"\\\1", text)
    text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_OPEN.sub(r"{\\%", text)
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", text)


def code_span(text: str) -> str:
    """Inline code that holds ``text`` whatever backticks it contains (CommonMark's rule: a
    delimiter run longer than any inside, padded when the text starts or ends with one)."""
    text = text.replace("\n", " ")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padded = f" {text} " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.strip()) else text
    return f"{ticks}{padded}{ticks}"


def fence(code: str, language: str = "") -> str:
    """A fenced code block, its fence longer than any backtick run in the code."""
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    body = code if code.endswith("\n") or not code else code + "\n"
    return f"{ticks}{language.strip().split(' ')[0]}\n{body}{ticks}"


def raw_text(value: Any) -> str:
    """The text of a subtree as it reads, markup stripped (``RawHtml`` such as highlighted code
    is unescaped back to its text)."""
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, RawHtml):
            out.append(html.unescape(_MARKUP.sub("", item)))
        elif isinstance(item, str):
            out.append(item)
        elif isinstance(item, Tag):
            stack.extend(reversed(item.children or []))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(js_number_to_string(item))
    return "".join(out)


def indent(block: str, first: str, rest: str) -> str:
    """``block`` with ``first`` before its first line and ``rest`` before the others (blank lines stay blank)."""
    lines = block.split("\n")
    return "\n".join([first + lines[0], *((rest + line) if line.strip() else "" for line in lines[1:])])


def classes(tag: Tag) -> list[str]:
    """The CSS classes of an element."""
    value = (tag.attributes or {}).get("class")
    return value.split() if isinstance(value, str) else []


class _Written(str):
    """Inline Markdown a hook wrote already (not text to escape)."""

    __slots__ = ()


def is_block(item: Any) -> bool:
    """Whether ``item`` is an element that starts a block of its own."""
    return isinstance(item, Tag) and bool(item.name) and item.name in BLOCK_ELEMENTS


class MarkdownWriter:
    """Writes one render tree as Markdown; holds the heading level reached so far, so that
    sections a hook makes (tabs, steps) sit one level under the heading they follow."""

    def __init__(self, hook: MarkdownHook | None = None, resolve_url: Callable[[str], str] | None = None) -> None:
        self.hook = hook
        self.resolve_url = resolve_url or (lambda url: url)
        self.level = 1
        self.in_cell = False
        """Inside a table cell, where GFM reads ``|`` as a cell border even inside code spans."""

    # -- blocks ----------------------------------------------------------------------------------

    def blocks(self, children: Iterable[Any]) -> list[str]:
        """Block-level Markdown of ``children``: runs of inline content become paragraphs."""
        out: list[str] = []
        run: list[Any] = []
        for item in _children_of(children):
            written = self.hook(item, self) if self.hook is not None and isinstance(item, Tag) else None
            if isinstance(written, str):
                run.append(_Written(written))
            elif written is not None or is_block(item):
                self._paragraph(run, out)
                run = []
                out.extend(written if written is not None else self.block(item))
            else:
                run.append(item)
        self._paragraph(run, out)
        return out

    def _paragraph(self, run: list[Any], out: list[str]) -> None:
        text = self.inline(run).strip()
        if text:
            out.append(text)

    def block(self, tag: Tag) -> list[str]:
        """The Markdown blocks of one element (the hook had its say already)."""
        name = tag.name or ""
        children = tag.children or []
        heading = _HEADING.fullmatch(name)
        if heading:
            return [self.heading(int(heading.group(1)), children)]
        if name == "p":
            text = self.inline(children).strip()
            return [text] if text else []
        if name in ("ul", "ol"):
            return self.list(tag)
        if name == "blockquote":
            return [quote(self.blocks(children))]
        if name == "pre":
            language = (tag.attributes or {}).get("data-language")
            return [fence(raw_text(children), language if isinstance(language, str) else "")]
        if name == "table":
            return [self.table(tag)]
        if name == "hr":
            return ["---"]
        if name == "figcaption":
            text = self.inline(children).strip()
            return [f"*{text}*"] if text else []
        if name in SKIPPED_ELEMENTS:
            return []
        return self.blocks(children)

    def heading(self, level: int, children: list[Any]) -> str:
        """An ATX heading (its permalink left out); later sections nest under it."""
        self.level = level
        text = " ".join(self.inline(children).split())
        return f"{'#' * level} {text}".rstrip()

    def section(self, title: str) -> str:
        """A heading one level under the last one, for a section a hook makes (a tab, a step)."""
        level = min(self.level + 1, 6)
        text = " ".join(title.split())
        return f"{'#' * level} {text}".rstrip()

    def list(self, tag: Tag) -> list[str]:
        """A bullet or ordered list; an ordered one keeps its ``start``."""
        ordered = tag.name == "ol"
        start = (tag.attributes or {}).get("start", 1)
        number = start if isinstance(start, int) and not isinstance(start, bool) else 1
        items: list[str] = []
        for item in _children_of(tag.children or []):
            content = item.children if isinstance(item, Tag) and item.name == "li" else [item]
            marker = f"{number}. " if ordered else "- "
            items.append(list_item(marker, self.blocks(content)))
            number += 1
        items = [item for item in items if item.strip()]
        if not items:
            return []
        tight = all("\n\n" not in item for item in items)
        return ["\n".join(items) if tight else "\n\n".join(items)]

    def table(self, tag: Tag) -> str:
        """A GFM table; the first row is the header when the table has none of its own."""
        rows: list[list[str]] = []
        for row in _rows(tag):
            rows.append([self.cell(cell) for cell in _children_of(row.children or []) if isinstance(cell, Tag)])
        rows = [row for row in rows if row]
        if not rows:
            return ""
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = [_row(rows[0]), _row(["---"] * width), *(_row(row) for row in rows[1:])]
        return "\n".join(lines)

    def cell(self, cell: Tag) -> str:
        """A table cell on one line (its blocks joined by spaces)."""
        outer, self.in_cell = self.in_cell, True
        try:
            return " ".join(" ".join(self.blocks(cell.children or [])).split())
        finally:
            self.in_cell = outer

    # -- inline ----------------------------------------------------------------------------------

    def inline(self, children: Iterable[Any]) -> str:
        """Inline Markdown of ``children``."""
        return "".join(self.inline_item(item) for item in _children_of(children))

    def inline_item(self, item: Any) -> str:
        """One inline child's Markdown (a block met inline is joined onto the line)."""
        if isinstance(item, (RawHtml, _Written)):
            return str(item)
        if isinstance(item, str):
            return escape_text(item)
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            return escape_text(js_number_to_string(item))
        if not isinstance(item, Tag):
            return ""
        if self.hook is not None:
            written = self.hook(item, self)
            if written is not None:
                return written if isinstance(written, str) else " ".join(written)
        return self.element(item)

    def element(self, tag: Tag) -> str:
        """An inline element's Markdown."""
        name = tag.name or ""
        children = tag.children or []
        attributes = tag.attributes or {}
        if name in ("strong", "b"):
            return _wrap("**", self.inline(children))
        if name in ("em", "i"):
            return _wrap("*", self.inline(children))
        if name in ("s", "del"):
            return _wrap("~~", self.inline(children))
        if name == "code":
            span = code_span(raw_text(children))
            return span.replace("|", "\\|") if self.in_cell else span
        if name == "br":
            return "\\\n"
        if name == "a":
            return self.link(attributes.get("href"), self.inline(children).strip())
        if name == "img":
            return self.image(attributes)
        if name in SKIPPED_ELEMENTS:
            return ""
        if is_block(tag):
            return " ".join(self.block(tag))
        return self.inline(children)

    def link(self, href: Any, text: str) -> str:
        """``[text](url)``; a link without text shows its URL, one without a URL only its text."""
        if not isinstance(href, str) or not href:
            return text
        url = destination(self.resolve_url(href))
        return f"[{text}]({url})" if text else f"<{url.strip('<>')}>"

    def image(self, attributes: dict[str, Any]) -> str:
        src = attributes.get("src")
        if not isinstance(src, str) or not src:
            return ""
        alt = attributes.get("alt")
        alt_text = escape_text(" ".join(alt.split())) if isinstance(alt, str) else ""
        return f"![{alt_text}]({destination(self.resolve_url(src))})"


def destination(url: str) -> str:
    """A link destination CommonMark reads back whole: in ``<>`` when it holds spaces or parentheses."""
    if any(ch in url for ch in " ()<>\n"):
        return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A") + ">"
    return url


def quote(blocks: list[str]) -> str:
    """Blocks as a blockquote."""
    return "\n".join(f"> {line}".rstrip() for line in "\n\n".join(blocks).split("\n"))


_LIST_START = re.compile(r"(?:[-*+]|\d+[.)])(?: |$)")


def list_item(marker: str, blocks: list[str]) -> str:
    """One list item: the marker before its first block, the rest indented under it (a nested
    list right under a paragraph without a blank line, so a tight list stays tight)."""
    if not blocks:
        return marker.rstrip()
    text = blocks[0]
    for block in blocks[1:]:
        text += ("\n" if _LIST_START.match(block) else "\n\n") + block
    return indent(text, marker, " " * len(marker))


def _wrap(delimiter: str, text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return f"{lead}{delimiter}{stripped}{delimiter}{trail}"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _rows(table: Tag) -> list[Tag]:
    """A table's rows, header rows first."""
    out: list[Tag] = []
    for part in _children_of(table.children or []):
        if not isinstance(part, Tag):
            continue
        if part.name == "tr":
            out.append(part)
        elif part.name in ("thead", "tbody", "tfoot"):
            out.extend(row for row in _children_of(part.children or []) if isinstance(row, Tag) and row.name == "tr")
    return out


def render_markdown(node: Any, *, hook: MarkdownHook | None = None, resolve_url: Callable[[str], str] | None = None) -> str:
    """Render a render tree as CommonMark (with GFM tables), ending in one newline.

    ``hook``: a dialect's forms for the elements its tags make; ``resolve_url``: what every link
    and image URL becomes (the identity when ``None``)."""
    writer = MarkdownWriter(hook, resolve_url)
    text = "\n\n".join(block for block in writer.blocks([node]) if block.strip())
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n" if text.strip() else ""


def _children_of(children: Iterable[Any]) -> list[Any]:
    """Children with nested lists and nameless tags (fragments) opened (``core.tag.flatten``)."""
    return flatten(list(children))
