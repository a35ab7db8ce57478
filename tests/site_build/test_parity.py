"""Parity: ``mkdocs build`` and ``om-markdoc check`` report the same problems.

Both front doors load the tree through ``Project``; these tests hold them to it.  For each tree
the set of ``(rule, file, line)`` the build logs equals what ``check`` reports for the rules a
build reports (``om_markdoc.rules.BUILD_RULES``; the others need the whole tree, such as
anchors on other pages, and are the checker's alone).  The trees cover each option that changes
what is read or how: both delimiters, a custom edition flag, static links, raw HTML, a partials
folder guessed or set, and cross-version links.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.check import CheckOptions, run_check
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
    report = run_check(root, CheckOptions(use_cache=False, examples=False))
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
    "{% unknownBlock %}\nAn unknown tag's text stays.\n{% /unknownBlock %}\n\n"  # tag-undefined
    '{% tile title="Roadmap" %}\n- A feature in the body\n{% /tile %}\n\n'  # a body of its card: no finding
    '{% youtube videoId="cZdIobCpI9U" %}\nstray text\n{% /youtube %}\n'  # tag-body-kept
)
SHARED = (
    "Shared text with a [broken link](/also-nowhere).\n\n{% unknownTag /%}\n\n"
    "{% note %}\nA closing tag written with a backslash.\n{% \\note %}\n"  # recovered: tag-close-recovered
)


def tree(root: Path, options: dict[str, Any], *, delimiters: str = "curly", snippets: str = "snippets") -> Path:
    body = PROBLEMS if delimiters == "curly" else PROBLEMS.replace("{%", "<%").replace("%}", "%>")
    shared = SHARED if delimiters == "curly" else SHARED.replace("{%", "<%").replace("%}", "%>")
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
