"""``om-markdoc check --fix`` and ``--diff`` on small trees, one per fix kind: the fix is applied
where expected, shown as a diff without writing under ``--diff``, its finding is gone after it,
and the rendered HTML is unchanged except where the fix had to change it.  Fixes that would not
remove their finding, or would change the page elsewhere, are skipped with the reason."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.check.fix import plan_fixes
from om_markdoc.check.fix_edits import SYNTAX_ONLY
from om_markdoc.check.runner import check_run
from om_markdoc.cli import check_cmd
from om_markdoc.site.project import Project
from om_markdoc.site.textfile import decode_bytes

V = "content/v1.0.x"
HEAD = "---\ntitle: {title}\nslug: {slug}\n---\n"


def page(title: str, slug: str, body: str) -> str:
    return HEAD.format(title=title, slug=slug) + body


def make_tree(root: Path, pages: dict[str, str], partials: dict[str, str] | None = None, images: tuple[str, ...] = ()) -> Path:
    for name, text in pages.items():
        path = root / V / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in (partials or {}).items():
        path = root / "content" / "partials" / "v1.0" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "content" / "partials").mkdir(parents=True, exist_ok=True)
    for name in images:
        path = root / "images" / "v1.0" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG")
    return root


def args(path: Path, *flags: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    return parser.parse_args([str(path), "--no-cache", "--no-examples", *flags])


def findings(root: Path, rule: str) -> list[tuple[str, int]]:
    report = run_check(root, CheckOptions(use_cache=False, examples=False))
    return [(f.file, f.line) for f in report.findings if f.rule == rule]


def html(root: Path, file: str) -> str:
    """The page as the project's renderer shows it, partials expanded."""
    project = Project.load(root)
    renderer = project.renderer()
    text = (root / file).read_text(encoding="utf-8")
    return renderer.render(text, file=file, partials=project.partial_store(renderer)).html


def fix(root: Path, capsys: pytest.CaptureFixture[str], *files: str, watch: tuple[str, ...] = ()) -> tuple[dict[str, str], str]:
    """Run ``--diff`` (nothing written, a diff of ``files`` printed), then ``--fix``; returns the
    HTML of ``files`` and ``watch`` before the fix and the notes ``--fix`` printed."""
    before = {file: (root / file).read_text(encoding="utf-8") for file in files}
    rendered = {file: html(root, file) for file in (*files, *watch)}
    check_cmd.run(args(root, "--diff"))
    diff = capsys.readouterr().out
    assert {file: (root / file).read_text(encoding="utf-8") for file in files} == before, "--diff wrote a file"
    for file in files:
        assert f"+++ b/{file}" in diff
    check_cmd.run(args(root, "--fix"))
    return rendered, capsys.readouterr().err


def test_toggle_close_becomes_a_closing_tag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = page("Home", "/", "# Home\n\n{% important %}\nkeep this\n{% important %}\n\nafter\n")
    root = make_tree(tmp_path, {"index.md": text})
    assert findings(root, "tag-toggle-close") == [(f"{V}/index.md", 9)]
    rendered, notes = fix(root, capsys, f"{V}/index.md")
    assert (root / V / "index.md").read_text() == text.replace("keep this\n{% important %}", "keep this\n{% /important %}")
    assert findings(root, "tag-toggle-close") == []
    assert html(root, f"{V}/index.md") == rendered[f"{V}/index.md"]
    assert "fixed content/v1.0.x/index.md:9" in notes


def test_byte_order_mark_and_crlf_line_ends_are_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = page("Home", "/", "# Home\n\n{% codeInfo srNumber=1 %}\none\n\n{% codeInfo srNumber=2 %}\ntwo\n{% /codeInfo %}\n")
    root = make_tree(tmp_path, {"index.md": ""})
    path = root / V / "index.md"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    check_cmd.run(args(root, "--fix"))
    assert "applied 1 fix(es)" in capsys.readouterr().err
    fixed = text.replace("{% codeInfo srNumber=2", "{% /codeInfo %}\n{% codeInfo srNumber=2")
    assert path.read_bytes() == b"\xef\xbb\xbf" + fixed.replace("\n", "\r\n").encode("utf-8")


