"""Heading ids: MkDocs' (the TOC and permalinks use them) plus the ids the OpenMetadata site gave
the same headings, on empty anchors inside the heading, so links written for the old site work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.dialect.nodes import site_heading_ids
from om_markdoc.dialect.pipeline import DialectRenderer


def render(source: str):
    return DialectRenderer().render(source, file="page.md")


def anchors(html: str) -> list[tuple[str, list[str]]]:
    """``(heading id, [ids of the empty anchors inside it])`` per heading."""
    out = []
    for heading_id, inner in re.findall(r'<h[1-6] id="([^"]*)">(.*?)</h[1-6]>', html):
        out.append((heading_id, re.findall(r'<span class="om-anchor" id="([^"]*)"></span>', inner)))
    return out


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        (["Profiler & Data Quality"], ["profiler-&-data-quality"]),
        (["1. AWS S3 Buckets"], ["1.-aws-s3-buckets", "1-aws-s3-buckets"]),
        (["PowerBI Admin and Non-Admin APIs"], ["powerbi-admin-and-non-admin-apis", "powerbi-admin-and-nonadmin-apis"]),
        (["What is it?"], ["what-is-it"]),
        (["Create Private / Public key"], ["create-private-/-public-key", "create-private-public-key"]),
        ([], []),
    ],
)
def test_site_schemes(children: list[str], expected: list[str]) -> None:
    assert site_heading_ids(children) == expected


def test_heading_keeps_its_mkdocs_id_and_carries_the_site_id() -> None:
    result = render(
        "# Page\n\n## Profiler & Data Quality\n\n## 1. AWS S3 Buckets\n\n## Plain\n\n## Usage & Lineage {% #usage %}\n"
    )
    assert anchors(result.html) == [
        ("page", []),
        ("profiler-data-quality", ["profiler-&amp;-data-quality"]),
        ("1-aws-s3-buckets", ["1.-aws-s3-buckets"]),
        ("plain", []),
        ("usage", []),  # an id the author wrote is the only one, as on the site
    ]
    # the anchor comes first, so the browser scrolls to the heading's own top line
    assert (
        '<h2 id="profiler-data-quality"><span class="om-anchor" id="profiler-&amp;-data-quality"></span>Profiler' in result.html
    )
    assert [t["id"] for t in result.toc] == ["page", "profiler-data-quality", "1-aws-s3-buckets", "plain", "usage"]
    assert [t["name"] for t in result.toc][:4] == ["Page", "Profiler & Data Quality", "1. AWS S3 Buckets", "Plain"]
    assert {"profiler-&-data-quality", "1.-aws-s3-buckets", "profiler-data-quality"} <= result.ids


def test_formatted_headings_follow_each_scheme() -> None:
    result = render("## Install **the** `cli` [now](/x)?\n")
    # scheme 1 reads top-level strings only; scheme 2 adds formatted text, not link text
    assert anchors(result.html) == [("install-the-cli-now", ["install-", "install-the-cli"])]


def test_repeated_headings_get_suffixes_in_both_schemes() -> None:
    result = render("## A & B\n\n## A & B\n\n## A & B\n")
    assert anchors(result.html) == [
        ("a-b", ["a-&amp;-b"]),
        ("a-b_1", ["a-&amp;-b_1"]),
        ("a-b_2", ["a-&amp;-b_2"]),
    ]


def test_site_ids_never_take_a_heading_id() -> None:
    # "Non-Admin" was "nonadmin" on the site, which is the MkDocs id of the later heading
    result = render("## Non-Admin\n\n## NonAdmin\n")
    assert anchors(result.html) == [("non-admin", ["nonadmin_1"]), ("nonadmin", [])]


def test_headings_from_partials_get_site_ids_too() -> None:
    from om_markdoc.core.api import parse

    partials = {"p.md": parse("## Usage & Lineage\n", "p.md")}
    result = DialectRenderer().render('# T\n\n{% partial file="p.md" /%}\n', file="page.md", partials=partials)
    assert ("usage-lineage", ["usage-&amp;-lineage"]) in anchors(result.html)
    assert "usage-&-lineage" in result.ids


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_check_accepts_links_written_for_the_site(tmp_path: Path) -> None:
    version = tmp_path / "tree" / "content" / "v1.0.x"
    _write(version / "menu.md", "---\nsite_menu:\n  - category: Home\n    url: /\n  - category: Other\n    url: /other\n---\n")
    _write(
        version / "index.md",
        "---\ntitle: Home\nslug: /\n---\n# Home\n\n## Profiler & Data Quality\n\n"
        "[here](#profiler-&-data-quality) [there](/other#1.-create-a-directory) [mkdocs](/other#1-create-a-directory)\n"
        "\n[nope](#profiler-&-data)\n",
    )
    _write(version / "other.md", "---\ntitle: Other\nslug: /other\n---\n# Other\n\n## 1. Create a Directory\n")
    report = run_check(tmp_path / "tree", CheckOptions(cache_dir=str(tmp_path / "cache"), only=("anchor-broken",)))
    assert [(f.rule, f.file, f.line) for f in report.findings] == [("anchor-broken", "content/v1.0.x/index.md", 11)]
