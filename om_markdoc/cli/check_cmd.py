"""``om-markdoc check``: report broken links, anchors, images, partials, Markdoc errors, slugs and
menus of a docs tree, without building the site. Exit 0: no error-level finding; 1: some; 2:
usage or configuration problem."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..check import FORMATS, CheckOptions, ProjectError, render_report, run_check
from ..check.model import parse_rule_list
from ..check.runner import terminal_progress

HELP = "Check a docs tree (mkdocs.yml repository or OpenMetadata layout) for broken links, anchors, images, partials and tag errors."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="a folder with mkdocs.yml, a mkdocs.yml, or an OpenMetadata tree")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    parser.add_argument("--only", action="append", metavar="RULES", help="report only these rules (comma-separated; globs allowed)")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="do not report these rules (comma-separated; globs allowed)")
    parser.add_argument("--changed-since", metavar="REF", default=None, help="report only findings in files changed since this git ref")
    parser.add_argument("--external", action="store_true", help="also check external http(s) links (network)")
    examples = parser.add_mutually_exclusive_group()
    examples.add_argument("--examples", dest="examples", action="store_true", default=None, help="validate fenced config examples, parsing unbound ones even where the configuration says parse_unbound: false (default: on, schemas where configured)")
    examples.add_argument("--no-examples", dest="examples", action="store_false", help="do not validate fenced config examples")
    parser.add_argument("--config", metavar="FILE", default=None, help="a mkdocs.yml or om-markdoc.yml holding the check: settings")
    parser.add_argument("--cache-dir", metavar="DIR", default=None, help="where results are cached (default: <tree>/.om-markdoc-cache)")
    parser.add_argument("--no-cache", action="store_true", help="render every page again and do not write the cache")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for rendering (default: the number of cores)")
    parser.add_argument("--output", "-o", metavar="FILE", default=None, help="write the report to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    options = CheckOptions(
        only=parse_rule_list(getattr(args, "only", None)),
        ignore=parse_rule_list(getattr(args, "ignore", None)),
        changed_since=getattr(args, "changed_since", None),
        external=bool(getattr(args, "external", False)),
        config_file=getattr(args, "config", None),
        cache_dir=getattr(args, "cache_dir", None),
        use_cache=not getattr(args, "no_cache", False),
        jobs=getattr(args, "jobs", None),
        progress=terminal_progress(),
        examples=getattr(args, "examples", None),
    )
    try:
        report = run_check(args.path, options)
    except ProjectError as exc:
        print(f"om-markdoc check: {exc}", file=sys.stderr)
        return 2
    fmt = getattr(args, "format", "text") or "text"
    prefix = ""
    if fmt in ("github", "sarif"):
        try:
            prefix = Path(report.root).relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            prefix = os.path.relpath(report.root) if not os.path.isabs(str(args.path)) else ""
        prefix = "" if prefix == "." else prefix
    text = render_report(report, fmt, prefix)
    output = getattr(args, "output", None)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        if fmt != "text":
            print(render_report(report, "text").splitlines()[-1], file=sys.stderr)
    else:
        sys.stdout.write(text)
    return report.exit_code
