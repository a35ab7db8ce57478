"""Example outcomes cached in check's cache folder (issue #11: ``check`` under 10 s with examples on).

A second check of an unchanged tree must not parse a single page for its examples, and must
report exactly what a check without cache reports; any input the outcome depends on (the page,
a partial it includes, a partial it looks for that does not exist yet, a schema, the
configuration) makes that page be collected again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, run_check
from om_markdoc.examples.cache import CACHE_FILE
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
