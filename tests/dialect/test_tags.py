"""The OpenMetadata tag library: exact markup per tag, validation of misuse, and corpus coverage.

Each case goes through the real pipeline (``parse`` → ``validate`` → ``transform`` →
``render_html``) with ``dialect_tags()``, a stand-in for the site's fence transform (same markup
shape as Material's highlighted blocks) and a ``PageContext`` whose link/image rewriting adds a
visible prefix, so the tests show which attributes go through it.

The corpus test needs ``../shared/corpus/openmetadata-docs`` beside the repository root and FAILS
(is not skipped) without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import material
import pytest

from om_markdoc.core.api import parse, transform, validate
from om_markdoc.core.config import BUILTIN_TAGS
from om_markdoc.core.renderers.html import render_html
from om_markdoc.core.tag import Tag
from om_markdoc.dialect.context import PageContext
from om_markdoc.dialect.icons import bundled_svg, material_svg, resolve_icon
from om_markdoc.dialect.tags import ASSETS, TAG_FAMILIES, dialect_tags
from om_markdoc.dialect.tags.code import language_label
from om_markdoc.dialect.tags.media import seconds

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content"
ICONS = Path(material.__file__).resolve().parent / "templates" / ".icons" / "material"


def svg(name: str) -> str:
    return (ICONS / f"{name}.svg").read_text(encoding="utf-8").strip()


def _fence(node: Any, config: dict[str, Any]) -> Tag:
    """Stand-in for the site's fence transform: Material's highlighted block shape."""
    attributes: dict[str, Any] = {"class": f"language-{node.attributes.get('language') or 'text'} highlight"}
    if "srNumber" in node.attributes:
        attributes["data-sr-number"] = node.attributes["srNumber"]
    code = Tag("code", {}, [node.attributes.get("content", "")])
    return Tag("div", attributes, [Tag("pre", {}, [Tag("span", {}, []), code])])


FENCE = {
    "attributes": {
        "content": {"type": "String"},
        "language": {"type": "String"},
        "srNumber": {"type": "Number"},
        "isCodeBlock": {"type": "Boolean"},
    },
    "transform": _fence,
}


class Rendered:
    def __init__(self, source: str, partials: dict[str, str] | None = None) -> None:
        self.context = PageContext(resolve_link=lambda href, line: f"LINK:{href}", resolve_image=lambda src, line: f"IMG:{src}")
        config = {
            "tags": dialect_tags(),
            "nodes": {"fence": FENCE},
            "omContext": self.context,
            "partials": {k: parse(v, k) for k, v in (partials or {}).items()},
        }
        ast = parse(source)
        self.errors = validate(ast, config)
        html = render_html(transform(ast, config))
        assert html.startswith("<article>") and html.endswith("</article>")
        self.html = html[len("<article>") : -len("</article>")]

    @property
    def error_ids(self) -> list[str]:
        return [e["error"]["id"] for e in self.errors]

    @property
    def rules(self) -> list[str]:
        return [d["rule"] for d in self.context.diagnostics]


def render(source: str, **kwargs: Any) -> str:
    result = Rendered(source, **kwargs)
    assert result.errors == []
    return result.html


# --- schemas -------------------------------------------------------------------------------------


def test_families_cover_every_tag_once() -> None:
    tags = dialect_tags()
    listed = [name for names in TAG_FAMILIES.values() for name in names]
    assert sorted(listed) == sorted(tags)
    assert len(listed) == len(set(listed))
    assert not set(tags) & {"partial", "table", "if", "else", "slot"}  # built-ins stay the core's


def test_every_tag_and_attribute_is_described_and_typed() -> None:
    for name, schema in dialect_tags().items():
        assert schema.get("description"), name
        assert callable(schema.get("transform")), name
        for key, attribute in (schema.get("attributes") or {}).items():
            assert attribute.get("description"), f"{name}.{key}"
            assert attribute.get("type"), f"{name}.{key}"


def test_dialect_tags_are_fresh() -> None:
    first = dialect_tags()
    first["note"]["attributes"]["noteType"]["matches"].append("X")
    first["image"]["attributes"].clear()
    second = dialect_tags()
    assert "X" not in second["note"]["attributes"]["noteType"]["matches"]
    assert "src" in second["image"]["attributes"]


def test_assets_exist() -> None:
    assets = REPO_ROOT / "om_markdoc" / "assets"
    css = (assets / ASSETS["css"]).read_text()
    js = (assets / ASSETS["js"]).read_text()
    for selector in (".om-step", ".om-code-info", ".om-figure--right", ".om-connector-header", ".om-youtube"):
        assert selector in css
    assert "var(--md-" in css
    assert "document$" in js and "DOMContentLoaded" in js and "youtube-nocookie.com" in js


# --- admonitions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "{% note %}\nHi *there*\n{% /note %}",
            '<div class="admonition note"><p class="admonition-title">Note</p><p>Hi <em>there</em></p></div>',
        ),
        (
            '{% note noteType="Tip" %}\nt\n{% /note %}',
            '<div class="admonition tip"><p class="admonition-title">Tip</p><p>t</p></div>',
        ),
        (
            '{% note noteType="Warning" %}\nw\n{% /note %}',
            '<div class="admonition warning"><p class="admonition-title">Warning</p><p>w</p></div>',
        ),
        (
            '{% note noteType="Caution" %}\nc\n{% /note %}',
            '<div class="admonition warning"><p class="admonition-title">Caution</p><p>c</p></div>',
        ),
        (
            '{% note noteType="Danger" title="A & B" %}\nd\n{% /note %}',
            '<div class="admonition danger"><p class="admonition-title">A &amp; B</p><p>d</p></div>',
        ),
        (
            "{% important %}\ni\n{% /important %}",
            '<div class="admonition warning"><p class="admonition-title">Important</p><p>i</p></div>',
        ),
        ("{% tip %}\nt\n{% /tip %}", '<div class="admonition tip"><p class="admonition-title">Tip</p><p>t</p></div>'),
        ("{% info %}\ni\n{% /info %}", '<div class="admonition info"><p class="admonition-title">Info</p><p>i</p></div>'),
        (
            "{% warning %}\nw\n{% /warning %}",
            '<div class="admonition warning"><p class="admonition-title">Warning</p><p>w</p></div>',
        ),
        (
            '{% caution title="Mind" %}\nc\n{% /caution %}',
            '<div class="admonition warning"><p class="admonition-title">Mind</p><p>c</p></div>',
        ),
        ("{% danger %}\nd\n{% /danger %}", '<div class="admonition danger"><p class="admonition-title">Danger</p><p>d</p></div>'),
    ],
)
def test_admonitions(source: str, expected: str) -> None:
    assert render(source) == expected


# --- images --------------------------------------------------------------------------------------


def test_image_full() -> None:
    html = render('{% image src="/images/v1.7/a.png" alt="A \\"q\\"" caption="Cap <1>" height="450px" width=600 /%}')
    assert html == (
        '<figure class="om-figure"><img src="IMG:/images/v1.7/a.png" alt="A &quot;q&quot;" loading="lazy" '
        'width="600" height="450"><figcaption>Cap &lt;1&gt;</figcaption></figure>'
    )


def test_image_alt_defaults_to_caption_and_blank_caption_is_dropped() -> None:
    assert render('{% image src="/a.png" caption="Shown" /%}') == (
        '<figure class="om-figure"><img src="IMG:/a.png" alt="Shown" loading="lazy"><figcaption>Shown</figcaption></figure>'
    )
    assert render('{% image src="/a.png" caption=" " /%}') == (
        '<figure class="om-figure"><img src="IMG:/a.png" alt="" loading="lazy"></figure>'
    )


def test_image_style_is_never_rendered_but_float_maps_to_a_class() -> None:
    html = render('{% image src="/a.png" alt="a" style="float:right; color:red" /%}')
    assert html == '<figure class="om-figure om-figure--right"><img src="IMG:/a.png" alt="a" loading="lazy"></figure>'
    html = render('{% image src="/a.png" alt="a" align="center" style="float:left;" /%}')
    assert html == '<figure class="om-figure om-figure--center"><img src="IMG:/a.png" alt="a" loading="lazy"></figure>'
    assert "style" not in render('{% image src="/a.png" style="background:url(x)" /%}')


def test_image_without_usable_src_renders_nothing() -> None:
    result = Rendered("{% image src=$missing /%}")
    assert result.html == ""
    assert result.rules == ["image-src-missing"]


# --- code ----------------------------------------------------------------------------------------

CODE_PREVIEW = """{% codePreview %}
{% codeInfoContainer %}
{% codeInfo srNumber=1 %}
Import **it**.
{% /codeInfo %}
{% codeInfo srNumber=2 %}
Two
{% /codeInfo %}
{% /codeInfoContainer %}
{% codeBlock fileName="a<b>.ts" theme="gray" %}
```js {% srNumber=1 %}
x
```
```js {% srNumber=2 %}
y
```
{% /codeBlock %}
{% /codePreview %}
"""


def test_code_preview_links_notes_to_numbered_fences() -> None:
    assert render(CODE_PREVIEW) == (
        '<div class="om-code-preview"><div class="om-code-info-container">'
        '<div class="om-code-info" id="code-info-1" data-sr-number="1"><a class="om-code-info__number" href="#code-1" '
        'title="Show the code">1</a><div class="om-code-info__body"><p>Import <strong>it</strong>.</p></div></div>'
        '<div class="om-code-info" id="code-info-2" data-sr-number="2"><a class="om-code-info__number" href="#code-2" '
        'title="Show the code">2</a><div class="om-code-info__body"><p>Two</p></div></div></div>'
        '<div class="om-code-block">'
        '<div class="language-js highlight" data-sr-number="1" id="code-1"><span class="filename">a&lt;b&gt;.ts</span>'
        "<pre><span></span><code>x\n</code></pre></div>"
        '<div class="language-js highlight" data-sr-number="2" id="code-2"><pre><span></span><code>y\n</code></pre></div>'
        "</div></div>"
    )


def test_code_preview_ids_stay_unique_and_pair_through_partials() -> None:
    html = render(CODE_PREVIEW + "\n" + CODE_PREVIEW)
    assert 'id="code-1_1"' in html and 'href="#code-1_1"' in html and 'id="code-info-1_1"' in html
    partial = "{% codeInfo srNumber=7 %}\nFrom a partial\n{% /codeInfo %}\n"
    source = (
        '{% codePreview %}\n{% codeInfoContainer %}\n{% partial file="info.md" /%}\n{% /codeInfoContainer %}\n'
        "{% codeBlock %}\n```yaml {% srNumber=7 %}\na: 1\n```\n{% /codeBlock %}\n{% /codePreview %}\n"
    )
    html = render(source, partials={"info.md": partial})
    assert '<a class="om-code-info__number" href="#code-7" title="Show the code">7</a>' in html
    assert '<div class="language-yaml highlight" data-sr-number="7" id="code-7">' in html


def test_code_info_alone_and_without_number() -> None:
    assert render("{% codeInfo srNumber=3 %}\nx\n{% /codeInfo %}") == (
        '<div class="om-code-info" id="code-info-3" data-sr-number="3"><span class="om-code-info__number">3</span>'
        '<div class="om-code-info__body"><p>x</p></div></div>'
    )
    assert render("{% codeInfo %}\nx\n{% /codeInfo %}") == (
        '<div class="om-code-info"><div class="om-code-info__body"><p>x</p></div></div>'
    )


def test_code_block_title_without_fence() -> None:
    assert render('{% codeBlock fileName="f.json" %}\ntext\n{% /codeBlock %}') == (
        '<div class="om-code-block"><p class="om-code-block__title">f.json</p><p>text</p></div>'
    )


LANGUAGE_SELECTOR = """{% codeWithLanguageSelector title="Auth Configuration" id="container-1" languagesArray=["implicit","authcode"] theme="dark" %}
```authcode
A
```
```implicit
I
```
{% /codeWithLanguageSelector %}
"""


def test_code_with_language_selector_is_material_content_tabs() -> None:
    assert render(LANGUAGE_SELECTOR) == (
        '<div class="tabbed-set tabbed-alternate" data-tabs="1:2" id="container-1">'
        '<input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio">'
        '<input id="__tabbed_1_2" name="__tabbed_1" type="radio">'
        '<div class="tabbed-labels"><label for="__tabbed_1_1">Implicit</label><label for="__tabbed_1_2">Auth Code</label></div>'
        '<div class="tabbed-content">'
        '<div class="tabbed-block"><div class="language-implicit highlight"><span class="filename">Auth Configuration</span>'
        "<pre><span></span><code>I\n</code></pre></div></div>"
        '<div class="tabbed-block"><div class="language-authcode highlight"><span class="filename">Auth Configuration</span>'
        "<pre><span></span><code>A\n</code></pre></div></div>"
        "</div></div>"
    )


def test_language_selector_numbers_sets_and_reports_missing_tabs() -> None:
    result = Rendered(LANGUAGE_SELECTOR + "\n" + LANGUAGE_SELECTOR.replace('"authcode"]', '"authcode","saml"]'))
    assert result.errors == []
    assert 'data-tabs="2:2" id="container-1_1"' in result.html
    assert 'id="__tabbed_2_1" name="__tabbed_2"' in result.html
    assert result.rules == ["language-selector-missing"]


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("implicit", "Implicit"),
        ("authcode", "Auth Code"),
        ("json", "JSON"),
        ("python", "Python"),
        ("my_flow", "My Flow"),
        ("camelCase", "Camel Case"),
    ],
)
def test_language_labels(language: str, label: str) -> None:
    assert language_label(language) == label


# --- steps ---------------------------------------------------------------------------------------


def test_steps() -> None:
    source = """{% stepsContainer %}
{% step srNumber=1 %}
{% stepDescription title="1. Visit the Services Page" %}
Go.
{% /stepDescription %}
{% stepVisualInfo %}
{% image src="/images/v1.7/a.png" alt="A" /%}
{% /stepVisualInfo %}
{% /step %}
{% extraContent parentTagName="stepsContainer" %}
More
{% /extraContent %}
{% /stepsContainer %}
"""
    assert render(source) == (
        '<div class="om-steps"><div class="om-step" data-step="1"><span class="om-step__number">1</span>'
        '<div class="om-step__description"><p class="om-step__title">Visit the Services Page</p><p>Go.</p></div>'
        '<div class="om-step__visual"><figure class="om-figure"><img src="IMG:/images/v1.7/a.png" alt="A" loading="lazy">'
        "</figure></div></div>"
        '<div class="om-steps__extra"><p>More</p></div></div>'
    )


def test_step_title_keeps_a_number_that_is_not_the_steps_own() -> None:
    html = render('{% step srNumber=7 %}\n{% stepDescription title="1. Other" %}\n{% /stepDescription %}\n{% /step %}')
    assert html == (
        '<div class="om-step" data-step="7"><span class="om-step__number">7</span>'
        '<div class="om-step__description"><p class="om-step__title">1. Other</p></div></div>'
    )
    assert render('{% extraContent parentTagNme="stepsContainer" %}\nx\n{% /extraContent %}') == (
        '<div class="om-steps__extra"><p>x</p></div>'
    )


# --- tiles and callouts --------------------------------------------------------------------------


def test_tiles_are_material_grid_cards() -> None:
    source = (
        "{% tilesContainer %}\n"
        '{% tile title="Data & <Discovery>" description="Find \\"data\\"" link="/how-to-guides/data-discovery" icon="discovery" /%}\n'
        '{% tile title="No icon" link="/x" /%}\n'
        "{% /tilesContainer %}"
    )
    assert render(source) == (
        '<div class="grid cards om-tiles"><ul>'
        f'<li class="om-tile"><p><span class="twemoji lg middle">{svg("compass-outline")}</span> '
        '<a href="LINK:/how-to-guides/data-discovery"><strong>Data &amp; &lt;Discovery&gt;</strong></a></p>'
        "<hr><p>Find &quot;data&quot;</p></li>"
        '<li class="om-tile"><p><a href="LINK:/x"><strong>No icon</strong></a></p></li>'
        "</ul></div>"
    )


def test_tile_outside_a_container_gets_its_own_grid() -> None:
    assert render('{% tile title="Alone" link="/x" /%}') == (
        '<div class="grid cards om-tiles"><ul><li class="om-tile"><p><a href="LINK:/x"><strong>Alone</strong></a></p></li></ul></div>'
    )


def test_a_tile_body_is_the_text_of_its_card() -> None:
    # roadmap pages (OpenMetadata 0.13 to 1.1) list each release's features in tile bodies
    assert render('{% tile title="Entities" link="/x" %}\n- Storage\n- Containers\n{% /tile %}') == (
        '<div class="grid cards om-tiles"><ul><li class="om-tile"><p><a href="LINK:/x"><strong>Entities</strong></a></p>'
        "<hr><ul><li>Storage</li><li>Containers</li></ul></li></ul></div>"
    )
    assert render('{% tile title="T" description="One line." %}\nMore.\n{% /tile %}') == (
        '<div class="grid cards om-tiles"><ul><li class="om-tile"><p><strong>T</strong></p>'
        "<hr><p>One line.</p><p>More.</p></li></ul></div>"
    )


def test_tiles_from_a_partial_stay_items_of_the_container() -> None:
    html = render(
        '{% tilesContainer %}\n{% partial file="t.md" /%}\n{% /tilesContainer %}',
        partials={"t.md": '{% tile title="P" link="/p" /%}\n'},
    )
    assert (
        html
        == '<div class="grid cards om-tiles"><ul><li class="om-tile"><p><a href="LINK:/p"><strong>P</strong></a></p></li></ul></div>'
    )


def test_inline_callouts() -> None:
    source = """{% inlineCalloutContainer %}
{% inlineCallout color="violet-70" bold="Auth" icon="MdArrowBack" href="/deployment/security/auth0" %}
Go back
{% /inlineCallout %}
{% inlineCallout bold="Ext" icon="play_arrow" href="https://example.com/?a=1&b=\\"2\\"" isExternalLink=true align="right" %}
Out
{% /inlineCallout %}
{% /inlineCalloutContainer %}
"""
    assert render(source) == (
        '<div class="grid cards om-callouts"><ul>'
        f'<li class="om-callout"><p><span class="twemoji lg middle">{svg("arrow-left")}</span> '
        '<a href="LINK:/deployment/security/auth0"><strong>Auth</strong></a></p><p>Go back</p></li>'
        f'<li class="om-callout om-callout--right"><p><span class="twemoji lg middle">{svg("play")}</span> '
        '<a href="LINK:https://example.com/?a=1&amp;b=&quot;2&quot;" target="_blank" rel="noopener"><strong>Ext</strong></a>'
        "</p><p>Out</p></li></ul></div>"
    )


def test_unknown_card_icon_is_reported_as_info_and_shown_neutral() -> None:
    result = Rendered('{% tile title="T" link="/t" icon="no-such-icon-here" /%}')
    assert f'<span class="twemoji lg middle">{svg("circle-medium")}</span>' in result.html
    assert [(d["rule"], d["severity"]) for d in result.context.diagnostics] == [("icon-unknown", "info")]


# --- media ---------------------------------------------------------------------------------------


def test_youtube_facade() -> None:
    play = f'<span class="twemoji om-youtube__play">{svg("play")}</span>'
    assert render('{% youtube videoId="cZdIobCpI9U" start="13:30" end="58:24" width="560px" height="315px" /%}') == (
        '<div class="om-youtube" data-video-id="cZdIobCpI9U" data-start="810" data-end="3504">'
        '<a class="om-youtube__link" href="https://www.youtube-nocookie.com/embed/cZdIobCpI9U?start=810&amp;end=3504" '
        f'target="_blank" rel="noopener">{play}<span class="om-youtube__label">Play video</span>'
        '<span class="om-youtube__note">Loads the player from youtube-nocookie.com</span></a></div>'
    )
    html = render('{% youtube videoId="5hA5dr5iVgw" start="0:00" caption="Demo <1>" /%}')
    assert html == (
        '<figure class="om-figure om-video"><div class="om-youtube" data-video-id="5hA5dr5iVgw" data-title="Demo &lt;1&gt;">'
        '<a class="om-youtube__link" href="https://www.youtube-nocookie.com/embed/5hA5dr5iVgw" target="_blank" rel="noopener">'
        f'{play}<span class="om-youtube__label">Play video</span>'
        '<span class="om-youtube__note">Loads the player from youtube-nocookie.com</span></a></div>'
        "<figcaption>Demo &lt;1&gt;</figcaption></figure>"
    )


@pytest.mark.parametrize(
    ("value", "expected"), [("0:00", 0), ("00:01", 1), ("13:30", 810), ("1:08:10", 4090), ("75", 75), (75, 75), ("x", None)]
)
def test_seconds(value: Any, expected: int | None) -> None:
    assert seconds(value) == expected


def test_youtube_with_a_bad_id_renders_nothing() -> None:
    result = Rendered('{% youtube videoId="\\"><script>" /%}')
    assert result.html == ""
    assert result.error_ids == ["attribute-value-invalid"]
    assert result.rules == ["youtube-video-id"]


# --- connectors ----------------------------------------------------------------------------------


def test_connector_details_header() -> None:
    check = f'<span class="twemoji om-feature__icon">{svg("check")}</span> '
    close = f'<span class="twemoji om-feature__icon">{svg("close")}</span> '
    html = render(
        '{% connectorDetailsHeader name="MySQL" stage="PROD" platform="Collate" '
        'availableFeatures=["Metadata", "dbt"] unavailableFeatures=["Owners"] availableFeaturesCollate=["Lineage"] /%}'
    )
    assert html == (
        '<div class="om-connector-header"><p class="om-connector-header__title"><strong>MySQL</strong> '
        '<span class="om-badge om-badge--prod">PROD</span> <span class="om-badge om-badge--platform">Collate</span></p>'
        '<div class="om-connector-header__features">'
        '<div class="om-connector-header__group om-connector-header__group--available">'
        '<p class="om-connector-header__label">Available features</p>'
        f'<ul class="om-feature-list"><li>{check}Metadata</li><li>{check}dbt</li></ul></div>'
        '<div class="om-connector-header__group om-connector-header__group--unavailable">'
        '<p class="om-connector-header__label">Unavailable features</p>'
        f'<ul class="om-feature-list"><li>{close}Owners</li></ul></div>'
        '<div class="om-connector-header__group om-connector-header__group--collate">'
        '<p class="om-connector-header__label">Also available in Collate</p>'
        f'<ul class="om-feature-list"><li>{check}Lineage</li></ul></div>'
        "</div></div>"
    )


def test_connector_header_with_empty_lists_and_default_platform() -> None:
    html = render(
        '{% connectorDetailsHeader name="Atlas" stage="BETA" platform="MetaMart" availableFeatures=[] unavailableFeatures=[] / %}'
    )
    assert html == (
        '<div class="om-connector-header"><p class="om-connector-header__title"><strong>Atlas</strong> '
        '<span class="om-badge om-badge--beta">BETA</span></p></div>'
    )


def test_connector_cards() -> None:
    source = (
        "{% connectorsListContainer %}\n"
        '{% connectorInfoCard name="BigQuery" stage="BETA" href="/connectors/bq" platform="OpenMetadata" / %}\n'
        '{% connectorInfoCard name="Snow" stage="PROD" href="/connectors/snow" platform="Digitrans" / %}\n'
        "{% /connectorsListContainer %}"
    )
    assert render(source) == (
        '<div class="grid cards om-connectors"><ul>'
        '<li class="om-connector-card"><p><a href="LINK:/connectors/bq"><strong>BigQuery</strong></a> '
        '<span class="om-badge om-badge--beta">BETA</span></p></li>'
        '<li class="om-connector-card"><p><a href="LINK:/connectors/snow"><strong>Snow</strong></a> '
        '<span class="om-badge om-badge--prod">PROD</span> <span class="om-badge om-badge--platform">Digitrans</span></p></li>'
        "</ul></div>"
    )


# --- misc ----------------------------------------------------------------------------------------


def test_icons_in_a_table() -> None:
    html = render('| a | b |\n|---|---|\n| x | {% icon iconName="check" /%} |\n| y | {% icon iconName="cross" /%} |\n')
    assert f'<td><span class="twemoji om-icon om-icon--check" role="img" aria-label="Yes">{svg("check")}</span></td>' in html
    assert f'<td><span class="twemoji om-icon om-icon--close" role="img" aria-label="No">{svg("close")}</span></td>' in html


def test_icon_any_material_name_and_unknown_names() -> None:
    assert render('{% icon iconName="account-cog" /%}') == (
        f'<span class="twemoji om-icon om-icon--account-cog" role="img" aria-label="account cog">{svg("account-cog")}</span>'
    )
    result = Rendered('a {% icon iconName="no-such-icon-xyz" /%} b')
    assert result.html == (
        '<p>a <span class="twemoji om-icon om-icon--circle-medium" role="img" aria-label="no-such-icon-xyz">'
        f"{svg('circle-medium')}</span> b</p>"
    )
    assert [(d["rule"], d["severity"]) for d in result.context.diagnostics] == [("icon-unknown", "info")]


def test_icon_names_cannot_escape_the_icon_folder() -> None:
    for name in ("../../__init__", "..", "check/../close", "CHECK", "a b", "", "check.svg"):
        assert material_svg(name) is None
    for name in (
        "material/../../__init__",
        "material/../material/check",
        "../material/check",
        "material/CHECK",
        "material/check.svg",
        "templates/material/check",
        "material/a/b/c",
        "material/",
        "/material/check",
    ):
        assert bundled_svg(name) is None, name
    assert resolve_icon("MdArrowForward").path == "material/arrow-right"  # type: ignore[union-attr]
    assert resolve_icon("MdOutlineSchema").path == "material/table-network"  # type: ignore[union-attr]
    assert resolve_icon("play_arrow").path == "material/play"  # type: ignore[union-attr]
    assert resolve_icon("cross").path == "material/close"  # type: ignore[union-attr]
    result = Rendered('{% icon iconName="../../x" /%}')
    assert result.error_ids == ["attribute-value-invalid"]
    assert svg("circle-medium") in result.html and result.rules == ["icon-unknown"]


def test_layout_wrappers() -> None:
    assert render("{% multiTablesWrapper %}\n| a |\n|---|\n| b |\n{% /multiTablesWrapper %}") == (
        '<div class="om-multi-tables"><table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table></div>'
    )
    source = (
        "{% apiPageContainer %}\n{% apiInfoContainer %}\n{% apiDescription %}\nD\n{% /apiDescription %}\n"
        "{% apiVisualInfo %}\nV\n{% /apiVisualInfo %}\n{% /apiInfoContainer %}\n{% /apiPageContainer %}"
    )
    assert render(source) == (
        '<div class="om-api-page"><div class="om-api-info"><div class="om-api-info__description"><p>D</p></div>'
        '<div class="om-api-info__visual"><p>V</p></div></div></div>'
    )


def test_roadmap() -> None:
    assert render("{% roadmap /%}") == (
        '<div class="admonition info om-roadmap"><p class="admonition-title">Roadmap</p>'
        "<p>The roadmap of upcoming releases is maintained outside these docs.</p></div>"
    )
    assert "See the roadmap" in render('{% roadmap href="/releases/roadmap" /%}')
    assert '<a href="LINK:/releases/roadmap">' in render('{% roadmap href="/releases/roadmap" /%}')


def test_list_is_transparent_with_a_diagnostic() -> None:
    result = Rendered("{% list %}\nkept\n{% /list %}")
    assert result.html == "<p>kept</p>"
    assert result.rules == ["free-text-tag"]


# --- validation of misuse ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "error_id"),
    [
        ('{% codeInfo srNumber="one" %}\nx\n{% /codeInfo %}', "attribute-type-invalid"),
        ("{% step srNumber=true %}\n{% /step %}", "attribute-type-invalid"),
        ('{% connectorDetailsHeader name="X" availableFeatures="Metadata" /%}', "attribute-type-invalid"),
        ('{% inlineCallout bold="b" href="/h" isExternalLink="yes" %}\nx\n{% /inlineCallout %}', "attribute-type-invalid"),
        ('{% note noteType="Fancy" %}\nx\n{% /note %}', "attribute-value-invalid"),
        ('{% image src="/a.png" align="middle" /%}', "attribute-value-invalid"),
        ('{% image src="/a.png" height="50%" /%}', "attribute-value-invalid"),
        ('{% connectorInfoCard name="X" stage="ALPHA" /%}', "attribute-value-invalid"),
        ('{% connectorInfoCard name="X" platform="Other" /%}', "attribute-value-invalid"),
        ('{% codeBlock theme="neon" %}\n{% /codeBlock %}', "attribute-value-invalid"),
        ('{% youtube videoId="cZdIobCpI9U" start="soon" /%}', "attribute-value-invalid"),
        ('{% tile title="a" bogus="b" /%}', "attribute-undefined"),
        ('{% note kind="Tip" %}\nx\n{% /note %}', "attribute-undefined"),
        ('{% image alt="x" /%}', "attribute-missing-required"),
        ('{% tile link="/x" /%}', "attribute-missing-required"),
        ("{% youtube /%}", "attribute-missing-required"),
        ("{% icon /%}", "attribute-missing-required"),
        ('{% inlineCallout bold="b" %}\nx\n{% /inlineCallout %}', "attribute-missing-required"),
        ('{% image src="/a.png" %}\nx\n{% /image %}', "tag-selfclosing-has-children"),
    ],
)
def test_misuse_is_reported(source: str, error_id: str) -> None:
    assert error_id in Rendered(source).error_ids


# --- the corpus ----------------------------------------------------------------------------------


@pytest.mark.corpus
def test_every_corpus_tag_is_declared() -> None:
    if not CORPUS.is_dir() or not (CORPUS / "partials").is_dir():
        pytest.fail(
            f"the docs corpus is missing: expected {CORPUS} (../shared/corpus/openmetadata-docs/content beside the "
            "repository root); this test needs it and is not skipped without it.",
            pytrace=False,
        )
    used: dict[str, int] = {}
    files = 0
    for path in sorted(CORPUS.rglob("*.md")):
        files += 1
        for node in parse(path.read_text(encoding="utf-8"), str(path)).walk():
            if node.type == "tag" and node.tag:
                used[node.tag] = used.get(node.tag, 0) + 1
    assert files > 3000
    declared = set(dialect_tags()) | set(BUILTIN_TAGS)
    missing = {tag: count for tag, count in used.items() if tag not in declared}
    assert not missing, f"corpus tags without a schema: {missing}"
    assert {"image", "note", "codeInfo", "connectorDetailsHeader", "youtube", "roadmap"} <= set(used)
