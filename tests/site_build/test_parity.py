"""Parity: ``mkdocs build`` and ``om-markdoc check`` report the same problems.

Both front doors load the tree through ``Project``; these tests hold them to it.  For each tree
the set of ``(rule, file, line)`` the build logs equals what ``check`` reports for the rules a
build reports (``om_markdoc.rules.BUILD_RULES``: anchors, examples and include loops among
them; the others need the whole tree, such as unused partials, and are the checker's alone).
The trees cover each option that changes what is read or how: both delimiters, a custom edition
flag, static links, raw HTML, a partials folder guessed or set, and cross-version links.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.cli import check_cmd
from om_markdoc.rules import BUILD_RULES

from .conftest import BuiltSite, build_site, write_config

REPO = Path(__file__).resolve().parents[2]
LOGGED = re.compile(r"^om_markdoc: (?P<file>[^\s:][^:]*):(?P<line>\d+):\d+: (?:error|warning|info): .* \[(?P<rule>[a-z0-9-]+)\]")


def logged(site: BuiltSite) -> set[tuple[str, str, int]]:
    """``(rule, file, line)`` of every om-markdoc diagnostic the build logged."""
    found = set()
    for message in site.messages(min_level=0):
        match = LOGGED.match(message.split(" (via ")[0])
        if match:
            found.add((match["rule"], match["file"], int(match["line"])))
    return found


def checked(root: Path) -> set[tuple[str, str, int]]:
    report = run_check(root, CheckOptions(use_cache=False))
    return {(f.rule, f.file, f.line) for f in report.findings if f.rule in BUILD_RULES}


def assert_parity(root: Path, tmp_path: Path, unbuilt: frozenset[str] = frozenset()) -> set[tuple[str, str, int]]:
    """Build and check ``root``; ``unbuilt``: pages the build leaves out by design (edition
    pages), which only check reads."""
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    assert site.error is None, site.error
    built = {item for item in logged(site) if item[0] in BUILD_RULES}
    found = {item for item in checked(root) if item[1] not in unbuilt}
    assert (sorted(built - found), sorted(found - built)) == ([], []), "build-only, check-only"
    return found


def write(root: Path, files: dict[str, str], options: dict[str, Any]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    write_config(root / "mkdocs.yml", {"site_name": "Parity", "docs_dir": "docs", "theme": {"name": "material"},
                                       "plugins": ["search", {"om-markdoc": options}]})  # fmt: skip
    return root


def page(slug: str, body: str, title: str = "Page", **meta: Any) -> str:
    extra = "".join(f"{k}: {str(v).lower() if isinstance(v, bool) else v}\n" for k, v in meta.items())
    return f"---\ntitle: {title}\nslug: {slug}\n{extra}---\n\n# {title}\n\n{body}\n"


PROBLEMS = (
    "A [good link](/guide) and a [broken one](/nowhere).\n\n"
    "![missing](/images/v1.0/none.png) and ![present](/images/v1.0/here.png)\n\n"
    "{% note %}\nunclosed\n\n"
    '{% partial file="/v1.0/missing.md" /%}\n\n'
    '{% partial file="/v1.0/shared.md" /%}\n\n'
    "[a file](/files/guide.pdf) and [no file](/files/gone.pdf)\n\n"
    "## Anchors\n\n"
    "- [here](#anchors)\n- [nowhere here](#no-such-heading)\n- [guide](/guide#page)\n"
    "- [no section](/guide#gone)\n- [by path](guide.md#nor-this)\n\n"
    '{% partial file="/v1.0/loop-a.md" /%}\n\n'
    "```\n{\"a\": 1 \"b\": 2}\n```\n\n"
    "```\n[2024-01-01 12:00:00] INFO started\n```\n\n"
    "{% unknownBlock %}\nAn unknown tag's text stays.\n{% /unknownBlock %}\n\n"  # tag-undefined
    '{% tile title="Roadmap" %}\n- A feature in the body\n{% /tile %}\n\n'  # a body of its card: no finding
    '{% youtube videoId="cZdIobCpI9U" %}\nstray text\n{% /youtube %}\n'  # tag-body-kept
)
SHARED = (
    "Shared text with a [broken link](/also-nowhere).\n\n{% unknownTag /%}\n\n"
    "{% note %}\nA closing tag written with a backslash.\n{% \\note %}\n"  # recovered: tag-close-recovered
    "\nA [link from a partial](/guide#not-in-guide).\n"
)
LOOP_A = 'Loop A.\n\n{% partial file="/v1.0/loop-b.md" /%}\n'
LOOP_B = 'Loop B, two deep: {% alsoUnknown /%}\n\n```yaml\na: [1\n```\n\n{% partial file="/v1.0/loop-a.md" /%}\n'



def angled(text: str, delimiters: str) -> str:
    return text if delimiters == "curly" else text.replace("{%", "<%").replace("%}", "%>")


def tree(root: Path, options: dict[str, Any], *, delimiters: str = "curly", snippets: str = "snippets") -> Path:
    body = angled(PROBLEMS, delimiters)
    shared = angled(SHARED, delimiters)
    return write(
        root,
        {
            "docs/v1.0.x/index.md": page("/", body),
            "docs/v1.0.x/guide.md": page("/guide", "Guide of v1.0. See [the next version](/v1.1.x/guide)."),
            "docs/v1.0.x/files/guide.pdf": "%PDF",
            "docs/v1.1.x/guide.md": page("/guide", "Guide of v1.1. Back to [v1.0](/v1.0.x/guide), [gone](/v1.0.x/gone)."),
            "docs/v1.1.x/paid.md": page("/paid", "[broken](/x)", paid=True),
            "docs/images/v1.0/here.png": "png",
            f"{snippets}/v1.0/shared.md": shared,
            f"{snippets}/v1.0/loop-a.md": angled(LOOP_A, delimiters),
            f"{snippets}/v1.0/loop-b.md": angled(LOOP_B, delimiters),
        },
        options,
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"delimiters": "angle"},
        {"partials_dir": "parts"},
        {"edition_flag": "paid"},
        {"static_links": ["/files/*"]},
        {"raw_html": "strip"},
    ],
    ids=["defaults", "angle", "partials-set", "edition-flag", "static-links", "raw-html"],
)
def test_build_and_check_agree_on_small_trees(tmp_path: Path, options: dict[str, Any]) -> None:
    root = tree(
        tmp_path / "tree",
        options,
        delimiters=options.get("delimiters", "curly"),
        snippets=options.get("partials_dir", "snippets"),
    )
    edition_page = "docs/v1.1.x/paid.md"
    found = assert_parity(root, tmp_path, frozenset([edition_page]) if "edition_flag" in options else frozenset())
    rules = {rule for rule, _, _ in found}
    # the trees are built to hold these problems: parity on an empty set would prove nothing
    assert {"link-broken", "image-missing", "partial-missing", "missing-closing", "tag-undefined", "tag-body-kept"} <= rules, rules
    assert "tag-selfclosing-has-children" not in rules  # a tile with a body is no mistake
    # what the build used to leave to check (#18, #19): anchors on this and other pages and
    # from a partial, include loops, a problem two partials deep, examples' syntax
    assert {"anchor-broken", "partial-cycle", "tag-undefined", "example-unparseable"} <= rules, rules
    anchors = {(file, line) for rule, file, line in found if rule == "anchor-broken"}
    partials = options.get("partials_dir", "snippets")
    assert anchors == {("docs/v1.0.x/index.md", 24), ("docs/v1.0.x/index.md", 26), ("docs/v1.0.x/index.md", 27),
                       (f"{partials}/v1.0/shared.md", 9)}  # fmt: skip
    unparseable = {(file, line) for rule, file, line in found if rule == "example-unparseable"}
    assert unparseable == {("docs/v1.0.x/index.md", 32), (f"{partials}/v1.0/loop-b.md", 4)}, unparseable
    assert ("partial-cycle", f"{partials}/v1.0/loop-b.md", 7) in found
    assert ("tag-undefined", f"{partials}/v1.0/loop-b.md", 1) in found
    broken = {(file, line) for rule, file, line in found if rule == "link-broken"}
    assert ("docs/v1.1.x/guide.md", 8) in broken  # /v1.0.x/gone: cross-version, missing
    assert not any(file == "docs/v1.0.x/guide.md" for file, _ in broken)  # /v1.1.x/guide resolves
    if options.get("static_links"):
        assert ("docs/v1.0.x/index.md", 19) not in broken
    else:
        assert ("docs/v1.0.x/index.md", 19) in broken  # /files/gone.pdf: no such file
    # a page flagged for the edition the build leaves out is built (and reported) only when
    # its flag is not the configured one
    assert ((edition_page, 9) in broken) == ("edition_flag" not in options)
    if "edition_flag" in options:
        report = run_check(root, CheckOptions(use_cache=False, examples=False))
        assert any(f.file == edition_page and f.rule == "link-broken" for f in report.findings), "check reads edition pages too"


def test_a_broken_link_inside_a_partial_is_placed_alike(tmp_path: Path) -> None:
    root = write(
        tmp_path / "tree",
        {
            "docs/v1.0.x/index.md": page("/", '{% partial file="/v1.0/shared.md" /%}\n'),
            "snippets/v1.0/shared.md": "Shared text with a [broken link](/also-nowhere).\n",
        },
        {},
    )
    assert assert_parity(root, tmp_path) == {("link-broken", "snippets/v1.0/shared.md", 1)}


def test_an_unsafe_slug_is_reported_alike(tmp_path: Path) -> None:
    """A slug holding quotes, spaces or ``..`` is cleaned and percent-encoded by both doors, and
    both say so at the slug's line."""
    root = write(
        tmp_path / "tree",
        {
            "docs/v1.0.x/index.md": page("/", "Home."),
            "docs/v1.0.x/q.md": page("'/q\" onmouseover=\"alert(1)\" x=\"'", "Quoted."),
            "docs/v1.0.x/up.md": page("/../../up", "Up."),
        },
        {},
    )
    assert assert_parity(root, tmp_path) == {("slug-unsafe", "docs/v1.0.x/q.md", 3), ("slug-unsafe", "docs/v1.0.x/up.md", 3)}


