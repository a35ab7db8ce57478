"""``om-markdoc build``: every version of a docs tree into one deployable folder."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build.builder import MATERIAL_FEATURES, build_site, print_progress
from ..build.defaults import config_notes
from ..build.plan import plan_build
from ..build.site import STATE_DIR
from ..diagnostics import Diagnostic
from ..mkdocs_plugin.summary import BuildDiagnostics, format_summary, left_to_check
from ..site.project import ProjectError

HELP = "Build every version of a docs tree (mkdocs.yml repository or OpenMetadata layout) into site/<version>/."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="a folder with mkdocs.yml, a mkdocs.yml, or an OpenMetadata tree")
    parser.add_argument("--site-dir", default=None, help="output folder (default: ./site)")
    parser.add_argument("--version", action="append", dest="versions", metavar="V", help="build only this version (repeatable)")
    parser.add_argument("--unreleased", action="append", default=[], metavar="V", help="mark a version as unreleased (banner)")
    parser.add_argument("--edition-flag", default=None, help="front-matter flag of commercial-edition pages (default: collate)")
    parser.add_argument("--include-edition", action="store_true", help="also build pages flagged for the commercial edition")
    parser.add_argument("--jobs", type=int, default=None, help="parallel version builds (default: the number of cores)")
    parser.add_argument("--no-cache", action="store_true", help="rebuild everything")
    parser.add_argument("--progress", action="store_true", help="report progress even in CI")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a version has error-level problems")
    parser.add_argument("--problems", type=int, default=3, metavar="N", help="places shown per rule in the summary (default: 3)")


def site_problems(site_dir: Path, versions: list[str]) -> tuple[list[Diagnostic], int]:
    """Every problem of the versions' last builds, unchanged versions included: each build saves
    its problems by page (``mkdocs_plugin.summary``) beside its page cache; and how many links
    to anchors in other versions the builds left to ``om-markdoc check``."""
    saved = [BuildDiagnostics.load(site_dir / STATE_DIR / version / "cache") for version in versions]
    return [d for found in saved for d in found.all()], sum(found.unjudged for found in saved)


def run(args: argparse.Namespace) -> int:
    try:
        plan = plan_build(
            args.path, edition_flag=args.edition_flag, include_edition=args.include_edition, unreleased=set(args.unreleased)
        )
        site_dir = Path(args.site_dir) if args.site_dir else Path.cwd() / "site"
        for note in config_notes(plan, MATERIAL_FEATURES):
            print(f"om-markdoc build: {note}", file=sys.stderr)
        quiet = os.environ.get("CI") and not args.progress
        report = build_site(
            plan, site_dir, versions=args.versions, jobs=args.jobs, use_cache=not args.no_cache,
            progress=None if quiet else print_progress,
        )
    except ProjectError as exc:
        print(f"om-markdoc build: {exc}", file=sys.stderr)
        return 2
    built = [r for r in report.results if not r.skipped]
    pages = sum(r.pages for r in built)
    if plan.versions:
        unchanged = len(report.results) - len(built)
        what = f"{len(report.results)} version(s), {len(built)} built ({pages} pages), {unchanged} unchanged"
    else:
        what = f"one unversioned site, {f'built ({pages} pages)' if built else 'unchanged'}"
    print(f"om-markdoc build: {what} -> {site_dir}", file=sys.stderr)
    for failed in (r for r in report.results if r.error):
        print(f"om-markdoc build: {failed.version} failed: {failed.error}", file=sys.stderr)
    problems, unjudged = site_problems(site_dir, [r.version for r in report.results if r.error is None])
    if problems:
        print(format_summary(problems, first=max(0, args.problems)), file=sys.stderr)
    if unjudged:
        print(f"om-markdoc build: {left_to_check(unjudged)}", file=sys.stderr)
    errors = sum(1 for d in set(problems) if d.severity == "error")
    if args.strict and errors:
        print(f"om-markdoc build: --strict: {errors} error(s)", file=sys.stderr)
        return 1
    return 0 if report.ok else 1
