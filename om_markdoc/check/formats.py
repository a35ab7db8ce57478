"""Output formats of ``om-markdoc check``: text, json, github, sarif, junit.

File names are relative to the tree root; ``prefix`` (the tree root relative to the current
directory, e.g. ``docs-site/``) is put in front of them for the formats that CI systems map onto
the repository checkout (``github`` annotations and ``sarif``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.sax.saxutils import escape, quoteattr

from .. import __version__
from ..diagnostics import Diagnostic
from ..rules import RULES
from .model import CheckReport

FORMATS = ("text", "json", "github", "sarif", "junit")


def _join(prefix: str, file: str) -> str:
    if not prefix or prefix in (".", "./"):
        return file
    return prefix.rstrip("/") + "/" + file


def format_text(report: CheckReport, prefix: str = "") -> str:
    lines = [f.format() + (f"\n    included via {f.format_chain()}" if f.chain else "") for f in report.findings]
    s = report.summary()
    lines.append(
        f"om-markdoc check: {s['errors']} error(s), {s['warnings']} warning(s), {s['infos']} info(s) "
        f"in {report.pages} page(s) and {report.partials} partial(s) of {len(report.versions) or 1} version(s) "
        f"({report.rendered} rendered, {report.cached} from cache) in {report.seconds:.2f} s"
    )
    return "\n".join(lines) + "\n"


def format_json(report: CheckReport, prefix: str = "") -> str:
    return json.dumps({"findings": [f.to_dict() for f in report.findings], "summary": report.summary()}, indent=2) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def format_github(report: CheckReport, prefix: str = "") -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    out = []
    for f in report.findings:
        message = f.message + (f" (included via {f.format_chain()})" if f.chain else "")
        props = f"file={_gh_property(_join(prefix, f.file))},line={f.line},col={f.column},title={_gh_property(f.rule)}"
        out.append(f"::{GITHUB_LEVEL.get(f.severity, 'warning')} {props}::{_gh_data(message)}")
    s = report.summary()
    out.append(f"om-markdoc check: {s['errors']} error(s), {s['warnings']} warning(s), {s['infos']} info(s)")
    return "\n".join(out) + "\n"


SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_sarif(report: CheckReport, prefix: str = "") -> str:
    used = sorted({f.rule for f in report.findings})
    rule_ids = sorted(set(RULES) | set(used))
    index = {rule: i for i, rule in enumerate(rule_ids)}
    rules = []
    for rule in rule_ids:
        known = RULES.get(rule)
        entry = {"id": rule, "name": rule, "shortDescription": {"text": known.summary if known else rule}}
        if known is not None and known.severity:
            entry["defaultConfiguration"] = {"level": SARIF_LEVEL[known.severity]}
        rules.append(entry)

    def location(file: str, line: int, column: int | None = None) -> dict:
        region = {"startLine": max(1, line)}
        if column:
            region["startColumn"] = max(1, column)
        where = {"artifactLocation": {"uri": _join(prefix, file), "uriBaseId": "%SRCROOT%"}, "region": region}
        return {"physicalLocation": where}

    results = []
    for f in report.findings:
        result = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": SARIF_LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [location(f.file, f.line, f.column)],
        }
        if f.chain:
            related = []
            for i, (file, line) in enumerate(f.chain):
                place = location(file, line)
                place["id"] = i
                place["message"] = {"text": "included from here"}
                related.append(place)
            result["relatedLocations"] = related
        results.append(result)
    sarif = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "om-markdoc",
                        "version": __version__,
                        "informationUri": "https://github.com/open-metadata/OpenMetadata",
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    return json.dumps(sarif, indent=2) + "\n"


def format_junit(report: CheckReport, prefix: str = "") -> str:
    """One ``testsuite`` per file, one ``testcase`` per finding; errors are ``failure``s."""
    by_file: dict[str, list[Diagnostic]] = {}
    for f in report.findings:
        by_file.setdefault(f.file, []).append(f)
    failures_total = sum(1 for f in report.findings if f.severity == "error")
    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    tests_total = max(1, len(report.findings))
    out.append(
        f'<testsuites name="om-markdoc check" tests="{tests_total}" failures="{failures_total}" errors="0" '
        f'time="{report.seconds:.3f}">'
    )
    if not by_file:
        out.append('  <testsuite name="om-markdoc check" tests="1" failures="0" errors="0" skipped="0">')
        out.append(f'    <testcase classname="om-markdoc" name={quoteattr(f"{report.pages} pages checked")}/>')
        out.append("  </testsuite>")
    for file in sorted(by_file):
        findings = by_file[file]
        failures = sum(1 for f in findings if f.severity == "error")
        out.append(
            f'  <testsuite name={quoteattr(file)} tests="{len(findings)}" failures="{failures}" errors="0" skipped="0">'
        )
        for f in findings:
            name = f"{f.rule} at {f.line}:{f.column}"
            out.append(
                f"    <testcase classname={quoteattr(file)} name={quoteattr(name)} file={quoteattr(file)} line=\"{f.line}\">"
            )
            detail = f.format()
            if f.severity == "error":
                out.append(f"      <failure type={quoteattr(f.rule)} message={quoteattr(f.message)}>{escape(detail)}</failure>")
            else:
                out.append(f"      <system-out>{escape(detail)}</system-out>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


FORMATTERS: dict[str, Callable[[CheckReport, str], str]] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
}


def render_report(report: CheckReport, fmt: str = "text", prefix: str = "") -> str:
    if fmt not in FORMATTERS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATTERS[fmt](report, prefix)
