"""``om-markdoc lsp``: the language server for editors (diagnostics as ``check`` reports them,
completion, hover, navigation and quick fixes), speaking LSP on standard input and output.
Editors start it; see ``docs/guide/editors.md``."""

from __future__ import annotations

import argparse

HELP = "Run the language server (LSP over stdio) for editors: check findings as you type, completion, hover, go to definition."


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stdio", action="store_true", help="talk over standard input/output (the default and only transport)")


def run(args: argparse.Namespace) -> int:
    from ..lsp import main  # pygls is imported only when the server runs

    return main()
