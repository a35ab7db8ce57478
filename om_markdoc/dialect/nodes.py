"""Node overrides that make plain Markdown render like a Material for MkDocs page.

* headings get ids (MkDocs' ``toc`` slug rules, which the anchors authors write expect), a
  permalink, and an entry in the page's table of contents; the ids the OpenMetadata site gave
  the same heading (``site_heading_ids``) ride along on empty anchors inside it, so links
  written against the old site (``#profiler-&-data-quality``) keep working;
* fences are highlighted with Pygments in the markup of ``pymdownx.highlight`` (so Material's
  copy button and colours apply), keeping ``srNumber``/``title`` annotations as data;
* links and images go through the page context, which knows slugs, versions and image roots;
* the document renders its children only (MkDocs' template supplies the ``<article>``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from ..core.ast import Node
from ..core.nodes import builtin_nodes
from ..core.tag import RawHtml, Tag
from .context import page_context

_NON_WORD = re.compile(r"[^\w\s-]")
_SPACES = re.compile(r"[-\s]+")


def slugify(text: str) -> str:
    """A heading id as MkDocs' ``toc`` extension makes it: ASCII-folded, lower-case, dashed."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub("-", _NON_WORD.sub("", text).strip().lower())


def plain_text(value: Any) -> str:
    """The text a render tree shows (tags stripped), as a TOC entry or search title needs it."""
    out: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Tag):
            stack.extend(reversed(item.children or []))
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            out.append(str(item))
    return "".join(out)


_WHITESPACE = re.compile(r"\s+")
_SITE_PUNCTUATION = re.compile(r"[?:\-()%$#/@!;.,\\\[\]+=_]")


def _site_texts(children: list[Any]) -> list[str]:
    """The heading texts the site's second scheme reads: strings, formatted text (``**b**``,
    inline code) and an element's ``content`` attribute, but no element with other attributes
    (links)."""
    out: list[str] = []
    for child in children:
        if isinstance(child, str):
            out.append(child)
        elif isinstance(child, Tag) and child.attributes:
            content = child.attributes.get("content")
            if isinstance(content, str):
                out.append(content)
        elif isinstance(child, Tag) and child.children:
            out.extend(_site_texts(child.children))
    return out


def site_heading_ids(children: list[Any]) -> list[str]:
    """The ids the OpenMetadata site gave a heading with these (transformed) children.

    Its heading node used Markdoc's documented ``generateID`` in two generations, and pages link
    to both:

    1. the heading's top-level strings joined by spaces, ``?`` removed, each whitespace run a
       ``-``, lower-cased: ``Profiler & Data Quality`` → ``profiler-&-data-quality``,
       ``1. AWS S3 Buckets`` → ``1.-aws-s3-buckets`` (formatted parts are left out);
    2. the text of formatted parts too, ``?:-()%$#/@!;.,/\\[]+=_`` removed, trimmed, then the
       same: ``PowerBI Admin and Non-Admin APIs`` → ``powerbi-admin-and-nonadmin-apis``.

    Empty results are dropped (the site gave such headings no usable id), repeats merged.
    """
    first = " ".join(c for c in children if isinstance(c, str)).replace("?", "")
    second = _SITE_PUNCTUATION.sub("", " ".join(_site_texts(children))).strip()
    ids = (_WHITESPACE.sub("-", text).lower() for text in (first, second))
    return [i for i in dict.fromkeys(ids) if i]


def _heading(node: Node, config: dict[str, Any]) -> Tag:
    context = page_context(config)
    level = node.attributes.get("level", 1)
    attributes = node.transform_attributes(config)
    children = node.transform_children(config)
    name = plain_text(children).strip()
    explicit = attributes.get("id")
    anchors: list[Any] = []
    if isinstance(explicit, str) and explicit:
        anchor = explicit
        context.ids.add(anchor)
    else:
        anchor = context.unique_id(slugify(name) or "section")
        anchors = [Tag("span", context.extra_id(legacy), []) for legacy in site_heading_ids(children) if legacy != anchor]
    attributes = {**attributes, "id": anchor}
    context.toc.append({"level": level, "id": anchor, "name": name})
    permalink = Tag("a", {"class": "headerlink", "href": f"#{anchor}", "title": "Permanent link"}, ["¶"])
    return Tag(f"h{level}", attributes, [*anchors, *children, permalink])


_FORMATTER = HtmlFormatter(nowrap=True)
_ENV_LINE = re.compile(r"^\s*(export\s+)?[A-Za-z_][A-Za-z0-9_]*=")
_YAML_LINE = re.compile(r"^\s*(-\s+)?[\w.\"'-]+\s*:(\s|$)")


