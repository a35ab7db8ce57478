"""``om-markdoc build``: every version of a tree into one mike-style site, incremental by version.

Two inputs: this repository (``mkdocs.yml`` with ``docs/v1.6.x`` and ``docs/v1.7.x``) and the
small OpenMetadata-layout tree of ``tests.build.write_tree``, built in a temporary folder.  The
assertions read the output files: ``versions.json``, redirects, pages, banners, ``om-slugs.json``,
and, for the incremental behaviour, which versions were skipped and which files were rewritten.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml

from om_markdoc.build.builder import LOCK_FILE, NEXT_CACHE, STAGING_PREFIX, BuildReport, VersionResult, build_site
from om_markdoc.build.plan import BuildPlan, PlanError, plan_build
from om_markdoc.build.site import RECORD, STATE_DIR
from om_markdoc.cli import main
from om_markdoc.site.project import ProjectError

from . import LATEST, SLUGS, VERSIONS, edit, write_tree

REPO_ROOT = Path(__file__).resolve().parents[2]
OLD = 1_000_000_000_000_000_000
"""An mtime (ns, 2001) stamped on output files to see afterwards which ones a build rewrote."""


# --- helpers -------------------------------------------------------------------------------------


def run(plan: BuildPlan, site: Path, **options) -> tuple[BuildReport, dict[str, VersionResult]]:
    options.setdefault("jobs", 1)
    report = build_site(plan, site, **options)
    return report, {r.version: r for r in report.results}


def page_file(site: Path, version: str, slug: str) -> Path:
    return site / version / slug.strip("/") / "index.html" if slug.strip("/") else site / version / "index.html"


def redirect_target(html: str) -> str:
    match = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
    assert match, html
    return match.group(1)


def resolve(site: Path, from_file: Path, href: str) -> Path:
    """The file a relative ``href`` written in ``from_file`` leads to."""
    base = from_file.parent.relative_to(site).as_posix()
    target = posixpath.normpath(posixpath.join(base, href))
    assert not target.startswith(".."), f"{href} from {from_file} leaves the site"
    path = site / target
    return path / "index.html" if href.endswith("/") or path.is_dir() else path


BANNER_RE = re.compile(r'<div class="admonition (\w+) om-version-banner" role="note"><p>(.*?)</p></div>', re.S)


def banner(html: str) -> tuple[str, str, str | None, str | None] | None:
    """``(kind, text, href, link text)`` of the version banner, or None."""
    found = BANNER_RE.findall(html)
    if not found:
        return None
    assert len(found) == 1, found
    kind, inner = found[0]
    link = re.search(r'<a href="([^"]*)">([^<]*)</a>', inner)
    return kind, re.sub(r"<[^>]+>", "", inner), link.group(1) if link else None, link.group(2) if link else None


def stamp_old(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(OLD, OLD))


def rewritten(folder: Path) -> set[str]:
    """Files below ``folder`` whose mtime is no longer ``OLD`` (and files that are new)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and p.stat().st_mtime_ns != OLD}


def staging_left(site: Path) -> list[str]:
    """Staging folders and unpublished page caches left in the state folder."""
    state = site / STATE_DIR
    return sorted(p.relative_to(state).as_posix() for p in [*state.glob(f"{STAGING_PREFIX}*"), *state.glob(f"*/{NEXT_CACHE}")])


def front_matter_slugs(folder: Path) -> list[str]:
    slugs = []
    for path in folder.rglob("*.md"):
        if path.name == "menu.md":
            continue
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text.split("---", 2)[1])
        slugs.append("/" + str(data["slug"]).strip("/") if data["slug"].strip("/") else "/")
    return sorted(set(slugs))


# --- the small OpenMetadata tree, built once (two parallel workers) --------------------------------


@pytest.fixture(scope="module")
def om_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("om-tree")
    tree = write_tree(root / "tree")
    site = root / "site"
    report, results = run(plan_build(tree), site, jobs=2)
    assert report.ok, [r.error for r in report.results]
    assert sorted(results) == sorted(VERSIONS)
    assert not any(r.skipped for r in report.results)
    yield site
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "tree")


