"""The fast paths of a build change nothing in its output.

``navcache`` (Material's navigation rendered once per build) and ``parallel`` (pages rendered
and built in forked workers) are checked the only way that proves them: a build with them and a
build without, compared file by file (every HTML page, the search index, the sitemap), on a
whole corpus version with ``navigation.prune`` off and on, and on a small tree under every
navigation feature of Material that changes the navigation's markup.  Each comparison also
checks that the fast path was taken (the cache served every page, workers did pages): a fast
path that silently fell back would compare equal and prove nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from om_markdoc.mkdocs_plugin.parallel import MIN_ITEMS, ForkedWork, can_fork

from .conftest import corpus_config, write_config

COMPARED = (".html", ".json", ".xml")


@dataclass
class Built:
    """What the om-markdoc plugin did in one build (read at once: MkDocs reuses the plugin
    instance for the next ``load_config`` in this process)."""

    navcache: Any
    stats: dict[str, int]


def run_build(config_file: Path, site_dir: Path) -> Built:
    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    plugin = config.plugins["om-markdoc"]
    return Built(plugin.navcache, dict(plugin.stats))


def outputs(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file() and path.suffix in COMPARED
    }


def assert_same_site(fast: Path, slow: Path) -> None:
    left, right = outputs(fast), outputs(slow)
    assert sorted(left) == sorted(right)
    different = [name for name in left if left[name] != right[name]]
    assert not different, f"{len(different)} files differ, first: {different[:5]}"


def assert_cache_served(built: Built, pages: int) -> None:
    """The cache rendered every page's navigation (here or in the workers)."""
    assert built.navcache is not None, "the navigation cache was not installed"
    assert built.navcache.failed is None, built.navcache.failed
    assert built.stats["nav_cached"] >= pages, built.stats


# --- a whole corpus version ------------------------------------------------------------------------


@pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)
@pytest.mark.parametrize("prune", [False, True], ids=["prune-off", "prune-on"])
def test_corpus_version_is_identical_with_the_fast_paths(tmp_path: Path, prune: bool) -> None:
    features = ["navigation.prune"] if prune else []
    configs = {}
    for name, options in {"fast": {"jobs": 2}, "slow": {"nav_cache": False, "jobs": 1}}.items():
        path = corpus_config("v1.5.x", tmp_path / name, nav="menu", **options)
        config = yaml.safe_load(path.read_text(encoding="utf-8"))
        config["theme"]["features"] = features
        configs[name] = write_config(path, config)
    fast = run_build(configs["fast"], tmp_path / "fast-site")
    slow = run_build(configs["slow"], tmp_path / "slow-site")
    assert_same_site(tmp_path / "fast-site", tmp_path / "slow-site")
    pages = fast.stats["rendered"]
    assert pages > 900, fast.stats
    assert_cache_served(fast, pages)
    assert slow.navcache is None
    assert fast.stats["rendered_in_workers"] > pages // 3, fast.stats
    # the worker builds its share of the pages, search entries included (half with 2 jobs)
    assert pages // 3 <= fast.stats["built_in_workers"] < pages, fast.stats


# --- Material's navigation features on a small tree ------------------------------------------------

FEATURE_SETS = [
    [],
    ["navigation.indexes"],
    ["navigation.prune", "navigation.indexes"],
    ["navigation.tabs", "navigation.sections"],
    ["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.prune"],
    ["navigation.expand", "toc.integrate"],
]


def small_tree(root: Path) -> Path:
    """Three levels of folders with and without index pages, headings for the TOC, and a
    title with characters HTML must escape."""
    docs = root / "docs"
    pages = {
        "index.md": "Home",
        "about.md": "About <us> & them",
        "guide/index.md": "Guide",
        "guide/start.md": "Start",
        "guide/deep/index.md": "Deep",
        "guide/deep/one.md": "One",
        "guide/deep/two.md": "Two",
        "guide/flat/a.md": "Flat A",
        "guide/flat/b.md": "Flat B",
        "reference/x.md": "X",
        "reference/y/index.md": "Y",
        "reference/y/z.md": "Z",
    }
    for rel, title in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {title}\n---\n\n# {title}\n\nText.\n\n## Part one\n\nMore.\n\n## Part two\n", encoding="utf-8")
    return docs


@pytest.mark.parametrize("features", FEATURE_SETS, ids=lambda f: "+".join(f) or "none")
def test_small_tree_is_identical_under_material_features(tmp_path: Path, features: list[str]) -> None:
    docs = small_tree(tmp_path)
    configs = {}
    for name, options in {"fast": {}, "slow": {"nav_cache": False}}.items():
        configs[name] = write_config(
            tmp_path / name / "mkdocs.yml",
            {
                "site_name": "features",
                "docs_dir": str(docs),
                "theme": {"name": "material", "features": features},
                "plugins": ["search", {"om-markdoc": {"nav": "folders", "jobs": 1, "root": str(tmp_path), **options}}],
            },
        )
    fast = run_build(configs["fast"], tmp_path / "fast-site")
    slow = run_build(configs["slow"], tmp_path / "slow-site")
    assert_cache_served(fast, 12)
    assert slow.navcache is None
    assert_same_site(tmp_path / "fast-site", tmp_path / "slow-site")


