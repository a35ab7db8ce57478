"""``om-markdoc lsp``: a language server for OpenMetadata-style docs trees.

The server is a front door like ``check``: it loads the ``Project`` of each workspace folder
once and answers editor questions from the same machinery the checker uses, so the editor
and CI never disagree.  Modules:

* ``workspace``: the project, an in-memory index of every page (front matter) and a cache of
  rendered records by content hash;
* ``diagnostics``: one page's ``check`` findings, from the unsaved buffer;
* ``completion``, ``hover``, ``navigation``, ``actions``: the editor features;
* ``text``: positions (in the encoding the client negotiated) and the constructs around the cursor;
* ``framing``: frames off standard input, a bad one dropped rather than the connection lost;
* ``server``: pygls wiring, debouncing, and never letting bad input stop the server.
"""

from __future__ import annotations

import logging
import sys
from typing import BinaryIO, cast

__all__ = ["main"]


class OneLine(logging.Formatter):
    """Each log record as one line: the editor's log is read by people, and a traceback
    there says less than the exception's type and message (the handlers catch them all)."""

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage().split("\n", 1)[0]
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''})"
        return f"{record.levelname.lower()}: {text}"


def log_to_stderr() -> None:
    """Warnings and errors, of om-markdoc and of pygls, one line each on standard error
    (what editors keep as the server's log)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLine())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


def main() -> int:
    """Run the server on standard input and output (what editors start)."""
    from .framing import FrameReader
    from .server import build_server

    log_to_stderr()
    # pygls only calls readline() and read(n), which is all a FrameReader offers
    build_server().start_io(stdin=cast(BinaryIO, FrameReader(sys.stdin.buffer)))
    return 0
