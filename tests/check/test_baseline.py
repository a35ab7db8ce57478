"""``om-markdoc check --baseline``: known findings stay hidden while lines move around them, a
new defect is the only thing reported, a fixed one shows as fixed, and the exit code follows
the new errors only."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import pytest

from om_markdoc.check.baseline import BaselineError, keys, read_baseline
from om_markdoc.cli import check_cmd
from om_markdoc.diagnostics import Diagnostic

PAGE = """---
title: Home
slug: /
---
# Home

[broken](/nowhere)

Some text.

[broken](/nowhere)

![gone](/images/v1.0/none.png)
"""


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "content" / "v1.0.x").mkdir(parents=True)
    (root / "content" / "partials").mkdir()
    (root / "images" / "v1.0").mkdir(parents=True)
    (root / "content" / "v1.0.x" / "index.md").write_text(PAGE, encoding="utf-8")
    return root


def check(root: Path, baseline: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, dict, str]:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    args = parser.parse_args([str(root), "--no-cache", "--no-examples", "--format", "json", "--baseline", str(baseline), *flags])
    code = check_cmd.run(args)
    out = capsys.readouterr()
    return code, json.loads(out.out), out.err


def edit(root: Path, old: str, new: str) -> None:
    path = root / "content" / "v1.0.x" / "index.md"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_baseline_hides_known_findings_across_line_shifts(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    code, data, err = check(tree, baseline, capsys, "--update-baseline")
    assert code == 0 and data["findings"] == []
    assert "wrote 3 finding(s)" in err
    written = json.loads(baseline.read_text())
    assert written["om-markdoc-baseline"] == 1
    assert sorted((e["rule"], e["occurrence"]) for e in written["findings"]) == [
        ("image-missing", 0), ("link-broken", 0), ("link-broken", 1),
    ]  # fmt: skip
    assert all("line_hash" in e and "message" in e for e in written["findings"])

    # lines inserted above every finding, and one re-indented: nothing new
    edit(tree, "# Home\n", "# Home\n\nA new paragraph.\n\nAnother one.\n")
    edit(tree, "![gone]", "   ![gone]")
    code, data, _ = check(tree, baseline, capsys)
    assert code == 0 and data["findings"] == []
    assert data["summary"]["baseline"] == {"suppressed": 3, "fixed": []}

    # a new defect: only it is reported, and it alone sets the exit code
    edit(tree, "Some text.\n", "Some text with [a new break](/also-nowhere).\n")
    code, data, _ = check(tree, baseline, capsys)
    assert code == 1
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("link-broken", 13)]
    assert "also-nowhere" in data["findings"][0]["message"]

    # a known defect fixed: reported as fixed, not as a finding
    edit(tree, "![gone](/images/v1.0/none.png)", "no image any more")
    code, data, err = check(tree, baseline, capsys)
    assert [(f["rule"], f["line"]) for f in data["findings"]] == [("link-broken", 13)]
    fixed = data["summary"]["baseline"]["fixed"]
    assert [(e["rule"], e["file"]) for e in fixed] == [("image-missing", "content/v1.0.x/index.md")]
    assert "1 fixed since it was written" in err

    # refreshing the baseline drops the fixed entry and takes in the new one
    check(tree, baseline, capsys, "--update-baseline")
    assert len(read_baseline(baseline)) == 3
    code, data, _ = check(tree, baseline, capsys)
    assert code == 0 and data["findings"] == [] and data["summary"]["baseline"]["fixed"] == []


def test_one_of_two_identical_findings_fixed(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    check(tree, baseline, capsys, "--update-baseline")
    edit(tree, "[broken](/nowhere)\n\nSome", "fixed\n\nSome")
    code, data, _ = check(tree, baseline, capsys)
    assert code == 0 and data["findings"] == []
    assert [(e["rule"], e["occurrence"]) for e in data["summary"]["baseline"]["fixed"]] == [("link-broken", 1)]


def test_text_format_lists_fixed_entries(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    check(tree, baseline, capsys, "--update-baseline")
    edit(tree, "![gone](/images/v1.0/none.png)", "")
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    code = check_cmd.run(parser.parse_args([str(tree), "--no-cache", "--no-examples", "--baseline", str(baseline)]))
    out = capsys.readouterr().out
    assert code == 0
    assert "content/v1.0.x/index.md:13: info: fixed since the baseline: image '/images/v1.0/none.png' not found [image-missing]" in out
    assert "baseline: 2 known finding(s) not shown, 1 fixed" in out


def test_bad_baselines_are_usage_errors(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    missing = tmp_path / "missing.json"
    assert check_cmd.run(parser.parse_args([str(tree), "--no-cache", "--no-examples", "--baseline", str(missing)])) == 2
    assert "--update-baseline" in capsys.readouterr().err
    garbage = tmp_path / "garbage.json"
    for text in ("{not json", '{"findings": []}', '{"om-markdoc-baseline": 1, "findings": [{"rule": "x"}]}'):
        garbage.write_text(text)
        assert check_cmd.run(parser.parse_args([str(tree), "--no-cache", "--no-examples", "--baseline", str(garbage)])) == 2
        with pytest.raises(BaselineError):
            read_baseline(garbage)
    capsys.readouterr()
    assert check_cmd.run(parser.parse_args([str(tree), "--no-cache", "--update-baseline"])) == 2


def test_keys_ignore_line_numbers_and_include_counts(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x\n  [a](/b)  \n")
    one = Diagnostic("link-broken", "error", "link to '/b': gone (reached through 2 includes)", "a.md", 2, 3)
    two = Diagnostic("link-broken", "error", "link to '/b': gone (reached through 5 includes)", "a.md", 2, 3)
    assert keys([one], tmp_path) == keys([two], tmp_path)
    known = keys([one], tmp_path)
    (tmp_path / "a.md").write_text("\n\nx\n[a](/b)\n")
    moved = Diagnostic("link-broken", "error", "link to '/b': gone", "a.md", 4, 1)
    assert keys([moved], tmp_path) == known
    assert keys([moved, moved], tmp_path)[1][-1] == 1


def hash_of(line: str) -> str:
    """The documented ``line_hash``: SHA-256 of the line with its whitespace collapsed, 16 hex digits."""
    return hashlib.sha256(" ".join(line.split()).encode("utf-8")).hexdigest()[:16]


LINK_LINE = "See [the old page](/nowhere) here."
SHIFTY = "---\ntitle: Home\nslug: /\n---\n# Home\n\nIntro\u2028 more\x0c text\x85 and\x1c on.\n\n" + LINK_LINE + "\n"
"""A page whose line 7 holds characters ``str.splitlines`` would break at; the link is on line 9."""


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_entries_hash_the_line_the_finding_is_on(newline: str, bom: bytes, tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tree / "content" / "v1.0.x" / "index.md"
    page.write_bytes(bom + SHIFTY.replace("\n", newline).encode("utf-8"))
    baseline = tmp_path / "baseline.json"
    check(tree, baseline, capsys, "--update-baseline")
    [entry] = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert (entry["rule"], entry["line"], entry["line_hash"]) == ("link-broken", 9, hash_of(LINK_LINE))
    # editing the line with the odd characters leaves the finding's own line, and its entry, alone
    edited = SHIFTY.replace("Intro\u2028 more", "Intro, reworded\u2028 more")
    page.write_bytes(bom + edited.replace("\n", newline).encode("utf-8"))
    code, data, _ = check(tree, baseline, capsys)
    assert code == 0 and data["findings"] == [] and data["summary"]["baseline"] == {"suppressed": 1, "fixed": []}


def test_a_byte_order_mark_is_not_part_of_the_first_line(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tree / "content" / "v1.0.x" / "index.md"
    page.write_bytes(b"\xef\xbb\xbf" + LINK_LINE.encode("utf-8") + b"\r\n")
    baseline = tmp_path / "baseline.json"
    check(tree, baseline, capsys, "--update-baseline")
    entries = json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert {(e["rule"], e["line"], e["line_hash"]) for e in entries if e["rule"] == "link-broken"} == {("link-broken", 1, hash_of(LINK_LINE))}
    page.write_bytes(LINK_LINE.encode("utf-8") + b"\r\n")  # an editor that drops the BOM
    code, data, _ = check(tree, baseline, capsys)
    assert data["findings"] == [] and data["summary"]["baseline"]["fixed"] == []