def tree_with_override(root: Path, partial: str, text: str) -> Path:
    """The small tree under Material with one of its partials overridden (``overrides/partials``)."""
    docs = small_tree(root)
    overrides = root / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / partial).write_text(text, encoding="utf-8")
    return write_config(
        root / "mkdocs.yml",
        {
            "site_name": "override",
            "docs_dir": str(docs),
            "theme": {"name": "material", "custom_dir": str(root / "overrides")},
            "plugins": [{"om-markdoc": {"nav": "folders", "jobs": 1, "root": str(root)}}],
        },
    )


def test_a_theme_override_of_the_navigation_turns_the_cache_off(tmp_path: Path) -> None:
    """A project's own ``partials/nav.html`` is rendered as written, never through the cache."""
    config = tree_with_override(tmp_path, "nav.html", "<nav>own navigation</nav>\n")
    plugin = run_build(config, tmp_path / "site")
    assert plugin.navcache is None
    assert "<nav>own navigation</nav>" in (tmp_path / "site" / "guide" / "start" / "index.html").read_text(encoding="utf-8")


def test_templates_compile_once_per_process_and_again_when_edited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second build in the same process (a ``serve`` rebuild) compiles no template; an edited
    theme override is compiled again and shows."""
    config = tree_with_override(tmp_path, "copyright.html", "<div>first notice</div>\n")
    copyright_html = tmp_path / "overrides" / "partials" / "copyright.html"
    compiled: list[str | None] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return original(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    page = tmp_path / "site" / "guide" / "start" / "index.html"
    run_build(config, tmp_path / "site")
    assert "partials/copyright.html" in compiled  # (Material's own may be compiled already: the plugin outlives builds)
    compiled.clear()
    run_build(config, tmp_path / "site")
    assert [name for name in compiled if name and name.endswith(".html")] == []
    copyright_html.write_text("<div>second notice</div>\n", encoding="utf-8")
    run_build(config, tmp_path / "site")
    assert "partials/copyright.html" in compiled and "main.html" not in compiled
    assert "second notice" in page.read_text(encoding="utf-8")


# --- the worker pool itself ------------------------------------------------------------------------


def _square_or_fail(item: str) -> int:
    number = int(item)
    if number == 7:
        raise ValueError("seven")
    if number == 61 and os.getpid() != PARENT:
        os._exit(3)  # a worker dies: the item it claimed is missing
    return number * number


PARENT = os.getpid()


@pytest.mark.skipif(not can_fork(), reason="workers need fork")
def test_forked_work_shares_items_out_and_reports_what_is_missing() -> None:
    """Every item is done exactly once, here or by a child; a child's failure or death leaves
    its items to this process, whose results are the same."""
    items = [str(n) for n in range(MIN_ITEMS + 40)]
    work = ForkedWork(items, 3, _square_or_fail)
    done_here: list[str] = []
    values: dict[str, int] = {}
    try:
        assert work.forked
        for item in items:
            value = work.take(item)
            if value is None:
                done_here.append(item)
                if item != "7":
                    value = _square_or_fail(item)
            if value is not None:
                values[item] = value
    finally:
        work.close()
    assert values == {item: int(item) ** 2 for item in items if item != "7"}
    assert "7" in done_here  # failed in a child (or never given away): redone here
    assert work.from_children > 0 and len(done_here) < len(items)
    assert len(done_here) + work.from_children == len(items)


@pytest.mark.skipif(not can_fork(), reason="workers need fork")
def test_forked_work_gives_the_rest_away_when_this_process_is_slow() -> None:
    """The children claim from the back while this process works from the front: a front
    that does not move leaves everything to them.  This process waits (on the condition the
    readers of the children's results signal) until every child has stopped, which a child does
    only once no item is left to claim; however slow the machine, every item is then theirs."""
    items = [str(n) for n in range(MIN_ITEMS + 40)]
    work = ForkedWork(items, 2, lambda item: int(item) + 1)
    try:
        with work.lock:  # this process is busy elsewhere; the child claims item after item
            while len(work.done) < len(work.pids):
                work.lock.wait()
        taken = [work.take(item) for item in items]
    finally:
        work.close()
    assert taken == [int(item) + 1 for item in items]
    assert work.from_children == len(items)


def test_forked_work_stays_in_process_for_few_items() -> None:
    work = ForkedWork([str(n) for n in range(MIN_ITEMS - 1)], 4, _square_or_fail)
    assert not work.forked and all(work.take(str(n)) is None for n in range(MIN_ITEMS))
