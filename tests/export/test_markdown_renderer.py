"""The Markdown renderer's API: the forms of plain Markdoc nodes and of every dialect tag.

Pages are transformed by the dialect renderer exactly as a site build transforms them, and the
tree it returns is rendered with ``render_page_markdown``, as a build renders a page's twin.
"""

from __future__ import annotations

import re

import pytest

from om_markdoc.core.api import parse, transform
from om_markdoc.core.renderers.markdown import code_span, escape_text, fence, render_markdown
from om_markdoc.core.tag import Tag
from om_markdoc.dialect.context import PageContext
from om_markdoc.dialect.markdown import TAG_FORMS, render_page_markdown
from om_markdoc.dialect.pipeline import DialectRenderer
from om_markdoc.dialect.tags import dialect_tags

from .helpers import outside_code, raw_html, reader
from .tree import PAGES, SHARED, TAGS_USED

RENDERER = DialectRenderer()
PARTIALS = {"/v1.0/shared.md": RENDERER.parse(SHARED, "shared.md")[0]}


def markdown_of(source: str, page_url: str | None = None, context: PageContext | None = None) -> str:
    _ast, tree, diagnostics = RENDERER.analyse(source, file="page.md", context=context or PageContext(), partials=PARTIALS)
    assert tree is not None
    return render_page_markdown(tree, page_url=page_url)


def test_every_dialect_tag_has_a_markdown_form() -> None:
    tags = set(dialect_tags()) | {"tagReference"}
    assert sorted(tags - set(TAG_FORMS)) == []
    assert sorted(set(TAG_FORMS) - tags) == []


def test_the_test_tree_writes_every_dialect_tag() -> None:
    written = {name for text in [*PAGES.values(), SHARED] for name in re.findall(r"(?<!\\)\{%\s*([A-Za-z]\w*)(?![\w=])", text)}
    assert written == TAGS_USED
    assert sorted((set(dialect_tags()) | {"tagReference", "partial"}) - TAGS_USED) == []


@pytest.mark.parametrize("rel", sorted(PAGES))
def test_no_tag_or_html_survives(rel: str) -> None:
    """No tag text or raw HTML outside code; read back, the page shows ``{%`` only where the
    site's own page shows it too (text an author escaped, tag syntax a description quotes)."""
    markdown = markdown_of(PAGES[rel])
    assert "{%" not in outside_code(markdown)
    assert raw_html(markdown) == []
    site = RENDERER.render(PAGES[rel], file="page.md", partials=PARTIALS).html
    assert tag_marks(reader().render(markdown)) == tag_marks(site)


def tag_marks(html: str) -> int:
    """``{%`` in rendered HTML outside code."""
    return re.sub(r"<code\b.*?</code>|<pre\b.*?</pre>", "", html, flags=re.DOTALL).count("{%")


def test_callouts_are_blockquotes_with_a_bold_label() -> None:
    markdown = markdown_of(PAGES["index.md"])
    for label, text in (
        ("Note", "Read the [guide](/guide) first."),
        ("Important", "Keep your tokens secret."),
        ("Tip", "A tip."),
        ("Good to know", "An info."),
        ("Warning", "A warning."),
        ("Caution", "A caution."),
        ("Danger", "A danger."),
        ("Roadmap", "The roadmap of upcoming releases is maintained outside these docs."),
    ):
        assert f"\n> **{label}:** {text}" in markdown


def test_tiles_and_callouts_are_link_lists_with_their_descriptions() -> None:
    markdown = markdown_of(PAGES["index.md"])
    assert "- [**The guide**](/guide): How to start\n- [**Steps**](/guide/steps): Walk through it.\n" in markdown
    callouts = "- [**Connectors**](/connectors): Every connector.\n- [**Outside**](https://example.org/x): An external page."
    assert callouts in markdown


def test_steps_are_numbered_sections_under_the_heading_they_follow() -> None:
    markdown = markdown_of(PAGES["guide/steps.md"])
    assert (
        "## Setup\n\n### 1. Open the page\n\nOpen the services page.\n\n"
        "![The services page](/images/v1.0/services.png)\n\n*Services*\n\nBetween the steps.\n\n### 2. Save\n\nPress save."
    ) in markdown


