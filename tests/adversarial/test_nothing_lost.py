"""Nothing lost: a build that fails or is interrupted half-way leaves the previous site exactly
as it was (``build_site`` builds into a staging folder and swaps it in with renames), the next
build recovers, and corrupt cache entries (build page cache, fingerprints, check cache) only
cost time.  Nor is any of a page's content lost: a tile's body renders inside its card, the
content of a tag that takes none is shown after it, an unknown tag's text stays, and each of
those that the author should look at is a finding at its file:line:column in ``om-markdoc
build``, ``check``, ``mkdocs build`` and ``serve``'s problem box alike.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from om_markdoc.build.builder import build_site
from om_markdoc.build.plan import plan_build
from om_markdoc.build.site import RECORD, STATE_DIR
from om_markdoc.check import CheckOptions, run_check
from om_markdoc.cli import main
from om_markdoc.dialect.bodies import KEEPS_BODY
from om_markdoc.dialect.pipeline import DialectRenderer
from tests.site_build.conftest import BuiltSite, write_config
from tests.site_build.conftest import build_site as mkdocs_build

from .conftest import small_tree


def snapshot(site: Path) -> dict[str, bytes]:
    """Every published file (the state folder excluded) and its bytes."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and STATE_DIR not in p.relative_to(site).parts
    }


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

    real = mk._build_page  # noqa: SLF001 - the one page step MkDocs has, wrapped to fail
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(mk, "_build_page", flaky)


@pytest.mark.parametrize(
    "exc",
    [RuntimeError("boom"), KeyboardInterrupt(), OSError(28, "No space left on device"), MemoryError()],
    ids=["runtime", "interrupt", "oserror", "memory"],
)
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


@pytest.mark.parametrize(
    "garbage",
    [b"", b"{not json", b"[]", b'{"pages": 7}', b'{"version": 1, "pages": {"guide.md": "x"}}'],
    ids=["empty", "broken", "list", "wrong-type", "bad-entry"],
)
def test_corrupt_build_cache_entries_are_survived(built, garbage: bytes) -> None:
    tree, site, _ = built
    state = site / STATE_DIR / "v1.0.x"
    damaged = [state / name for name in ("cache/pages.json", RECORD) if (state / name).exists()]
    assert len(damaged) == 2, "the build keeps its page cache and its record of what it published"
    for path in damaged:
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


def test_binary_record_is_survived(built) -> None:
    """A record that is not even text means nothing is trusted: the version is built again."""
    tree, site, _ = built
    record = site / STATE_DIR / "v1.0.x" / RECORD
    assert record.is_file()
    record.write_bytes(b"\xff\xfe\x00garbage")
    report = build_site(plan_build(tree), site, jobs=1)
    assert report.ok, [r.error for r in report.results]
    assert "second edition" in (site / "v1.0.x/guide/index.html").read_text(encoding="utf-8")


def test_swap_leftovers_from_a_killed_build_are_cleaned(built) -> None:
    tree, site, before = built
    staging = site / STATE_DIR / "staging-v1.0.x-killed0"  # a killed build's own staging folder
    staging.mkdir(parents=True, exist_ok=True)
    (staging / "half.html").write_text("half-written")
    (site / ".v1.0.x.old").mkdir(exist_ok=True)
    report = build_site(plan_build(tree), site, jobs=1, use_cache=False)
    assert report.ok
    assert not (site / "v1.0.x/half.html").exists()
    assert not staging.exists()


@pytest.mark.parametrize("garbage", [b"", b"{", b"\x00\xff", b"[]", b'{"key": null}', "corrupt-entries"])
def test_corrupt_check_cache_is_survived(tmp_path: Path, garbage) -> None:
    from om_markdoc.check import CheckOptions, run_check
    from om_markdoc.check.cache import CACHE_FILE

    tree = small_tree(tmp_path / "tree", guide_body='[broken](/nowhere)\n\n{% partial file="/v1.0/p.md" /%}')
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


# --- nothing lost from a page ------------------------------------------------------------------

ROADMAP_TILES = (
    "{% tilesContainer %}\n"
    '{% tile title="Entities" link="/guide" %}\n'
    "- Storage Service\n"
    "- Containers\n"
    "{% /tile %}\n"
    '{% tile title="Lineage" description="Column level" /%}\n'
    "{% /tilesContainer %}\n"
)
"""Roadmap-page tiles: one with a body (a feature list), one self-closing."""

STRAY_BODIES = {
    "partial": '{% partial file="/v1.0/p.md" %}\nstray-partial\n{% /partial %}',
    "image": '{% image src="/images/v1.0/a.png" %}\nstray-image\n{% /image %}',
    "icon": 'Supported {% icon iconName="check" %}stray-icon{% /icon %} here.',
    "youtube": '{% youtube videoId="cZdIobCpI9U" %}\nstray-youtube\n{% /youtube %}',
    "roadmap": "{% roadmap %}\nstray-roadmap\n{% /roadmap %}",
    "connectorDetailsHeader": '{% connectorDetailsHeader name="X" %}\nstray-connectorDetailsHeader\n{% /connectorDetailsHeader %}',
    "connectorInfoCard": '{% connectorInfoCard name="X" href="/guide" %}\nstray-connectorInfoCard\n{% /connectorInfoCard %}',
    "tagReference": "{% tagReference %}\nstray-tagReference\n{% /tagReference %}",
}
"""A body inside each tag that takes none (the opening tag is on the snippet's first line)."""

UNKNOWN = (
    "Before {% unknownInline %}kept-inline{% /unknownInline %} after.\n\n{% unknownBlock %}\nkept-block\n{% /unknownBlock %}"
)

