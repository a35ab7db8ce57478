"""The OpenMetadata docs corpus, one version per test class, built with the plugin (not strict).

Each class is one xdist scope (see ``conftest.pytest_xdist_make_scheduler``), so the three ~20-40 s
builds run on different workers.  Expectations are derived from the corpus files themselves
(front matter, menu.md, the lines of known defects), never from om-markdoc's own readers.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.diagnostics import Diagnostic
from om_markdoc.dialect.tags import TAG_FAMILIES
from om_markdoc.rules import BUILD_RULES
from om_markdoc.site.slugpath import url_path

from .conftest import (
    CORPUS,
    BuiltSite,
    Element,
    article,
    corpus_site,
    internal_links,
    page_count_expected,
    parse_html,
    resolve_link,
)
from .test_parity import logged

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

FENCE = re.compile(r"^(```|~~~).*?^\1", re.DOTALL | re.MULTILINE)

# Tag → a CSS class its markup always carries.  Every tag of the dialect is listed (a new tag
# fails test_marker_table_covers_every_tag until it is added); ``list`` renders no wrapper.
MARKERS: dict[str, str | None] = {
    "note": "admonition", "important": "admonition", "tip": "admonition", "info": "admonition",
    "warning": "admonition", "caution": "admonition", "danger": "admonition",
    "image": "om-figure",
    "codePreview": "om-code-preview", "codeInfoContainer": "om-code-info-container", "codeInfo": "om-code-info",
    "codeBlock": "om-code-block", "codeWithLanguageSelector": "tabbed-set",
    "stepsContainer": "om-steps", "step": "om-step", "stepDescription": "om-step__description",
    "stepVisualInfo": "om-step__visual", "extraContent": "om-steps__extra",
    "tilesContainer": "om-tiles", "tile": "om-tile", "inlineCalloutContainer": "om-callouts", "inlineCallout": "om-callout",
    "youtube": "om-youtube",
    "connectorDetailsHeader": "om-connector-header", "connectorInfoCard": "om-connector-card",
    "connectorsListContainer": "om-connectors",
    "icon": "om-icon", "multiTablesWrapper": "om-multi-tables", "apiPageContainer": "om-api-page",
    "apiInfoContainer": "om-api-info", "apiDescription": "om-api-info__description", "apiVisualInfo": "om-api-info__visual",
    "roadmap": "om-roadmap", "list": None,
}  # fmt: skip


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.startswith("---"):
        return {}
    end = text.find("\n---", 3)
    try:
        meta = yaml.safe_load(text[3:end]) if end != -1 else {}
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def has_class(html: str, name: str) -> bool:
    return re.search(r'class="(?:[^"]*\s)?' + re.escape(name) + r'(?:\s[^"]*)?"', html) is not None


def text_outside_code(root: Element) -> str:
    out: list[str] = []
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            out.append(node)
        elif node.tag not in ("code", "pre"):
            stack.extend(reversed(node.children))
    return "".join(out)


def lines_matching(path: Path, pattern: str) -> list[tuple[int, int]]:
    """``(line, column)`` (1-based; column of the ``{%``) of every line matching ``pattern``."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(pattern, line):
            out.append((number, line.find("{%") + 1 if "{%" in line else len(line) - len(line.lstrip()) + 1))
    return out


def test_marker_table_covers_every_tag() -> None:
    assert sorted(MARKERS) == sorted(tag for tags in TAG_FAMILIES.values() for tag in tags)


class CorpusChecks:
    """The checks every corpus version gets; subclasses set ``version`` and ``partials``."""

    version: str
    partials: str
    """The version folder of ``content/partials`` this version's pages include (``v1.5``)."""

    @pytest.fixture(scope="class")
    @classmethod
    def site(cls, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
        return corpus_site(request, tmp_path_factory, cls.version)

    @property
    def docs(self) -> Path:
        return CORPUS / "content" / self.version

    def message(self, site: BuiltSite, file: str, line: int, rule: str, column: int | None = None) -> str:
        prefix = f"{file}:{line}:{column}:" if column is not None else f"{file}:{line}:"
        found = [m for m in site.diagnostics(rule) if prefix in m]
        assert found, f"no [{rule}] diagnostic at {prefix}; have: " + "\n".join(
            m for m in site.diagnostics(rule) if file in m
        )
        return found[0]

    # -- parity with om-markdoc check ---------------------------------------------------------------

    def test_build_and_check_agree(self, site: BuiltSite) -> None:
        """The build's log and ``om-markdoc check`` name the same (rule, file, line) for every page
        the build renders (edition pages and edition menus are check's alone; problems inside
        partials are compared on small trees in test_parity.py)."""
        _, edition, _ = page_count_expected(self.version)
        left_out = set(edition)

        def ours(file: str) -> bool:
            return not file.startswith("/") and file not in left_out and not file.endswith("-menu.md")

        built = {item for item in logged(site) if item[0] in BUILD_RULES and ours(item[1])}
        prefix = f"content/{self.version}/"

        def judged_by_the_build(f: Diagnostic) -> bool:
            """A version built alone judges the anchors of its own pages; the links into other
            versions it leaves to check, and says so (``test_parity``)."""
            return f.rule != "anchor-broken" or f"on {prefix}" in f.message or "on this page" in f.message

        report = run_check(CORPUS, CheckOptions(use_cache=False))
        found = {
            (f.rule, f.file[len(prefix):], f.line)
            for f in report.findings
            if f.rule in BUILD_RULES and f.file.startswith(prefix) and ours(f.file[len(prefix):]) and judged_by_the_build(f)
        }
        assert len(found) > 50, "the corpus has defects on its pages: parity on nothing proves nothing"
        # the rules the build used to leave to check (#18, #19) are compared too
        assert {"anchor-broken", "example-unparseable"} <= {rule for rule, _, _ in found}
        assert (sorted(built - found), sorted(found - built)) == ([], []), "build-only, check-only"

    # -- pages and URLs --------------------------------------------------------------------------

    def test_every_page_builds(self, site: BuiltSite) -> None:
        expected, edition, menus = page_count_expected(self.version)
        assert "menu.md" in menus
        for src in edition:
            assert src not in site.pages, f"{src} is edition-only (digitrans: true) and include_edition is off"
        # a page whose slug another page already claims is reported and not built (it would
        # overwrite the page the slug serves); every other page has its own output file
        duplicates = len(site.diagnostics("slug-duplicate"))
        assert duplicates > 0
        assert len(site.pages) == expected - duplicates
        written = [p for p in site.site_dir.rglob("index.html")]
        assert len({p.dest_uri for p in site.pages.values()}) == len(written) == expected - duplicates
        assert len(written) > 900

    def test_page_urls_follow_front_matter_slugs(self, site: BuiltSite) -> None:
        differing = 0
        for page in site.pages.values():
            slug = front_matter(self.docs / page.src_uri).get("slug")
            if not isinstance(slug, str):
                continue
            # the slug as a URL path: percent-encoded where a path cannot hold it as written (& is %26)
            assert page.url == (url_path(slug) + "/" if slug.strip("/") else ""), page.src_uri
            by_path = re.sub(r"(^|/)index$", "", page.src_uri[: -len(".md")])
            differing += page.url.rstrip("/") != by_path
        assert differing > 100, "many corpus pages live somewhere other than their path says"

    @pytest.mark.parametrize(
        ("src", "url"),
        [
            ("deployment/kubernetes/values.md", "deployment/kubernetes/helm-values/"),
            ("deployment/iam-auth.md", "deployment/rds-iam-auth/"),
            ("developers/custom-properties.md", "developers/how-to-add-custom-property-to-an-entity/"),
            ("deployment/security/amazon-cognito-sso/docker.md", "deployment/security/amazon-cognito/docker/"),
            ("api/python-sdk.md", "python-sdk/"),
        ],
    )
    def test_known_slugs(self, site: BuiltSite, src: str, url: str) -> None:
        assert site.pages[src].url == url
        assert (site.site_dir / url / "index.html").is_file()

    def test_slug_duplicates_serve_the_page_the_diagnostic_names(self, site: BuiltSite) -> None:
        for message in site.diagnostics("slug-duplicate"):
            match = re.search(r"om_markdoc: (\S+?):\d+:\d+: .* also claimed by (\S+); that page is served", message)
            assert match, message
            loser, winner = match.groups()
            heading = next(
                line[2:].strip()
                for line in (self.docs / winner).read_text(encoding="utf-8").splitlines()
                if line.startswith("# ")
            )
            loser_heading = next(
                (line[2:].strip() for line in (self.docs / loser).read_text(encoding="utf-8").splitlines() if line.startswith("# ")),
                None,
            )
            if heading == loser_heading:
                continue
            h1 = article(site.html(site.pages[winner])).find("h1")
            assert h1 is not None and h1.text().rstrip("¶").strip() == heading, f"{winner} should be served, got {loser}"

    # -- links and images --------------------------------------------------------------------------

    def test_links_are_relative_and_resolve(self, site: BuiltSite) -> None:
        broken_links = site.diagnostics("link-broken")
        missing_images = site.diagnostics("image-missing")
        resolved = 0
        unexplained = []
        for page in site.pages.values():
            for tag, url in internal_links(article(site.html(page))):
                if url.endswith("swagger.html"):
                    continue  # a static file served beside the site (the plugin's `static_links`)
                target, _ = resolve_link(site.site_dir, page.dest_uri, url)
                if not url.startswith("/") and target.is_file():
                    resolved += 1
                    continue
                if tag == "img":
                    written = "/images/" + url.split("images/", 1)[-1]
                    explained = any(
                        (found := re.search(r"image '([^']*)' not found", m)) is not None
                        and re.sub("/+", "/", found.group(1)) == written
                        and page.src_uri in m
                        for m in missing_images
                    )
                else:
                    explained = any(f"link to '{url}'" in m for m in broken_links)
                if not explained:
                    unexplained.append(f"{page.src_uri}: <{tag}> {url}")
        assert resolved > 3000
        assert unexplained == []

    def test_images_are_resolved_and_copied(self, site: BuiltSite) -> None:
        prefix = f"/images/{self.partials}/"
        checked = 0
        for page in site.pages.values():
            source = (self.docs / page.src_uri).read_text(encoding="utf-8", errors="replace")
            if prefix not in source:
                continue
            for img in article(site.html(page)).find_all("img"):
                src = img.attrs.get("src", "")
                if f"images/{self.partials}/" not in src:
                    continue
                assert not src.startswith("/"), f"{page.src_uri}: {src} is not relative"
                target, _ = resolve_link(site.site_dir, page.dest_uri, src)
                original = CORPUS / "images" / src.split("images/", 1)[1]
                if original.is_file():
                    assert target.is_file(), f"{page.src_uri}: {src} not copied"
                    if checked < 50:
                        assert target.read_bytes() == original.read_bytes()
                    checked += 1
        assert checked > 50

    # -- diagnostics at file:line:column -------------------------------------------------------------

    def test_toggle_style_important_is_reported_where_it_is(self, site: BuiltSite) -> None:
        file = "deployment/security/oidc/index.md"
        toggles = lines_matching(self.docs / file, r"^\{%\s*important\s*%\}\s*$")
        assert len(toggles) >= 4
        for line, column in toggles[1::2]:  # every second one closes the one before
            assert "write '{% /important %}'" in self.message(site, file, line, "tag-toggle-close", column)

    def test_closing_tags_with_attributes_or_backslash_are_reported(self, site: BuiltSite) -> None:
        file = "connectors/dashboard/powerbi/index.md"
        attrs = lines_matching(self.docs / file, r"\{%\s*/note\s+noteType")
        assert attrs
        for line, column in attrs:
            self.message(site, file, line, "tag-close-recovered", column)
        file = "connectors/ingestion/lineage/index.md"
        backslash = lines_matching(self.docs / file, r"\{%\s*\\note")
        assert backslash
        for line, column in backslash:
            assert "read as '/note'" in self.message(site, file, line, "tag-close-recovered", column)

    def test_unclosed_tags_are_reported(self, site: BuiltSite) -> None:
        file = "connectors/pipeline/fivetran/index.md"
        [(line, column)] = lines_matching(self.docs / file, r"\{%\s*extraContent\b")
        assert "'extraContent' is missing closing" in self.message(site, file, line, "missing-closing", column)

    def test_reopened_code_info_is_auto_closed(self, site: BuiltSite) -> None:
        file = "connectors/database/doris/yaml.md"
        open_line = None
        reopened = []
        for number, line in enumerate((self.docs / file).read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\{%\s*codeInfo\s", line):
                if open_line is not None:
                    reopened.append((number, line.find("{%") + 1))
                open_line = number
            elif re.search(r"\{%\s*/codeInfo\s*%\}", line):
                open_line = None
        assert reopened
        for line, column in reopened:
            self.message(site, file, line, "tag-auto-closed", column)

    def test_parse_errors_are_reported_in_pages_and_partials(self, site: BuiltSite) -> None:
        file = "connectors/ingestion/great-expectations.md"
        [(bad, _)] = lines_matching(self.docs / file, r'^src=\{"')  # src={"/images/..."}: not an object
        line, column = [(n, c) for n, c in lines_matching(self.docs / file, r"\{%\s*image\b") if n <= bad][-1]
        self.message(site, file, line, "parse-error", column)  # reported at the tag that cannot be read
        partial = f"partials/{self.partials}/connectors/python-requirements.md"
        [(line, column)] = lines_matching(CORPUS / "content" / partial, r"^\{% list of python")
        self.message(site, partial, line, "parse-error", column)

    def test_a_page_with_a_parse_error_renders_the_rest(self, site: BuiltSite) -> None:
        src = "connectors/ingestion/great-expectations.md"
        source = (self.docs / src).read_text(encoding="utf-8")
        headings = [line.lstrip("#").strip() for line in source.splitlines() if line.startswith("### ")]
        root = article(site.html(site.pages[src]))
        shown = [h.text().rstrip("¶").strip() for h in root.find_all("h3")]
        assert headings and all(any(h.replace("`", "") == s for s in shown) for h in headings), (headings, shown)

    # -- navigation, markup, leftovers -------------------------------------------------------------

    def test_navigation_comes_from_menu_md(self, site: BuiltSite) -> None:
        text = (self.docs / "menu.md").read_text(encoding="utf-8")
        menu = yaml.safe_load(text.split("---")[1])["site_menu"]
        by_url = {page.url.rstrip("/"): page for page in site.pages.values()}
        checked = 0
        for entry in menu:
            label = entry["category"].split("/")[-1].strip()
            page = by_url.get(str(entry.get("url", "")).strip("/"))
            if page is None or front_matter(self.docs / page.src_uri).get("title") == label:
                continue
            # a label only the menu has (the page's own title differs): the nav must show it
            nav = parse_html(site.html(page)).find("nav", classes=["md-nav--primary"])
            labels = [e.text().strip() for e in nav.find_all(classes=["md-nav__link"])]
            assert label in labels, f"menu label {label!r} missing from the nav of {page.url}"
            parents = [part.strip() for part in entry["category"].split("/")[:-1]]
            for parent in parents:
                assert parent in labels, f"menu section {parent!r} missing from the nav of {page.url}"
            checked += 1
            if checked == 15:
                break
        assert checked == 15

    def test_every_tag_family_renders_its_markup(self, site: BuiltSite) -> None:
        used: Counter[str] = Counter()
        missing = []
        for page in site.pages.values():
            source = FENCE.sub("", (self.docs / page.src_uri).read_text(encoding="utf-8", errors="replace"))
            html = None
            for tag, marker in MARKERS.items():
                if marker is None or not re.search(r"\{%\s*" + tag + r"(\s|%|/)", source):
                    continue
                html = html if html is not None else site.html(page)
                used[tag] += 1
                if not has_class(html, marker):
                    missing.append(f"{page.src_uri}: {{% {tag} %}} without .{marker}")
        assert missing == []
        for family, tags in TAG_FAMILIES.items():
            assert any(used[t] for t in tags), f"no tag of family {family!r} used in {self.version}"
        for tag in ("stepsContainer", "codePreview", "codeWithLanguageSelector", "tilesContainer", "inlineCallout",
                    "youtube", "connectorDetailsHeader", "note", "image"):  # fmt: skip
            assert used[tag], tag

    def test_no_raw_tag_syntax_outside_code(self, site: BuiltSite) -> None:
        """Tags that fail to parse are reported and dropped, never echoed as ``{% … %}`` text."""
        leftovers = {}
        for page in site.pages.values():
            text = text_outside_code(article(site.html(page)))
            if "{%" in text:
                leftovers[page.src_uri] = text[text.find("{%") :][:80]
        parse_errors = site.diagnostics("parse-error")
        assert parse_errors, "the corpus has parse errors; they must be reported"
        # Observed: 0 pages with raw `{%` although there are 2-3 parse errors per version: the
        # parser turns an unparsable tag into an error node that renders nothing.
        assert leftovers == {}


class TestCorpusV14(CorpusChecks):
    version = "v1.4.x"
    partials = "v1.4"


class TestCorpusV15(CorpusChecks):
    version = "v1.5.x"
    partials = "v1.5"


class TestCorpusV16(CorpusChecks):
    version = "v1.6.x-SNAPSHOT"
    partials = "v1.6"