def test_repository_site_parity(tmp_path: Path) -> None:
    """This repository's own docs site: the same findings either way, and only informational ones."""
    found = assert_parity(REPO, tmp_path)
    assert {rule for rule, _, _ in found} <= {"menu-parent-missing"}, found


def test_build_and_check_agree_on_symbolic_links(tmp_path: Path) -> None:
    """Links in every folder role (``symlink_trees.hostile_links``): each link out of the tree,
    or into a loop, is the same ``symlink-outside`` finding in both, wherever it is reached."""
    from .symlink_trees import HOSTILE_OUTSIDE, HOSTILE_ROUTES, base_tree, hostile_links, refused

    root, outside = base_tree(tmp_path / "links", mkdocs_yml=True)
    hostile_links(root, outside)
    found = assert_parity(root, tmp_path)
    assert refused(found) == {*HOSTILE_OUTSIDE, *HOSTILE_ROUTES}


def test_a_partial_cycle_reads_the_same_from_both_doors(tmp_path: Path) -> None:
    """#18: the loop is reported by the build too, with check's rule, place and include chain."""
    root = write(
        tmp_path / "tree",
        {
            "docs/v1.0.x/index.md": page("/", '{% partial file="/v1.0/a.md" /%}\n'),
            "snippets/v1.0/a.md": 'A.\n\n{% partial file="/v1.0/b.md" /%}\n',
            "snippets/v1.0/b.md": 'B.\n\n{% partial file="/v1.0/c.md" /%}\n',
            "snippets/v1.0/c.md": 'C.\n\n{% partial file="/v1.0/a.md" /%}\n',
        },
        {},
    )
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    report = run_check(root, CheckOptions(use_cache=False))
    [cycle] = [f for f in report.findings if f.rule == "partial-cycle"]
    assert (cycle.file, cycle.line, cycle.column) == ("snippets/v1.0/c.md", 3, 1)
    assert cycle.chain == (("snippets/v1.0/a.md", 3), ("snippets/v1.0/b.md", 3))
    assert [m for m in site.messages() if "[partial-cycle]" in m] == [f"om_markdoc: {cycle.format(include_chain=True)}"]


