"""The ``om-markdoc`` command line: a thin adapter over the library.

Subcommands live in their own modules; each registers its arguments and a ``run`` function.
Exit codes: 0 success, 1 findings/errors in the content, 2 usage or configuration problems.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from . import build_cmd, check_cmd, export_cmd, fmt_cmd, lsp_cmd, render_cmd, serve_cmd

COMMANDS = {
    "render": render_cmd,
    "build": build_cmd,
    "serve": serve_cmd,
    "check": check_cmd,
    "fmt": fmt_cmd,
    "lsp": lsp_cmd,
    "export": export_cmd,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="om-markdoc", description="Markdoc for Python and OpenMetadata-style docs sites.")
    parser.add_argument("--version", action="version", version=f"om-markdoc {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        module.register(sub.add_parser(name, help=module.HELP, description=module.HELP))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = COMMANDS[args.command].run(args)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
