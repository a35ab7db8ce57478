"""No crash, ever: malformed input of every kind becomes diagnostics with file:line:column.

Two sources of hostile input: ``hypothesis`` strategies aimed at each parser (tokenizer, tag
grammar, partial names, front matter, config-example YAML and .env), and real pages of the
OpenMetadata corpus mutated at test time (byte flips, truncation, duplicated or removed ``{%``,
``%}``, quotes, newlines and ``---``, line swaps, line-ending changes, splices of two pages) fed
through the renderer, the front-matter reader, the examples checker and ``run_check``.
"""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from om_markdoc.core.grammar import TagSyntaxError, parse_tag
from om_markdoc.dialect.context import PageContext
from om_markdoc.examples.envfile import parse_env
from om_markdoc.examples.runner import check_examples
from om_markdoc.examples.yamlmap import YamlSyntaxError, load_documents
from om_markdoc.site.frontmatter import split_front_matter
from om_markdoc.site.partials import PartialResolver, PartialStore
from om_markdoc.site.textfile import decode_bytes

from .conftest import assert_located, corpus_sample, mutate, small_tree, write

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Markdoc-ish building blocks: hypothesis combines them into near-valid pages.
PIECES = [
    "{%", "%}", "/%}", "{% /", "{% note %}", "{% /note %}", "{% partial file=\"/p.md\" /%}", "{% if $x %}", "{% else /%}",
    "{% /if %}", "{% $x %}", "{% tabs %}", "{% tab title=\"a\" %}", "{% /tab %}", "{% /tabs %}", "{% image src=\"/images/a.png\" /%}",
    "{% table %}", "---", "* ", "- ", "1. ", "> ", "# ", "```", "```yaml\n", "~~~", "`", "*", "_", "**", "[", "]", "(", ")",
    "![", "<", ">", "<script>", "&", "\"", "'", "=", "{", "}", "$", "\\", "|", ":", ",", "\n", "\r\n", "\r", "\t", " ", "a",
    "\ufeff", "\x00", "\u2028", "é", "🙂", "true", "null", "[1, {a: 2}]", "x=", ".class", "#id", "f(", "1e999",
]
markdocish = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=60).map("".join)


# ---------------------------------------------------------------------------------------------
# hypothesis, parser by parser
# ---------------------------------------------------------------------------------------------


@FAST
@given(source=markdocish)
def test_renderer_never_raises(renderer, source: str) -> None:
    result = renderer.render(source, file="fuzz.md", context=PageContext(file="fuzz.md"), variables={"x": "<b>"})
    assert isinstance(result.html, str)
    assert_located(result.diagnostics, {"fuzz.md"})


@FAST
@given(interior=st.lists(st.sampled_from(PIECES[:50] + ["a", "b=", "1", "\"x\"", "[", "]", "{", "}", "(", ")", ",", " "]), max_size=40).map("".join))
def test_tag_grammar_raises_only_its_own_error(interior: str) -> None:
    try:
        result = parse_tag(interior.strip())
    except TagSyntaxError as exc:
        assert 0 <= exc.start <= exc.end <= len(interior.strip()) + 1
    else:
        assert isinstance(result, dict)


@FAST
@given(written=st.one_of(st.text(max_size=40), st.lists(st.sampled_from(["..", ".", "", "a", "b.md", "/", "\\", "C:", "\x00", "%2e%2e"]), max_size=8).map("/".join), st.integers(), st.none()))
def test_partial_resolver_never_leaves_the_root(tmp_path: Path, written) -> None:
    root = write(tmp_path / "partials", {"a/b.md": "x", "b.md": "y"})
    resolver = PartialResolver(root)
    resolved = resolver.resolve(written, file="page.md", line=3, column=4)
    if resolved.path is not None:
        assert resolved.path.resolve().is_relative_to(root.resolve())
    if resolved.diagnostic is not None:
        assert_located([resolved.diagnostic], {"page.md"})


@FAST
@given(text=st.lists(st.sampled_from(["---", "\n", "\r\n", "a: 1", "b: [", "]", "&x", "*x", "<<: *x", "- ", "!!python/object:os.system", "? ", ": ", "'", "\"", "\t", "\ufeff", "%YAML 1.1", "...", "title: t"]) | st.text(max_size=4), max_size=30).map("".join))
def test_front_matter_never_raises(text: str) -> None:
    fm = split_front_matter(text, "fm.md")
    assert isinstance(fm.meta, dict)
    assert fm.body_start_line >= 1
    assert_located(fm.diagnostics, {"fm.md"})


