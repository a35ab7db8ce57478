"""Example outcomes cached in check's cache folder (issue #11: ``check`` under 10 s with examples on).

A second check of an unchanged tree must not parse a single page for its examples, and must
report exactly what a check without cache reports; any input the outcome depends on (the page,
a partial it includes, a partial it looks for that does not exist yet, a schema, the
configuration) makes that page be collected again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.cli import main
from om_markdoc.examples.cache import CACHE_FILE, PageExamples
from om_markdoc.examples.runner import ExampleSession
from om_markdoc.site.project import Project

from .trees import placed, write_tree

SCHEMA = {"type": "object", "properties": {"port": {"type": "integer"}}, "additionalProperties": False}
CONFIG = """
    examples:
      validators:
        server: {type: jsonschema, schema: schemas/server.json}
      rules:
        - {language: yaml, contains: '^port:', validator: server}
    """


def tree(root: Path) -> Path:
    write_tree(
        root,
        {
            "om-markdoc.yml": CONFIG,
            "content/v1.0.x/a.md": '# A\n\n```yaml\nport: 80\n```\n\n{% partial file="/v1.0/shared.md" /%}\n',
            "content/v1.0.x/b.md": '# B\n\n```json\n{"a": 1 "b": 2}\n```\n\n{% partial file="/v1.0/later.md" /%}\n',
            "content/v1.0.x/plain.md": "# Plain\n\nNo code at all.\n",
            "content/partials/v1.0/shared.md": "```yaml\nkey: [unclosed\n```\n",
        },
    )
    (root / "schemas").mkdir()
    (root / "schemas/server.json").write_text(json.dumps(SCHEMA))
    return root


class Parses:
    """Counts the pages a session parses for their examples."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        original = ExampleSession._parse  # noqa: SLF001 - counted to prove the cache skips parsing

        def counting(session: ExampleSession, source: str, name: str):
            self.files.append(name)
            return original(session, source, name)

        monkeypatch.setattr(ExampleSession, "_parse", counting)

    def take(self) -> list[str]:
        files, self.files = sorted(self.files), []
        return files


def check(root: Path, cache: Path | None) -> list[tuple[str, str, int, int]]:
    return placed(ExampleSession(Project.around(root)).check(cache_dir=cache))


def test_an_unchanged_tree_is_not_parsed_again_and_gives_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    parses = Parses(monkeypatch)
    uncached = check(root, None)
    assert {(rule, file) for rule, file, _, _ in uncached} == {
        ("example-unparseable", "content/partials/v1.0/shared.md"),
        ("example-unparseable", "content/v1.0.x/b.md"),
    }
    parses.take()
    assert check(root, cache) == uncached
    assert parses.take() == ["content/v1.0.x/a.md", "content/v1.0.x/b.md"]  # plain.md has nothing to parse
    assert (cache / CACHE_FILE).is_file()
    assert check(root, cache) == uncached
    assert parses.take() == []


def test_what_a_page_depends_on_invalidates_only_that_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    parses = Parses(monkeypatch)
    check(root, cache)
    parses.take()
    # the included partial is fixed: a.md is collected again, and its finding goes
    (root / "content/partials/v1.0/shared.md").write_text("```yaml\nkey: [closed]\n```\n")
    found = check(root, cache)
    assert parses.take() == ["content/v1.0.x/a.md"]
    assert [f for f in found if f[1].startswith("content/partials")] == []
    # a partial b.md looks for appears, holding a broken example
    (root / "content/partials/v1.0/later.md").write_text('```json\n{"x": }\n```\n')
    found = check(root, cache)
    assert parses.take() == ["content/v1.0.x/b.md"]
    assert ("example-unparseable", "content/partials/v1.0/later.md") in {(r, f) for r, f, _, _ in found}
    # the schema changes: every example it checks is validated again, and now fails
    (root / "schemas/server.json").write_text(json.dumps({**SCHEMA, "properties": {"port": {"type": "string"}}}))
    found = check(root, cache)
    assert "content/v1.0.x/a.md" in parses.take()
    assert ("example-invalid", "content/v1.0.x/a.md", 4, 7) in found
    assert found == check(root, None)


