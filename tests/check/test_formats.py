"""The five output formats of ``om-markdoc check`` on a hand-made report."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from om_markdoc.check import CheckReport, render_report
from om_markdoc.check.formats import FORMATS
from om_markdoc.diagnostics import Diagnostic

FINDINGS = [
    Diagnostic("link-broken", "error", "link to '/x': no page, 50% gone", "content/v1.5.x/a.md", 12, 5),
    Diagnostic(
        "image-missing", "error", "image '/images/y.png' not found", "content/partials/v1.5/p.md", 3, 1, (("content/v1.5.x/a.md", 20),)
    ),
    Diagnostic("page-not-in-menu", "info", "no menu entry points to this page (/b)", "content/v1.5.x/b.md", 3, 1),
    Diagnostic("tag-toggle-close", "warning", "multi\nline: message, with commas", "content/v1.5.x/b.md", 9, 1),
]


@pytest.fixture()
def report() -> CheckReport:
    return CheckReport(root="/tree", findings=list(FINDINGS), pages=2, partials=1, versions=["v1.5.x"], seconds=0.5)


def test_json_shape(report: CheckReport) -> None:
    data = json.loads(render_report(report, "json"))
    assert set(data) == {"findings", "summary"}
    first = data["findings"][1]
    assert first == {
        "rule": "image-missing", "severity": "error", "file": "content/partials/v1.5/p.md", "line": 3, "column": 1,
        "message": "image '/images/y.png' not found", "chain": [{"file": "content/v1.5.x/a.md", "line": 20}],
    }  # fmt: skip
    assert data["summary"]["errors"] == 2 and data["summary"]["warnings"] == 1 and data["summary"]["infos"] == 1
    assert data["summary"]["by_rule"]["link-broken"] == 1


def test_github_annotations(report: CheckReport) -> None:
    lines = render_report(report, "github", "docs").splitlines()
    assert lines[0] == "::error file=docs/content/v1.5.x/a.md,line=12,col=5,title=link-broken::link to '/x': no page, 50%25 gone"
    assert lines[1].startswith("::error file=docs/content/partials/v1.5/p.md,line=3,col=1,title=image-missing::")
    assert "included via content/v1.5.x/a.md:20" in lines[1]
    assert lines[2].startswith("::notice file=docs/content/v1.5.x/b.md,line=3,")
    assert lines[3] == "::warning file=docs/content/v1.5.x/b.md,line=9,col=1,title=tag-toggle-close::multi%0Aline: message, with commas"
    assert len(lines) == 5  # + the summary line


def test_sarif(report: CheckReport) -> None:
    sarif = json.loads(render_report(report, "sarif"))
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert {"link-broken", "image-missing", "page-not-in-menu", "tag-toggle-close", "anchor-broken"} <= set(rules)
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "error", "note", "warning"]
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "content/v1.5.x/a.md"
    assert location["region"] == {"startLine": 12, "startColumn": 5}
    assert results[1]["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 20


def test_junit(report: CheckReport) -> None:
    root = ET.fromstring(render_report(report, "junit"))
    assert root.tag == "testsuites" and root.get("failures") == "2"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"content/v1.5.x/a.md", "content/partials/v1.5/p.md", "content/v1.5.x/b.md"}
    b = suites["content/v1.5.x/b.md"]
    assert b.get("tests") == "2" and b.get("failures") == "0"
    assert all(case.find("failure") is None for case in b.findall("testcase"))
    [case] = suites["content/v1.5.x/a.md"].findall("testcase")
    failure = case.find("failure")
    assert failure is not None and failure.get("type") == "link-broken"


def test_junit_and_text_when_clean() -> None:
    clean = CheckReport(root="/tree", findings=[], pages=3)
    root = ET.fromstring(render_report(clean, "junit"))
    assert root.get("failures") == "0" and len(root.findall("testsuite/testcase")) == 1
    assert "0 error(s)" in render_report(clean, "text")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(report: CheckReport, fmt: str) -> None:
    assert render_report(report, fmt).endswith("\n")
