"""Every page of the OpenMetadata docs corpus through the formatter, against the reference.

The corpus lives outside the repository (``../shared/corpus/openmetadata-docs`` beside the
repository root); only digests are committed (``corpus_format_digests.json``, written by
``regenerate.py --corpus`` from ``Markdoc.format`` of @markdoc/markdoc 0.5.10).  If the corpus is
missing the tests FAIL, they are not skipped.

Per page (the three versions and ``content/partials``, ~3,300 files):

* the formatted text, and the text formatted twice, have the reference's digests;
* formatting is idempotent, except on exactly the pages where the reference is not;
* the page renders the same HTML before and after, except on exactly the pages where the
  reference's own formatting changes the reference's HTML (recorded by the oracle);
* ``format_checked(reference=True)`` (``om-markdoc fmt --reference``) writes the reference's
  output except on those pages, which it keeps; ``format_checked`` (what ``om-markdoc fmt``
  writes) formats nearly all of those too, and never changes a page's HTML or text;
* the work per page is bounded: parses, renders and formatting passes are counted.

Speed is the benchmark's business (``benchmarks/bench_fmt.py``), not a test's: each page is
parsed twice (source, formatted) and rendered twice here, with one shared tokenizer and no
partials (the before/after comparison needs none).
"""
from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.core import api, format_safe
from om_markdoc.core.format_safe import MAX_ROUNDS, format_checked, parse_page, rendered, text_words
from om_markdoc.core.formatter import format_ast
from om_markdoc.core.tokenizer import Tokenizer

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("om_markdoc_format_regenerate", HERE / "regenerate.py")
assert _spec is not None and _spec.loader is not None
regenerate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(regenerate)

CORPUS = regenerate.DEFAULT_CORPUS
MIN_PAGES = 3200
SHOW = 8


class Corpus:
    """Every page formatted twice and rendered before and after, once per test module."""

    def __init__(self, content: Path) -> None:
        tokenizer = self.tokenizer = Tokenizer()
        self.pages = regenerate.list_corpus(content)
        self.sources: dict[str, str] = {}
        self.once: dict[str, str] = {}
        self.twice: dict[str, str] = {}
        self.same_html: dict[str, bool] = {}
        self.broken: set[str] = set()  # pages holding a tag that does not parse
        for page in self.pages:
            source = self.sources[page] = regenerate.read_source(content / page)
            parsed = parse_page(source, tokenizer, keep_errors=False)
            ast = parsed.ast
            if parsed.broken:
                self.broken.add(page)
            once = self.once[page] = format_ast(ast)
            again = api.parse(once, tokenizer=tokenizer)
            self.twice[page] = format_ast(again)
            self.same_html[page] = rendered(ast) == rendered(again)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    content = CORPUS / "content"
    if not all((content / folder).is_dir() for folder in regenerate.CORPUS_FOLDERS):
        pytest.fail(f"the docs corpus is missing: expected {content} with {regenerate.CORPUS_FOLDERS}; "
                    "these tests need it and are not skipped without it", pytrace=False)
    return Corpus(content)


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    import json

    return json.loads(regenerate.CORPUS_FIXTURE.read_text(encoding="utf-8"))


def _listing(items: list[str]) -> str:
    more = f"\n  ... and {len(items) - SHOW} more" if len(items) > SHOW else ""
    return "\n  " + "\n  ".join(items[:SHOW]) + more


def test_corpus_matches_fixture(corpus: Corpus, fixture: dict[str, Any]) -> None:
    assert len(corpus.pages) >= MIN_PAGES, f"only {len(corpus.pages)} pages"
    assert fixture["folders"] == list(regenerate.CORPUS_FOLDERS)
    new, gone = sorted(set(corpus.pages) - set(fixture["pages"])), sorted(set(fixture["pages"]) - set(corpus.pages))
    assert not new and not gone, f"regenerate the fixture: new {new[:SHOW]}, gone {gone[:SHOW]}"


def test_formatted_pages_match_reference(corpus: Corpus, fixture: dict[str, Any]) -> None:
    pages = fixture["pages"]
    first = [p for p in corpus.pages if regenerate.sha256(corpus.once[p]) != pages[p]["formatted"]]
    second = [p for p in corpus.pages if regenerate.sha256(corpus.twice[p]) != pages[p]["reformatted"]]
    assert not first, f"{len(first)} page(s) format differently from Markdoc.format:" + _listing(first)
    assert not second, f"{len(second)} page(s) differ from the reference on a second pass:" + _listing(second)


