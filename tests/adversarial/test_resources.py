"""Bounded resources: alias bombs, gigantic files and lines, deep nesting of every construct,
partial chains and partial fan-out.  Each is bounded by what it costs in memory (``MEMORY_LIMIT``)
and by counted work (nodes, expansions, lookups, output bytes), never by time, so a machine busy
with other jobs cannot fail them; a refused input gets a clear, located diagnostic.  Inputs that
could take the machine run in a child whose address space is capped (``limited_child``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from om_markdoc.dialect import pipeline
from om_markdoc.dialect.context import PageContext
from om_markdoc.site.frontmatter import split_front_matter
from om_markdoc.site.partials import PartialResolver, PartialStore

from .conftest import MEMORY_LIMIT, assert_located, limited_child, measured, write

OUTPUT_PER_INPUT_BYTE = 64
"""Rendered bytes allowed per source byte (a nested blockquote, the costliest, is ~7): more means
the output grows faster than the input."""


def bomb(levels: int = 9, width: int = 10, indent: str = "") -> str:
    """A billion-laughs YAML document (``width ** levels`` leaves once expanded)."""
    lines = [f"{indent}l0: &l0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels):
        lines.append(f"{indent}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def run_child(code: str) -> dict:
    """Run ``code`` in a memory-capped interpreter (``limited_child``); it prints one JSON line."""
    out = limited_child(code)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def render_measured(renderer, source: str, partials=None, trace: bool = True):
    """Render with the memory and output-size bounds checked; ``trace=False`` for big inputs
    (tracemalloc slows them 3-5x)."""
    with measured(trace) as usage:
        result = renderer.render(source, file="big.md", context=PageContext(file="big.md"), partials=partials)
    assert usage.peak_bytes < MEMORY_LIMIT, usage
    assert len(result.html) <= OUTPUT_PER_INPUT_BYTE * len(source) + 4096, len(result.html)
    assert_located(result.diagnostics, {"big.md"})
    return result, usage


# ---------------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [bomb(), "a: &a [*a]\n", "a: &a {b: *a}\n", "\n".join(f"k{i}: *x" for i in range(200)).replace("k0: *x", "k0: &x 1") + "\n"],
)
def test_front_matter_alias_bombs_are_refused(text: str) -> None:
    with measured() as usage:
        fm = split_front_matter(f"---\n{text}---\n# Body\n", "bomb.md")
    assert usage.peak_bytes < MEMORY_LIMIT
    assert fm.meta == {}
    assert [d.rule for d in fm.diagnostics] in (["frontmatter-alias-bomb"], ["frontmatter-yaml"])
    assert_located(fm.diagnostics, {"bomb.md"})
    assert fm.diagnostics[0].line >= 2


def test_front_matter_over_the_size_cap_is_refused() -> None:
    fm = split_front_matter("---\n" + "k: v\n" * 500_000 + "---\n", "big.md")
    assert [d.rule for d in fm.diagnostics] == ["frontmatter-too-large"]


def test_deep_flow_nesting_in_front_matter() -> None:
    fm = split_front_matter("---\na: " + "[" * 5000 + "]" * 5000 + "\n---\n", "deep.md")
    assert fm.diagnostics and fm.diagnostics[0].rule == "frontmatter-yaml"


def test_config_example_alias_bomb_is_bounded(tmp_path: Path) -> None:
    docs = write(tmp_path / "docs", {"p.md": '# P\n\n```yaml {% validate="v" %}\n' + bomb() + "```\n"})
    schema = {
        "$defs": {"any": {"anyOf": [{"type": "array", "items": {"$ref": "#/$defs/any"}}, {"type": "string"}]}},
        "type": "object",
        "additionalProperties": {"$ref": "#/$defs/any"},
    }
    (tmp_path / "s.json").write_text(json.dumps(schema))
    result = run_child(
        f"""
        import json
        from om_markdoc.examples.runner import check_examples
        found = check_examples({str(docs)!r}, config={{"validators": {{"v": {{"type": "jsonschema", "schema": {str(tmp_path / "s.json")!r}}}}}}})
        print(json.dumps([d.rule for d in found]))
        """
    )
    assert any("alias" in rule or "bomb" in rule or "too-large" in rule for rule in result), result


def test_config_example_alias_bomb_without_validator(tmp_path: Path) -> None:
    """Unbound: only parsed (PyYAML shares aliased nodes), so it stays cheap."""
    from om_markdoc.examples.runner import check_examples

    docs = write(tmp_path / "docs", {"p.md": "# P\n\n```yaml\n" + bomb() + "```\n"})
    with measured() as usage:
        found = check_examples(docs)
    assert usage.peak_bytes < MEMORY_LIMIT
    assert_located(found)


def config_bomb(levels: int = 9) -> str:
    """An ``om-markdoc.yml`` whose one ``check.ignore`` entry names a billion-laughs rule list
    (``9 ** levels`` rules once expanded) through 73 aliases."""
    return f"anchors:\n{bomb(levels, 9, '  ')}check:\n  ignore:\n    - {{path: p, rules: *l{levels - 1}}}\n"


def cli_child(args: list[str]):
    """``om-markdoc ARGS`` in a memory-capped child (``limited_child``)."""
    return limited_child(f"import sys\nfrom om_markdoc.cli import main\nsys.exit(main({args!r}))")


@pytest.mark.parametrize("command", ["check", "build"])
def test_config_file_alias_bomb_is_a_located_error(tmp_path: Path, command: str) -> None:
    from .conftest import small_tree

    tree = small_tree(tmp_path / "tree", extra={"om-markdoc.yml": config_bomb()})
    assert config_bomb().count("*l") == 73
    out = cli_child([command, str(tree), *(["--site-dir", str(tmp_path / "site")] if command == "build" else [])])
    assert out.returncode == 2, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    assert re.search(
        rf"{re.escape(str(tree / 'om-markdoc.yml'))}:\d+:\d+: error: YAML expands to more than 200000 nodes", out.stderr
    ), out.stderr
    assert out.stderr.rstrip().endswith("[config-yaml]")


def test_mkdocs_yml_alias_bomb_is_a_located_error(tmp_path: Path) -> None:
    text = "site_name: x\n" + config_bomb().replace(
        "check:\n  ignore:\n", "plugins:\n  - om-markdoc:\n      check:\n        ignore:\n"
    ).replace("    - {path", "          - {path")
    write(tmp_path, {"mkdocs.yml": text, "docs/index.md": "# Home\n"})
    out = cli_child(["check", str(tmp_path)])
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert f"{tmp_path / 'mkdocs.yml'}:" in out.stderr and "nodes (alias bomb?) [config-yaml]" in out.stderr, out.stderr


def test_config_file_syntax_error_is_located(tmp_path: Path) -> None:
    from .conftest import small_tree

    tree = small_tree(tmp_path, extra={"om-markdoc.yml": "check:\n  ignore: [\n"})
    out = cli_child(["check", str(tree)])
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert f"{tree / 'om-markdoc.yml'}:3:1: error: invalid YAML: did not find expected node content" in out.stderr, out.stderr


# ---------------------------------------------------------------------------------------------
# Size and nesting
# ---------------------------------------------------------------------------------------------

NESTED = {
    "blockquotes": lambda n: "> " * n + "x\n",
    "lists": lambda n: "".join("  " * i + "- a\n" for i in range(n // 5)),
    "list markers": lambda n: "- " * n + "x\n",
    "emphasis": lambda n: "*a " * n + "x" + " a*" * n,
    "strong": lambda n: "**" * n + "x" + "**" * n,
    "links": lambda n: "[" * n + "x" + "](y)" * n,
    "block tags": lambda n: "{% note %}\n" * n + "x\n" + "{% /note %}\n" * n,
    "inline tags": lambda n: "a {% note %}" * n + "x" + "{% /note %}" * n,
    "tag arrays": lambda n: "{% note x=" + "[" * n + "]" * n + " %}\nx\n{% /note %}\n",
    "tag objects": lambda n: "{% note x=" + "{a: " * n + "1" + "}" * n + " %}\nx\n{% /note %}\n",
    "tag calls": lambda n: "{% note x=f" + "(" * n + ")" * n + " %}\nx\n{% /note %}\n",
    "if": lambda n: "{% if true %}\n" * n + "x\n" + "{% /if %}\n" * n,
    "html": lambda n: "<div>" * n + "x" + "</div>" * n,
}


@pytest.mark.parametrize("kind", sorted(NESTED))
def test_deep_nesting_is_bounded(renderer, kind: str) -> None:
    result, _ = render_measured(renderer, NESTED[kind](5000))
    assert isinstance(result.html, str)


def test_megabyte_lines(renderer) -> None:
    # "[" * 100_000 costs ~3.5 s in markdown-it-py's parseLinkLabel (~36 µs per unmatched "["):
    # a 1 MB line of "[" takes ~36 s, which only a page size cap would bound (see the xfail below).
    for source in (
        "a" * 4_000_000,
        '{% note title="' + "a" * 2_000_000 + '" %}\nx\n{% /note %}\n',
        "`" + "x" * 2_000_000,
        "[" * 100_000,
    ):
        render_measured(renderer, source, trace=False)


def test_one_megabyte_page_renders_in_bounds(renderer) -> None:
    page = "Some paragraph text with *emphasis*, `code` and a [link](/x).\n\n" * 16_000  # ~3.5 s
    result, _ = render_measured(renderer, page, trace=False)
    assert result.html.count("<em>emphasis</em>") == 16_000


def test_twenty_megabyte_page_is_refused_quickly(tmp_path: Path) -> None:
    result = run_child(
        """
        import json, resource
        from om_markdoc.dialect.pipeline import DialectRenderer
        page = "Some paragraph text with *emphasis* and `code` and [link](/x).\\n\\n" * (20_000_000 // 64)
        res = DialectRenderer().render(page, file="big.md")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(json.dumps({"rules": [d.rule for d in res.diagnostics], "rss": rss}))
        """
    )
    assert result["rss"] < MEMORY_LIMIT
    assert result["rules"], "a page over the size cap should be reported"


# ---------------------------------------------------------------------------------------------
# Partials
# ---------------------------------------------------------------------------------------------


def _store(renderer, root: Path) -> PartialStore:
    return PartialStore(PartialResolver(root), lambda s, f: renderer.parse(s, f)[0])


def test_self_including_partial_stops(renderer, tmp_path: Path) -> None:
    root = write(tmp_path / "partials", {"a.md": 'a\n\n{% partial file="/a.md" /%}\n'})
    result, _ = render_measured(renderer, '{% partial file="/a.md" /%}\n', _store(renderer, root))
    assert result.html.count("<p>a</p>") == 64  # MAX_PARTIAL_DEPTH


def test_partial_chain_1000_deep_is_bounded(renderer, tmp_path: Path) -> None:
    files = {f"p{i}.md": f'level {i}\n\n{{% partial file="/p{i + 1}.md" /%}}\n' for i in range(1000)}
    root = write(tmp_path / "partials", {**files, "p1000.md": "leaf\n"})
    result, _ = render_measured(renderer, '{% partial file="/p0.md" /%}\n', _store(renderer, root))
    assert "leaf" not in result.html  # cut at MAX_PARTIAL_DEPTH


def test_partial_chain_cut_is_reported(renderer, tmp_path: Path) -> None:
    files = {f"p{i}.md": f'level {i}\n\n{{% partial file="/p{i + 1}.md" /%}}\n' for i in range(100)}
    root = write(tmp_path / "partials", {**files, "p100.md": "leaf\n"})
    result, _ = render_measured(renderer, '{% partial file="/p0.md" /%}\n', _store(renderer, root))
    assert result.diagnostics, "the cut should be reported"


def test_partial_included_10000_times(renderer, tmp_path: Path) -> None:
    root = write(tmp_path / "partials", {"a.md": "Shared text.\n"})
    result, usage = render_measured(renderer, '{% partial file="/a.md" /%}\n\n' * 10_000, _store(renderer, root))
    assert result.html.count("Shared text.") == 10_000


class CountingStore(PartialStore):
    """A partial store that counts lookups and, past ``cap`` of them, holds no more partials:
    a broken expansion budget then ends in a failed count instead of a render that never ends."""

    def __init__(self, resolver: PartialResolver, parse, cap: int) -> None:
        super().__init__(resolver, parse)
        self.cap = cap
        self.lookups = 0

    def __getitem__(self, written: str):
        self.lookups += 1
        if self.lookups > self.cap:
            raise KeyError(written)
        return super().__getitem__(written)


def test_partial_fan_out_explosion_is_bounded(renderer, tmp_path: Path) -> None:
    """100 includes of a partial including another 100 times, four levels deep (10^8 leaves):
    cut after the page's budget of expansions, with a finding, and each level left open by the
    cut looks its remaining 100 tags up once more (no further)."""
    fan, levels, budget = 100, 4, pipeline.MAX_PARTIAL_EXPANSIONS
    root = tmp_path / "partials"
    root.mkdir()
    for i in range(levels - 1):
        (root / f"p{i}.md").write_text("".join(f'{{% partial file="/p{i + 1}.md" /%}}\n\n' for _ in range(fan)))
    (root / f"p{levels - 1}.md").write_text("leaf text\n")
    store = CountingStore(PartialResolver(root), lambda s, f: renderer.parse(s, f)[0], cap=2 * budget)
    result = renderer.render('{% partial file="/p0.md" /%}\n\n' * fan, file="fan.md", partials=store)
    assert store.lookups <= budget + levels * fan, store.lookups
    assert store.parse_count == levels
    assert 0 < result.html.count("leaf text") <= budget
    assert "partial-limit" in [d.rule for d in result.diagnostics]
    assert_located(result.diagnostics, {"fan.md"})


def test_config_rule_lists_hold_rule_ids_only(tmp_path: Path) -> None:
    """Nested lists under ``rules`` (what a bomb expands to) are refused, not stringified into
    rule ids that match nothing; the message shows a bounded excerpt of the value."""
    from .conftest import small_tree

    nested = "[" + ", ".join(["[a, b, c, d, e, f, g, h]"] * 500) + "]"
    tree = small_tree(tmp_path, extra={"om-markdoc.yml": f"check:\n  ignore:\n    - {{path: p, rules: {nested}}}\n"})
    out = cli_child(["check", str(tree)])
    assert out.returncode == 2 and "Traceback" not in out.stderr, out.stderr[-2000:]
    assert "'rules' of an ignore entry must be a list of rule ids, got [['a', 'b'," in out.stderr
    assert len(out.stderr) < 500, len(out.stderr)


def test_aliases_of_a_long_string_are_bounded_by_what_they_expand_to(tmp_path: Path) -> None:
    """40 aliases of a 100 kB string: few nodes and few aliases, but 4 MB once expanded, past
    the 2 MB the text itself may hold; ``check`` refuses the front matter at the alias."""
    from om_markdoc.check import CheckOptions, run_check

    from .conftest import small_tree

    head = f"---\ntitle: T\nslug: /long\nlong: &s {'x' * 100_000}\ntags: [{', '.join(['*s'] * 40)}]\n---\n\n# T\n"
    small_tree(tmp_path, extra={"content/v1.0.x/long.md": head})
    report = run_check(tmp_path, CheckOptions(use_cache=False, examples=False))
    found = [
        (f.rule, f.file, f.line)
        for f in report.findings
        if f.file == "content/v1.0.x/long.md" and f.rule.startswith("frontmatter")
    ]
    assert found == [("frontmatter-alias-bomb", "content/v1.0.x/long.md", 5)]
    assert "more than 2097152 characters" in next(f.message for f in report.findings if f.rule == "frontmatter-alias-bomb")
