"""``check --changed-since REF --new-only`` (#19): of the files a change touched, only the
findings the change introduced are reported (``--format github`` annotates nothing else); by
default ``--changed-since`` still reports every finding of those files."""

from __future__ import annotations

import argparse
import os
import subprocess
from pathlib import Path

import pytest

from om_markdoc.cli import check_cmd

V = "content/v1.0.x"
PAGE = "---\ntitle: Guide\nslug: /guide\n---\n\n# Guide\n\nAn [old broken link](/old-gone).\n"
OTHER = "---\ntitle: Other\nslug: /other\n---\n\n# Other\n\nAnother [old one](/also-gone).\n"


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose docs tree lives in a sub-folder, committed with two old defects, then
    changed: lines added above the old defect of one page, a new broken link below it."""
    root = tmp_path / "repo"
    tree = root / "docs-tree"
    for name, text in {"guide.md": PAGE, "other.md": OTHER}.items():
        path = tree / V / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tree / "content" / "partials").mkdir(parents=True)
    (root / "outside.md").write_text("not part of the tree\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    changed = PAGE.replace("# Guide\n", "# Guide\n\nA new paragraph.\n\nAnd another.\n") + "\nA [new broken link](/new-gone).\n"
    (tree / V / "guide.md").write_text(changed, encoding="utf-8")
    return tree


def run(tree: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, list[str], str]:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    code = check_cmd.run(parser.parse_args([str(tree), "--no-cache", "--no-examples", "--format", "github", *flags]))
    out, err = capsys.readouterr()
    return code, [line for line in out.splitlines() if line.startswith("::")], err


def test_new_only_annotates_what_the_change_introduced(repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, every, _ = run(repo, capsys, "--changed-since", "HEAD")
    assert code == 1
    assert [line.split(",")[0:2] for line in every] == [  # the default: every finding of the touched file
        ["::error file=content/v1.0.x/guide.md", "line=12"],
        ["::error file=content/v1.0.x/guide.md", "line=14"],
    ]
    code, new, err = run(repo, capsys, "--changed-since", "HEAD", "--new-only")
    assert code == 1
    assert len(new) == 1 and "line=14," in new[0] and "/new-gone" in new[0]  # the old link only moved down
    assert "--new-only: 1 finding(s) the changed files already had at HEAD not shown" in err


def test_new_only_with_nothing_new_passes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guide = repo / V / "guide.md"
    guide.write_text(guide.read_text(encoding="utf-8").replace("\nA [new broken link](/new-gone).\n", ""), encoding="utf-8")
    code, found, _ = run(repo, capsys, "--changed-since", "HEAD", "--new-only")
    assert (code, found) == (0, [])


def test_new_only_needs_a_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(repo, capsys, "--new-only")
    assert code == 2 and "--new-only needs --changed-since REF" in err


def test_a_tree_added_since_the_ref_is_all_new(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "README.md").write_text("a repository\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    tree = root / "docs-tree"
    (tree / V).mkdir(parents=True)
    (tree / "content" / "partials").mkdir()
    (tree / V / "guide.md").write_text(PAGE, encoding="utf-8")
    code, found, err = run(tree, capsys, "--changed-since", "HEAD", "--new-only")
    assert code == 1 and len(found) == 1 and "/old-gone" in found[0]
    assert "0 finding(s) the changed files already had at HEAD not shown" in err
