"""Reading LSP frames from standard input so that one bad frame costs only itself.

Why a reader in front of pygls: pygls' loop (``pygls.io_.run_async``) only takes a
``Content-Length`` of digits, and a frame whose header it cannot read leaves it out of step
for good (the body is glued to the next header, so every later frame is lost too); a huge
length makes it wait for bytes that never come.  ``FrameReader`` is handed to pygls' public
``start_io(stdin=...)``: it reads the raw bytes, drops each bad frame with one log line, and
gives pygls only well-formed frames (``Content-Length: N``, a blank line, a JSON-RPC object).

How it finds its way back: a header ``Content-Length: <digits>`` followed by a line break
cannot occur inside a JSON text (a JSON string holds no raw line break), so after a bad frame
the reader skips to the next ``Content-Length:`` it sees, and a body that turns out to hold
such a header was cut short by a lying length: the next frame starts there.
"""

from __future__ import annotations

import json
import logging
import re
from typing import BinaryIO

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024 * 1024
"""Longest body accepted (bytes): far above any page, small enough to hold in memory."""
MAX_HEADER = 4096
"""Longest header block accepted (bytes); real ones are one or two short lines."""
CHUNK = 65536
_START = re.compile(rb"content-length:", re.IGNORECASE)
_FIELD = re.compile(rb"([!-9;-~]+):[ \t]*(.*?)[ \t]*")
_LENGTH = re.compile(rb"[0-9]{1,20}")
_EMBEDDED = re.compile(rb"content-length:[ \t]*[0-9]+[ \t]*\r?\n", re.IGNORECASE)
_END = b"\r\n\r\n"
_OVERLAP = 64
"""Bytes kept or re-scanned across reads, so a header split between two reads is still seen."""


class FrameReader:
    """A ``stdin`` for pygls that only ever yields valid frames (see the module docstring).

    pygls calls ``readline`` for header lines and ``read(n)`` for the body, from a worker
    thread; both block until the next valid frame has arrived in full.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.buffer = bytearray()
        self.out = bytearray()
        self._eof = False
        self._skipping = False

    # -- what pygls calls ------------------------------------------------------------------------

    def readline(self) -> bytes:
        if not self.out and not self._next_into_out():
            return b""
        end = self.out.find(b"\n")
        end = len(self.out) if end == -1 else end + 1
        line = bytes(self.out[:end])
        del self.out[:end]
        return line

    def read(self, size: int = -1) -> bytes:
        if not self.out and not self._next_into_out():
            return b""
        size = len(self.out) if size < 0 else size
        data = bytes(self.out[:size])
        del self.out[:size]
        return data

    def _next_into_out(self) -> bool:
        body = self.next_body()
        if body is None:
            return False
        self.out += b"Content-Length: %d\r\n\r\n" % len(body) + body
        return True

    # -- framing ---------------------------------------------------------------------------------

    def next_body(self) -> bytes | None:
        """The body of the next valid frame; ``None`` at the end of input."""
        while True:
            if self._skipping and not self._skip():
                if not self._fill():
                    self._at_eof()
                    return None
                continue
            while self.buffer[:2] == b"\r\n":  # blank lines between frames are harmless
                del self.buffer[:2]
            end = self.buffer.find(_END, 0, MAX_HEADER + len(_END))
            if end == -1:
                if len(self.buffer) > MAX_HEADER:
                    self._drop(f"no end of header within {MAX_HEADER} bytes")
                elif not self._fill():
                    self._at_eof()
                    return None
                continue
            length, problem = parse_header(bytes(self.buffer[:end]))
            if problem is not None:
                self._drop(problem)
                continue
            start = end + len(_END)
            body = self._body(start, length)
            if body is None:
                if self._eof:
                    self._at_eof()
                    return None
                continue  # cut short by the next frame's header: that frame is next
            problem = json_problem(body)
            if problem is None:
                del self.buffer[: start + length]
                return body
            self._drop(problem)

    def _body(self, start: int, length: int) -> bytes | None:
        """The ``length`` bytes after ``start`` once they are all here; ``None`` when input
        ended first or a header arrived inside them (the length lied: the frame is dropped
        and the buffer starts at that header)."""
        scanned = start
        while len(self.buffer) < start + length:
            embedded = _EMBEDDED.search(self.buffer, max(start, scanned - _OVERLAP))
            if embedded is not None:
                self._log(f"body shorter than its Content-Length {length} (the next frame starts inside it)")
                del self.buffer[: embedded.start()]
                return None
            scanned = len(self.buffer)
            if not self._fill():
                return None
        return bytes(self.buffer[start : start + length])

    def _drop(self, problem: str) -> None:
        """Log the frame at the front and skip it: everything up to the next ``Content-Length:``."""
        self._log(problem)
        del self.buffer[:1]
        self._skipping = True

    def _skip(self) -> bool:
        """Discard bytes up to the next ``Content-Length:``; False while none has arrived (the
        last bytes are kept: they may be the start of one)."""
        found = _START.search(self.buffer)
        if found is not None:
            del self.buffer[: found.start()]
            self._skipping = False
            return True
        del self.buffer[: max(0, len(self.buffer) - _OVERLAP)]
        return False

    def _fill(self) -> bool:
        if self._eof:
            return False
        chunk = read_some(self.raw)
        if not chunk:
            self._eof = True
            return False
        self.buffer += chunk
        return True

    def _at_eof(self) -> None:
        if self.buffer.strip() and not self._skipping:
            self._log(f"input ended inside a frame ({len(self.buffer)} bytes)")
        self.buffer.clear()

    def _log(self, problem: str) -> None:
        log.warning("om-markdoc lsp: dropped a frame: %s", problem)


def read_some(raw: BinaryIO) -> bytes:
    """What has arrived (at least one byte, blocking until then); ``b""`` at the end.  A
    buffered stream's ``read1`` does not wait for a whole chunk, so a short frame is not held
    back waiting for the bytes after it."""
    read1 = getattr(raw, "read1", None)
    return read1(CHUNK) if read1 is not None else raw.read(1)


def parse_header(block: bytes) -> tuple[int, str | None]:
    """``(length, None)`` for a valid header block, else ``(0, why not)``."""
    length: int | None = None
    for line in block.split(b"\r\n"):
        field = _FIELD.fullmatch(line)
        if field is None:
            return 0, f"unreadable header line {_shown(line)!r}"
        if field.group(1).lower() != b"content-length":
            continue
        value = field.group(2)
        if length is not None or _LENGTH.fullmatch(value) is None:
            return 0, f"bad Content-Length {_shown(value)!r}"
        length = int(value)
    if length is None:
        return 0, "no Content-Length header"
    if length > MAX_BODY:
        return 0, f"Content-Length {length} is over the {MAX_BODY}-byte limit"
    return length, None


def json_problem(body: bytes) -> str | None:
    """Why ``body`` is no JSON-RPC message pygls could read (``None`` when it is one)."""
    try:
        message = json.loads(body)
    except (ValueError, RecursionError) as exc:
        return f"body is not JSON ({str(exc).splitlines()[0][:80]})"
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        return "body is JSON but no JSON-RPC 2.0 message"
    return None


def _shown(data: bytes) -> str:
    return data[:40].decode("ascii", "replace")
