"""Smoke tests of the benchmarks: each one's ``--quick`` mode runs, and prints its table.

They assert the shape of what is printed (the columns, ratios that are finite numbers), never a
value: a timing depends on the machine and its load.  The quick runs read a few corpus pages,
so they are corpus tests (deselected without ``../shared``).  The benchmark's own helpers that
decide a figure (the link checker, the generated tree) get small exact tests of their own.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
sys.path.insert(0, str(REPO))

from benchmarks import (
    gen_tree,
    linkcheck,
)

COLUMNS = ("comparison", "CPU ratio", "wall ratio", "peak RSS ratio", "load")
RATIO_CELL = re.compile(r"(\S+)x \(([^)]*)\)")


def run_quick(script: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), "--quick"], capture_output=True, text=True,
                          env=env, cwd=REPO, check=False, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def table_rows(output: str, labels: tuple[str, ...]) -> list[str]:
    """The header must name every column; then one row per expected label."""
    header = next((line for line in output.splitlines() if line.startswith("comparison")), None)
    assert header is not None, output
    for column in COLUMNS:
        assert column in header
    rows = [line for line in output.splitlines() if line.startswith(labels)]
    assert len(rows) == len(labels), output
    return rows


def assert_finite_ratios(row: str) -> None:
    """CPU, wall and peak RSS: a median and one ratio per run, all finite and positive."""
    cells = RATIO_CELL.findall(row)
    assert len(cells) == 3, row
    for median, runs in cells:
        values = [float(median), *map(float, runs.split())]
        assert len(values) >= 2
        assert all(math.isfinite(v) and v > 0 for v in values), row


@pytest.mark.corpus
def test_bench_site_quick_prints_the_three_paired_comparisons() -> None:
    out = run_quick("bench_site.py")
    rows = table_rows(out, ("cold, one process each", "cold, om-markdoc on every core", "warm no-change"))
    for row in rows:
        assert_finite_ratios(row)
    assert "navigation.prune in both builds" in out
    assert "targets (issue #21)" in out


@pytest.mark.corpus
def test_bench_core_quick_pairs_both_trees() -> None:
    out = run_quick("bench_core.py")
    rows = table_rows(out, ("corpus: om-markdoc", "generated: om-markdoc"))
    for row in rows:
        assert_finite_ratios(row)
    assert "preset js-default, lheading off" in out
    assert len(re.findall(r"throughput vs markdown-it-py, (corpus|generated) +CPU \d+\.\d+x", out)) == 2


@pytest.mark.corpus
def test_bench_check_quick_pairs_examples_and_the_link_checker() -> None:
    out = run_quick("bench_check.py")
    pairs = ("check --examples / check --no-examples", "check --no-examples / linkcheck.py", "re-check, one page edited")
    rows = table_rows(out, pairs)
    for row in rows:
        assert_finite_ratios(row)
    assert "each counted once per version" in out


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_linkcheck_reports_missing_pages_and_missing_anchors(tmp_path: Path) -> None:
    write(tmp_path / "index.html", '<a href="a/">ok</a><a href="a/#top">ok</a><a href="a/#nope">bad anchor</a>'
                                   '<a href="missing/">bad page</a><a href="https://example.com/">external</a>')
    write(tmp_path / "a" / "index.html", '<h1 id="top">A</h1><a href="../">up</a><img src="../img.png">')
    write(tmp_path / "img.png", "")
    result = linkcheck.check_site(tmp_path)
    assert result["broken"] == [("index.html", "a/#nope"), ("index.html", "missing/")]
    assert (result["pages"], result["local_links"], result["external_links"]) == (2, 6, 1)


def page_texts(root: Path) -> dict[Path, str]:
    return {path.relative_to(root): path.read_text(encoding="utf-8") for path in root.rglob("*.md")}


def test_gen_tree_is_seeded_and_keeps_tags_balanced(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write(source / "p.md", "# T\n\n{% note %}\n\nin\n\nside\n\n{% /note %}\n\n```\na\n\nb\n```\n\nplain *text*\n")
    assert gen_tree.split_blocks((source / "p.md").read_text()) == [
        "# T", "{% note %}\n\nin\n\nside\n\n{% /note %}", "```\na\n\nb\n```", "plain *text*"]
    first, second = tmp_path / "one", tmp_path / "two"
    assert gen_tree.generate(source, first, 12, seed=3) == gen_tree.generate(source, second, 12, seed=3)
    assert page_texts(first) == page_texts(second) and len(page_texts(first)) == 12
