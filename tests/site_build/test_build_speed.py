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

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from om_markdoc.mkdocs_plugin.parallel import MIN_ITEMS, ForkedWork, can_fork

from .conftest import CORPUS, corpus_config, write_config

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


@pytest.mark.skipif(not (CORPUS / "content" / "v1.5.x").is_dir(), reason="needs the corpus")
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
    # this process keeps a share of the templates sized by its search work (about a fifth here)
    assert pages // 2 <= fast.stats["built_in_workers"] < pages, fast.stats


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


def test_a_theme_override_of_the_navigation_turns_the_cache_off(tmp_path: Path) -> None:
    """A project's own ``partials/nav.html`` is rendered as written, never through the cache."""
    docs = small_tree(tmp_path)
    overrides = tmp_path / "overrides" / "partials"
    overrides.mkdir(parents=True)
    (overrides / "nav.html").write_text("<nav>own navigation</nav>\n", encoding="utf-8")
    config = write_config(
        tmp_path / "mkdocs.yml",
        {
            "site_name": "override",
            "docs_dir": str(docs),
            "theme": {"name": "material", "custom_dir": str(tmp_path / "overrides")},
            "plugins": [{"om-markdoc": {"nav": "folders", "jobs": 1, "root": str(tmp_path)}}],
        },
    )
    plugin = run_build(config, tmp_path / "site")
    assert plugin.navcache is None
    assert "<nav>own navigation</nav>" in (tmp_path / "site" / "guide" / "start" / "index.html").read_text(encoding="utf-8")


# --- the worker pool itself ------------------------------------------------------------------------


def _square_or_fail(item: str) -> int:
    number = int(item)
    if number == 7:
        raise ValueError("seven")
    if number == 61:
        os._exit(3)  # the worker dies: everything it had not sent yet is missing
    return number * number


@pytest.mark.skipif(not can_fork(), reason="workers need fork")
def test_forked_work_returns_results_and_reports_what_is_missing() -> None:
    items = [str(n) for n in range(MIN_ITEMS + 20)]
    work = ForkedWork(items, 3, _square_or_fail)
    try:
        owner = dict(work.owner)
        mine = [item for item in items if item not in owner]
        assert len(mine) == len(items) // 3  # an equal share stays here, the rest is split
        assert {owner[item] for item in owner} == {1, 2}
        dead = owner["61"]
        for item in items:
            if item in mine:
                continue
            value = work.take(item)
            if item == "7" or (owner[item] == dead and int(item) >= 61):
                assert value is None, item
            else:
                assert value == int(item) ** 2, item
    finally:
        work.close()


def test_forked_work_can_give_every_item_away() -> None:
    items = [str(n) for n in range(MIN_ITEMS)]
    work = ForkedWork(items, 2, _square_or_fail, keep=0.0)
    try:
        assert all(work.owns(item) for item in items) or not can_fork()
    finally:
        work.close()


def test_forked_work_stays_in_process_for_few_items() -> None:
    work = ForkedWork([str(n) for n in range(MIN_ITEMS - 1)], 4, _square_or_fail)
    assert not work.pids and not any(work.owns(str(n)) for n in range(MIN_ITEMS))
