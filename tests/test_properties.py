"""Property tests over the whole pipeline (parse -> validate -> transform -> render).

* robustness: any text, and Markdoc-ish text built from a grammar of fragments, goes through
  ``render_document`` under every tokenizer/parser option and unknown-tag mode without raising,
  and yields a well-formed record (``errors`` from the known catalogue, ``lines`` of ints, ``html``);
* deep nesting: 5,000-deep constructs finish, without raising, within a few seconds each;
* invariants: determinism (no state leaks between documents), ``validate`` and ``transform`` leave
  the AST untouched, validation never changes the HTML, text without tag syntax has no errors,
  variable output is always HTML-escaped.

Examples are sized so that the file runs in well under 30 s; the examples are random on each run
(no ``derandomize``), so a failure prints a reproducible ``@reproduce_failure`` blob.
"""
from __future__ import annotations

import copy
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from om_markdoc import load_config, parse, transform, validate
from om_markdoc.core import api
from om_markdoc.core.document import render_document
from om_markdoc.core.errors import ERROR_IDS
from om_markdoc.core.renderers.html import escape_html

LEVELS = frozenset({"debug", "info", "warning", "error", "critical"})
UNKNOWN_TAG_MODES = ("strict", "render", "transparent")
DEEP = 5000
T = TypeVar("T")
CALLS_PER_BYTE = 250
"""Bound on the work a deep document may cost, counted as Python function calls per byte of
input (page and partials): the worst today is about 70 (5,000 nested links); a walk that went
quadratic in the depth would need tens of millions of calls. Work, not seconds, so that a busy
machine cannot fail these tests."""

# A JSON-shaped config (the oracle's --config format) exercising types, matches, required
# attributes, self-closing and inline tags, slots, variables and (non-recursive) partials.
CONFIG: dict[str, Any] = {
    "tags": {
        "callout": {
            "render": "div",
            "children": ["paragraph", "list", "tag"],
            "attributes": {
                "type": {"type": "String", "matches": ["note", "warning"], "default": "note"},
                "title": {"type": "String", "required": True},
                "n": {"type": "Number"},
                "flag": {"type": "Boolean", "render": "data-flag"},
                "pat": {"type": "String", "matches": {"regex": "^[a-z]+$", "flags": "i"}},
            },
        },
        "leaf": {"render": "span", "selfClosing": True, "attributes": {"size": {"type": "Number", "default": 1}}},
        "inl": {"render": "em", "inline": True, "attributes": {"a": {}}},
        "card": {"render": "section", "slots": {"title": {"render": True}, "head": {"required": True}}},
    },
    "variables": {
        "x": 1,
        "s": "<b>&\"'",
        "t": True,
        "obj": {"a": [1, {"b": "c"}], "k": "v"},
        "list": [1, 2, 3],
    },
    "partials": {
        "p.md": "partial {% $x %} *em* {% inl a=1 %}i{% /inl %}\n",
        "q.md": '{% partial file="p.md" /%}\n\n{% callout title="t" %}\nq {% $obj.k %}\n{% /callout %}\n',
    },
}

TAG_NAMES = ["if", "else", "callout", "leaf", "inl", "card", "slot", "partial", "table", "foo", "Foo-bar", "x1"]
ATTRIBUTES = [
    'title="t"', 'type="note"', 'type="bogus"', "n=2", "n=\"two\"", "flag=true", 'pat="ABC"', "size=3",
    "x=$x", "a=$obj.a[1].b", 'file="p.md"', 'file="q.md"', 'file="missing.md"', "file=$s",
    "variables={x: 2}", "#id", ".cls", ".a.b", '"primary"', "$t", "true", "false", "null", "-1.5", "1e3",
    'equals($x, 1)', 'and(true, $t)', 'not()', 'nope(1)', 'default($missing, "d")', '[1, "a", [2]]',
    '{a: 1, "b": [2]}', "$undefined.path", "x=", "=", "a=1 a=2", 'title="unterminated',
]
FRAGMENTS = [
    "{%", "%}", "{% /", "/%}", "{% end %}", "{% else /%}", "{% /if %}", "{% if $x %}", "{% if $t %}",
    "{% if equals($x, 1) %}", "{% $x %}", "{% $s %}", "{% $obj.a[0] %}", '{% partial file="q.md" /%}',
    '{% slot "title" %}', '{% slot "head" %}', "{% /slot %}", "{% table %}", "{% /table %}",
    "$x", "$", '"', "'", "\\", "\n", "\n\n", "- ", "* ", "1. ", "> ", "|", "| a | b |\n|---|---|\n",
    "---", "\n---\n", "```", "```js {% x=1 %}\n", "~~~", "    ", "\t", "# ", "## ", "<!--", "-->",
    "<!-- c -->", "[", "]", "(", ")", "](/u)", "![", "*", "**", "_", "`", "&amp;", "&#0;", "<div>",
    "</div>", "<%", "%>", "{", "}", "{{", "}}", "[[", "]]", "=", " ", "  \n", "\r\n", "\u00a0", "é", "😀",
]