@FAST
@given(data=st.binary(max_size=300))
def test_decode_bytes_never_raises(data: bytes) -> None:
    text, diagnostics = decode_bytes(data, "bytes.md")
    assert isinstance(text, str)
    assert_located(diagnostics, {"bytes.md"})


@FAST
@given(text=st.lists(st.sampled_from(["a: 1", "\n", "- x", "&a [1]", "*a", "!!binary x", "{", "}", "[", "]", "---", "2024-02-30", "? x", "\t", "'"]) | st.text(max_size=4), max_size=30).map("".join))
def test_example_yaml_raises_only_syntax_errors(text: str) -> None:
    with contextlib.suppress(YamlSyntaxError):
        load_documents(text)


@FAST
@given(text=st.lists(st.sampled_from(["export ", "A=", "B='", "\"", "\n", "docker run ", "-e ", "--env ", "$X", "${X:-y}", "\\\n", "#", "="]) | st.text(max_size=4), max_size=30).map("".join))
def test_env_parser_never_raises(text: str) -> None:
    for mode in ("auto", "dotenv", "shell", "docker"):
        parse_env(text, mode=mode)


# ---------------------------------------------------------------------------------------------
# mutated corpus pages
# ---------------------------------------------------------------------------------------------


def _mutants(count: int, seed: int) -> list[tuple[str, bytes]]:
    pages = corpus_sample(count, seed)
    rng = random.Random(seed)
    out = []
    for rel, data in pages:
        other = rng.choice(pages)[1]
        out.append((rel, mutate(data, rng, other)))
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("seed", range(4))
def test_mutated_corpus_pages_render(renderer, tmp_path: Path, seed: int) -> None:
    store = PartialStore(PartialResolver(write(tmp_path / "partials", {"p.md": "partial {% $x %}\n"})), lambda s, f: renderer.parse(s, f)[0])
    for rel, data in _mutants(40, seed):
        text, diagnostics = decode_bytes(data, rel)
        assert_located(diagnostics, {rel})
        fm = split_front_matter(text, rel)
        assert_located(fm.diagnostics, {rel})
        result = renderer.render(text, file=rel, context=PageContext(file=rel), partials=store)
        assert isinstance(result.html, str)
        assert_located(result.diagnostics, {rel})


@pytest.mark.corpus
@pytest.mark.parametrize("seed", range(3))
def test_mutated_pages_through_check(tmp_path: Path, seed: int) -> None:
    from om_markdoc.check import CheckOptions, run_check

    mutants = _mutants(6, 100 + seed)
    extra = {f"content/v1.0.x/m{i}.md": data for i, (_, data) in enumerate(mutants[:4])}
    extra.update({f"content/partials/v1.0/m{i}.md": data for i, (_, data) in enumerate(mutants[4:])})
    extra["content/v1.0.x/menu.md"] = mutate(b"---\nsite_menu:\n  - category: Home\n    url: /\n---\n", random.Random(seed))
    root = small_tree(tmp_path / "tree", guide_body='{% partial file="/v1.0/m0.md" /%}\n{% partial file="/v1.0/m1.md" /%}', extra=extra)
    report = run_check(root, CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1))
    files = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    for finding in report.findings:
        assert finding.file in files or finding.file.endswith("om-markdoc.yml"), finding
        assert finding.line >= 1 and finding.column >= 1, finding
    # and once more from the cache it just wrote: the same findings
    again = run_check(root, CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=1))
    assert again.findings == report.findings


@pytest.mark.corpus
@pytest.mark.parametrize("seed", range(2))
def test_mutated_pages_through_check_examples(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    fences = [b"```yaml\nserver:\n  port: 8585\n  list: [1, 2]\n```\n", b"```bash\nexport A=1\nB=\"x\n```\n", b"```json\n{\"a\": [1, 2}\n```\n"]
    files = {}
    for i, (_, data) in enumerate(_mutants(8, 200 + seed)):
        files[f"docs/m{i}.md"] = mutate(data + b"\n" + rng.choice(fences), rng)
    files["docs/partials/q.md"] = mutate(fences[0], rng)
    root = write(tmp_path / "tree", files)
    diagnostics = check_examples(root / "docs")
    assert_located(diagnostics)