BOM_TABLE = "## Setup\ufeff\n\n\ufeff| Name | Kind |\n|---|---|\n| \ufeffalpha | beta\ufeff |"
"""Byte-order marks where JavaScript's trim removes them: the table is still a table."""

BODY = "\n\n".join([ROADMAP_TILES, *STRAY_BODIES.values(), UNKNOWN, BOM_TABLE])


SUMMARY_LINE = re.compile(
    r"^\s*(?P<file>\S+?):(?P<line>\d+):(?P<column>\d+): (?:error|warning|info): .* \[(?P<rule>[a-z-]+)\]$", re.M
)
"""One ``file:line:column: severity: message [rule]`` line, as the build summary, the log and the problem box print it."""


def expected_findings(file: str, text: str) -> set[tuple[str, str, int, int]]:
    """``(rule, file, line, column)`` each stray body and unknown tag must be reported at, found
    in ``text`` (the whole page file)."""
    lines = text.split("\n")

    def at(needle: str) -> tuple[int, int]:
        line = next(i for i, t in enumerate(lines) if needle in t)
        return line + 1, lines[line].index(needle) + 1

    openings = (snippet[snippet.index("{%") :].split("%}")[0] for snippet in STRAY_BODIES.values())
    found = {("tag-body-kept", file, *at(opening)) for opening in openings}
    found |= {("tag-undefined", file, *at("{% unknownInline")), ("tag-undefined", file, *at("{% unknownBlock"))}
    return found


def assert_nothing_lost(html: str) -> None:
    """The page's HTML holds the tile body inside its card and every stray or unknown text."""
    card = '<li class="om-tile"><p><a href="'
    assert (
        card in html and "<strong>Entities</strong></a></p><hr><ul><li>Storage Service</li><li>Containers</li></ul></li>" in html
    )
    assert "<strong>Lineage</strong></p><hr><p>Column level</p></li>" in html
    for tag in STRAY_BODIES:
        assert f"stray-{tag}" in html, tag
    assert "Partial text." in html  # the partial itself still renders
    assert "kept-inline" in html and "kept-block" in html
    assert '<h2 id="setup">Setup<a class="headerlink"' in html
    assert "<th>Name</th><th>Kind</th>" in html and "<td>alpha</td><td>beta</td>" in html


def test_every_tag_that_takes_no_body_is_covered() -> None:
    """A new self-closing tag must join STRAY_BODIES, so that its body is proven kept."""
    renderer = DialectRenderer()
    assert {name for name, schema in renderer.tags.items() if schema.get(KEEPS_BODY)} == set(STRAY_BODIES)
    assert not renderer.tags["tile"].get("selfClosing")


def test_om_markdoc_build_and_check_keep_bodies_and_report_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = small_tree(tmp_path / "tree", index_body=BODY)
    file = "content/v1.0.x/index.md"
    expected = expected_findings(file, (tree / file).read_text(encoding="utf-8"))
    site = tmp_path / "site"
    assert main(["build", str(tree), "--site-dir", str(site), "--jobs", "1", "--problems", "100"]) == 0
    summary = capsys.readouterr().err
    built = {(m["rule"], m["file"], int(m["line"]), int(m["column"])) for m in SUMMARY_LINE.finditer(summary)}
    assert built == expected, summary
    assert_nothing_lost((site / "v1.0.x" / "index.html").read_text(encoding="utf-8"))
    report = run_check(tree, CheckOptions(use_cache=False, examples=False))
    checked = {
        (f.rule, f.file, f.line, f.column)
        for f in report.findings
        if f.rule in {"tag-body-kept", "tag-undefined", "tag-selfclosing-has-children"}
    }
    assert checked == expected
    assert {f.severity for f in report.findings if f.rule == "tag-body-kept"} == {"warning"}


def mkdocs_tree(root: Path) -> Path:
    """The same page in a ``mkdocs.yml`` site."""
    tree = small_tree(root, index_body=BODY)
    write_config(tree / "mkdocs.yml", {
        "site_name": "Lost", "docs_dir": "content/v1.0.x", "theme": {"name": "material"},
        "plugins": ["search", {"om-markdoc": {"partials_dir": "content/partials", "images_dir": "images"}}],
    })  # fmt: skip
    return tree


def logged_findings(site: BuiltSite) -> set[tuple[str, str, int, int]]:
    found = set()
    for message in site.messages(min_level=logging.WARNING):
        match = SUMMARY_LINE.match(message.removeprefix("om_markdoc: "))
        if match:
            found.add((match["rule"], match["file"], int(match["line"]), int(match["column"])))
    return found


def test_mkdocs_build_logs_each_and_serve_shows_them_on_the_page(tmp_path: Path) -> None:
    tree = mkdocs_tree(tmp_path / "tree")
    file = "content/v1.0.x/index.md"
    expected = expected_findings(file, (tree / file).read_text(encoding="utf-8"))
    built = mkdocs_build(tree / "mkdocs.yml", tmp_path / "site")
    assert built.error is None, built.error
    assert logged_findings(built) == expected
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert_nothing_lost(html)
    assert "om-problems" not in html  # a plain build shows no problem box
    served = serve_once(tree, tmp_path / "served")
    found = re.search(r'<div class="admonition failure om-problems"[^>]*>(.*?)</div>', served, re.S)
    assert found is not None, "serve shows the page's problem box"
    box = found[1]
    shown = {
        (m["rule"], m["file"], int(m["line"]), int(m["column"]))
        for m in map(SUMMARY_LINE.match, re.findall("<code>(.*?)</code>", box))
        if m
    }
    assert shown == expected, box
    assert_nothing_lost(served)


def serve_once(tree: Path, site: Path) -> str:
    """The home page as ``mkdocs serve`` builds it (the plugin told it is serving)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(tree / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    return (site / "index.html").read_text(encoding="utf-8")
