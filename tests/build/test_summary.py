"""Problems on real trees: a grouped summary instead of one log line per problem (issue #11).

``serve`` and ``om-markdoc build`` print counts per rule with the first few places; a plain
``mkdocs build`` still logs every diagnostic (CI logs and ``--strict`` rely on it), and every
diagnostic stays reachable in summary mode (DEBUG lines, ``plugin.found``).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from om_markdoc.cli import main
from om_markdoc.diagnostics import Diagnostic
from om_markdoc.mkdocs_plugin.summary import BuildDiagnostics, format_summary, summary_lines

from . import edit, write_tree

BROKEN = "".join(f"[broken {n}](/nowhere-{n})\n\n" for n in range(7))
"""Seven broken links on one page: more than the summary shows per rule."""


def broken_tree(root: Path) -> Path:
    tree = write_tree(root)
    edit(tree / "content/v1.1.x/guide/plain.md", "No partials here, heron.", "No partials here, heron.\n\n" + BROKEN)
    edit(tree / "content/v1.0.x/guide/old.md", "Only in one-oh;", '{% partial file="/v1.0/gone.md" /%}\n\nOnly in one-oh;')
    return tree


# --- the summary itself -------------------------------------------------------------------------


def diagnostic(rule: str, severity: str, line: int, file: str = "docs/a.md") -> Diagnostic:
    return Diagnostic(rule, severity, f"problem at {line}", file, line, 1)


def test_summary_groups_by_rule_worst_first_and_shows_the_first_few() -> None:
    found = [diagnostic("link-broken", "error", n) for n in range(1, 6)]
    found += [diagnostic("page-not-in-menu", "info", 1, "docs/b.md"), diagnostic("tag-auto-closed", "warning", 9)]
    found += [found[0]]  # the same problem met twice counts once
    blocks = summary_lines(found, first=2)
    headline = blocks[0][1][0]
    assert blocks[0][0] == "error"
    assert headline.startswith("7 problems in 2 files (5 errors, 1 warning, 1 info)"), headline
    assert "om-markdoc check" in headline
    assert [lines[0] for _, lines in blocks[1:]] == ["[link-broken] 5 errors", "[tag-auto-closed] 1 warning", "[page-not-in-menu] 1 info"]
    assert blocks[1][1][1:] == ["  docs/a.md:1:1: error: problem at 1 [link-broken]", "  docs/a.md:2:1: error: problem at 2 [link-broken]",
                                "  ... and 3 more"]  # fmt: skip
    assert format_summary([]) == ""


def test_saved_diagnostics_round_trip(tmp_path: Path) -> None:
    found = BuildDiagnostics()
    found.add("a.md", Diagnostic("link-broken", "error", "x", "docs/a.md", 3, 2, (("docs/p.md", 4),)))
    found.add("", diagnostic("menu-yaml", "error", 1, "docs/menu.md"))
    found.save(tmp_path)
    again = BuildDiagnostics.load(tmp_path)
    assert sorted(again.all(), key=Diagnostic.sort_key) == sorted(found.all(), key=Diagnostic.sort_key)
    assert BuildDiagnostics.load(tmp_path / "nothing").all() == []


# --- the plugin: serve mode -----------------------------------------------------------------------


class Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def plugin(self, level: int, *, exact: bool = False) -> list[str]:
        return [r.getMessage() for r in self.records if r.name.startswith("mkdocs.plugins.om_markdoc")
                and (r.levelno == level if exact else r.levelno >= level)]  # fmt: skip


def mkdocs_tree(root: Path) -> Path:
    """The broken tree with a ``mkdocs.yml`` building ``v1.1.x``."""
    tree = broken_tree(root)
    (tree / "mkdocs.yml").write_text(
        "site_name: T\ndocs_dir: content/v1.1.x\ntheme: {name: material}\n"
        "plugins:\n  - search\n  - om-markdoc:\n      partials_dir: content/partials\n      images_dir: images\n",
        encoding="utf-8",
    )
    return tree


def build_as(tree: Path, site: Path, *, serving: bool, strict: bool = False) -> tuple[Records, Any, str | None]:
    handler = Records()
    logger = logging.getLogger("mkdocs")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    error = None
    try:
        config = load_config(str(tree / "mkdocs.yml"), site_dir=str(site), strict=strict)
        plugin = config.plugins["om-markdoc"]
        if serving:
            config.plugins.on_startup(command="serve", dirty=False)
        try:
            build(config)
        except Exception as exc:  # noqa: BLE001 - the strict build's Abort is what some tests want
            error = type(exc).__name__
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
    return handler, plugin, error


def test_serve_logs_a_summary_and_keeps_every_diagnostic_at_debug(tmp_path: Path) -> None:
    tree = mkdocs_tree(tmp_path / "tree")
    each, each_plugin, _ = build_as(tree, tmp_path / "site-each", serving=False)
    served, plugin, _ = build_as(tree, tmp_path / "site-serve", serving=True)
    per_line = [m for m in each.plugin(logging.INFO) if m.startswith("om_markdoc: content/")]
    assert sum("[link-broken]" in m for m in per_line) == 7, per_line  # a plain build logs each one
    shown = served.plugin(logging.INFO)
    assert not any(m.startswith("om_markdoc: content/") for m in shown), shown
    headline = next(m for m in shown if "problems in" in m)
    assert "each page shows its own" in headline and "om-markdoc check" in headline
    block = next(m for m in shown if "[link-broken] 7 errors" in m)
    assert block.count("[link-broken]") == 1 + 3 and "... and 4 more" in block
    # nothing is lost: the same lines at DEBUG, and the plugin holds them all
    debug = {m for m in served.plugin(logging.DEBUG, exact=True) if m.startswith("om_markdoc: content/")}
    assert debug == set(per_line)
    assert {d.format(include_chain=True) for d in plugin.found.all()} == {m.removeprefix("om_markdoc: ") for m in per_line}


def test_serve_summary_still_fails_a_strict_build(tmp_path: Path) -> None:
    tree = mkdocs_tree(tmp_path / "tree")
    _, _, error = build_as(tree, tmp_path / "site", serving=True, strict=True)
    assert error == "Abort"


# --- om-markdoc build ------------------------------------------------------------------------------


def test_cli_build_prints_the_summary_and_strict_fails_on_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    tree = broken_tree(tmp_path / "tree")
    site = tmp_path / "site"
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "[link-broken] 7 errors" in err and "... and 4 more" in err, err
    assert "[partial-missing] 1 error" in err, err
    assert len(re.findall(r"^\S.*\[link-broken\]$", err, re.M)) == 0, "no line per problem"
    # --strict: exit 1, also when every version is unchanged and nothing is rendered
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "[link-broken] 7 errors" in err and "--strict: 8 error(s)" in err, err
    # a dirty build that re-renders another page keeps the problems of the pages it leaves alone
    edit(tree / "content/v1.1.x/guide/direct.md", "itself.", "itself, changed.")
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--strict", "--progress"]) == 1
    err = capsys.readouterr().err
    assert "v1.1.x: 5 pages" in err and "v1.0.x: unchanged" in err, err
    assert "[link-broken] 7 errors" in err, err
    # fixed: strict passes
    edit(tree / "content/v1.1.x/guide/plain.md", BROKEN, "")
    edit(tree / "content/v1.0.x/guide/old.md", '{% partial file="/v1.0/gone.md" /%}', "")
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--strict"]) == 0
    err = capsys.readouterr().err
    assert "error" not in err.split("->", 1)[1], err


def test_a_build_after_serve_in_the_same_process_logs_each_problem_again(tmp_path: Path) -> None:
    # MkDocs keeps one plugin instance per process: serving must not stick to later builds
    tree = mkdocs_tree(tmp_path / "tree")
    build_as(tree, tmp_path / "site-serve", serving=True)
    after, plugin, _ = build_as(tree, tmp_path / "site-build", serving=False)
    assert not plugin.serving and plugin.report == "each"
    assert sum("[link-broken]" in m for m in after.plugin(logging.WARNING)) == 7
    html = (tmp_path / "site-build" / "guide" / "plain" / "index.html").read_text(encoding="utf-8")
    assert "om-problems" not in html


def test_the_problems_option_asks_a_plain_build_for_the_summary(tmp_path: Path) -> None:
    tree = mkdocs_tree(tmp_path / "tree")
    config = tree / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "      problems: summary\n", encoding="utf-8")
    records, _, _ = build_as(tree, tmp_path / "site", serving=False)
    shown = records.plugin(logging.INFO)
    assert any("[link-broken] 7 errors" in m for m in shown), shown
    assert not any(m.startswith("om_markdoc: content/") for m in shown), shown