def test_strict_build_fails_where_check_fails_on_a_missing_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One gate, one answer: a validator whose schema file is missing is an error for
    ``om-markdoc check`` (exit 1) and for ``mkdocs build --strict`` (aborts), at the same place."""
    examples = {"validators": {"server": {"type": "jsonschema", "schema": "schemas/missing.json"}},
                "rules": [{"language": "yaml", "validator": "server"}]}  # fmt: skip
    root = write(tmp_path / "tree", {"docs/v1.0.x/index.md": page("/", "```yaml\nport: 8585\n```\n")}, {"examples": examples})
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    assert check_cmd.run(parser.parse_args([str(root), "--no-cache", "--format", "json"])) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["file"], f["line"]) for f in findings] == [("example-config", "docs/v1.0.x/index.md", 8)]
    strict = build_site(root / "mkdocs.yml", tmp_path / "strict", strict=True)
    assert strict.error is not None and "strict" in strict.error, strict.error
    assert logged(strict) == {("example-config", "docs/v1.0.x/index.md", 8)}
    relaxed = build_site(root / "mkdocs.yml", tmp_path / "relaxed")
    assert relaxed.error is None and logged(relaxed) == logged(strict)


def test_a_one_version_build_says_which_anchors_it_left_to_check(tmp_path: Path) -> None:
    """A version built on its own cannot see another version's headings: it judges every anchor
    of its own pages and says how many links into other versions it left to ``check``."""
    root = write(
        tmp_path / "tree",
        {
            "docs/v1.0.x/index.md": page("/", "[own](#nope), [next](/v1.1.x/guide#gone), [next ok](/v1.1.x/guide#page)"),
            "docs/v1.1.x/guide.md": page("/guide", "Guide."),
        },
        {"version": "v1.0.x"},
    )
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    assert logged(site) == {("anchor-broken", "docs/v1.0.x/index.md", 8)}
    assert any("2 links to #anchors on pages of versions this build does not render left to `om-markdoc check`" in m
               for m in site.messages())  # fmt: skip
    report = run_check(root, CheckOptions(use_cache=False))
    assert sorted((f.rule, f.column) for f in report.findings if f.rule == "anchor-broken") == [("anchor-broken", 7), ("anchor-broken", 22)]


def test_a_missing_partial_gets_the_same_suggestion_from_both_doors(tmp_path: Path) -> None:
    """#19: the "did you mean" of a renamed partial is the site layer's one message."""
    root = write(
        tmp_path / "tree",
        {"docs/v1.0.x/index.md": page("/", '{% partial file="/v1.0/old-name.md" /%}\n'), "snippets/v1.0/new-name.md": "New.\n"},
        {},
    )
    site = build_site(root / "mkdocs.yml", tmp_path / "site")
    [missing] = [f for f in run_check(root, CheckOptions(use_cache=False)).findings if f.rule == "partial-missing"]
    assert missing.message.endswith("(did you mean /v1.0/new-name.md?)")
    assert [m for m in site.messages() if "[partial-missing]" in m] == [f"om_markdoc: {missing.format(include_chain=True)}"]


