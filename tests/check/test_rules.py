"""Every rule of ``om-markdoc check`` on small trees written here: each fires exactly where
expected and nowhere else; configuration, inline ignores, --only/--ignore, --changed-since,
the cache and the CLI's exit codes."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, ConfigError, run_check
from om_markdoc.cli import check_cmd

MENU = """---
site_menu:
  - category: Home
    url: /
  - category: Guide
    url: /guide
  - category: Gone
    url: /gone
---
"""

INDEX = """---
title: Home
slug: /
---
# Home

[ok](/guide) and [bad](/nowhere)
[anchor ok](/guide#setup) and [anchor bad](/guide#nope)
[self ok](#home) and [self bad](#missing)
![a](/images/v1.0/pic.png) ![b](/images/v1.0/Pic.png) ![c](/images/v1.0/none.png) ![d](/images/v1.0//pic.png)

{% partial file="/v1.0/with-link.md" /%}

{% partial file="/v1.0/missing.md" /%}

{% partial file="/v1.0/vars.md" variables={name: "x"} /%}

{% partial file="/v1.0/cycle-a.md" /%}

<!-- om-markdoc-ignore link-broken -->
[ignored](/also-nowhere)

{% unknowntag /%}

{% important %}
x
{% important %}

{% note collate: true %}
y
{% /note %}

{% note %}
never closed
"""

GUIDE = """---
title: Guide
slug: /guide
---
# Guide

## Setup

[back](/)
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs-tree"
    v = root / "content" / "v1.0.x"
    write(v / "menu.md", MENU)
    write(v / "index.md", INDEX)
    write(v / "guide.md", GUIDE)
    write(v / "orphan.md", "---\ntitle: Orphan\nslug: /orphan\n---\n# Orphan\n")
    write(v / "zdup.md", "---\ntitle: Dup\nslug: /guide\n---\n# Dup\n")
    write(v / "noslug.md", "---\ntitle: No slug\n---\n# No slug\n")
    p = root / "content" / "partials" / "v1.0"
    write(p / "with-link.md", "Some text.\n[in partial](/nowhere-partial)\n")
    write(p / "vars.md", 'Hello {% $name %} and {% $other %}.\n\n{% if $optional %}maybe{% /if %}\n')
    write(p / "cycle-a.md", '{% partial file="/v1.0/cycle-b.md" /%}\n')
    write(p / "cycle-b.md", 'b\n\n{% partial file="/v1.0/cycle-a.md" /%}\n')
    write(p / "unused.md", "Nobody includes me.\n")
    write(root / "images" / "v1.0" / "pic.png", b"\x89PNG")
    return root


def triples(report, *, severity: str | None = None) -> list[tuple[str, str, int]]:
    return sorted((f.rule, f.file, f.line) for f in report.findings if severity is None or f.severity == severity)


def check(path: Path, tmp_path: Path, **options) -> object:
    options.setdefault("cache_dir", str(tmp_path / "cache"))
    return run_check(path, CheckOptions(**options))


IDX = "content/v1.0.x/index.md"
PART = "content/partials/v1.0"

EXPECTED = sorted(
    [
        ("link-broken", IDX, 7),
        ("anchor-broken", IDX, 8),
        ("anchor-broken", IDX, 9),
        ("image-missing", IDX, 10),  # wrong case
        ("image-missing", IDX, 10),  # missing
        ("image-missing", IDX, 10),  # '//'
        ("link-broken", f"{PART}/with-link.md", 2),
        ("partial-missing", IDX, 14),
        ("partial-variable-undefined", f"{PART}/vars.md", 1),
        ("partial-cycle", f"{PART}/cycle-b.md", 3),
        ("partial-unused", f"{PART}/unused.md", 1),
        ("tag-undefined", IDX, 23),
        ("tag-toggle-close", IDX, 27),
        ("parse-error", IDX, 29),
        ("missing-opening", IDX, 31),  # the unreadable tag opened nothing
        ("missing-closing", IDX, 33),
        ("slug-duplicate", "content/v1.0.x/zdup.md", 3),
        ("slug-missing", "content/v1.0.x/noslug.md", 1),
        ("menu-target-missing", "content/v1.0.x/menu.md", 7),
        ("page-not-in-menu", "content/v1.0.x/orphan.md", 3),
        ("page-not-in-menu", "content/v1.0.x/noslug.md", 1),
    ]
)


def test_every_rule_fires_exactly_where_expected(tree: Path, tmp_path: Path) -> None:
    report = check(tree, tmp_path)
    assert triples(report) == EXPECTED
    by = {(f.rule, f.line, f.message.split("'")[1] if "'" in f.message else ""): f for f in report.findings}
    # columns point at the target as written
    link = next(f for f in report.findings if f.rule == "link-broken" and f.file == IDX)
    assert (link.line, link.column) == (7, INDEX.splitlines()[6].index("/nowhere") + 1)
    images = sorted(f.message for f in report.findings if f.rule == "image-missing")
    assert any("letter case differs" in m and "/images/v1.0/pic.png" in m for m in images)
    assert any("contains '//'" in m for m in images)
    assert any(m.replace("image ", "", 1).strip() == "'/images/v1.0/none.png' not found" or "none.png' not found" in m for m in images)
    # content from partials carries its include chain
    in_partial = next(f for f in report.findings if f.rule == "link-broken" and f.file.endswith("with-link.md"))
    assert in_partial.chain == ((IDX, 12),)
    variable = next(f for f in report.findings if f.rule == "partial-variable-undefined")
    assert "$other" in variable.message and variable.chain == ((IDX, 16),)
    cycle = next(f for f in report.findings if f.rule == "partial-cycle")
    assert cycle.chain == ((f"{PART}/cycle-a.md", 1),)
    assert report.exit_code == 1
    assert by  # keep the lookup for debugging failures


def test_clean_tree_has_no_findings_and_exit_zero(tmp_path: Path) -> None:
    root = tmp_path / "clean"
    write(root / "content" / "v2.0.x" / "menu.md", "---\nsite_menu:\n  - category: Home\n    url: /\n---\n")
    write(root / "content" / "v2.0.x" / "index.md", "---\ntitle: Home\nslug: /\n---\n# Home\n\n## Part\n\n[here](#part)\n")
    report = check(root, tmp_path)
    assert report.findings == []
    assert report.exit_code == 0


def test_severity_and_path_ignores_from_om_markdoc_yml(tree: Path, tmp_path: Path) -> None:
    write(
        tree / "om-markdoc.yml",
        "check:\n  severity:\n    page-not-in-menu: off\n    anchor-broken: warning\n"
        "  ignore:\n    - path: content/partials/**\n      rules: [partial-unused, link-broken]\n",
    )
    report = check(tree, tmp_path)
    found = triples(report)
    assert ("page-not-in-menu", "content/v1.0.x/orphan.md", 3) not in found
    assert ("partial-unused", f"{PART}/unused.md", 1) not in found
    assert ("link-broken", f"{PART}/with-link.md", 2) not in found
    assert ("partial-cycle", f"{PART}/cycle-b.md", 3) in found  # not listed in the ignore entry
    assert {f.severity for f in report.findings if f.rule == "anchor-broken"} == {"warning"}


def test_inline_ignore_file_and_next_line(tree: Path, tmp_path: Path) -> None:
    guide = tree / "content" / "v1.0.x" / "guide.md"
    write(guide, GUIDE.replace("[back](/)", "<!-- om-markdoc-ignore-file link-broken -->\n[x](/no)\n\n[y](/no-either)"))
    report = check(tree, tmp_path)
    assert not [f for f in report.findings if f.file == "content/v1.0.x/guide.md"]
    # without the rule id the next-line mark silences everything on that line
    write(guide, GUIDE.replace("[back](/)", "<!-- om-markdoc-ignore -->\n[x](/no#a)\n[y](/no-either)"))
    report = check(tree, tmp_path)
    assert [(f.rule, f.line) for f in report.findings if f.file == "content/v1.0.x/guide.md"] == [("link-broken", 11)]


def test_only_and_ignore_options(tree: Path, tmp_path: Path) -> None:
    report = check(tree, tmp_path, only=("partial-*",))
    assert {f.rule for f in report.findings} == {"partial-missing", "partial-cycle", "partial-unused", "partial-variable-undefined"}
    report = check(tree, tmp_path, ignore=("partial-*", "page-not-in-menu"))
    assert not {f.rule for f in report.findings} & {"partial-missing", "page-not-in-menu"}


def test_cache_rerenders_only_changed_pages(tree: Path, tmp_path: Path) -> None:
    first = check(tree, tmp_path)
    assert first.rendered == 5 and first.cached == 0
    again = check(tree, tmp_path)
    assert again.rendered == 0 and again.cached == 5
    assert triples(again) == triples(first)
    # editing a partial re-renders the page that reads it, and only that page
    write(tree / "content" / "partials" / "v1.0" / "with-link.md", "Fixed text.\n[in partial](/guide)\n")
    edited = check(tree, tmp_path)
    assert edited.rendered == 1
    assert ("link-broken", f"{PART}/with-link.md", 2) not in triples(edited)
    # a page edit that breaks a link elsewhere: cross-page rules are recomputed from the cache
    write(tree / "content" / "v1.0.x" / "guide.md", GUIDE.replace("## Setup", "## Installation"))
    moved = check(tree, tmp_path)
    assert moved.rendered == 1
    anchors = [f for f in moved.findings if f.rule == "anchor-broken" and f.line == 8]
    assert len(anchors) == 2  # #setup is gone now, #nope still
    assert triples(check(tree, tmp_path, use_cache=False)) == triples(moved)


def test_mkdocs_repository_layout_and_its_check_options(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    write(
        root / "mkdocs.yml",
        "site_name: t\ndocs_dir: docs\nplugins:\n  - search\n  - om-markdoc:\n      partials_dir: snippets\n"
        "      check:\n        severity: {link-broken: warning}\n        ignore:\n          - {path: docs/guide/*, rules: [anchor-broken]}\n",
    )
    write(root / "docs" / "v1.7.x" / "index.md", "---\ntitle: Home\nslug: /\n---\n# Home\n\n[x](/missing)\n\n{% partial file=\"/v1.7/p.md\" /%}\n")
    write(root / "docs" / "guide" / "a.md", "# A\n\n[b](b.md#nothing)\n[c](c.md)\n[v](../v1.7.x/index.md#home)\n")
    write(root / "docs" / "guide" / "b.md", "# B\n")
    write(root / "docs" / "images" / "x.png", b"x")
    write(root / "snippets" / "v1.7" / "p.md", "![x](/images/y.png)\n")
    report = check(root, tmp_path)
    assert triples(report) == sorted(
        [
            ("link-broken", "docs/v1.7.x/index.md", 7),
            ("image-missing", "snippets/v1.7/p.md", 1),
            ("link-broken", "docs/guide/a.md", 4),
        ]
    )
    assert {f.severity for f in report.findings if f.rule == "link-broken"} == {"warning"}
    assert report.exit_code == 1  # the image is still an error


def test_changed_since_reports_only_changed_files(tree: Path, tmp_path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(tree), *args], check=True, capture_output=True, env=env)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    write(tree / "content" / "v1.0.x" / "guide.md", GUIDE + "\n[new](/broken-now)\n")
    report = check(tree, tmp_path, changed_since="HEAD")
    assert triples(report) == [("link-broken", "content/v1.0.x/guide.md", 11)]
    with pytest.raises(ConfigError):
        check(tree, tmp_path, changed_since="no-such-ref")


def _args(**values) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    argv = [str(values.pop("path"))]
    for key, value in values.items():
        flag = "--" + key.replace("_", "-")
        argv += [flag] if value is True else [flag, str(value)]
    return parser.parse_args(argv)


def test_cli_exit_codes_and_json(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_cmd.run(_args(path=tree, format="json", cache_dir=tmp_path / "c")) == 1
    data = json.loads(capsys.readouterr().out)
    assert sorted((f["rule"], f["file"], f["line"]) for f in data["findings"]) == EXPECTED
    assert data["summary"]["errors"] == sum(1 for f in data["findings"] if f["severity"] == "error")
    assert check_cmd.run(_args(path=tree, only="page-not-in-menu", cache_dir=tmp_path / "c")) == 0
    capsys.readouterr()
    assert check_cmd.run(_args(path=tmp_path / "nothing-here")) == 2
    write(tmp_path / "bad.yml", "check:\n  severity:\n    link-broken: loud\n")
    assert check_cmd.run(_args(path=tree, config=tmp_path / "bad.yml")) == 2
    assert "loud" in capsys.readouterr().err
