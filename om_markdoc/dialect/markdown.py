"""The dialect's tags in plain Markdown: the forms ``core.renderers.markdown`` cannot know.

The dialect's transforms write Material's markup (admonitions, grid cards, tab sets, the
``om-*`` layouts); this hook reads that markup back by its classes and writes what a reader
of a plain Markdown file needs: callouts as blockquotes with a bold label, steps and tabs as
headed sections, cards as link lists with their descriptions, fences with their language.
``TAG_FORMS`` names the form of every tag, so a tag added without one fails its test.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin

from ..core.renderers.markdown import MarkdownWriter, classes, escape_text, fence, raw_text, render_markdown
from ..core.tag import Tag

TAG_FORMS: dict[str, str] = {
    "note": "blockquote with a bold label (`> **Note:** ...`)",
    "important": "blockquote with a bold label",
    "tip": "blockquote with a bold label",
    "info": "blockquote with a bold label",
    "warning": "blockquote with a bold label",
    "caution": "blockquote with a bold label",
    "danger": "blockquote with a bold label",
    "image": "`![alt](url)`, its caption in italics under it",
    "codePreview": "its notes and fences in order",
    "codeInfoContainer": "its notes in order",
    "codeInfo": "a numbered paragraph (`N. ...`)",
    "codeBlock": "the fence, its file name in bold above it",
    "codeWithLanguageSelector": "a headed section per tab",
    "stepsContainer": "its steps in order",
    "step": "a numbered section (`### N. Title`)",
    "stepDescription": "the step's text under its heading",
    "stepVisualInfo": "the step's illustration after its text",
    "extraContent": "its content",
    "tilesContainer": "a link list",
    "tile": "a list item: the link, then the description",
    "inlineCalloutContainer": "a link list",
    "inlineCallout": "a list item: the link, then the text",
    "youtube": "a link to the video, its caption as the text",
    "connectorDetailsHeader": "the name in bold with stage badges, then the feature lists",
    "connectorInfoCard": "a list item: the link and its badges",
    "connectorsListContainer": "a link list",
    "icon": "the icon's name (`Yes`, `No`) in text",
    "multiTablesWrapper": "its tables in order",
    "apiPageContainer": "its content",
    "apiInfoContainer": "its content",
    "apiDescription": "its content",
    "apiVisualInfo": "its content",
    "roadmap": "a blockquote with a bold label and the link",
    "list": "its content",
    "tagReference": "headings, paragraphs and GFM tables",
}
"""Tag name → its Markdown form, as the tag reference and the tests read it."""


def dialect_markdown(tag: Tag, writer: MarkdownWriter) -> list[str] | str | None:
    """The hook: the Markdown of an element a dialect tag made, ``None`` for plain elements."""
    names = classes(tag)
    if not names:
        return None
    for name in names:
        form = _FORMS.get(name)
        if form is not None:
            return form(tag, writer)
    return None


def render_page_markdown(tree: Any, *, page_url: str | None = None, title: str | None = None) -> str:
    """A transformed page as Markdown: ``tree`` is what ``DialectRenderer.analyse`` returns, the
    tree the HTML renderer renders.  ``page_url`` (the page's absolute URL, ending in ``/``)
    turns the relative URLs the page context wrote into absolute ones, as they are on the
    published page.  ``title`` opens the page when it has no level-1 heading of its own (the
    site's template shows the front matter's title there)."""
    resolve = None if page_url is None else _absolute(page_url)
    text = render_markdown(tree, hook=dialect_markdown, resolve_url=resolve)
    if title and title.strip() and not _H1.search(text):
        text = f"# {escape_text(' '.join(title.split()))}\n\n{text}"
    return text


_H1 = re.compile(r"^# ", re.MULTILINE)
"""A level-1 heading; a false hit inside a fence only costs the page its added title."""


def _absolute(page_url: str) -> Callable[[str], str]:
    def resolve(url: str) -> str:
        return url if url.startswith("#") else urljoin(page_url, url)

    return resolve


# -- the forms ------------------------------------------------------------------------------------


def _children(tag: Tag) -> list[Any]:
    return tag.children or []


def _first(tag: Tag, css_class: str) -> Tag | None:
    return next((c for c in _children(tag) if isinstance(c, Tag) and css_class in classes(c)), None)


def _others(tag: Tag, *css_classes: str) -> list[Any]:
    return [c for c in _children(tag) if not (isinstance(c, Tag) and set(classes(c)) & set(css_classes))]


def _admonition(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """``> **Title:** first paragraph`` and the rest of the callout quoted under it."""
    title_tag = _first(tag, "admonition-title")
    title = " ".join(writer.inline(_children(title_tag)).split()) if title_tag is not None else "Note"
    body = writer.blocks(_others(tag, "admonition-title"))
    label = f"**{title.rstrip(':')}:**"
    if body and not body[0].startswith(("#", "`", "~", "|", "-", ">", "!")) and not body[0][:1].isdigit():
        body[0] = f"{label} {body[0]}"
    else:
        body.insert(0, label)
    return ["\n".join(f"> {line}".rstrip() for line in "\n\n".join(body).split("\n"))]


def _highlight(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """A highlighted fence: its code back as text, the language from its class."""
    language = next((name[len("language-") :] for name in classes(tag) if name.startswith("language-")), "")
    out: list[str] = []
    title = _first(tag, "filename")
    if title is not None:
        out.append(f"**{writer.inline(_children(title)).strip()}**")
    pre = next((c for c in _children(tag) if isinstance(c, Tag) and c.name == "pre"), None)
    code = raw_text(_children(pre)) if pre is not None else ""
    out.append(fence(code, "" if language == "text" else language))
    return out


def _steps(tag: Tag, writer: MarkdownWriter) -> list[str]:
    return writer.blocks(_children(tag))


def _step(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """A numbered section: the heading, the instructions, the illustration."""
    number = tag.attributes.get("data-step")
    description = _first(tag, "om-step__description")
    title_tag = _first(description, "om-step__title") if description is not None else None
    title = writer.inline(_children(title_tag)).strip() if title_tag is not None else ""
    heading = " ".join(part for part in (f"{number}." if number is not None else "", title) if part)
    level = writer.level
    out = [writer.section(heading or "Step")]
    writer.level = min(level + 1, 6)
    for child in _others(tag, "om-step__number"):
        if child is description and description is not None:
            out.extend(writer.blocks(_others(description, "om-step__title")))
        else:
            out.extend(writer.blocks([child]))
    writer.level = level
    return out


def _cards(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """A grid of cards as a link list: each card's link (title), then its text."""
    items: list[str] = []
    for ul in (c for c in _children(tag) if isinstance(c, Tag) and c.name == "ul"):
        for li in (c for c in _children(ul) if isinstance(c, Tag)):
            items.append(_card(li, writer))
    items = [item for item in items if item.strip()]
    return ["\n".join(items) if all("\n" not in i for i in items) else "\n\n".join(items)] if items else []


def _card(li: Tag, writer: MarkdownWriter) -> str:
    parts = [c for c in _children(li) if not (isinstance(c, Tag) and c.name == "hr")]
    blocks = writer.blocks(parts)
    if not blocks:
        return ""
    first = blocks[0]
    if len(blocks) > 1 and "\n" not in blocks[1] and not blocks[1].startswith(("#", "`", "|", "-", ">")):
        first = f"{first}: {blocks[1]}"
        blocks = blocks[1:]
    rest = "\n\n".join(blocks[1:])
    text = f"- {first}"
    if rest:
        text += "\n\n" + "\n".join(f"  {line}" if line.strip() else "" for line in rest.split("\n"))
    return text


def _tabs(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """A tab set: a headed section per tab, its label as the heading."""
    labels_tag = _first(tag, "tabbed-labels")
    content = _first(tag, "tabbed-content")
    labels = [writer.inline(_children(c)).strip() for c in _children(labels_tag) if isinstance(c, Tag)] if labels_tag else []
    blocks = [c for c in _children(content) if isinstance(c, Tag)] if content is not None else []
    out: list[str] = []
    level = writer.level
    for i, block in enumerate(blocks):
        out.append(writer.section(labels[i] if i < len(labels) and labels[i] else f"Tab {i + 1}"))
        writer.level = min(level + 1, 6)
        out.extend(writer.blocks(_children(block)))
        writer.level = level
    return out


def _code_info(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """A numbered note: ``N. text`` (an ordered list item starting at its number)."""
    number = tag.attributes.get("data-sr-number")
    body = _first(tag, "om-code-info__body")
    blocks = writer.blocks(_children(body) if body is not None else [])
    if number is None:
        return blocks
    text = "\n\n".join(blocks)
    lines = text.split("\n")
    marker = f"{number}. "
    return [marker + lines[0] + "".join("\n" + (" " * len(marker) + line if line.strip() else "") for line in lines[1:])]


def _icon(tag: Tag, writer: MarkdownWriter) -> str:
    """An icon: its accessible name when it says something (``Yes``/``No`` in tables), else nothing."""
    label = tag.attributes.get("aria-label")
    return label if isinstance(label, str) and tag.attributes.get("role") == "img" else ""


def _badge(tag: Tag, writer: MarkdownWriter) -> str:
    text = raw_text(_children(tag)).strip()
    return f"`{text}`" if text else ""


def _bold_label(tag: Tag, writer: MarkdownWriter) -> list[str]:
    text = writer.inline(_children(tag)).strip()
    return [f"**{text}**"] if text else []


def _youtube(tag: Tag, writer: MarkdownWriter) -> list[str]:
    """The video facade: a link to the player."""
    link = next((c for c in _children(tag) if isinstance(c, Tag) and c.name == "a"), None)
    href = link.attributes.get("href") if link is not None else None
    title = tag.attributes.get("data-title")
    text = title if isinstance(title, str) and title.strip() else "Watch the video on YouTube"
    return [writer.link(href, f"▶ {' '.join(text.split())}")] if isinstance(href, str) else []


def _nothing(tag: Tag, writer: MarkdownWriter) -> str:
    return ""


Form = Callable[[Tag, MarkdownWriter], "list[str] | str"]

_FORMS: dict[str, Form] = {
    "admonition": _admonition,
    "highlight": _highlight,
    "om-steps": _steps,
    "om-step": _step,
    "cards": _cards,
    "tabbed-set": _tabs,
    "om-code-info": _code_info,
    "twemoji": _icon,
    "om-badge": _badge,
    "om-code-block__title": _bold_label,
    "om-connector-header__label": _bold_label,
    "om-youtube": _youtube,
    "headerlink": _nothing,
    "om-anchor": _nothing,
}
"""CSS class → the form of the element carrying it (the first class with a form wins)."""