def test_versions_json_is_mike_format_newest_first_with_latest_alias(om_site: Path) -> None:
    assert json.loads((om_site / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "v1.2.x-SNAPSHOT", "title": "v1.2.x-SNAPSHOT", "aliases": []},
        {"version": "v1.1.x", "title": "v1.1.x", "aliases": ["latest"]},
        {"version": "v1.0.x", "title": "v1.0.x", "aliases": []},
    ]


def test_snapshot_is_flagged_unreleased_in_every_manifest(om_site: Path) -> None:
    for version in VERSIONS:
        manifest = json.loads((om_site / STATE_DIR / version / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["current"] == version
        assert manifest["latest"] == LATEST
        assert manifest["versions"] == [
            {"version": "v1.2.x-SNAPSHOT", "unreleased": True},
            {"version": "v1.1.x", "unreleased": False},
            {"version": "v1.0.x", "unreleased": False},
        ]
        assert manifest["slugs"] == SLUGS


def test_root_redirects_to_latest(om_site: Path) -> None:
    index = om_site / "index.html"
    assert redirect_target(index.read_text(encoding="utf-8")) == f"{LATEST}/"
    assert resolve(om_site, index, f"{LATEST}/") == om_site / LATEST / "index.html"


def test_latest_alias_redirects_every_page_to_the_same_page_of_latest(om_site: Path) -> None:
    for slug in SLUGS[LATEST]:
        alias = page_file(om_site, "latest", slug)
        target = redirect_target(alias.read_text(encoding="utf-8"))
        assert resolve(om_site, alias, target) == page_file(om_site, LATEST, slug), (slug, target)
    aliased = sorted(p.relative_to(om_site / "latest").as_posix() for p in (om_site / "latest").rglob("*") if p.is_file())
    assert aliased == sorted(page_file(om_site, "latest", s).relative_to(om_site / "latest").as_posix() for s in SLUGS[LATEST])


def test_every_page_is_at_version_slug(om_site: Path) -> None:
    for version, slugs in SLUGS.items():
        for slug in slugs:
            assert page_file(om_site, version, slug).is_file(), (version, slug)
    assert not (om_site / "v1.1.x" / "guide" / "old-page").exists()
    assert not (om_site / "v1.0.x" / "guide" / "new-page").exists()


def test_image_is_copied_and_linked(om_site: Path) -> None:
    page = page_file(om_site, "v1.0.x", "/guide")
    src = re.search(r'<img[^>]* src="([^"]*a\.png)"', page.read_text(encoding="utf-8"))
    assert src, "no image"
    assert resolve(om_site, page, src.group(1)).is_file()


def test_om_slugs_json_per_version(om_site: Path) -> None:
    for version, slugs in SLUGS.items():
        assert json.loads((om_site / version / "om-slugs.json").read_text(encoding="utf-8")) == slugs


def test_cross_version_partial_is_rendered(om_site: Path) -> None:
    html = page_file(om_site, "v1.1.x", "/guide").read_text(encoding="utf-8")
    assert "Shared partial text zebra." in html
    nested = page_file(om_site, "v1.1.x", "/guide/new-page").read_text(encoding="utf-8")
    assert "Outer partial text ocelot." in nested and "Inner partial text yak." in nested


def test_no_banner_on_latest(om_site: Path) -> None:
    for slug in SLUGS[LATEST]:
        assert banner(page_file(om_site, LATEST, slug).read_text(encoding="utf-8")) is None, slug


@pytest.mark.parametrize(
    ("slug", "target", "same"),
    [("/", "/", True), ("/guide", "/guide", True), ("/guide/old-page", "/guide", False), ("/legacy/deep", "/", False)],
)
def test_outdated_banner_links_to_same_page_or_nearest_parent(om_site: Path, slug: str, target: str, same: bool) -> None:
    page = page_file(om_site, "v1.0.x", slug)
    found = banner(page.read_text(encoding="utf-8"))
    assert found is not None
    kind, text, href, label = found
    assert kind == "info"
    assert "v1.0.x, an older version" in text
    assert href is not None and resolve(om_site, page, href) == page_file(om_site, LATEST, target)
    assert label == (f"Go to {LATEST} (same page)" if same else f"Go to {LATEST}")


def test_unreleased_banner_on_snapshot(om_site: Path) -> None:
    for slug in SLUGS["v1.2.x-SNAPSHOT"]:
        page = page_file(om_site, "v1.2.x-SNAPSHOT", slug)
        found = banner(page.read_text(encoding="utf-8"))
        assert found is not None
        kind, text, href, _ = found
        assert kind == "warning"
        assert "v1.2.x-SNAPSHOT, which is not released yet" in text
        assert href is not None and resolve(om_site, page, href) == page_file(om_site, LATEST, slug)


def test_unreleased_option_marks_a_version(tree: Path, tmp_path: Path) -> None:
    plan = plan_build(tree, unreleased={"v1.0.x"})
    assert [(v.name, v.prerelease) for v in plan.versions] == [("v1.2.x-SNAPSHOT", True), ("v1.1.x", False), ("v1.0.x", True)]
    site = tmp_path / "site"
    report, _ = run(plan, site, versions=["v1.0.x"])
    assert report.ok
    found = banner(page_file(site, "v1.0.x", "/guide").read_text(encoding="utf-8"))
    assert found is not None and found[0] == "warning" and "v1.0.x, which is not released yet" in found[1]
    manifest = json.loads((site / STATE_DIR / "v1.0.x" / "manifest.json").read_text(encoding="utf-8"))
    assert {"version": "v1.0.x", "unreleased": True} in manifest["versions"]
    # only the requested version was built; the root files are there all the same
    assert not (site / "v1.1.x").exists()
    assert json.loads((site / "versions.json").read_text(encoding="utf-8"))[1]["aliases"] == ["latest"]


# --- incremental: per version ---------------------------------------------------------------------


@pytest.fixture
def built(tree: Path, tmp_path: Path) -> tuple[Path, Path]:
    site = tmp_path / "site"
    report, _ = run(plan_build(tree), site)
    assert report.ok
    stamp_old(site)
    return tree, site


def test_second_build_skips_every_version_and_touches_no_version_file(built: tuple[Path, Path]) -> None:
    tree, site = built
    before = {p: p.read_bytes() for p in (site / "versions.json", site / "index.html", site / "latest" / "index.html")}
    report, results = run(plan_build(tree), site)
    assert report.ok
    assert all(r.skipped for r in results.values()) and sorted(results) == sorted(VERSIONS)
    for version in VERSIONS:
        assert rewritten(site / version) == set(), version
        assert rewritten(site / STATE_DIR / version) == set(), version
    for path, data in before.items():
        assert path.read_bytes() == data


def test_second_build_does_not_rewrite_root_files(built: tuple[Path, Path]) -> None:
    tree, site = built
    run(plan_build(tree), site)
    assert rewritten(site) - {f"{STATE_DIR}/{LOCK_FILE}"} == set()  # the lock holds the last build's PID


def test_changing_one_page_rebuilds_only_its_version_and_only_that_page(built: tuple[Path, Path]) -> None:
    tree, site = built
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    report, results = run(plan_build(tree), site)
    assert report.ok
    assert {v: r.skipped for v, r in results.items()} == {"v1.2.x-SNAPSHOT": True, "v1.1.x": False, "v1.0.x": True}
    assert rewritten(site / "v1.0.x") == set() and rewritten(site / "v1.2.x-SNAPSHOT") == set()
    pages = {p for p in rewritten(site / "v1.1.x") if p.endswith("index.html")}
    assert pages == {"guide/plain/index.html"}
    assert "heron and egret" in page_file(site, "v1.1.x", "/guide/plain").read_text(encoding="utf-8")
    assert staging_left(site) == []


def test_changing_one_page_rebuilds_only_its_version_with_a_relative_path(
    tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    assert run(plan_build("tree"), site)[0].ok
    edit(tree / "content/v1.1.x/guide/plain.md", "heron", "heron and egret")
    _, results = run(plan_build("tree"), site)
    assert {v: r.skipped for v, r in results.items()} == {"v1.2.x-SNAPSHOT": True, "v1.1.x": False, "v1.0.x": True}


def test_changing_a_partial_rebuilds_the_versions(built: tuple[Path, Path]) -> None:
    tree, site = built
    edit(tree / "content/partials/v1.0/x.md", "zebra", "zebra and okapi")
    report, results = run(plan_build(tree), site)
    assert report.ok and not results["v1.1.x"].skipped
    assert "zebra and okapi" in page_file(site, "v1.1.x", "/guide").read_text(encoding="utf-8")
    pages = {p for p in rewritten(site / "v1.1.x") if p.endswith("index.html")}
    assert pages == {"guide/index.html"}  # the only v1.1.x page that includes it


def test_no_cache_rebuilds_everything(built: tuple[Path, Path]) -> None:
    tree, site = built
    report, results = run(plan_build(tree), site, use_cache=False)
    assert report.ok
    assert not any(r.skipped for r in results.values())
    for version, slugs in SLUGS.items():
        assert results[version].pages == len(slugs)
        for slug in slugs:
            assert page_file(site, version, slug).stat().st_mtime_ns != OLD, (version, slug)


@pytest.mark.parametrize("damage", ["garbage", "wrong-shape", "other-seal", "missing"])
def test_a_damaged_record_rebuilds_its_version_from_scratch(built: tuple[Path, Path], damage: str) -> None:
    """The record is what vouches for a version's output and page cache: without a sound one the
    version is built clean (every page written again), the others are left alone."""
    tree, site = built
    record = site / STATE_DIR / "v1.0.x" / RECORD
    if damage == "garbage":
        record.write_bytes(b"\xff\xfe{not json")
    elif damage == "wrong-shape":
        record.write_text(json.dumps(["fingerprint", "pages", "seal"]), encoding="utf-8")
    elif damage == "other-seal":
        record.write_text(json.dumps({**json.loads(record.read_text(encoding="utf-8")), "seal": "0" * 64}), encoding="utf-8")
    else:
        record.unlink()
    report, results = run(plan_build(tree), site)
    assert report.ok
    assert {v: r.skipped for v, r in results.items()} == {"v1.2.x-SNAPSHOT": True, "v1.1.x": True, "v1.0.x": False}
    assert all(page_file(site, "v1.0.x", slug).stat().st_mtime_ns != OLD for slug in SLUGS["v1.0.x"])
    assert rewritten(site / "v1.1.x") == set()
    assert json.loads(record.read_text(encoding="utf-8")).keys() == {"fingerprint", "pages", "seal"}
    assert run(plan_build(tree), site)[1]["v1.0.x"].skipped


def test_failed_version_leaves_previous_output_in_place(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs fails after writing the whole staging folder: the old output stays, nothing is swapped."""
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.exceptions import PluginError

    tree, site = built
    before = sorted(p.relative_to(site / "v1.0.x").as_posix() for p in (site / "v1.0.x").rglob("*"))
    stamp = (site / STATE_DIR / "v1.0.x" / RECORD).read_text()
    real_build = mkdocs_build.build

    def failing_build(config, **kwargs):
        real_build(config, **kwargs)
        if config.plugins["om-markdoc"].config.version == "v1.0.x":
            raise PluginError("simulated failure at the end of the build")

    monkeypatch.setattr(mkdocs_build, "build", failing_build)
    edit(tree / "content/v1.0.x/guide/old.md", "Only in one-oh", "Changed in one-oh")
    report, results = run(plan_build(tree), site)
    assert not report.ok
    assert results["v1.0.x"].error == "simulated failure at the end of the build"
    assert sorted(p.relative_to(site / "v1.0.x").as_posix() for p in (site / "v1.0.x").rglob("*")) == before
    assert rewritten(site / "v1.0.x") == set()
    assert "Only in one-oh" in page_file(site, "v1.0.x", "/guide/old-page").read_text(encoding="utf-8")
    assert staging_left(site) == []
    assert (site / STATE_DIR / "v1.0.x" / RECORD).read_text() == stamp
    # the failure is not remembered as a success: the next build retries the version
    monkeypatch.setattr(mkdocs_build, "build", real_build)
    report, results = run(plan_build(tree), site)
    assert report.ok and not results["v1.0.x"].skipped


def test_pages_of_a_failed_build_are_rendered_by_the_next_one(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    import mkdocs.commands.build as mkdocs_build
    from mkdocs.exceptions import PluginError

    tree, site = built
    real_build = mkdocs_build.build

    def failing_build(config, **kwargs):
        real_build(config, **kwargs)  # on_post_build has run, as before a strict-mode abort
        raise PluginError("simulated failure at the end of the build")

    monkeypatch.setattr(mkdocs_build, "build", failing_build)
    edit(tree / "content/v1.0.x/guide/old.md", "Only in one-oh", "Changed in one-oh")
    assert not run(plan_build(tree), site, versions=["v1.0.x"])[0].ok
    monkeypatch.setattr(mkdocs_build, "build", real_build)
    report, results = run(plan_build(tree), site, versions=["v1.0.x"])
    assert report.ok and not results["v1.0.x"].skipped
    assert "Changed in one-oh" in page_file(site, "v1.0.x", "/guide/old-page").read_text(encoding="utf-8")


def test_strict_config_builds_incrementally(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    for rel, text in REPO_LAYOUT.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text.replace("site_name: t\n", "site_name: t\nstrict: true\n"), encoding="utf-8")
    site = tmp_path / "site"
    assert run(plan_build(root), site)[0].ok
    edit(root / "docs/v1.1.x/index.md", "# Two", "# Two\n\nMore text.")
    report, results = run(plan_build(root), site)
    assert results["v1.1.x"].error is None
    assert "More text." in (site / "v1.1.x" / "index.html").read_text(encoding="utf-8")


REPO_LAYOUT = {
    "mkdocs.yml": "site_name: t\ndocs_dir: docs\ntheme:\n  name: material\nplugins:\n  - search\n  - om-markdoc:\n      nav: auto\n",
    "docs/v1.0.x/index.md": "---\ntitle: One\nslug: /\n---\n\n# One\n",
    "docs/v1.1.x/index.md": "---\ntitle: Two\nslug: /\n---\n\n# Two\n",
}


def test_broken_config_fails_every_version_and_keeps_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    for rel, text in REPO_LAYOUT.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    report, _ = run(plan_build(root), site)
    assert report.ok
    stamp_old(site)
    # an om-markdoc option the project model rejects: refused before anything is built
    edit(root / "mkdocs.yml", "nav: auto", "nav: bogus")
    with pytest.raises(ProjectError, match="'nav' must be one of"):
        plan_build(root)
    assert main(["build", str(root), "--site-dir", str(site), "--jobs", "1"]) == 2
    assert "'nav' must be one of" in capsys.readouterr().err
    # a MkDocs option only MkDocs validates: every version's build fails, the site stays
    edit(root / "mkdocs.yml", "nav: bogus", "nav: auto")
    edit(root / "mkdocs.yml", "name: material", "name: no-such-theme")
    report, results = run(plan_build(root), site)
    assert sorted(results) == ["v1.0.x", "v1.1.x"]
    assert all(r.error for r in results.values()), results
    for version in ("v1.0.x", "v1.1.x"):
        assert rewritten(site / version) == set()
        assert (site / version / "index.html").is_file()
        assert staging_left(site) == []
    assert main(["build", str(root), "--site-dir", str(site), "--jobs", "1"]) == 1
    assert "v1.0.x failed" in capsys.readouterr().err


def test_build_into_the_docs_tree_is_refused(tree: Path) -> None:
    plan = plan_build(tree)
    for inside in (tree / "content" / "site", tree / "content" / "v1.1.x" / "out", tree):
        with pytest.raises(PlanError, match="refusing"):
            build_site(plan, inside, jobs=1)
        assert not (inside / "v1.1.x").exists()


def test_build_into_the_images_folder_is_refused(tree: Path) -> None:
    with pytest.raises(PlanError):
        build_site(plan_build(tree), tree / "images" / "site", jobs=1, versions=["v1.2.x-SNAPSHOT"])


def test_deleted_page_disappears_from_the_version(built: tuple[Path, Path]) -> None:
    tree, site = built
    (tree / "content/v1.1.x/guide/plain.md").unlink()
    edit(tree / "content/v1.1.x/menu.md", "  - category: Guide / Plain\n    url: /guide/plain\n", "")
    report, results = run(plan_build(tree), site)
    assert report.ok and not results["v1.1.x"].skipped
    assert not page_file(site, "v1.1.x", "/guide/plain").exists()


def test_deleted_page_loses_its_latest_redirect(built: tuple[Path, Path]) -> None:
    tree, site = built
    (tree / "content/v1.1.x/guide/plain.md").unlink()
    edit(tree / "content/v1.1.x/menu.md", "  - category: Guide / Plain\n    url: /guide/plain\n", "")
    assert run(plan_build(tree), site, use_cache=False)[0].ok
    assert not page_file(site, "latest", "/guide/plain").exists()


# --- the CLI ---------------------------------------------------------------------------------------


def test_cli_build_is_quiet_in_ci(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    monkeypatch.setenv("CI", "true")
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--unreleased", "v1.0.x"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("om-markdoc build: 3 version(s), 3 built"), lines
    for version in VERSIONS:
        assert (site / version / "index.html").is_file()
    found = banner(page_file(site, "v1.0.x", "/").read_text(encoding="utf-8"))
    assert found is not None and found[0] == "warning"
    # --progress reports each version even in CI
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--progress", "--unreleased", "v1.0.x"]) == 0
    err = capsys.readouterr().err
    assert all(f"{v}: unchanged, kept" in err for v in VERSIONS), err


def test_cli_build_reports_progress_outside_ci(tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert main(["build", str(tree), "--site-dir", str(tmp_path / "site"), "--jobs", "1", "--version", "v1.1.x"]) == 0
    err = capsys.readouterr().err
    assert re.search(r"^v1\.1\.x: 5 pages in [\d.]+ s", err, re.M), err


def test_cli_refuses_a_site_inside_the_sources_with_exit_code_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tree), "--site-dir", str(tree / "content" / "out")]) == 2
    assert "refusing" in capsys.readouterr().err


# --- this repository ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    root = tmp_path_factory.mktemp("repo-site")
    site = root / "site"
    report = build_site(plan_build(REPO_ROOT, include_edition=True), site, jobs=2)
    yield site, report
    shutil.rmtree(root, ignore_errors=True)


REPO_VERSIONS = ("v1.7.x", "v1.6.x")


def test_repo_builds_both_versions(repo_site: tuple[Path, BuildReport]) -> None:
    site, report = repo_site
    assert report.ok, [r.error for r in report.results]
    assert sorted(r.version for r in report.results) == sorted(REPO_VERSIONS)
    assert not any(r.skipped for r in report.results)
    assert not any((REPO_ROOT / "docs").rglob(STATE_DIR)), "the build wrote into the sources"


def test_repo_versions_json_and_root_redirect(repo_site: tuple[Path, BuildReport]) -> None:
    site, _ = repo_site
    assert json.loads((site / "versions.json").read_text(encoding="utf-8")) == [
        {"version": "v1.7.x", "title": "v1.7.x", "aliases": ["latest"]},
        {"version": "v1.6.x", "title": "v1.6.x", "aliases": []},
    ]
    assert redirect_target((site / "index.html").read_text(encoding="utf-8")) == "v1.7.x/"


@pytest.mark.parametrize("version", REPO_VERSIONS)
def test_repo_pages_slugs_and_banners(repo_site: tuple[Path, BuildReport], version: str) -> None:
    site, _ = repo_site
    slugs = front_matter_slugs(REPO_ROOT / "docs" / version)
    latest = set(front_matter_slugs(REPO_ROOT / "docs" / "v1.7.x"))
    assert len(slugs) >= 5
    # om-slugs.json also lists the unversioned pages (docs/index.md, docs/guide/) built into each version
    listed = json.loads((site / version / "om-slugs.json").read_text(encoding="utf-8"))
    assert set(slugs) <= set(listed) and "/guide/cli" in listed, listed
    for slug in slugs:
        page = page_file(site, version, slug)
        assert page.is_file(), slug
        found = banner(page.read_text(encoding="utf-8"))
        if version == "v1.7.x":
            assert found is None, slug
            alias = page_file(site, "latest", slug)
            assert resolve(site, alias, redirect_target(alias.read_text(encoding="utf-8"))) == page, slug
            continue
        assert found is not None and found[0] == "info", slug
        target = slug
        while target not in latest and target != "/":
            target = posixpath.dirname(target) or "/"
        assert resolve(site, page, found[2]) == page_file(site, "v1.7.x", target), slug
        assert found[3] == "Go to v1.7.x" + (" (same page)" if target == slug else "")


def test_repo_unversioned_guide_is_in_each_version(repo_site: tuple[Path, BuildReport]) -> None:
    site, _ = repo_site
    for version in REPO_VERSIONS:
        assert (site / version / "guide" / "cli" / "index.html").is_file()


def test_repo_banner_of_an_unversioned_page_links_to_the_same_page(repo_site: tuple[Path, BuildReport]) -> None:
    site, _ = repo_site
    page = site / "v1.6.x" / "guide" / "cli" / "index.html"
    found = banner(page.read_text(encoding="utf-8"))
    assert found is not None
    assert resolve(site, page, found[2]) == site / "v1.7.x" / "guide" / "cli" / "index.html"


# --- front doors that once disagreed (issue #10) --------------------------------------------------


def _repo(root: Path, files: dict[str, str]) -> Path:
    for rel, text in {**REPO_LAYOUT, **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_edit_of_a_partial_in_a_guessed_snippets_folder_rebuilds(tmp_path: Path) -> None:
    """No ``partials_dir`` set: ``snippets/`` is found by the project model, and its files are
    part of the fingerprint, so an edited partial is rebuilt, not 'unchanged, kept'."""
    root = _repo(tmp_path / "repo", {
        "docs/v1.1.x/index.md": '---\ntitle: Two\nslug: /\n---\n\n# Two\n\n{% partial file="/v1.1/note.md" /%}\n',
        "snippets/v1.1/note.md": "First wording.\n",
    })  # fmt: skip
    site = tmp_path / "site"
    report, results = run(plan_build(root), site)
    assert report.ok and "First wording." in (site / "v1.1.x" / "index.html").read_text(encoding="utf-8")
    (root / "snippets" / "v1.1" / "note.md").write_text("Second wording.\n", encoding="utf-8")
    report, results = run(plan_build(root), site)
    assert not results["v1.1.x"].skipped
    assert "Second wording." in (site / "v1.1.x" / "index.html").read_text(encoding="utf-8")


def test_material_python_tags_in_mkdocs_yml_do_not_stop_the_build(tmp_path: Path) -> None:
    """Material's documented emoji setting uses ``!!python/name:`` tags; ``mkdocs build``
    accepts them, and so do the project model and ``om-markdoc build``."""
    config = REPO_LAYOUT["mkdocs.yml"] + (
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n"
        "extra:\n  analytics: !ENV [OM_MARKDOC_TEST_UNSET, none]\n"
    )
    root = _repo(tmp_path / "repo", {"mkdocs.yml": config})
    assert main(["build", str(root), "--site-dir", str(tmp_path / "site"), "--jobs", "1"]) == 0
    assert (tmp_path / "site" / "v1.1.x" / "index.html").is_file()


def test_lower_case_snapshot_folder_is_built_as_a_version(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo", {"docs/v1.2.0-snapshot/index.md": "---\ntitle: Next\nslug: /\n---\n\n# Next\n"})
    plan = plan_build(root)
    assert [(v.name, v.prerelease) for v in plan.versions] == [("v1.2.0-snapshot", True), ("v1.1.x", False), ("v1.0.x", False)]
    report, results = run(plan, tmp_path / "site")
    assert report.ok and sorted(results) == ["v1.0.x", "v1.1.x", "v1.2.0-snapshot"]
    assert "Next" in (tmp_path / "site" / "v1.2.0-snapshot" / "index.html").read_text(encoding="utf-8")