def test_tabs_are_headed_sections_and_fences_outlast_the_backticks_inside() -> None:
    markdown = markdown_of(PAGES["guide/index.md"])
    python = '## Python\n\n**Client**\n\n```python\nprint("hello")\n```'
    assert f"{python}\n\n## Bash\n\n**Client**\n\n````bash\necho ```three```\n````" in markdown


def test_code_notes_blocks_tables_icons_and_video() -> None:
    markdown = markdown_of(PAGES["guide/index.md"])
    assert "1. The first line sets the name.\n\n**config.yaml**\n\n```yaml\nname: demo\n```" in markdown
    assert "| Feature | Supported |\n| --- | --- |\n| Lineage | Yes |\n| Pipes | a \\| b |" in markdown
    assert "[▶ A short tour](https://www.youtube-nocookie.com/embed/cZdIobCpI9U?start=10)\n\n*A short tour*" in markdown
    assert "The Widget partial text." in markdown
    assert "The API description.\n\nThe API visual." in markdown


def test_connectors_show_badges_and_feature_lists() -> None:
    markdown = markdown_of(PAGES["connectors/index.md"])
    header = "**MySQL** `PROD` `Collate`\n\n**Available features**\n\n- Metadata\n- Lineage"
    assert f"{header}\n\n**Unavailable features**\n\n- Owners" in markdown
    assert "- [**MySQL**](/connectors) `BETA`" in markdown
    assert "| `width` | `String \\| Number` | no |" in markdown  # the tag reference's tables: a pipe in code is escaped


def test_page_url_makes_the_links_the_site_wrote_absolute() -> None:
    """A build's page context writes page-relative URLs; the twin gets them absolute."""
    context = PageContext(resolve_link=lambda href, line: "../steps/#the-end" if "steps" in href else href,
                          resolve_image=lambda src, line: "../../images/v1.0/services.png")  # fmt: skip
    markdown = markdown_of(PAGES["guide/index.md"], "https://docs.example.org/v1.0.x/guide/", context)
    assert "[the steps](https://docs.example.org/v1.0.x/steps/#the-end)" in markdown
    assert "![A partial image](https://docs.example.org/images/v1.0/services.png)" in markdown
    assert "[a missing page](https://docs.example.org/nowhere)" in markdown


@pytest.mark.parametrize(
    "text",
    ["2 * 3 = 6 and *not emphasis*", "snake_case and _under_", "[not a link](x)", "<b>not html</b>", "a `tick` | pipe",
     "# not a heading", "1. not a list", "- not a bullet", "&amp; stays", "back\\slash", "{% not a tag %}"],
)  # fmt: skip
def test_text_reads_back_as_the_same_text(text: str) -> None:
    html = reader().render(render_markdown(Tag("p", {}, [text])))
    expected = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert html == f"<p>{expected}</p>\n"


def test_code_spans_and_fences_hold_any_backticks() -> None:
    assert reader().render(code_span("a ``b`` c")) == "<p><code>a ``b`` c</code></p>\n"
    assert reader().render(fence("x\n````\ny\n", "sh")) == '<pre><code class="language-sh">x\n````\ny\n</code></pre>\n'
    assert escape_text("{%") == "{\\%"


CORE_PAGE = """# Plain *Markdoc*

1. first
2. second
   - nested with [a link](https://example.org "title")

> quoted
> text

Line one\\
line two ![pic](/p.png)

```js
let a = `b`;
```

| a | b |
|---|---|
| `x\\|y` | 2 |

---
"""


def test_plain_markdoc_trees_without_the_dialect() -> None:
    """The core renderer on the core's own transform (Markdoc's ``pre``/``data-language`` fence)."""
    markdown = render_markdown(transform(parse(CORE_PAGE)))
    assert markdown == (
        "# Plain *Markdoc*\n\n1. first\n2. second\n   - nested with [a link](https://example.org)\n\n"
        "> quoted text\n\nLine one\\\nline two ![pic](/p.png)\n\n```js\nlet a = `b`;\n```\n\n"
        "| a | b |\n| --- | --- |\n| `x\\|y` | 2 |\n\n---\n"
    )
    assert reader().render(markdown).count("<li>") == 3
