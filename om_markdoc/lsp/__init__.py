"""``om-markdoc lsp``: a language server for OpenMetadata-style docs trees.

The server is a front door like ``check``: it loads the ``Project`` of each workspace folder
once and answers editor questions from the same machinery the checker uses, so the editor
and CI never disagree.  Modules:

* ``workspace``: the project, an in-memory index of every page (front matter) and a cache of
  rendered records by content hash;
* ``diagnostics``: one page's ``check`` findings, from the unsaved buffer;
* ``completion``, ``hover``, ``navigation``, ``actions``: the editor features;
* ``text``: positions (LSP counts UTF-16 code units) and the constructs around the cursor;
* ``server``: pygls wiring, debouncing, and never letting bad input stop the server.
"""

from __future__ import annotations

__all__ = ["main"]


def main() -> int:
    """Run the server on standard input and output (what editors start)."""
    from .server import build_server

    build_server().start_io()
    return 0