def _tag(name: str, attributes: list[str], form: int) -> str:
    body = " ".join([name, *attributes]).strip()
    return [f"{{% {body} %}}", f"{{% {body} /%}}", f"{{% /{name} %}}", f"{{%{body}%}}"][form]


tags = st.builds(
    _tag,
    st.sampled_from(TAG_NAMES),
    st.lists(st.sampled_from(ATTRIBUTES), max_size=3),
    st.integers(0, 3),
)
markdoc_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), tags, st.text(max_size=3)), max_size=40
).map("".join)
any_text = st.one_of(st.text(max_size=200), markdoc_text)


@st.composite
def options(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "allow_comments": draw(st.booleans()),
        "allow_indentation": draw(st.booleans()),
        "slots": draw(st.booleans()),
        "angle": draw(st.booleans()),
        "unknown_tags": draw(st.sampled_from(UNKNOWN_TAG_MODES)),
    }


def _render(source: str, opts: dict[str, Any], *, config: dict[str, Any] | None = CONFIG, **extra: Any) -> dict:
    delimiters = "angle" if opts["angle"] else "curly"
    if opts["angle"]:  # the same grammar, written with the other delimiters
        source = source.replace("{%", "<%").replace("%}", "%>")
        config = _angle_config(config)
    tokenizer = api.default_tokenizer(opts["allow_comments"], opts["allow_indentation"], delimiters)
    return render_document(
        source,
        config=config,
        slots=opts["slots"],
        unknown_tags=opts["unknown_tags"],
        tokenizer=tokenizer,
        **extra,
    )


def _angle_config(config: dict[str, Any] | None) -> dict[str, Any] | None:
    if not config or not config.get("partials"):
        return config
    out = dict(config)
    out["partials"] = {k: v.replace("{%", "<%").replace("%}", "%>") for k, v in config["partials"].items()}
    return out


def _check_record(record: dict[str, Any], source: str) -> None:
    assert set(record) >= {"file", "errors", "html"}
    assert "exception" not in record, record.get("exception")
    assert isinstance(record["html"], str)
    assert record["html"].startswith("<article") and record["html"].endswith("</article>")
    assert isinstance(record["errors"], list)
    max_line = source.count("\n") + source.count("\r") + 1
    for error in record["errors"]:
        assert error["id"] in ERROR_IDS, error
        assert error["level"] in LEVELS, error
        assert isinstance(error["message"], str), error
        assert isinstance(error["lines"], list), error
        assert all(type(n) is int and 0 <= n <= max_line for n in error["lines"]), (error, max_line)


FAST = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOME = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------------------------
# (a) + (b) robustness and record shape
# --------------------------------------------------------------------------------------------

@FAST
@given(source=any_text, opts=options())
def test_any_text_renders_to_a_well_formed_record(source: str, opts: dict[str, Any]) -> None:
    _check_record(_render(source, opts), source)


@SOME
@given(source=markdoc_text, opts=options())
def test_markdoc_text_without_config(source: str, opts: dict[str, Any]) -> None:
    _check_record(_render(source, opts, config=None), source)


@SOME
@given(source=markdoc_text, opts=options())
def test_markdoc_text_without_validation(source: str, opts: dict[str, Any]) -> None:
    record = _render(source, opts, validate=False)
    assert record["errors"] == []
    _check_record(record, source)


