"""``om-markdoc export --to markdown`` on a version of the real docs corpus.

For every exported page: no Markdoc tag text outside code, the prose of every partial it
includes, at least 95% of the words of the page's HTML article, and, read back by
markdown-it-py (commonmark + tables), no raw HTML and no ``{%`` the site's own page does not show.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from om_markdoc.export.markdown_tree import page_file
from om_markdoc.site.partials import PartialStore, find_partial_refs
from om_markdoc.site.project import Project
from om_markdoc.site.textfile import read_text_file

from .helpers import html_text, outside_code, raw_html, reader, words

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "openmetadata-docs"
"""The corpus beside the repository (``tests/conftest.py`` deselects these tests without it)."""

VERSION = "v1.5.x"
COVERAGE = 0.95


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus-export") / "out"
    run = subprocess.run(
        [sys.executable, "-m", "om_markdoc", "export", "--to", "markdown", str(CORPUS), str(out), "--version", VERSION],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr  # 1: the corpus's real broken links, each reported
    assert "Traceback" not in run.stderr
    return out


def tag_marks(html: str) -> int:
    """``{%`` in rendered HTML outside code."""
    return re.sub(r"<code\b.*?</code>|<pre\b.*?</pre>", "", html, flags=re.DOTALL).count("{%")


_TAG = re.compile(r"\{%.*?%\}", re.DOTALL)


def _mark_tag(match: re.Match[str]) -> str:
    """A tag replaced by marks, one per line it spans: ``\x01`` opens a conditional, ``\x02`` closes one."""
    text = match.group(0)
    mark = "\x01" if re.match(r"\{%-?\s*if\b", text) else "\x02" if re.match(r"\{%-?\s*/if\b", text) else "\x00"
    return "\n".join(mark for _ in text.split("\n"))


def partial_prose(source: str) -> list[str]:
    """Lines of a partial that are plain prose on every page including it: outside fences,
    tags and conditionals, without variables or Markdown markup."""
    out, fenced, depth = [], False, 0
    for line in _TAG.sub(_mark_tag, source).splitlines():
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        inside = depth > 0
        depth = max(0, depth + line.count("\x01") - line.count("\x02"))
        if fenced or inside or re.search(r"[\x00-\x02$|<>`*_\[\]#{}]", line) or len(stripped) < 20:
            continue
        out.append(stripped)
    return out


def test_every_page_reads_as_plain_markdown(exported: Path) -> None:
    project = Project.load(CORPUS)
    source = next(s for s in project.sources() if s.name == VERSION)
    renderer = project.renderer()
    store = project.partial_store(renderer)
    assert isinstance(store, PartialStore)
    scanned = project.scan(source)
    index = project.indexes(scanned)[VERSION]
    pages = [p for p in scanned if index.lookup(p.slug) is p and not p.edition_only]  # what the export writes
    assert all((exported / page_file(p)).is_file() for p in pages)
    assert len(pages) > 900
    problems: list[str] = []
    partials_checked = 0
    for page in pages:
        markdown = (exported / page_file(page)).read_text(encoding="utf-8")
        text, _ = read_text_file(page.path, project.root)
        result = renderer.render(text, file=page.file, partials=store)
        if "{%" in outside_code(markdown):
            problems.append(f"{page.file}: tag text outside code")
        if raw_html(markdown):
            problems.append(f"{page.file}: raw HTML {raw_html(markdown)[:2]}")
        if tag_marks(reader().render(markdown)) > tag_marks(result.html):
            problems.append(f"{page.file}: {{% read back outside code")
        have = set(words(markdown))
        for ref in find_partial_refs(result.ast):
            if not isinstance(ref.file, str):
                continue
            try:
                prose = partial_prose(store.source(ref.file))
            except KeyError:
                continue
            partials_checked += 1
            missing = [line for line in prose if not set(words(line)) <= have]
            if missing:
                problems.append(f"{page.file}: partial {ref.file} text missing: {missing[0]!r}")
        article = Counter(words(html_text(result.html)))
        total = sum(article.values())
        found = sum(n for word, n in article.items() if word in have)
        if total and found / total < COVERAGE:
            lost = sorted((w for w in article if w not in have), key=lambda w: -article[w])[:8]
            problems.append(f"{page.file}: {found / total:.1%} of the article's words (missing {lost})")
    assert partials_checked > 500
    assert not problems, "\n".join(problems[:40])