def sniff_language(code: str) -> str:
    """Guess a config language for fences whose "language" is a tab id (``implicit``, ``authcode``)."""
    lines = [line for line in code.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return "text"
    if code.lstrip().startswith(("{", "[")):
        return "json"
    if sum(bool(_ENV_LINE.match(line)) for line in lines) * 2 >= len(lines):
        return "bash"
    if sum(bool(_YAML_LINE.match(line)) for line in lines) * 2 >= len(lines):
        return "yaml"
    return "text"


@lru_cache(maxsize=256)
def _lexer(language: str) -> Lexer | None:
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=4096)
def highlight_code(code: str, language: str | None) -> tuple[str, str]:
    """``(highlighted HTML, language class)``; unknown languages are sniffed, then plain text.

    Cached: a partial's code blocks are highlighted once, not once per page that includes it
    (a third of the corpus's fences are such repeats)."""
    lexer = _lexer(language.lower()) if language else None
    shown = language or "text"
    if lexer is None:
        sniffed = sniff_language(code)
        lexer = _lexer(sniffed) or TextLexer(stripnl=False, ensurenl=False)
    return highlight(code, lexer, _FORMATTER), shown


_LANGUAGE_CLASS = re.compile(r"[^A-Za-z0-9_+-]")


def _fence(node: Node, config: dict[str, Any]) -> Tag:
    children = node.transform_children(config) if node.children else [node.attributes.get("content", "")]
    language = node.attributes.get("language")
    language = language if isinstance(language, str) else None
    if all(isinstance(child, str) for child in children):
        html, shown = highlight_code("".join(children), language)
        code: list[Any] = [RawHtml(html)]
    else:  # markup produced by tags inside the fence: keep it, unhighlighted
        code, shown = children, language or "text"
    attributes: dict[str, Any] = {"class": f"language-{_LANGUAGE_CLASS.sub('', shown) or 'text'} highlight"}
    sr_number = node.attributes.get("srNumber")
    if sr_number is not None:
        attributes["data-sr-number"] = sr_number
    parts: list[Any] = []
    title = node.attributes.get("title")
    if isinstance(title, str) and title:
        parts.append(Tag("span", {"class": "filename"}, [title]))
    parts.append(Tag("pre", {}, [RawHtml("<span></span>"), Tag("code", {}, code)]))
    return Tag("div", attributes, parts)


def _link(node: Node, config: dict[str, Any]) -> Tag:
    attributes = node.transform_attributes(config)
    href = attributes.get("href")
    if isinstance(href, str):
        attributes["href"] = page_context(config).link(href, node)
    return Tag("a", attributes, node.transform_children(config))


def _image(node: Node, config: dict[str, Any]) -> Tag:
    attributes = node.transform_attributes(config)
    src = attributes.get("src")
    if isinstance(src, str):
        attributes["src"] = page_context(config).image(src, node)
    attributes.setdefault("loading", "lazy")
    return Tag("img", attributes, [])


def _document(node: Node, config: dict[str, Any]) -> list[Any]:
    children = node.transform_children(config)
    page_context(config).settle_extra_ids()
    return children


FENCE_ATTRIBUTES: dict[str, dict[str, Any]] = {
    "srNumber": {"type": "Number", "description": "Links the block to the `codeInfo` note with the same number."},
    "title": {"type": "String", "description": "A file name or caption shown above the code."},
    "isCodeBlock": {"type": "Boolean", "render": False, "description": "Legacy marker of the OpenMetadata docs; ignored."},
    "validate": {"type": "String", "render": False, "description": "Validator that checks this example (om-markdoc check)."},
    "expect": {
        "type": "String",
        "render": False,
        "matches": ["valid", "invalid"],
        "description": "Whether the example is expected to pass its validator.",
    },
    "skip": {"type": "Boolean", "render": False, "description": "Exclude this example from validation."},
}


RAW_HTML_POLICIES = ("escape", "strip", "allow")
"""What happens to raw HTML written in Markdown: shown as text (the default, as Markdoc does),
removed, or passed through (for trusted content only: it can carry scripts)."""


def _raw_html_node(policy: str) -> dict[str, Any]:
    def transform(node: Node, config: dict[str, Any]) -> Any:
        content = node.attributes.get("content")
        if policy == "allow" and isinstance(content, str):
            return RawHtml(content)
        return None

    return {
        "attributes": {"content": {"type": "String", "render": False}},
        "transform": transform,
        "description": f"Raw HTML in Markdown ({policy}).",
    }


def dialect_nodes(raw_html: str = "escape") -> dict[str, dict[str, Any]]:
    """Node schemas: the built-ins with Material-flavoured transforms for these node types.

    With ``raw_html`` other than ``escape`` the tokenizer recognises HTML, and these schemas
    strip or pass it through."""
    nodes = builtin_nodes()
    if raw_html != "escape":
        nodes["html_block"] = _raw_html_node(raw_html)
        nodes["html_inline"] = _raw_html_node(raw_html)
        nodes["document"] = {**nodes["document"], "children": [*nodes["document"]["children"], "html_block"]}
        nodes["inline"] = {**nodes["inline"], "children": [*nodes["inline"]["children"], "html_inline"]}
    nodes["document"] = {**nodes["document"], "transform": _document}
    nodes["heading"] = {**nodes["heading"], "transform": _heading}
    fence = nodes["fence"]
    nodes["fence"] = {**fence, "attributes": {**fence["attributes"], **FENCE_ATTRIBUTES}, "transform": _fence}
    nodes["link"] = {**nodes["link"], "transform": _link}
    nodes["image"] = {**nodes["image"], "transform": _image}
    return nodes

