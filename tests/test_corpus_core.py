"""The whole OpenMetadata docs corpus through the core pipeline, and against the reference oracle.

The corpus lives OUTSIDE the repository, at ``../shared/corpus/openmetadata-docs`` relative to the
repository root (CI has it at the same place).  Its text is never committed: the differential check
compares sha256 digests of the port's output with ``fixtures/corpus_oracle_digests.json``, which
``fixtures/regenerate_corpus_digests.py`` writes from ``@markdoc/markdoc`` 0.5.10 run as
``render.mjs --partials-dir content/partials`` (unknown tags rendered as elements of their own
name).  If the corpus is missing every test here FAILS (it is not skipped).

Speed: the partials are parsed ONCE, with one shared tokenizer, and ``declare_unknown_tags`` walks
them once per run (it memoises the partials' tags).  A sample of pages is also rendered through
``render_document`` itself to prove that this path changes nothing.
"""
from __future__ import annotations

import importlib.util
import time
from pathlib import Path
from typing import Any

import pytest

from om_markdoc import Node, Tokenizer
from om_markdoc.core import api
from om_markdoc.core.document import declare_unknown_tags, error_record, render_document
from om_markdoc.core.renderers.html import render_html

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs"

_spec = importlib.util.spec_from_file_location(
    "om_markdoc_corpus_digests", HERE / "fixtures" / "regenerate_corpus_digests.py"
)
assert _spec is not None and _spec.loader is not None
digests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(digests)

MIN_PAGES = 3000  # the three versions hold ~3,070 pages
SHOW = 8  # differing paths listed in a failure message
LEVELS = {"debug", "info", "warning", "error", "critical"}


def _content_dir() -> Path:
    content = digests.content_dir(CORPUS)
    if not content.is_dir() or not (content / digests.PARTIALS).is_dir():
        pytest.fail(
            f"the docs corpus is missing: expected {content} (with {digests.PARTIALS}/ and "
            f"{', '.join(digests.VERSIONS)}), i.e. ../shared/corpus/openmetadata-docs beside the "
            "repository root.  The corpus tests need it and are not skipped without it.",
            pytrace=False,
        )
    return content


class Corpus:
    """Every page rendered once; shared by the tests of this module."""

    def __init__(self, content: Path) -> None:
        self.content = content
        self.tokenizer = Tokenizer()
        started = time.perf_counter()
        partials_root = content / digests.PARTIALS
        self.partials: dict[str, Node] = {}
        for path in sorted(partials_root.rglob("*")):
            if path.is_file() and path.suffix.lower() in digests.EXTENSIONS:
                name = path.relative_to(partials_root).as_posix()
                self.partials[name] = api.parse(digests.read_source(path), name, tokenizer=self.tokenizer)
        self.config: dict[str, Any] = {"partials": self.partials}
        self.pages = digests.list_pages(content)
        self.sources: dict[str, str] = {}
        self.records: dict[str, dict[str, Any]] = {}
        self.failures: dict[str, str] = {}
        for page in self.pages:
            source = self.sources[page] = digests.read_source(content / page)
            try:
                self.records[page] = self.render(page, source)
            except Exception as exc:  # noqa: BLE001 - reported by test_every_page_renders
                self.failures[page] = f"{type(exc).__name__}: {exc}"
        self.seconds = time.perf_counter() - started

    def render(self, page: str, source: str) -> dict[str, Any]:
        """parse -> validate -> transform -> render, as ``render_document(unknown_tags="render")``."""
        ast = api.parse(source, page, tokenizer=self.tokenizer)
        config = declare_unknown_tags(self.config, [ast], "render", partials=self.partials)
        errors = [error_record(e) for e in api.validate(ast, config)]
        html = render_html(api.transform(ast, config))
        return {"file": page, "errors": errors, "html": html}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus(_content_dir())


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    return digests.load_fixture()


def _listing(items: list[str], total: int) -> str:
    more = f"\n  ... and {total - len(items)} more" if total > len(items) else ""
    return "\n  " + "\n  ".join(items) + more