def test_closing_tags_with_attributes_or_a_backslash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = '# Home\n\n{% note noteType="Warning" %}\nfirst\n{% /note noteType="Warning" %}\n\n{% note %}\nsecond\n{% \\note %}\n'
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)})
    assert findings(root, "tag-close-recovered") == [(f"{V}/index.md", 9), (f"{V}/index.md", 13)]
    rendered, _ = fix(root, capsys, f"{V}/index.md")
    fixed = (root / V / "index.md").read_text()
    assert '{% /note %}\n\n{% note %}\nsecond\n{% /note %}\n' in fixed and "noteType=\"Warning\" %}\nfirst" in fixed
    assert findings(root, "tag-close-recovered") == []
    assert html(root, f"{V}/index.md") == rendered[f"{V}/index.md"]


def test_reopened_tag_is_closed_before_it_opens_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "# Home\n\n{% codeInfo srNumber=1 %}\none\n\n{% codeInfo srNumber=2 %}\ntwo\n{% /codeInfo %}\n\nend\n"
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)})
    assert findings(root, "tag-auto-closed") == [(f"{V}/index.md", 10)]
    rendered, _ = fix(root, capsys, f"{V}/index.md")
    assert "one\n\n{% /codeInfo %}\n{% codeInfo srNumber=2 %}\n" in (root / V / "index.md").read_text()
    assert findings(root, "tag-auto-closed") == []
    assert html(root, f"{V}/index.md") == rendered[f"{V}/index.md"]


def test_unquoted_values_are_quoted_only_when_that_removes_the_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (
        "# Home\n\nbefore\n\n"
        '{% image src=/images/v1.0/pic.png alt="A picture" /%}\n\n'
        "{% note noteType=Warning %}\nx\n{% /note %}\n\n"
        "{% note noteType=Warning stray %}\ny\n{% /note %}\n\nafter\n"
    )
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)}, images=("pic.png",))
    file = f"{V}/index.md"
    assert findings(root, "parse-error") == [(file, 9), (file, 11), (file, 15)]
    rendered, notes = fix(root, capsys, file)
    fixed = (root / file).read_text()
    assert '{% image src="/images/v1.0/pic.png" alt="A picture" /%}' in fixed
    assert '{% note noteType="Warning" %}\nx' in fixed
    assert "{% note noteType=Warning stray %}" in fixed  # still an error after quoting: left alone
    assert findings(root, "parse-error") == [(file, 15)]
    assert "skipped content/v1.0.x/index.md:15" in notes
    # the untouched blocks render the same: the heading, the paragraphs and the broken note
    after = html(root, file)
    for piece in ("<p>before</p>", "<p>after</p>", "stray"):
        assert (piece in after) == (piece in rendered[file])
    assert after.split("before</p>")[0] == rendered[file].split("before</p>")[0]
    assert after.split("<p>after</p>")[1] == rendered[file].split("<p>after</p>")[1]


def test_image_path_case_and_double_slash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "# Home\n\n![a](/images/v1.0/shots/pic.png)\n\n{% image src=\"/images/v1.0//shots/Pic.png\" /%}\n\n![gone](/images/v1.0/none.png)\n"
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)}, images=("shots/Pic.png",))
    file = f"{V}/index.md"
    assert findings(root, "image-missing") == [(file, 7), (file, 9), (file, 11)]
    rendered, notes = fix(root, capsys, file)
    fixed = (root / file).read_text()
    assert fixed.count("/images/v1.0/shots/Pic.png") == 2 and "//shots" not in fixed
    assert findings(root, "image-missing") == [(file, 11)]  # a file that does not exist has no fix
    expected = rendered[file].replace("/images/v1.0/shots/pic.png", "/images/v1.0/shots/Pic.png").replace("v1.0//shots", "v1.0/shots")
    assert html(root, file) == expected


