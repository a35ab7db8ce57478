"""The plugin's options, each on a tiny site built in a temp folder (a fraction of a second each)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.site import partials as partials_module

from .conftest import (
    BuiltSite,
    article,
    build_site,
    parse_html,
    resolve_link,
    write_config,
)

VERSION = "v1.0.x"


def make_site(
    root: Path,
    files: dict[str, str],
    *,
    options: dict[str, Any] | None = None,
    plugins: list[Any] | None = None,
    strict: bool = False,
    **config: Any,
) -> BuiltSite:
    """Write ``files`` below ``root/docs`` and build with om-markdoc (``plugins`` replaces the default list)."""
    for name, text in files.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "snippets").mkdir(exist_ok=True)
    plugin_list = plugins if plugins is not None else ["search", {"om-markdoc": options or {}}]
    mkdocs_yml = write_config(
        root / "mkdocs.yml",
        {"site_name": "Options Test", "docs_dir": "docs", "theme": {"name": "material"}, "plugins": plugin_list, **config},
    )
    return build_site(mkdocs_yml, root / "site", strict=strict)


def page(slug: str, title: str, body: str = "", **meta: Any) -> str:
    extra = "".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in meta.items())
    return f"---\ntitle: {title}\nslug: {slug}\n{extra}---\n\n# {title}\n\n{body}\n"


EDITION_SITE = {
    f"{VERSION}/index.md": page("/", "Welcome", "See [the open page](/open)."),
    f"{VERSION}/open.md": page("/open", "Open Page", "For everyone.", collate=False),
    f"{VERSION}/paid.md": page("/paid", "Paid Page", "Commercial only.", collate=True),
    f"{VERSION}/enterprise.md": page("/enterprise", "Enterprise Page", "Flagged differently.", enterprise=True),
}


# --- editions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("include", [False, True])
def test_include_edition(tmp_path: Path, include: bool) -> None:
    site = make_site(tmp_path, EDITION_SITE, options={"include_edition": include})
    assert site.error is None
    built = {p.src_uri for p in site.pages.values()}
    assert f"{VERSION}/open.md" in built
    assert (f"{VERSION}/paid.md" in built) is include
    assert (site.site_dir / VERSION / "paid" / "index.html").is_file() is include
    assert (site.site_dir / VERSION / "open" / "index.html").is_file()


def test_custom_edition_flag(tmp_path: Path) -> None:
    site = make_site(tmp_path, EDITION_SITE, options={"edition_flag": "enterprise"})
    built = {p.src_uri for p in site.pages.values()}
    assert f"{VERSION}/enterprise.md" not in built, "pages with the configured flag are left out"
    assert f"{VERSION}/paid.md" in built, "collate is no longer the flag"
    assert not (site.site_dir / VERSION / "enterprise").exists()


# --- navigation ----------------------------------------------------------------------------------

NAV_SITE = {
    f"{VERSION}/menu.md": "---\nsite_menu:\n  - category: Start Here\n    url: /\n"
    "  - category: Start Here / The Guide\n    url: /guides/first\n---\n",
    f"{VERSION}/index.md": page("/", "Welcome"),
    f"{VERSION}/guides/first.md": page("/guides/first", "First Guide Title"),
    f"{VERSION}/guides/second.md": page("/guides/second", "Second Guide Title"),
}


def nav_labels(site: BuiltSite, url: str) -> list[str]:
    nav = parse_html(site.html(url)).find("nav", classes=["md-nav--primary"])
    return [e.text().strip() for e in nav.find_all(classes=["md-nav__link"])]


def test_nav_menu(tmp_path: Path) -> None:
    site = make_site(tmp_path, NAV_SITE, options={"nav": "menu"})
    assert site.error is None
    labels = nav_labels(site, f"{VERSION}/guides/first/")
    assert "Start Here" in labels and "The Guide" in labels
    assert "Second Guide Title" not in labels, "pages the menu does not list stay out of the nav"


def test_nav_folders(tmp_path: Path) -> None:
    site = make_site(tmp_path, NAV_SITE, options={"nav": "folders"})
    labels = nav_labels(site, f"{VERSION}/guides/first/")
    assert "Guides" in labels, labels
    assert "First Guide Title" in labels and "Second Guide Title" in labels
    assert "Start Here" not in labels and "The Guide" not in labels


def test_nav_config(tmp_path: Path) -> None:
    nav = [{"Custom Home": f"{VERSION}/index.md"}, {"Custom Section": [{"Only This": f"{VERSION}/guides/second.md"}]}]
    site = make_site(tmp_path, NAV_SITE, options={"nav": "config"}, nav=nav)
    labels = nav_labels(site, f"{VERSION}/guides/second/")
    assert {"Custom Home", "Custom Section", "Only This"} <= set(labels)
    assert "Start Here" not in labels and "The Guide" not in labels


# --- delimiters and Jinja-based plugins ----------------------------------------------------------

ANGLE_PAGE = (
    "<% note noteType=\"Tip\" %>\nInside angle delimiters.\n<% /note %>\n\n"
    "{% note %}\nCurly stays text.\n{% /note %}\n"
)


def test_angle_delimiters(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.md": page("/", "Angle", ANGLE_PAGE)}, options={"delimiters": "angle"})
    assert site.error is None
    root = article(site.html(""))
    boxes = root.find_all("div", classes=["admonition"])
    assert len(boxes) == 1
    assert boxes[0].find("p", classes=["admonition-title"]).text() == "Tip"
    assert "Inside angle delimiters." in boxes[0].text()
    assert "{% note %}" in root.text() and "{% /note %}" in root.text()
    assert "<%" not in root.text()


def test_curly_delimiters_leave_angle_syntax_alone(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"index.md": page("/", "Curly", ANGLE_PAGE)})
    root = article(site.html(""))
    boxes = root.find_all("div", classes=["admonition"])
    assert len(boxes) == 1 and "Curly stays text." in boxes[0].text()


MACROS_PAGE = (
    "Site: {{ config.site_name }}.\n\n"
    "Condition: {% if true %}yes{% endif %}.\n\n"
    "<% note %>\nA Markdoc note next to Jinja.\n<% /note %>\n"
)


def test_with_mkdocs_macros(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {"index.md": page("/", "Macros", MACROS_PAGE)},
        plugins=["search", "macros", {"om-markdoc": {"delimiters": "angle"}}],
    )
    assert site.error is None, site.error
    root = article(site.html(""))
    text = root.text()
    assert "Site: Options Test." in text
    assert "Condition: yes." in text
    assert "{{" not in text and "{%" not in text
    boxes = root.find_all("div", classes=["admonition"])
    assert len(boxes) == 1 and "A Markdoc note next to Jinja." in boxes[0].text()


def test_strict_build_passes_on_a_clean_site(tmp_path: Path) -> None:
    site = make_site(tmp_path, {f"{VERSION}/index.md": page("/", "Home", "[Other](/other)"), f"{VERSION}/other.md": page("/other", "Other")}, strict=True)
    assert site.error is None, site.warnings(plugin_only=False)


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("See [nowhere](/no/such/page).", "link-broken"),
        ('{% note colour="red" %}\nText.\n{% /note %}', "attribute-undefined"),
        ('{% image src="/images/v1.0/missing.png" /%}', "image-missing"),
    ],
    ids=["broken-link", "undeclared-attribute", "missing-image"],
)
def test_strict_build_fails_on_warnings(tmp_path: Path, body: str, rule: str) -> None:
    for folder in ("lenient", "strict"):
        (tmp_path / folder / "docs" / "images").mkdir(parents=True)
    files = {f"{VERSION}/index.md": page("/home", "Home", body)}
    lenient = make_site(tmp_path / "lenient", files)
    assert lenient.error is None
    assert [m for m in lenient.warnings() if f"[{rule}]" in m], lenient.messages()
    strict = make_site(tmp_path / "strict", files, strict=True)
    assert strict.error is not None and "Abort" in strict.error and "strict mode" in strict.error
    assert [m for m in strict.warnings() if f"[{rule}]" in m]


def test_syntax_error_is_located_and_the_rest_renders(tmp_path: Path) -> None:
    body = "Before the error.\n\n{% note noteType=\"Tip\" %}\nFine.\n{% /note %}\n\n{% image src={\"/x.png\"} /%}\n\n## After\n\nAfter the error."
    site = make_site(tmp_path, {f"{VERSION}/index.md": page("/broken", "Broken", body)})
    assert site.error is None
    source = (tmp_path / "docs" / VERSION / "index.md").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(source, 1) if text.startswith("{% image"))
    errors = [m for m in site.warnings() if "[parse-error]" in m]
    assert errors and re.search(rf"index\.md:{line}:\d+: error: ", errors[0]), errors
    root = article(site.html(f"{VERSION}/broken/"))
    text = root.text()
    assert "Before the error." in text and "After the error." in text
    assert root.find("h2", id="after") is not None
    assert root.find("div", classes=["admonition", "tip"]) is not None
    assert "{%" not in text


# --- links ---------------------------------------------------------------------------------------


def test_static_links_are_not_broken(tmp_path: Path) -> None:
    files = {f"{VERSION}/index.md": page("/", "Home", "The [API explorer](/swagger.html)."), f"{VERSION}/a.md": page("/a", "A", "[API](/swagger.html)")}
    site = make_site(tmp_path, files, options={"static_links": ["/swagger.html"]})
    assert [m for m in site.warnings() if "swagger" in m] == []
    links = [a.attrs["href"] for a in article(site.html(f"{VERSION}/a/")).find_all("a") if "swagger" in a.attrs.get("href", "")]
    # v1.0.x/a/index.html → up two folders to the site root, where the static file is served
    assert links == ["../../swagger.html"], links


def test_relative_links_and_images(tmp_path: Path) -> None:
    (tmp_path / "docs" / "images" / "v1.0").mkdir(parents=True)
    (tmp_path / "docs" / "images" / "v1.0" / "pic.png").write_bytes(b"\x89PNG fake")
    files = {
        f"{VERSION}/index.md": page("/home", "Home", '[Deep](/a/b/deep#section)\n\n{% image src="/images/v1.0/pic.png" caption="A picture" /%}'),
        f"{VERSION}/deep.md": page("/a/b/deep", "Deep", "## Section\n\n[Home](/home)"),
    }
    site = make_site(tmp_path, files, options={"images_dir": str(tmp_path / "docs" / "images")}, strict=True)
    assert site.error is None, site.warnings(plugin_only=False)
    home = site.page_by_url(f"{VERSION}/home/")
    root = article(site.html(home))
    link = next(a for a in root.find_all("a") if "deep" in a.attrs.get("href", ""))
    assert link.attrs["href"] == "../a/b/deep/#section"
    img = root.find("img")
    target, _ = resolve_link(site.site_dir, home.dest_uri, img.attrs["src"])
    assert target.read_bytes() == b"\x89PNG fake"
    back = next(a for a in article(site.html(f"{VERSION}/a/b/deep/")).find_all("a") if a.text() == "Home")
    assert resolve_link(site.site_dir, f"{VERSION}/a/b/deep/index.html", back.attrs["href"])[0] == site.site_dir / VERSION / "home" / "index.html"


def test_root_slug_in_a_version_folder(tmp_path: Path) -> None:
    files = {
        f"{VERSION}/index.md": page("/", "Version Home"),
        f"{VERSION}/other.md": page("/other", "Other", "[Back home](/)"),
    }
    site = make_site(tmp_path, files, strict=True)
    assert site.error is None
    assert site.pages[f"{VERSION}/index.md"].url == f"{VERSION}/"
    back = next(a for a in article(site.html(f"{VERSION}/other/")).find_all("a") if a.text() == "Back home")
    assert back.attrs["href"] == "../"


def test_partial_store_is_not_scanned_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing the partials folder walks the whole tree; a build must not do it once per page."""
    calls = []
    original = partials_module.PartialResolver.iter_names

    def counting(self: Any) -> Any:
        calls.append(1)
        return original(self)

    monkeypatch.setattr(partials_module.PartialResolver, "iter_names", counting)
    (tmp_path / "snippets" / "v1.0").mkdir(parents=True)
    (tmp_path / "snippets" / "v1.0" / "shared.md").write_text("Shared **text**.\n", encoding="utf-8")
    files = {f"{VERSION}/p{i}.md": page(f"/p{i}", f"Page {i}", '{% partial file="/v1.0/shared.md" /%}') for i in range(8)}
    site = make_site(tmp_path, files)
    assert site.error is None
    assert "Shared" in article(site.html(f"{VERSION}/p3/")).text()
    assert len(calls) <= 1