def test_corpus_is_complete(corpus: Corpus, fixture: dict[str, Any]) -> None:
    assert len(corpus.pages) >= MIN_PAGES, f"only {len(corpus.pages)} pages found under {corpus.content}"
    assert len(corpus.partials) > 0, "no partials loaded"
    assert fixture["versions"] == list(digests.VERSIONS)
    on_disk, in_fixture = set(corpus.pages), set(fixture["pages"])
    new, gone = sorted(on_disk - in_fixture), sorted(in_fixture - on_disk)
    assert not new and not gone, (
        "the corpus and fixtures/corpus_oracle_digests.json disagree (regenerate the fixture):"
        f"\n new pages: {new[:SHOW]}\n pages gone: {gone[:SHOW]}"
    )


def test_every_page_renders(corpus: Corpus) -> None:
    failures = sorted(corpus.failures.items())
    assert not failures, f"{len(failures)} page(s) raised:" + _listing(
        [f"{page}: {message}" for page, message in failures[:SHOW]], len(failures)
    )
    bad = []
    for page, record in corpus.records.items():
        if not isinstance(record["html"], str) or not record["html"].startswith("<article>"):
            bad.append(f"{page}: html is {type(record['html']).__name__}")
        for error in record["errors"]:
            if error["level"] not in LEVELS or not isinstance(error["id"], str) or not all(
                isinstance(n, int) for n in error["lines"]
            ):
                bad.append(f"{page}: malformed error {error}")
    assert not bad, f"{len(bad)} malformed record(s):" + _listing(bad[:SHOW], len(bad))


def test_digests_match_oracle(corpus: Corpus, fixture: dict[str, Any]) -> None:
    expected = fixture["pages"]
    differing = []
    for page in corpus.pages:
        if page not in expected or page not in corpus.records:
            continue  # reported by the two tests above
        got = digests.page_digest(corpus.records[page])
        parts = [part for part in ("html", "errors") if got[part] != expected[page][part]]
        if parts:
            differing.append(f"{page} ({' and '.join(parts)} differ)")
    compared = len(set(corpus.records) & set(expected))
    assert compared >= MIN_PAGES, f"only {compared} pages compared"
    assert not differing, (
        f"{len(differing)} of {compared} pages differ from the oracle (run `node render.mjs --partials-dir "
        "partials <page>` in the corpus's content/ folder to see the reference output):"
        + _listing(differing[:SHOW], len(differing))
    )


def _sample(corpus: Corpus) -> list[str]:
    """Every 40th page, plus pages that include partials or have errors (a few of each)."""
    pages = corpus.pages[::40]
    with_partial = [p for p in corpus.pages if "{% partial" in corpus.sources[p]][:15]
    with_errors = [p for p, r in corpus.records.items() if r["errors"]][:15]
    return sorted(set(pages + with_partial + with_errors))


def test_shortcut_equals_render_document(corpus: Corpus) -> None:
    """The module's one-walk-of-the-partials shortcut gives ``render_document``'s exact records."""
    sample = _sample(corpus)
    assert len(sample) > 80
    differing = []
    for page in sample:
        if page not in corpus.records:
            continue
        record = render_document(
            corpus.sources[page],
            file=page,
            config=corpus.config,
            unknown_tags="render",
            tokenizer=corpus.tokenizer,
        )
        mine = corpus.records[page]
        if record.get("html") != mine["html"] or record["errors"] != mine["errors"]:
            differing.append(page)
    assert not differing, "render_document disagrees with the shortcut:" + _listing(differing[:SHOW], len(differing))


def test_render_document_with_partials_dir(corpus: Corpus) -> None:
    """``partials_dir`` keys partials like the oracle's --partials-dir (relative POSIX path)."""
    pages = [p for p in corpus.pages if "{% partial" in corpus.sources[p]][:3]
    assert pages, "no page of the corpus includes a partial"
    for page in pages:
        record = render_document(
            corpus.sources[page],
            file=page,
            unknown_tags="render",
            tokenizer=corpus.tokenizer,
            partials_dir=str(corpus.content / digests.PARTIALS),
        )
        assert record["html"] == corpus.records[page]["html"], page
        assert record["errors"] == corpus.records[page]["errors"], page
