"""A framing fuzz of ``om-markdoc lsp``: random valid and invalid frames, written in random
pieces to a real server process (``test_fuzz_framing.py`` runs a bounded session, and
``benchmarks/fuzz_lsp.py`` long ones).

The oracle: after any mix of bad frames the server still answers every intact request it was
sent (each has its own id), and a final one; it writes no traceback, to standard error or in a
log message; it exits cleanly on ``shutdown``/``exit``.  Why every intact request and not only
the last: the reader finds its way back after each bad frame (see ``om_markdoc.lsp.framing``),
so one lost valid frame is a bug, not bad luck.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .rawclient import RawServer, frame, request


@dataclass
class Session:
    """What one server session was sent and what went wrong (``failures`` empty when none)."""

    seed: int
    items: int = 0
    kinds: dict[str, int] = field(default_factory=dict)
    answered: int = 0
    dropped_lines: int = 0
    failures: list[str] = field(default_factory=list)


class Frames:
    """Random frames around a page of the test tree; ``intact`` requests expect an answer."""

    def __init__(self, rng: random.Random, uri: str) -> None:
        self.rng = rng
        self.uri = uri
        self.next_id = 10**6  # clear of the ids RawServer gives its own requests
        self.expected: list[int] = []

    def request_body(self) -> dict:
        method = self.rng.choice(["textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/hover"])
        params: dict = {"textDocument": {"uri": self.uri}}
        if method == "textDocument/hover":
            params["position"] = {"line": self.rng.randrange(12), "character": self.rng.randrange(40)}
        self.next_id += 1
        return request(self.next_id, method, params)

    def intact(self) -> bytes:
        message = self.request_body()
        self.expected.append(message["id"])
        return frame(message)

    def spoiled(self) -> bytes:
        """A request frame that is not answered (its id is never expected)."""
        return frame(self.request_body())

    def choose(self) -> tuple[str, bytes]:
        kind, make = self.rng.choice(list(self.makers().items()))
        return kind, make()

    def makers(self) -> dict[str, Callable[[], bytes]]:
        rng = self.rng

        def body() -> bytes:
            return self.spoiled().split(b"\r\n\r\n", 1)[1]

        return {
            "intact": self.intact,
            "notification": lambda: frame(
                {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": rng.randrange(10**6)}}
            ),
            "bad-length": lambda: (
                b"Content-Length: "
                + rng.choice([b"abc", b"-5", b"", b"12 34", b"1e3", b"0x10", b"+7", b"\xff"])
                + b"\r\n\r\n"
                + body()
            ),
            "huge-length": lambda: (
                b"Content-Length: %d\r\n\r\n" % rng.choice([10**9, 10**15, 2**64, 64 * 1024 * 1024 + 1]) + body()
            ),
            "long-lie": lambda: (lambda b: b"Content-Length: %d\r\n\r\n" % (len(b) + rng.randrange(1, 5000)) + b)(body()),
            "short-lie": lambda: (lambda b: b"Content-Length: %d\r\n\r\n" % rng.randrange(0, len(b)) + b)(body()),
            "cut-header": lambda: self.spoiled()[: rng.randrange(1, 24)],
            "cut-body": lambda: (lambda f: f[: rng.randrange(len(f) - len(body()) // 2, len(f))])(self.spoiled()),
            "no-blank-line": lambda: (lambda b: b"Content-Length: %d\r\n" % len(b) + b)(body()),
            "lf-only": lambda: (lambda b: b"Content-Length: %d\n\n" % len(b) + b)(body()),
            "not-json": lambda: (lambda b: b"Content-Length: %d\r\n\r\n" % len(b) + b)(
                bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80)))
            ),
            "not-rpc": lambda: (lambda b: b"Content-Length: %d\r\n\r\n" % len(b) + b)(
                rng.choice([b"[1, 2]", b'"x"', b'{"a": 1}', b"null", b"{}"])
            ),
            "bad-params": lambda: frame(
                {"jsonrpc": "2.0", "id": f"bad{rng.randrange(10**6)}", "method": "textDocument/hover", "params": {"bad": 1}}
            ),
            "extra-headers": lambda: (
                lambda b: (
                    b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nX: y\r\nContent-Length: %d\r\n\r\n" % len(b) + b
                )
            )(body()),
            "garbage": lambda: bytes(rng.choice(b'\r\n:{}"Content-Length0123456789 ') for _ in range(rng.randrange(1, 200))),
            "flipped": lambda: (lambda f: bytes(c ^ (1 << rng.randrange(8)) if rng.random() < 0.05 else c for c in f))(
                self.spoiled()
            ),
            "long-header": lambda: b"X-Padding: " + b"a" * rng.randrange(4000, 9000) + b"\r\n" + self.spoiled(),
        }


def pieces(rng: random.Random, data: bytes) -> list[bytes]:
    """``data`` cut at random places, so frames and headers arrive split over several reads."""
    cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randrange(0, 6)))) if len(data) > 1 else []
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def run_session(tree: Path, seed: int, items: int) -> Session:
    """One server process fed ``items`` random frames, then a final request (see the module docstring)."""
    rng = random.Random(seed)
    session = Session(seed)
    uri = (tree / "content" / "v1.0.x" / "index.md").resolve().as_uri()
    frames = Frames(rng, uri)
    server = RawServer(tree)
    try:
        server.start(tree)
        for _ in range(items):
            kind, data = frames.choose()
            session.items += 1
            session.kinds[kind] = session.kinds.get(kind, 0) + 1
            for piece in pieces(rng, data):
                server.send(piece)
        final = frames.intact()
        server.send(final)
        for number in frames.expected:
            try:
                answer = server.answer(number)
            except Exception as exc:  # noqa: BLE001 - any way of not answering is the failure
                session.failures.append(f"seed {seed}: request {number} not answered ({type(exc).__name__})")
                break
            session.answered += 1
            if "error" in answer:
                session.failures.append(
                    f"seed {seed}: request {number} answered with an error: {json.dumps(answer['error'])[:200]}"
                )
        status = server.stop()
        if status != 0:
            session.failures.append(f"seed {seed}: exit status {status}")
    finally:
        server.kill()
    text = server.stderr.decode("utf-8", "replace")
    session.dropped_lines = sum("dropped a frame" in line for line in text.splitlines())
    session.failures += [f"seed {seed}: traceback in {where}" for where in server.tracebacks()]
    if server.stdout_junk:
        session.failures.append(f"seed {seed}: the server wrote {len(server.stdout_junk)} bytes outside a frame")
    return session