def test_md_links_become_slug_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = page("Home", "/", "# Home\n\nSee [the guide](guide/setup.md#install) and [again](./guide/setup.md).\n\n[missing](nope.md)\n")
    guide = page("Setup", "/how-to/setup", "# Setup\n\n## Install\n")
    root = make_tree(tmp_path, {"index.md": index, "guide/setup.md": guide})
    file = f"{V}/index.md"
    rendered, _ = fix(root, capsys, file)
    fixed = (root / file).read_text()
    assert "[the guide](/how-to/setup#install) and [again](/how-to/setup)" in fixed
    assert "[missing](nope.md)" in fixed
    assert findings(root, "anchor-broken") == [] and findings(root, "link-broken") == [(file, 9)]
    expected = rendered[file].replace("guide/setup.md#install", "/how-to/setup#install").replace("./guide/setup.md", "/how-to/setup")
    assert html(root, file) == expected


def test_links_to_a_slug_with_one_near_neighbour(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = page("Home", "/", "# Home\n\n[one](/Guide/Set_Up#install) [two](/tools/A-B) [three](/nowhere)\n")
    pages = {
        "index.md": index,
        "setup.md": page("Setup", "/guide/set-up", "# Setup\n\n## Install\n"),
        "ab1.md": page("AB", "/tools/a-b", "# AB\n"),
        "ab2.md": page("AB", "/tools/a_b", "# AB\n"),
    }
    root = make_tree(tmp_path, pages)
    file = f"{V}/index.md"
    assert findings(root, "link-broken") == [(file, 7)] * 3
    rendered, _ = fix(root, capsys, file)
    # '/tools/A-B' is near two slugs: which one was meant is a guess, so it stays
    assert "[one](/guide/set-up#install) [two](/tools/A-B) [three](/nowhere)" in (root / file).read_text()
    assert len(findings(root, "link-broken")) == 2 and findings(root, "anchor-broken") == []
    assert html(root, file) == rendered[file].replace("/Guide/Set_Up#install", "/guide/set-up#install")


def test_partials_are_fixed_in_place_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = "{% important %}\nshared\n{% important %}\n"
    pages = {
        "a.md": page("A", "/a", '# A\n\n{% partial file="/v1.0/shared.md" /%}\n'),
        "b.md": page("B", "/b", '# B\n\n{% partial file="/v1.0/shared.md" /%}\n'),
        "index.md": page("Home", "/", "# Home\n"),
    }
    root = make_tree(tmp_path, pages, {"shared.md": shared})
    partial = "content/partials/v1.0/shared.md"
    assert findings(root, "tag-toggle-close") == [(partial, 3)]
    rendered, notes = fix(root, capsys, partial, watch=(f"{V}/a.md", f"{V}/b.md"))
    assert (root / partial).read_text() == "{% important %}\nshared\n{% /important %}\n"
    assert notes.count("fixed ") == 1
    assert findings(root, "tag-toggle-close") == []
    for file in (f"{V}/a.md", f"{V}/b.md"):
        assert html(root, file) == rendered[file]
    assert (root / V / "a.md").read_text() == pages["a.md"]


@pytest.mark.parametrize(
    ("body", "kind", "line", "why"),
    [
        # quoting `Warning` leaves `stray` unreadable: the parse error stays
        ("# Home\n\n{% note noteType=Warning stray %}\ny\n{% /note %}\n", "parse-error", 7, "would (add|remain)"),
        # a note reopened inside a list item: closing it on a line of its own changes the list's HTML
        ("# Home\n\n- item\n  {% note %}\n  a\n  {% note %}\n  b\n  {% /note %}\n", "tag-auto-closed", 10, "would change"),
    ],
    ids=["finding-stays", "rendering-changes"],
)
def test_a_fix_that_does_not_only_help_is_skipped(body: str, kind: str, line: int, why: str, tmp_path: Path) -> None:
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)})
    plan = plan_fixes(check_run(root, CheckOptions(use_cache=False, examples=False)))
    assert plan.applied == [] and plan.texts == {}
    [(edit, reason)] = plan.skipped
    assert (edit.kind, edit.line) == (kind, line)
    assert re.search(why, reason), reason


def test_no_fix_no_write_and_exit_code_follows_the_remaining_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = "# Home\n\n{% important %}\nx\n{% important %}\n\n[bad](/nowhere)\n"
    root = make_tree(tmp_path, {"index.md": page("Home", "/", body)})
    assert check_cmd.run(args(root, "--fix")) == 1  # the broken link has no fix
    out = capsys.readouterr()
    assert "link-broken" in out.out and "tag-toggle-close" not in out.out
    mtime = (root / V / "index.md").stat().st_mtime_ns
    check_cmd.run(args(root, "--fix"))
    assert "applied 0 fix(es)" in capsys.readouterr().err
    assert (root / V / "index.md").stat().st_mtime_ns == mtime


