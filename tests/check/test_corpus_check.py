"""``om-markdoc check`` on the real OpenMetadata docs corpus (``../shared/corpus/openmetadata-docs``).

The corpus README names the defects a good checker must report; each is looked up here at the
place the corpus files themselves show (lines found by searching the sources, not from the
checker). The complete list of v1.5.x findings is pinned in ``fixtures/corpus_v15_findings.json``
as ``(rule, file, line)`` triples (regenerate with ``tests/check/regenerate_corpus_fixture.py``).

One README item has no instance in this (rebranded) copy: ``collate: true`` written inside a
tag. ``test_rules.py`` covers that syntax error on a page of its own
(``{% note collate: true %}`` → ``parse-error``).
"""

from __future__ import annotations

import fcntl
import json
import re
import shutil
from pathlib import Path

import pytest

from om_markdoc.check import CheckOptions, CheckReport, run_check
from om_markdoc.diagnostics import Diagnostic

pytestmark = pytest.mark.corpus  # reads ../shared: deselected without it (tests/conftest.py)

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "corpus_v15_findings.json"
V15 = "content/v1.5.x"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    if not (CORPUS / "content" / "v1.5.x").is_dir():
        pytest.fail(f"the docs corpus is missing: expected it at {CORPUS} (../shared/corpus/openmetadata-docs)")
    # One cache for all xdist workers of this run: the first worker to get the lock checks cold,
    # the others then re-check warm from its cache (same findings, a fraction of a second).
    shared = tmp_path_factory.getbasetemp().parent / "om-check-corpus-cache"
    shared.mkdir(exist_ok=True)
    with open(shared / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return run_check(CORPUS, CheckOptions(cache_dir=str(shared), jobs=2))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def lines_matching(file: str, pattern: str) -> list[int]:
    text = (CORPUS / file).read_text(encoding="utf-8")
    return [n for n, line in enumerate(text.splitlines(), 1) if re.search(pattern, line)]


def at(report: CheckReport, rule: str, file: str, line: int) -> Diagnostic:
    found = [f for f in report.findings if (f.rule, f.file, f.line) == (rule, file, line)]
    assert found, f"no [{rule}] at {file}:{line}; there: " + "; ".join(
        f"{f.rule}@{f.line}" for f in report.findings if f.file == file
    )
    return found[0]


def test_all_versions_checked(report: CheckReport) -> None:
    assert report.versions == ["v1.4.x", "v1.5.x", "v1.6.x-SNAPSHOT"]
    assert report.pages > 3000 and report.partials > 150
    assert report.exit_code == 1
    assert all(not f.file.startswith(("/", "..")) for f in report.findings)


def test_broken_slug_links(report: CheckReport) -> None:
    file = f"{V15}/connectors/pipeline/airflow/mwaa.md"
    [line] = lines_matching(file, r"\]\(/deployment/ingestion/mwaa\)")
    finding = at(report, "link-broken", file, line)
    assert "/deployment/ingestion/mwaa" in finding.message
    assert finding.column == (CORPUS / file).read_text(encoding="utf-8").splitlines()[line - 1].index("/deployment/ingestion/mwaa") + 1


def test_missing_images_including_wrong_case_and_double_slash(report: CheckReport) -> None:
    file = f"{V15}/how-to-guides/data-quality-observability/incident-manager/IM-workflow.md"
    lines = lines_matching(file, r"incident-manager-\d\.png")
    assert len(lines) >= 5
    for line in lines:
        assert "letter case differs" in at(report, "image-missing", file, line).message
    file = f"{V15}/connectors/ingestion/workflows/dbt/ingest-dbt-tier.md"
    [line] = lines_matching(file, r"/images/v1\.5//")
    assert "contains '//'" in at(report, "image-missing", file, line).message
    file = f"{V15}/connectors/messaging/kafka/troubleshooting.md"
    [line] = lines_matching(file, r"kafka-config\.png")
    at(report, "image-missing", file, line)


def test_unclosed_and_mismatched_tags(report: CheckReport) -> None:
    file = f"{V15}/connectors/pipeline/fivetran/index.md"
    [line] = lines_matching(file, r"\{%\s*extraContent\b")
    assert "missing closing" in at(report, "missing-closing", file, line).message
    file = f"{V15}/connectors/dashboard/powerbi/index.md"
    for line in lines_matching(file, r"\{%\s*/note\s+noteType"):
        at(report, "tag-close-recovered", file, line)
        at(report, "missing-opening", file, line + 1)  # the real `{% /note %}` after it closes nothing


def test_toggle_style_important(report: CheckReport) -> None:
    file = f"{V15}/deployment/security/oidc/index.md"
    toggles = lines_matching(file, r"^\{%\s*important\s*%\}\s*$")
    assert len(toggles) >= 4
    for line in toggles[1::2]:
        assert "{% /important %}" in at(report, "tag-toggle-close", file, line).message


def test_invalid_tag_syntax(report: CheckReport) -> None:
    file = f"{V15}/connectors/ingestion/great-expectations.md"
    [bad] = lines_matching(file, r'^src=\{"')
    tag_line = [n for n in lines_matching(file, r"\{%\s*image\b") if n <= bad][-1]
    at(report, "parse-error", file, tag_line)
    partial = "content/partials/v1.5/connectors/python-requirements.md"
    [line] = lines_matching(partial, r"^\{% list of python")
    finding = at(report, "parse-error", partial, line)
    assert finding.chain and finding.chain[0][0].startswith("content/v1.")


def test_partial_opening_a_tag_the_page_closes(report: CheckReport) -> None:
    partial = "content/partials/v1.5/connectors/metadata-ingestion-ui.md"
    [line] = lines_matching(partial, r"^\{% stepsContainer %\}")
    finding = at(report, "missing-closing", partial, line)
    page, include_line = finding.chain[0]
    assert "metadata-ingestion-ui.md" in "".join((CORPUS / page).read_text(encoding="utf-8").splitlines()[include_line - 1 : include_line + 2])


def test_slugs_and_menus(report: CheckReport) -> None:
    rules = {f.rule for f in report.findings if f.file.startswith(V15)}
    assert {"slug-duplicate", "slug-missing", "menu-target-missing", "page-not-in-menu"} <= rules
    dup = next(f for f in report.findings if f.rule == "slug-duplicate" and f.file == f"{V15}/main-concepts/metadata-standard/schemas/index.md")
    assert "schemas.md" in dup.message


def test_full_v15_findings_match_the_fixture(report: CheckReport) -> None:
    expected = [tuple(t) for t in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    actual = sorted((f.rule, f.file, f.line) for f in report.findings if f.file.startswith((f"{V15}/", "content/partials/v1.5/")))
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert (missing, extra) == ([], []), "regenerate with tests/check/regenerate_corpus_fixture.py after reviewing"
    assert actual == sorted(expected)


def test_warm_recheck_after_one_page_changed(tmp_path: Path) -> None:
    """A copy of one version: a warm run re-renders only the edited page (the page-record
    cache; config examples, on by default, are not cached and are left out here)."""
    if not (CORPUS / "content" / "v1.5.x").is_dir():
        pytest.fail(f"the docs corpus is missing: expected it at {CORPUS}")
    root = tmp_path / "tree"
    shutil.copytree(CORPUS / "content" / "v1.5.x", root / "content" / "v1.5.x")
    shutil.copytree(CORPUS / "content" / "partials", root / "content" / "partials")
    shutil.copytree(CORPUS / "images", root / "images")
    options = CheckOptions(cache_dir=str(tmp_path / "cache"), jobs=2, examples=False)
    cold = run_check(root, options)
    page = root / "content" / "v1.5.x" / "connectors" / "pipeline" / "airflow" / "mwaa.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[new](/not-a-page)\n", encoding="utf-8")
    warm = run_check(root, options)
    assert warm.rendered == 1 and warm.cached == cold.rendered - 1
    assert len(warm.findings) == len(cold.findings) + 1
