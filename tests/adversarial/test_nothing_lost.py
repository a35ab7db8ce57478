"""Nothing lost: a build that fails or is interrupted half-way leaves the previous site exactly
as it was (``build_site`` builds into a staging folder and swaps it in with renames), the next
build recovers, and corrupt cache entries (build page cache, fingerprints, check cache) only
cost time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from om_markdoc.build.builder import build_site
from om_markdoc.build.plan import plan_build
from om_markdoc.build.site import STATE_DIR

from .conftest import small_tree


def snapshot(site: Path) -> dict[str, bytes]:
    """Every published file (the state folder excluded) and its bytes."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file() and STATE_DIR not in p.relative_to(site).parts}


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    tree = small_tree(tmp_path / "tree", guide_body="Guide text, first edition.")
    (tree / "content/v1.0.x/more.md").write_text("---\ntitle: More\nslug: /more\n---\n\n# More\n\nmore\n")
    site = tmp_path / "site"
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok
    before = snapshot(site)
    assert any("first edition" in v.decode("utf-8", "replace") for v in before.values())
    guide = tree / "content/v1.0.x/guide.md"
    guide.write_text(guide.read_text().replace("first edition", "second edition"))
    return tree, site, before


def _fail_on_second_page(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    import mkdocs.commands.build as mk

    real = mk._build_page
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(mk, "_build_page", flaky)


@pytest.mark.parametrize("exc", [RuntimeError("boom"), KeyboardInterrupt(), OSError(28, "No space left on device"), MemoryError()], ids=["runtime", "interrupt", "oserror", "memory"])
def test_failed_or_interrupted_build_keeps_the_previous_site(built, monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    tree, site, before = built
    _fail_on_second_page(monkeypatch, exc)
    try:
        report = build_site(plan_build(tree), site, jobs=1)
    except BaseException as raised:  # noqa: BLE001 - what escapes is the point of the test
        assert type(raised) is type(exc)
    else:
        assert not report.ok  # reported, not raised
    monkeypatch.undo()
    assert snapshot(site) == before
    # the next build recovers and publishes the change
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    after = snapshot(site)
    assert any("second edition" in v.decode("utf-8", "replace") for v in after.values())
    assert not any(p.name.startswith("staging-") for p in (site / STATE_DIR).iterdir())


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[]", b'{"pages": 7}', b'{"version": 1, "pages": {"guide.md": "x"}}'], ids=["empty", "broken", "list", "wrong-type", "bad-entry"])
def test_corrupt_build_cache_entries_are_survived(built, garbage: bytes) -> None:
    tree, site, _ = built
    state = site / STATE_DIR / "v1.0.x"
    for name in ("cache/pages.json", "fingerprint", "pages"):
        path = state / name
        if path.exists():
            path.write_bytes(garbage)
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    html = (site / "v1.0.x/guide/index.html").read_text(encoding="utf-8")
    assert "second edition" in html


def test_binary_page_cache_is_survived(built) -> None:
    tree, site, _ = built
    (site / STATE_DIR / "v1.0.x/cache/pages.json").write_bytes(b"\xff\xfe\x00garbage")
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    assert "second edition" in (site / "v1.0.x/guide/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["fingerprint", "pages"])
def test_binary_stamps_are_survived(built, name: str) -> None:
    tree, site, _ = built
    (site / STATE_DIR / "v1.0.x" / name).write_bytes(b"\xff\xfe\x00garbage")
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok


def test_swap_leftovers_from_a_killed_build_are_cleaned(built) -> None:
    tree, site, before = built
    staging = site / STATE_DIR / "staging-v1.0.x"
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "half.html").write_text("half-written")
    (site / ".v1.0.x.old").mkdir(exist_ok=True)
    report = build_site(plan_build(tree), site, jobs=1, use_cache=False)
    assert report.ok
    assert not (site / "v1.0.x/half.html").exists()


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x00\xff", b"[]", b'{"key": null}', "corrupt-entries"])
def test_corrupt_check_cache_is_survived(tmp_path: Path, garbage) -> None:
    from om_markdoc.check import CheckOptions, run_check
    from om_markdoc.check.cache import CACHE_FILE

    tree = small_tree(tmp_path / "tree", guide_body="[broken](/nowhere)\n\n{% partial file=\"/v1.0/p.md\" /%}")
    cache = tmp_path / "cache"
    options = CheckOptions(cache_dir=str(cache), jobs=1)
    first = run_check(tree, options).findings
    path = cache / CACHE_FILE
    assert path.is_file()
    if garbage == "corrupt-entries":  # the right key, every entry of the wrong shape
        data = json.loads(path.read_text())
        for section, entries in data.items():
            if isinstance(entries, dict):
                data[section] = {k: ["garbage", 1, None] for k in entries}
        path.write_text(json.dumps(data))
    else:
        path.write_bytes(garbage)
    assert run_check(tree, options).findings == first