def test_pages_checked_by_a_custom_validator_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(
        tmp_path / "tree",
        {"content/v1.0.x/page.md": "# P\n\n```ini\nA=1\nb=2\n```\n", "content/v1.0.x/other.md": "# O\n\n```yaml\na: 1\n```\n"},
    )
    custom = {"validators": {"upper": {"type": "tests.examples.test_validators:no_lowercase", "what": "keys"}},
              "rules": [{"language": "ini", "validator": "upper"}]}  # fmt: skip

    def run() -> list[tuple[str, str, int, int]]:
        return placed(ExampleSession(Project.around(root), config=custom).check(cache_dir=tmp_path / "cache"))

    parses = Parses(monkeypatch)
    run()
    parses.take()
    assert run() == [("example-invalid", "content/v1.0.x/page.md", 5, 1)]
    assert parses.take() == ["content/v1.0.x/page.md"]


def test_check_keeps_example_outcomes_in_its_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tree(tmp_path / "tree")
    options = CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1)
    parses = Parses(monkeypatch)
    first = run_check(root, options).findings
    assert parses.take()
    assert (tmp_path / "cache" / CACHE_FILE).is_file()
    again = run_check(root, options).findings
    assert parses.take() == []
    assert again == first == run_check(root, CheckOptions(use_cache=False, jobs=1)).findings
    assert any(f.rule == "example-unparseable" for f in first)


def _cli_check(root: Path, cache: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """``om-markdoc check`` with examples on: exit code and the finding lines (the summary line,
    which counts cached pages, left out)."""
    code = main(["check", str(root), "--cache-dir", str(cache), "--jobs", "1"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, [line for line in captured.out.splitlines() if not line.startswith("om-markdoc check:")]


HEX = re.compile(r"[0-9a-f]{32}")


def _is_row(row: Any) -> bool:
    """A finding as ``Diagnostic.to_row`` writes it: rule, severity, file, line, column, message, chain."""
    if not isinstance(row, list) or len(row) != 7:
        return False
    texts, numbers, chain = [row[0], row[1], row[2], row[5]], row[3:5], row[6]
    return all(isinstance(t, str) for t in texts) and all(type(n) is int for n in numbers) and isinstance(chain, list)


def test_the_cache_file_keeps_its_format_2_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The typed records write exactly what earlier releases wrote, so their files stay valid:
    each page is ``{"text", "partials": [[name, digest]], "found": [[key, [row]]]}``, and a
    record read back writes the same bytes."""
    root = tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    _cli_check(root, cache, capsys)
    data = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))
    assert set(data) == {"key", "pages"} and HEX.fullmatch(data["key"])
    pages = data["pages"]
    assert sorted(pages) == ["content/v1.0.x/a.md", "content/v1.0.x/b.md", "content/v1.0.x/plain.md"]
    for entry in pages.values():
        assert list(entry) == ["text", "partials", "found"] and HEX.fullmatch(entry["text"])
        assert all(len(p) == 2 and (HEX.fullmatch(p[1]) or p[1] == "missing") for p in entry["partials"])
        assert all(len(f) == 2 and HEX.fullmatch(f[0]) and all(_is_row(r) for r in f[1]) for f in entry["found"])
        written = json.dumps(entry, separators=(",", ":"))
        assert json.dumps(PageExamples.from_json(entry).to_json(), separators=(",", ":")) == written
    assert pages["content/v1.0.x/a.md"]["partials"][0][0] == "/v1.0/shared.md"
    assert pages["content/v1.0.x/b.md"]["partials"] == [["/v1.0/later.md", "missing"]]
    assert [len(pages[p]["found"]) for p in sorted(pages)] == [1, 1, 0]


@pytest.mark.parametrize(
    ("field", "value"),
    [(0, 7), (2, ["content/v1.0.x/b.md"]), (3, True), (3, "4"), (6, [["content/v1.0.x/b.md"]]), (None, None)],
    ids=["rule-number", "file-list", "line-bool", "line-text", "chain-step", "row-cut"],
)
def test_a_damaged_record_is_collected_again_not_misread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, field: int | None, value: Any
) -> None:
    """A cache file under the right key whose findings have lost their types (a half-written
    or hand-edited file) costs a fresh collection of those pages: ``check`` reports what it
    reports without a cache, never a traceback or a finding at the wrong place."""
    root = tree(tmp_path / "tree")
    cache = tmp_path / "cache"
    cold = _cli_check(root, cache, capsys)
    path = cache / CACHE_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["pages"].values():
        for _key, rows in entry["found"]:
            for row in rows:
                if field is None:
                    del row[4:]
                else:
                    row[field] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    parses = Parses(monkeypatch)
    assert _cli_check(root, cache, capsys) == cold
    assert parses.take() == ["content/v1.0.x/a.md", "content/v1.0.x/b.md"]
    assert _cli_check(root, cache, capsys) == cold  # and the repaired file is replayed
    assert parses.take() == []
