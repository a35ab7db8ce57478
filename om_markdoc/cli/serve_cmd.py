"""``om-markdoc serve``: live preview for authors, partial-aware."""

from __future__ import annotations

import argparse
import logging
import sys

from ..build.plan import plan_build
from ..build.serve import serve_tree
from ..site.project import ProjectError

HELP = "Serve a live preview of one version (the latest by default) or of all versions."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", nargs="?", default=".", help="a folder with mkdocs.yml, a mkdocs.yml, or an OpenMetadata tree")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--version", help="the version to serve (default: the latest)")
    group.add_argument("--all", action="store_true", help="serve every version in one site")
    parser.add_argument("--dev-addr", default=None, help="IP:PORT to serve on (default: mkdocs.yml's, or 127.0.0.1:8000)")
    parser.add_argument("--edition-flag", default=None, help="front-matter flag of commercial-edition pages")
    parser.add_argument("--include-edition", action="store_true", help="also serve commercial-edition pages")
    parser.add_argument("--open", action="store_true", help="open the site in a browser")


def show_log() -> None:
    """Print MkDocs' and the plugin's log lines (INFO and up) as ``mkdocs serve`` does: the
    problem summaries, the watched paths, each rebuild."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def run(args: argparse.Namespace) -> int:
    try:
        plan = plan_build(args.path, edition_flag=args.edition_flag, include_edition=args.include_edition)
        version = None if args.all else (args.version or plan.latest or plan.versions[0].name)
        if version:
            plan.version(version)
    except ProjectError as exc:
        print(f"om-markdoc serve: {exc}", file=sys.stderr)
        return 2
    show_log()
    serve_tree(plan, version=version, dev_addr=args.dev_addr, open_browser=args.open)
    return 0
