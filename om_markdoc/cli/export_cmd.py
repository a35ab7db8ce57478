"""``om-markdoc export --to markdown TREE OUT``: one version of a docs tree as plain Markdown files."""

from __future__ import annotations

import argparse
import sys

from ..export.markdown_tree import export_markdown
from ..site.project import ProjectError

HELP = "Export one version of a docs tree as plain CommonMark files (one per page, images copied, a README listing)."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", required=True, choices=["markdown"], help="the output format")
    parser.add_argument("tree", help="a folder with mkdocs.yml, a mkdocs.yml, or an OpenMetadata tree")
    parser.add_argument("out", help="the folder to write (outside the docs folder)")
    parser.add_argument("--version", default=None, metavar="V", help="the version to export (default: the latest)")
    parser.add_argument("--base-url", default=None, metavar="URL", help="the published site's URL, for links into other versions")


def run(args: argparse.Namespace) -> int:
    """Export, print what could not be followed (``file:line:column``), and exit 1 if anything was."""
    try:
        report = export_markdown(args.tree, args.out, version=args.version, base_url=args.base_url)
    except ProjectError as exc:
        print(f"om-markdoc export: {exc}", file=sys.stderr)
        return 2
    for diagnostic in sorted(set(report.diagnostics), key=lambda d: d.sort_key()):
        print(diagnostic.format(include_chain=True), file=sys.stderr)
    print(
        f"om-markdoc export: {len(report.pages)} page(s), {len(report.images)} image(s) of "
        f"{report.version or 'the tree'} -> {report.out}",
        file=sys.stderr,
    )
    return 1 if report.diagnostics else 0