# Found by these properties: a tag splitting link text once made ``parse`` raise (the reference
# throws a TypeError there); see docs/guide/differences.md.
@pytest.mark.parametrize("source", ["[{% t %}](/u)\n", "[a{% t %}b]()\n"])
def test_tag_in_link_text_does_not_raise(source: str) -> None:
    for unknown_tags in UNKNOWN_TAG_MODES:
        record = render_document(source, config={"variables": {"x": 1}}, unknown_tags=unknown_tags)
        assert isinstance(record["errors"], list)


# Found by these properties: a closing tag inside link text once made ``parse`` raise
# (the reference throws a TypeError there); see docs/guide/differences.md.
@pytest.mark.parametrize("source", ["[{% /if %}](/u)\n", "[[{% /t %}](/u)\n", "[a [{% /t %}](/u)\n"])
def test_closing_tag_in_link_text_does_not_raise(source: str) -> None:
    for unknown_tags in UNKNOWN_TAG_MODES:
        record = render_document(source, unknown_tags=unknown_tags)
        assert isinstance(record["errors"], list)


# --------------------------------------------------------------------------------------------
# (c) deep nesting
# --------------------------------------------------------------------------------------------

SELF_PARTIAL = {"self.md": '{% partial file="self.md" /%}\n', "inline-self.md": 'a {% partial file="inline-self.md" /%} b\n'}
CHAIN = {f"c{i}.md": f'{{% partial file="c{i + 1}.md" /%}}\n' for i in range(DEEP)}
CHAIN[f"c{DEEP}.md"] = "end {% $x %}\n"

DEEP_DOCUMENTS = {
    "blockquotes": ("> " * DEEP + "x\n", None),
    "blockquote-lines": ("".join(">" * i + " x\n" for i in range(0, DEEP, 50)), None),
    "list-items": ("- " * DEEP + "x\n", None),
    "ordered-list-items": ("1. " * DEEP + "x\n", None),
    "block-tags": ("{% t %}\n" * DEEP + "x\n" + "{% /t %}\n" * DEEP, None),
    "block-tags-unclosed": ("{% t %}\n" * DEEP, None),
    "closing-tags-only": ("{% /t %}\n" * DEEP, None),
    "inline-tags": ("x " + "{% b %}" * DEEP + "y" + "{% /b %}" * DEEP + "\n", None),
    "brackets-in-tag": ("{% t a=" + "[" * DEEP + "]" * DEEP + " /%}\n", None),
    "unclosed-brackets-in-tag": ("{% t a=" + "[" * DEEP + " /%}\n", None),
    "braces-in-tag": ("{% t a=" + "{k: " * DEEP + "1" + "}" * DEEP + " /%}\n", None),
    "calls-in-tag": ("{% t a=" + "f(" * DEEP + ")" * DEEP + " /%}\n", None),
    "variable-path": ("{% $x" + ".a" * DEEP + " %}\n", None),
    "nested-if": ("{% if $x %}\n" * DEEP + "x\n" + "{% /if %}\n" * DEEP, None),
    "nested-if-else": ("{% if $x %}\na\n{% else /%}\n" * DEEP + "x\n" + "{% /if %}\n" * DEEP, None),
    "inline-if": ("t " + "{% if $x %}" * DEEP + "y" + "{% /if %}" * DEEP + "\n", None),
    "links": ("[" * DEEP + "x" + "](u)" * DEEP + "\n", None),
    "table-rows": ("{% table %}\n" + "* a\n---\n" * DEEP + "{% /table %}\n", None),
    "fences": ("```\n" * DEEP, None),
    "self-including-partial": ('{% partial file="self.md" /%}\n', SELF_PARTIAL),
    "inline-self-including-partial": ('{% partial file="inline-self.md" /%}\n', SELF_PARTIAL),
    "partial-chain": ('{% partial file="c0.md" /%}\n', CHAIN),
}