def test_idempotent_except_where_reference_is_not(corpus: Corpus, fixture: dict[str, Any]) -> None:
    unstable = sorted(p for p in corpus.pages if corpus.twice[p] != corpus.once[p])
    reference = sorted(p for p, d in fixture["pages"].items() if d["formatted"] != d["reformatted"])
    assert unstable == reference, "idempotence differs from the reference's:" + _listing(
        sorted(set(unstable) ^ set(reference)))
    assert len(unstable) < len(corpus.pages) // 100, "the reference was idempotent on 99% of the corpus"


def test_rendering_kept_except_where_reference_changes_it(corpus: Corpus, fixture: dict[str, Any]) -> None:
    changed = sorted(p for p in corpus.pages if not corpus.same_html[p])
    reference = sorted(p for p, d in fixture["pages"].items() if d["render_changes"])
    assert changed == reference, "pages whose rendering formatting changes differ from the reference's:" + _listing(
        sorted(set(changed) ^ set(reference)))
    assert len(changed) < len(corpus.pages) // 20


def _damaged(fixture: dict[str, Any]) -> list[str]:
    return sorted(p for p, d in fixture["pages"].items() if d["render_changes"])


def test_reference_mode_keeps_what_the_reference_would_damage(corpus: Corpus, fixture: dict[str, Any]) -> None:
    """``fmt --reference``: pages the reference would damage are kept as they are (those whose
    HTML it changes, and those holding a tag that does not parse, which it drops: issue #18); all
    others get the reference's output, which is then stable (a second run changes nothing)."""
    damaged = set(_damaged(fixture)) | corpus.broken
    sample = sorted(damaged | set(corpus.pages[::50]))
    assert len(damaged) > 20 and len(sample) > 80 and corpus.broken
    wrong = []
    for page in sample:
        outcome = format_checked(corpus.sources[page], tokenizer=corpus.tokenizer, reference=True)
        expected = corpus.sources[page] if page in damaged else corpus.once[page]
        if outcome.text != expected or outcome.changes_rendering != (page in damaged):
            wrong.append(f"{page}: unexpected outcome")
        elif format_checked(outcome.text, tokenizer=corpus.tokenizer, reference=True).text != outcome.text:
            wrong.append(f"{page}: not stable")
    assert not wrong, _listing(wrong)


class Counted:
    """Counts the calls of a few functions of ``format_safe`` while a test runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, names: tuple[str, ...]) -> None:
        self.calls: Counter[str] = Counter()
        for name in names:
            monkeypatch.setattr(format_safe, name, self._wrap(name, getattr(format_safe, name)))

    def _wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return function(*args, **kwargs)

        return counted

    def take(self) -> Counter[str]:
        calls, self.calls = self.calls, Counter()
        return calls


def _pages_to_check(corpus: Corpus, fixture: dict[str, Any]) -> Iterator[str]:
    """Every page the reference damages, every page with a broken tag, and every 25th page."""
    yield from sorted(set(_damaged(fixture)) | corpus.broken | set(corpus.pages[::25]))


def test_fmt_formats_damaged_pages_without_changing_them(
    corpus: Corpus, fixture: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue #19: what ``om-markdoc fmt`` writes.  The faithful printer formats the pages whose
    reference output would render differently, and no written page changes its HTML or its
    text.  The work is counted, not timed: per page at most ``MAX_ROUNDS`` formatting passes,
    one parse per pass plus the source's, and two whole-page renders unless a block-by-block
    search for the damaged line follows (only on refused pages)."""
    damaged = set(_damaged(fixture))
    counted = Counted(monkeypatch, ("parse_page", "format_ast", "rendered"))
    refused, wrong = [], []
    for page in _pages_to_check(corpus, fixture):
        source = corpus.sources[page]
        counted.take()
        outcome = format_checked(source, tokenizer=corpus.tokenizer)
        calls = counted.take()
        if outcome.changes_rendering:
            refused.append(page)
        elif calls["rendered"] > 2 or calls["parse_page"] > calls["format_ast"] or calls["format_ast"] > MAX_ROUNDS:
            wrong.append(f"{page}: work not bounded: {dict(calls)}")
        before, after = parse_page(source, corpus.tokenizer), parse_page(outcome.text, corpus.tokenizer)
        if rendered(before.ast) != rendered(after.ast):
            wrong.append(f"{page}: the written text renders differently")
        elif text_words(before.ast, before.interiors) != text_words(after.ast, after.interiors):
            wrong.append(f"{page}: the written text reads differently")
        elif not outcome.converged or format_checked(outcome.text, tokenizer=corpus.tokenizer).text != outcome.text:
            wrong.append(f"{page}: not stable")
    assert not wrong, _listing(wrong)
    formatted = len(damaged) - len(damaged & set(refused))
    assert formatted >= 0.95 * len(damaged), f"only {formatted} of {len(damaged)} damaged pages formatted:" + _listing(refused)
    assert len(refused) <= len(damaged) // 20, "refused:" + _listing(refused)
