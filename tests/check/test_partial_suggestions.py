"""A renamed or moved partial (#19): ``partial-missing`` names the closest existing partials,
those of the same version folder first, and ``check --fix`` repairs the include when exactly one
is close, changing the bytes of the ``file`` value and nothing else."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from om_markdoc.cli import check_cmd

V = "content/v1.0.x"
HEAD = "---\ntitle: Home\nslug: /\n---\n\n# Home\n\n"


def make_tree(root: Path, page: bytes, partials: list[str]) -> Path:
    (root / V).mkdir(parents=True)
    (root / V / "index.md").write_bytes(page)
    for name in partials:
        path = root / "content" / "partials" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Text of {name}.\n", encoding="utf-8")
    return root


def run(root: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, list[dict], str]:
    parser = argparse.ArgumentParser()
    check_cmd.register(parser)
    code = check_cmd.run(parser.parse_args([str(root), "--no-cache", "--no-examples", "--only", "partial-missing", "--format", "json", *flags]))
    out, err = capsys.readouterr()
    return code, json.loads(out)["findings"] if out.strip() else [], err


PARTIALS = ["v1.0/install.md", "v1.0/setup/configure.md", "v1.0/connector-a.md", "v1.0/connector-b.md", "v1.1/steps.md"]


def test_missing_partials_name_their_closest_existing_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (
        '{% partial file="/v1.0/instal.md" /%}\n\n'  # a typo: one close name
        '{% partial file="/v1.0/configure.md" /%}\n\n'  # moved into a folder: same file name
        '{% partial file="/v1.0/connector.md" /%}\n\n'  # two close names: both offered
        '{% partial file="/v1.0/steps.md" /%}\n\n'  # only another version has it
        '{% partial file="/v1.0/nothing-like-it.md" /%}\n'
    )
    root = make_tree(tmp_path, (HEAD + body).encode(), PARTIALS)
    code, found, _ = run(root, capsys)
    assert code == 1
    messages = {f["line"]: f["message"] for f in found}
    assert messages == {
        8: "partial /v1.0/instal.md not found in content/partials (did you mean /v1.0/install.md?)",
        10: "partial /v1.0/configure.md not found in content/partials (did you mean /v1.0/setup/configure.md?)",
        12: "partial /v1.0/connector.md not found in content/partials (did you mean /v1.0/connector-b.md or /v1.0/connector-a.md?)",
        14: "partial /v1.0/steps.md not found in content/partials (did you mean /v1.1/steps.md?)",
        16: "partial /v1.0/nothing-like-it.md not found in content/partials",
    }


def test_fix_writes_the_one_close_partial_and_keeps_every_other_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (
        '{% partial file="/v1.0/instal.md" /%}\r\n\r\n'
        '{% partial   file="v1.0/configure.md"  variables={a: 1} /%}\r\n\r\n'
        '{% partial file="/v1.0/connector.md" /%}\r\n'
    )
    page = b"\xef\xbb\xbf" + (HEAD.replace("\n", "\r\n") + body).encode()
    root = make_tree(tmp_path, page, PARTIALS)
    code, _, err = run(root, capsys, "--fix")
    expected = page.replace(b'"/v1.0/instal.md"', b'"/v1.0/install.md"').replace(b'"v1.0/configure.md"', b'"v1.0/setup/configure.md"')
    assert (root / V / "index.md").read_bytes() == expected  # BOM, CRLF, spacing and the ambiguous one kept
    assert "applied 2 fix(es) in 1 file(s)" in err
    code, found, _ = run(root, capsys)
    assert [(f["line"], f["message"].split(" (")[0]) for f in found] == [(12, "partial /v1.0/connector.md not found in content/partials")]


def test_the_language_server_shows_the_same_suggestion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The editor's finding for the open page carries check's message: it is made once, by the
    partial resolver, not per door."""
    from om_markdoc.lsp.diagnostics import file_findings
    from om_markdoc.lsp.workspace import Workspace

    text = HEAD + '{% partial file="/v1.0/instal.md" /%}\n'
    root = make_tree(tmp_path, text.encode(), PARTIALS)
    _, found, _ = run(root, capsys)
    editor = file_findings(Workspace(root), root / V / "index.md", text).own
    assert [(d.rule, d.line, d.message) for d in editor if d.rule == "partial-missing"] == [
        ("partial-missing", f["line"], f["message"]) for f in found
    ]
    assert found[0]["message"].endswith("(did you mean /v1.0/install.md?)")