# -- the OpenMetadata corpus ------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "openmetadata-docs"
SAMPLE = 60
"""Pages of the other versions re-rendered besides those the fixes touch (v1.5.x: every page)."""


def corpus_copy(root: Path, version: str) -> Path:
    if not (CORPUS / "content" / version).is_dir():
        pytest.fail(f"the docs corpus is missing: expected it at {CORPUS}")
    import shutil

    for part in (f"content/{version}", "content/partials", "images"):
        shutil.copytree(CORPUS / part, root / part)
    return root


@pytest.mark.corpus
@pytest.mark.parametrize("version", ["v1.5.x", "v1.4.x", "v1.6.x-SNAPSHOT"])
def test_fix_on_a_corpus_version(version: str, tmp_path: Path) -> None:
    from collections import Counter

    root = corpus_copy(tmp_path / "tree", version)
    options = CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=2, examples=False)
    run = check_run(root, options)
    project, before = run.project, run.report
    renderer = project.renderer()
    store = project.partial_store(renderer)

    def render(file: str) -> str:
        return renderer.render((root / file).read_text(encoding="utf-8"), file=file, partials=store).html

    plan = plan_fixes(run)
    assert plan.applied, "the corpus has fixable findings in every version"
    edited = set(plan.names.values())
    pages = sorted(item.page.file for item in run.collected.pages)
    including = {
        item.page.file
        for item in run.collected.pages
        if any(run.collected.partial_names.get(name) in edited for name in (run.collected.renders.get(item.hash) or {}).get("deps", {}))
    }
    untouched = [file for file in pages if file not in edited and file not in including]
    watched = sorted((edited | including) & set(pages)) + (untouched if version == "v1.5.x" else untouched[:: max(1, len(untouched) // SAMPLE)])
    html_before = {file: render(file) for file in watched}

    replaced = []  # what the fixes had to change in the HTML: image paths, link targets
    for edit in plan.applied:
        if edit.kind not in SYNTAX_ONLY:
            original = next(old for path, (old, _new) in plan.texts.items() if plan.names[path] == edit.file)
            replaced.append((decode_bytes(original, edit.file)[0][edit.start : edit.end], edit.replacement))
    for path, (_old, new) in plan.texts.items():
        assert project.docs_root in path.parents or project.partials_root in path.parents
        path.write_bytes(new)
    store = project.partial_store(renderer)
    after = check_run(root, options).report

    assert after.errors < before.errors and after.count("warning") < before.count("warning")
    new = Counter((f.rule, f.file, f.message) for f in after.findings) - Counter((f.rule, f.file, f.message) for f in before.findings)
    assert not new, f"fixes added findings: {sorted(new)[:5]}"
    for edit in plan.applied:
        assert edit.finding is None or not any(
            (f.rule, f.file, f.message) == (edit.finding.rule, edit.finding.file, edit.finding.message)
            and f.line == edit.finding.line + (1 if edit.kind == "tag-auto-closed" else 0)
            for f in after.findings
        ), f"still reported after its fix: {edit.format()}"
    for file in watched:
        expected = html_before[file]
        for old, new_text in replaced:
            expected = expected.replace(old, new_text)
        assert render(file) == expected, f"{file} renders differently after the fixes"



def test_only_docs_and_partials_folders_are_writable(tmp_path: Path) -> None:
    from om_markdoc.check.fix import writable

    root = make_tree(tmp_path / "tree", {"index.md": page("Home", "/", "# Home\n")}, {"p.md": "x\n"})
    project = Project.load(root)
    assert writable(project, root / V / "index.md")
    assert writable(project, root / "content" / "partials" / "v1.0" / "p.md")
    assert not writable(project, root / "images" / "v1.0" / "a.png")
    assert not writable(project, tmp_path / "elsewhere.md")
    assert not writable(project, root / V / ".." / ".." / ".." / "elsewhere.md")
