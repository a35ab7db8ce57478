"""No injection: attribute values, captions, alt texts, titles, variables, front-matter titles
and menu labels come out HTML-escaped; ``javascript:``/``data:``/``vbscript:``/``file:`` URLs in
tag attributes are not emitted (``#`` for links, nothing for images) and reported as
``url-unsafe`` at file:line:column; raw HTML in Markdown is escaped as text (Markdoc's policy),
in pages and in partials alike.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from om_markdoc.dialect.context import PageContext, is_unsafe_url
from om_markdoc.site.partials import PartialResolver, PartialStore

from .conftest import assert_located, small_tree, write

XSS = "<script>alert(1337)</script>"
IMG = "<img src=x onerror=alert(1337)>"
ATTR = '"><svg onload=alert(1337)>'
ATTR_Q = ATTR.replace('"', '\\"')  # the same inside a Markdoc string


def _clean(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x onerror" not in html
    assert "<svg onload" not in html
    tags = re.sub(r'"[^"]*"', '""', html)  # attribute values are escaped text: look at markup only
    assert not re.search(r"<[^>]*\son(error|load)=", tags)
    lowered = html.lower()
    for attr in ("href", "src"):
        for scheme in ("javascript:", "data:", "vbscript:"):
            assert f'{attr}="{scheme}' not in lowered


def render(renderer, source: str, **kwargs):
    return renderer.render(source, file="inj.md", context=PageContext(file="inj.md"), **kwargs)


@pytest.mark.parametrize(
    "source",
    [
        f"{XSS}\n\n{IMG}\n",
        f"# Title {XSS}\n\ntext {IMG} more\n",
        f"> {XSS}\n\n- {IMG}\n",
        f"| a |\n|---|\n| {XSS} |\n",
        f"<div>\n{XSS}\n</div>\n",
        f"<!-- x -->{IMG}\n",
        f'{{% note title="{XSS}" %}}\n{IMG}\n{{% /note %}}\n',
        f'{{% image src="/images/a.png" alt="{ATTR_Q}" caption="{XSS}" /%}}\n',
        f'{{% tile title="{XSS}" description="{IMG}" link="/x" /%}}\n',
        f'{{% inlineCallout icon="x" bold="{XSS}" href="/x" %}}{IMG}{{% /inlineCallout %}}\n',
        f'{{% connectorInfoCard name="{XSS}" stage="PROD" href="/x" platform="OpenMetadata" /%}}\n',
        f'{{% codeWithLanguageSelector title="{XSS}" id="a" languagesArray=["{IMG}"] %}}\n{{% /codeWithLanguageSelector %}}\n',
        f'{{% tabs %}}\n{{% tab title="{ATTR_Q}" %}}\nx\n{{% /tab %}}\n{{% /tabs %}}\n',
        f"[{XSS}](/x \"{ATTR}\")\n\n![{ATTR}](/a.png \"{XSS}\")\n",
        f"```html\n{XSS}\n```\n\n`{IMG}`\n",
        "{% $evil %}\n\n{% note title=$evil %}\nx\n{% /note %}\n",
    ],
)
def test_markup_in_content_is_escaped(renderer, source: str) -> None:
    result = render(renderer, source, variables={"evil": XSS})
    _clean(result.html)
    assert_located(result.diagnostics, {"inj.md"})


def test_variables_passed_to_partials_are_escaped(renderer, tmp_path: Path) -> None:
    root = write(
        tmp_path / "partials", {"p.md": f"Hello {{% $name %}}\n\n{XSS}\n\n{{% note title=$name %}}\n{IMG}\n{{% /note %}}\n"}
    )
    store = PartialStore(PartialResolver(root), lambda s, f: renderer.parse(s, f)[0])
    result = render(renderer, f'{{% partial file="/p.md" variables={{name: "{ATTR_Q}"}} /%}}\n', partials=store)
    assert "Hello" in result.html
    _clean(result.html)


UNSAFE = [
    "javascript:alert(1337)",
    "JavaScript:alert(1337)",
    " java\tscript:alert(1337)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "\x01javascript:alert(1)",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_url_predicate(url: str) -> None:
    assert is_unsafe_url(url)


@pytest.mark.parametrize("url", ["/x", "https://example.com/a:b", "#frag", "mailto:a@b.c", "./javascript:x", "relative/data:x"])
def test_safe_urls_pass(url: str) -> None:
    assert not is_unsafe_url(url)


@pytest.mark.parametrize(
    "template",
    [
        '{{% image src="{url}" alt="a" /%}}',
        '{{% tile title="t" description="d" link="{url}" /%}}',
        '{{% inlineCallout icon="x" bold="b" href="{url}" %}}t{{% /inlineCallout %}}',
        '{{% connectorInfoCard name="n" stage="PROD" href="{url}" platform="OpenMetadata" /%}}',
    ],
)
@pytest.mark.parametrize("url", ["javascript:alert(1337)", "data:text/html,<script>alert(1337)</script>", "vbscript:x"])
def test_unsafe_urls_in_tag_attributes_are_refused(renderer, template: str, url: str) -> None:
    line = template.format(url=url)
    column = line.index(url) + 1  # the diagnostic points at the URL itself
    source = "Intro line.\n\n" + line + "\n"
    result = render(renderer, source)
    _clean(result.html)
    unsafe = [d for d in result.diagnostics if d.rule == "url-unsafe"]
    assert len(unsafe) == 1, result.diagnostics
    assert (unsafe[0].file, unsafe[0].line, unsafe[0].column) == ("inj.md", 3, column)
    assert unsafe[0].severity == "error"


@pytest.mark.parametrize(
    "source",
    [
        "[a](javascript:alert(1337))",
        "![a](javascript:alert(1337))",
        "[a](data:text/html,x)",
        "<javascript:alert(1337)>",
        "[a][r]\n\n[r]: javascript:alert(1337)",
    ],
)
def test_markdown_links_with_unsafe_urls_are_not_links(renderer, source: str) -> None:
    """markdown-it's validateLink refuses these: they stay text (no diagnostic today)."""
    result = render(renderer, source + "\n")
    _clean(result.html)