def python_calls(run: Callable[[], T]) -> tuple[T, int]:
    """``run()``'s result and the number of Python function calls it made (its work)."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(count)
    try:
        result = run()
    finally:
        sys.setprofile(None)
    return result, calls


def assert_linear_work(calls: int, *texts: str) -> None:
    size = sum(len(text) for text in texts)
    assert calls <= CALLS_PER_BYTE * size + 20_000, f"{calls} calls for {size} bytes"


@pytest.mark.parametrize("name", sorted(DEEP_DOCUMENTS))
@pytest.mark.parametrize("unknown_tags", ["strict", "render"])
def test_deep_nesting(name: str, unknown_tags: str) -> None:
    source, partials = DEEP_DOCUMENTS[name]
    config = {"variables": {"x": 1}, "partials": partials or {}}
    record, calls = python_calls(lambda: render_document(source, config=config, unknown_tags=unknown_tags))
    assert_linear_work(calls, source, *(partials or {}).values())
    _check_record(record, source)


def test_deep_emphasis_reports_instead_of_raising() -> None:
    """2,500 nested ``<em>``: the reference overflows its stack in transform, the port records it."""
    source = "*" * DEEP + "x" + "*" * DEEP + "\n"
    record, calls = python_calls(lambda: render_document(source))
    assert_linear_work(calls, source)
    assert isinstance(record["errors"], list)
    assert isinstance(record["html"], str) or record.get("exception", "").startswith("RecursionError")


# --------------------------------------------------------------------------------------------
# (d) invariants
# --------------------------------------------------------------------------------------------

@SOME
@given(source=markdoc_text, other=markdoc_text, opts=options())
def test_rendering_is_deterministic(source: str, other: str, opts: dict[str, Any]) -> None:
    """Same input, same record -- also after another document went through the same tokenizer."""
    first = _render(source, opts)
    _render(other, opts)
    assert _render(source, opts) == first


def _tokenizer(opts: dict[str, Any]):
    return api.default_tokenizer(opts["allow_comments"], opts["allow_indentation"], "curly")


def _working_config(opts: dict[str, Any]) -> dict[str, Any]:
    tokenizer = _tokenizer(opts)
    return load_config(CONFIG, lambda text, name: parse(text, name, slots=opts["slots"], tokenizer=tokenizer))


@SOME
@given(source=markdoc_text, opts=options())
def test_parse_is_pure_and_validate_transform_do_not_mutate(source: str, opts: dict[str, Any]) -> None:
    tokenizer = _tokenizer(opts)
    ast = parse(source, "test.md", slots=opts["slots"], tokenizer=tokenizer)
    before = ast.to_json()
    json.dumps(before)  # the AST's JSON form is plain JSON
    assert parse(source, "test.md", slots=opts["slots"], tokenizer=tokenizer).to_json() == before
    config = _working_config(opts)
    partials_before = {k: v.to_json() for k, v in config["partials"].items()}
    variables_before = copy.deepcopy(config["variables"])
    errors = validate(ast, config)
    assert ast.to_json() == before, "validate mutated the AST"
    assert validate(ast, config) == errors, "validating twice gave other errors"
    transform(ast, config)
    assert ast.to_json() == before, "transform mutated the AST"
    assert {k: v.to_json() for k, v in config["partials"].items()} == partials_before, "partials mutated"
    assert config["variables"] == variables_before, "variables mutated"


@SOME
@given(source=markdoc_text, opts=options())
def test_validation_does_not_change_html(source: str, opts: dict[str, Any]) -> None:
    assert _render(source, opts, validate=False)["html"] == _render(source, opts)["html"]


@SOME
@given(
    source=st.text(st.characters(blacklist_categories=("Cs",)), max_size=120).filter(
        lambda s: "{%" not in s and "<%" not in s
    ),
    opts=options(),
)
def test_text_without_tag_syntax_has_no_errors(source: str, opts: dict[str, Any]) -> None:
    assert _render(source, opts)["errors"] == []


@SOME
@given(value=st.text(max_size=60))
def test_variable_output_is_escaped(value: str) -> None:
    record = render_document("{% $v %}\n", config={"variables": {"v": value}})
    assert record["errors"] == []
    assert record["html"] == f"<article><p>{escape_html(value)}</p></article>"