def test_a_dirty_rebuild_judges_anchors_against_the_pages_it_did_not_render(tmp_path: Path) -> None:
    """Anchors depend on other pages: a rebuild that renders only the edited target page still
    judges the links of the pages it left alone (their links and ids are kept with the cache)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from om_markdoc.dialect.pipeline import DialectRenderer

    root = write(
        tmp_path / "tree",
        {"docs/v1.0.x/index.md": page("/", "See [later](/target#later)."), "docs/v1.0.x/target.md": page("/target", "Text.")},
        {"cache_dir": str(tmp_path / "cache")},
    )
    target = root / "docs/v1.0.x/target.md"
    rendered: list[str] = []
    original = DialectRenderer.render

    def counted(self: DialectRenderer, source: str, *, file: str, **kwargs: Any) -> Any:
        rendered.append(file)
        return original(self, source, file=file, **kwargs)

    def rebuild() -> tuple[set[str], list[str]]:
        handler = _Lines()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        level, logger.level = logger.level, logging.DEBUG  # other modules in this process may have raised it
        try:
            build(load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")), dirty=True)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        done = set(rendered)
        rendered.clear()
        return done, [m for m in handler.lines if "[anchor-broken]" in m]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DialectRenderer, "render", counted)
        pages, broken = rebuild()
        assert pages == {"docs/v1.0.x/index.md", "docs/v1.0.x/target.md"}
        assert [m.split(": error")[0] for m in broken] == ["om_markdoc: docs/v1.0.x/index.md:8:13"]
        target.write_text(page("/target", "Text.\n\n## Later\n"), encoding="utf-8")
        pages, broken = rebuild()
        assert (pages, broken) == ({"docs/v1.0.x/target.md"}, [])
        target.write_text(page("/target", "Text, again without the heading."), encoding="utf-8")
        pages, broken = rebuild()
        assert pages == {"docs/v1.0.x/target.md"} and len(broken) == 1


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_om_markdoc_build_says_which_anchors_it_left_to_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``om-markdoc build`` builds each version on its own: its summary judges every anchor
    within a version and names how many links into other versions it left to ``check``."""
    from om_markdoc.cli import build_cmd

    root = tmp_path / "tree"
    for name, text in {
        "content/v1.0.x/index.md": page("/", "[own](#nope) and [next](/v1.1.x/guide#gone)."),
        "content/v1.1.x/index.md": page("/", "Home."),
        "content/v1.1.x/guide.md": page("/guide", "Guide."),
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "content" / "partials").mkdir()
    parser = argparse.ArgumentParser()
    build_cmd.register(parser)
    code = build_cmd.run(parser.parse_args([str(root), "--site-dir", str(tmp_path / "site"), "--jobs", "1", "--strict"]))
    err = capsys.readouterr().err
    assert code == 1 and "[anchor-broken] 1 error" in err and "content/v1.0.x/index.md:8:" in err
    assert "om-markdoc build: 1 link to #anchors on pages of versions this build does not render left to `om-markdoc check`" in err
    report = run_check(root, CheckOptions(use_cache=False))
    assert len([f for f in report.findings if f.rule == "anchor-broken"]) == 2


def test_om_markdoc_build_gives_unversioned_pages_no_slug_warning_as_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``om-markdoc build`` builds each version with the unversioned pages in it; a page outside the
    version folders still takes its URL from its path by design, as ``check`` and ``mkdocs build`` say."""
    from om_markdoc.cli import build_cmd

    root = write(
        tmp_path / "tree",
        {"docs/index.md": "---\ntitle: Home\n---\n\n# Home\n", "docs/v1.0.x/guide.md": page("/guide", "Guide.")},
        {},
    )
    parser = argparse.ArgumentParser()
    build_cmd.register(parser)
    assert build_cmd.run(parser.parse_args([str(root), "--site-dir", str(tmp_path / "site"), "--jobs", "1"])) == 0
    assert "slug-missing" not in capsys.readouterr().err
    assert [f for f in run_check(root, CheckOptions(use_cache=False)).findings if f.rule == "slug-missing"] == []