def _build(tmp_path: Path, extra: dict[str, str], guide_body: str = "Guide.") -> list[Path]:
    from om_markdoc.build.builder import build_site
    from om_markdoc.build.plan import plan_build

    tree = small_tree(tmp_path / "tree", guide_body=guide_body, extra=extra)
    site = tmp_path / "site"
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    pages = sorted(site.rglob("*.html"))
    assert pages
    return pages


def test_built_site_escapes_content_and_partials(tmp_path: Path) -> None:
    pages = _build(
        tmp_path,
        {
            "content/v1.0.x/x.md": f"---\ntitle: Plain\nslug: /guide/x\n---\n\n# Plain\n\ntext {XSS}\n",
            "content/partials/v1.0/p.md": f"{IMG}\n\n[x](javascript:alert(1337))\n",
        },
        guide_body=f'{XSS}\n\n{IMG}\n\n{{% partial file="/v1.0/p.md" /%}}\n\n{{% image src="javascript:alert(1337)" alt="a" /%}}',
    )
    for path in pages:
        _clean(path.read_text(encoding="utf-8"))


def test_built_site_escapes_front_matter_titles(tmp_path: Path) -> None:
    pages = _build(tmp_path, {"content/v1.0.x/x.md": f'---\ntitle: "{XSS}"\nslug: /guide/x\n---\n\ntext\n'})
    for path in pages:
        _clean(path.read_text(encoding="utf-8"))


def test_built_site_escapes_menu_labels(tmp_path: Path) -> None:
    menu = f'---\nsite_menu:\n  - category: Home\n    url: /\n  - category: "{ATTR_Q}"\n    url: /guide\n---\n'
    for path in _build(tmp_path, {"content/v1.0.x/menu.md": menu}):
        _clean(path.read_text(encoding="utf-8"))


def test_built_site_escapes_heading_derived_titles(tmp_path: Path) -> None:
    pages = _build(tmp_path, {"content/v1.0.x/x.md": f"---\nslug: /guide/x\n---\n\n# {ATTR}\n\ntext\n"})
    for path in pages:
        _clean(path.read_text(encoding="utf-8"))


def test_built_site_escapes_toc_entries(tmp_path: Path) -> None:
    pages = _build(tmp_path, {"content/v1.0.x/x.md": f"---\ntitle: Plain\nslug: /guide/x\n---\n\n# Plain\n\n## {ATTR}\n\ntext\n"})
    for path in pages:
        _clean(path.read_text(encoding="utf-8"))


SLUG_QUOTE = '/q" onmouseover="alert(1)" x="'
SLUG_SCRIPT = "/x</script><script>alert(1)</script>"


def test_hostile_slugs_reach_no_attribute_or_script(tmp_path: Path) -> None:
    """The slugs of issue #18 through ``om-markdoc build`` (two versions, so ``latest/`` redirect
    pages are written): every HTML file parses to no injected attribute or script and only
    well-formed hrefs, a ``..`` slug writes nothing outside its version, and each is reported."""
    from om_markdoc.cli import main

    from .site_fuzz import html_problems

    pages = {"unsafe-q.md": SLUG_QUOTE, "unsafe-s.md": SLUG_SCRIPT, "unsafe-up.md": "/../../../up"}
    extra: dict[str, str | bytes] = {
        f"content/{version}/{name}": f"---\ntitle: T\nslug: {json.dumps(slug)}\n---\n\n# T\n"
        for version in ("v1.0.x", "v1.1.x")
        for name, slug in pages.items()
    }
    extra["content/v1.1.x/index.md"] = "---\ntitle: Home\nslug: /\n---\n\n# Home\n"
    small_tree(tmp_path / "tree", guide_body="[q](/q%22%20onmouseover=%22alert(1)%22%20x=%22)", extra=extra)
    site = tmp_path / "out" / "site"
    code = main(["build", str(tmp_path / "tree"), "--site-dir", str(site)])
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["site"]  # nothing climbed out
    assert (site / "v1.1.x" / "up" / "index.html").is_file()
    redirect = (site / "latest" / "x</script><script>alert(1)</script>" / "index.html").read_text(encoding="utf-8")
    assert 'location.replace("../../../../v1.1.x/x%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E/"' in redirect
    problems = {str(p.relative_to(site)): html_problems(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")}
    assert len(problems) > 10
    assert {p: found for p, found in problems.items() if found} == {}
    guide = (site / "v1.0.x" / "guide" / "index.html").read_text(encoding="utf-8")
    assert 'href="../q%22%20onmouseover=%22alert(1)%22%20x=%22/"' in guide  # the link finds the page


def test_check_reports_each_unsafe_slug_at_its_line(tmp_path: Path) -> None:
    from om_markdoc.check import CheckOptions, run_check

    small_tree(tmp_path, extra={"content/v1.0.x/q.md": f"---\ntitle: T\nslug: {json.dumps(SLUG_QUOTE)}\n---\n\n# T\n"})
    report = run_check(tmp_path, CheckOptions(use_cache=False, examples=False))
    found = [f for f in report.findings if f.rule == "slug-unsafe"]
    assert [(f.file, f.line, f.severity) for f in found] == [("content/v1.0.x/q.md", 3, "warning")]
    assert "/q%22%20onmouseover=%22alert(1)%22%20x=%22" in found[0].message
