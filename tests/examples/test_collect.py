"""Collecting fenced examples: positions, annotations, tabs, partials and their variables."""

from __future__ import annotations

from pathlib import Path

from om_markdoc.dialect.pipeline import DialectRenderer
from om_markdoc.examples.collect import Collector, unique
from om_markdoc.site.partials import PartialResolver, PartialStore


def _collector(root: Path) -> Collector:
    renderer = DialectRenderer()
    parse = lambda source, name: renderer.parse(source, name)[0]  # noqa: E731
    store = PartialStore(PartialResolver(root / "snippets", display_root=root), parse)
    return Collector(parse, partials=store, display_root=root)


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets" / "v1").mkdir(parents=True)
    (tmp_path / "snippets" / "v1" / "conn.md").write_text(
        "Intro.\n\n```yaml\nsource:\n  type: {% $connector %}\n  serviceName: local_{% $connector %}\n```\n"
    )
    (tmp_path / "snippets" / "v1" / "outer.md").write_text('{% partial file="/v1/conn.md" /%}\n')
    (tmp_path / "docs" / "page.md").write_text(
        "---\ntitle: Page\nexamples:\n  validator: server\n---\n\n# Page\n\n"
        '```yaml {% validate="server" expect="invalid" %}\na: 1\n```\n\n'
        '{% codeWithLanguageSelector title="x" id="c" languagesArray=["implicit","authcode"] %}\n\n'
        "```implicit\nA=1\n```\n\n```authcode\nB=2\n```\n\n{% /codeWithLanguageSelector %}\n\n"
        "- step\n\n  ```json\n  {\"k\": 1}\n  ```\n\n"
        '{% partial file="/v1/conn.md" variables={connector: "mysql"} /%}\n'
        '{% partial file="/v1/conn.md" variables={connector: "postgres"} /%}\n'
        '{% partial file="/v1/outer.md" variables={connector: "mysql"} /%}\n'
    )
    return tmp_path


def test_positions_annotations_and_tabs(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    examples = _collector(root).collect_file(root / "docs" / "page.md")
    own = [e for e in examples if e.file == "docs/page.md"]
    assert [(e.line, e.language) for e in own] == [(9, "yaml"), (15, "implicit"), (19, "authcode"), (27, "json")]
    first = own[0]
    assert first.attributes == {"validate": "server", "expect": "invalid"}
    assert first.expect == "invalid" and not first.skip
    assert first.meta == {"validator": "server"}
    assert first.body_line == 10 and first.locate(0) == (10, 1)
    # an indented fence (in a list item): columns include the indentation
    nested = own[3]
    assert nested.text == '{"k": 1}\n'
    assert nested.locate(nested.text.index("1")) == (28, 9)


def test_partials_once_per_variables_with_chain(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    examples = _collector(root).collect_file(root / "docs" / "page.md")
    partial = [e for e in examples if e.file == "snippets/v1/conn.md"]
    assert [e.text.splitlines()[1] for e in partial] == ["  type: mysql", "  type: postgres", "  type: mysql"]
    assert partial[0].chain == (("docs/page.md", 31),)
    assert partial[2].chain == (("docs/page.md", 33), ("snippets/v1/outer.md", 1))
    assert partial[0].variables == {"connector": "mysql"}
    assert partial[0].name == "snippets/v1/conn.md:3[connector=mysql]"
    # the same rendering reached twice is one example
    assert len(unique(partial)) == 2


def test_rendered_text_maps_back_to_the_source(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    example = [e for e in _collector(root).collect_file(root / "docs" / "page.md") if "postgres" in e.text][0]
    text = example.text
    assert text == "source:\n  type: postgres\n  serviceName: local_postgres\n"
    # "postgres" stands where `{% $connector %}` was written: line 5, column 9 of the partial
    assert example.locate(text.index("postgres")) == (5, 9)
    # text after a substitution keeps its own column in the source
    assert example.locate(text.index("serviceName")) == (6, 3)
    assert example.locate(text.index("local_")) == (6, 16)
    assert example.source_line_of(2) == 6


def test_a_partial_cycle_is_walked_once_and_front_matter_passes_down(tmp_path: Path) -> None:
    """The walk's state across partials: each level adds one include to the chain, a partial's
    own ``examples`` front matter replaces its includer's for its fences and those below, and a
    partial already on the include stack is not entered again."""
    snippets = tmp_path / "snippets" / "v1"
    snippets.mkdir(parents=True)
    (tmp_path / "docs").mkdir()
    (snippets / "one.md").write_text(
        '---\nexamples:\n  validator: one\n---\n\n```yaml\nfrom: one\n```\n\n{% partial file="/v1/two.md" /%}\n'
    )
    (snippets / "two.md").write_text('```yaml\nfrom: two\n```\n\n{% partial file="/v1/one.md" /%}\n')
    (tmp_path / "docs" / "page.md").write_text(
        '---\nexamples:\n  validator: page\n---\n\n```yaml\nfrom: page\n```\n\n{% partial file="/v1/one.md" /%}\n'
    )
    examples = _collector(tmp_path).collect_file(tmp_path / "docs" / "page.md")
    assert [(e.file, e.line, e.chain, e.meta, e.page) for e in examples] == [
        ("docs/page.md", 6, (), {"validator": "page"}, "docs/page.md"),
        ("snippets/v1/one.md", 6, (("docs/page.md", 10),), {"validator": "one"}, "docs/page.md"),
        (
            "snippets/v1/two.md",
            1,
            (("docs/page.md", 10), ("snippets/v1/one.md", 10)),
            {"validator": "one"},
            "docs/page.md",
        ),
    ]
