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
* ``format_checked`` (what ``om-markdoc fmt`` writes) never changes the rendering and is stable.

Speed: one shared tokenizer; each page is parsed twice (source, formatted) and rendered twice,
with no partials (the before/after comparison needs none).
"""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest

from om_markdoc.core import api
from om_markdoc.core.format_safe import format_checked, rendered
from om_markdoc.core.formatter import format_ast
from om_markdoc.core.tokenizer import Tokenizer

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("om_markdoc_format_regenerate", HERE / "regenerate.py")
regenerate = importlib.util.module_from_spec(_spec)
assert _spec.loader is not None
_spec.loader.exec_module(regenerate)

CORPUS = regenerate.DEFAULT_CORPUS
MIN_PAGES = 3200
SHOW = 8


class Corpus:
    """Every page formatted twice and rendered before and after, once per test module."""

    def __init__(self, content: Path) -> None:
        started = time.process_time()
        tokenizer = self.tokenizer = Tokenizer()
        self.pages = regenerate.list_corpus(content)
        self.sources: dict[str, str] = {}
        self.once: dict[str, str] = {}
        self.twice: dict[str, str] = {}
        self.same_html: dict[str, bool] = {}
        for page in self.pages:
            source = self.sources[page] = regenerate.read_source(content / page)
            ast = api.parse(source, tokenizer=tokenizer)
            once = self.once[page] = format_ast(ast)
            again = api.parse(once, tokenizer=tokenizer)
            self.twice[page] = format_ast(again)
            self.same_html[page] = rendered(ast) == rendered(again)
        self.seconds = time.process_time() - started  # CPU time: CI shares its two cores


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


def test_fmt_command_never_changes_rendering(corpus: Corpus, fixture: dict[str, Any]) -> None:
    """What the CLI writes: pages the reference would damage are kept as they are; all others get
    the reference's output, which is then stable (a second ``format_checked`` changes nothing)."""
    damaged = [p for p, d in fixture["pages"].items() if d["render_changes"]]
    sample = sorted(set(damaged) | set(corpus.pages[::50]))
    assert len(damaged) > 20 and len(sample) > 80
    wrong = []
    for page in sample:
        outcome = format_checked(corpus.sources[page], tokenizer=corpus.tokenizer)
        expected = corpus.sources[page] if page in damaged else corpus.once[page]
        if outcome.text != expected or outcome.changes_rendering != (page in damaged):
            wrong.append(f"{page}: unexpected outcome")
        elif format_checked(outcome.text, tokenizer=corpus.tokenizer).text != outcome.text:
            wrong.append(f"{page}: not stable")
    assert not wrong, _listing(wrong)


def test_corpus_is_fast(corpus: Corpus) -> None:
    assert corpus.seconds < 45, f"formatting the corpus took {corpus.seconds:.1f}s of CPU"
