"""Bad frames on standard input cost only themselves (issue #18): a real server process, raw bytes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .rawclient import RawServer, frame, request


@pytest.fixture
def server(tree: Path) -> Iterator[RawServer]:
    running = RawServer(tree)
    try:
        running.start(tree)
        yield running
    finally:
        running.kill()


def symbols_request(number: int, tree: Path) -> dict:
    uri = (tree / "content" / "v1.0.x" / "setup.md").resolve().as_uri()
    return request(number, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})


def dropped(server: RawServer) -> list[str]:
    return [line for line in server.stderr.decode("utf-8", "replace").splitlines() if "dropped a frame" in line]


@pytest.mark.parametrize("length", [b"abc", b"-5", b"99999999999999", b"12 34"])
def test_a_bad_content_length_drops_one_frame(server: RawServer, tree: Path, length: bytes) -> None:
    body = json.dumps(symbols_request(1, tree)).encode()
    server.send(b"Content-Length: " + length + b"\r\n\r\n" + body)
    answer = server.ask("textDocument/documentSymbol", symbols_request(0, tree)["params"])
    assert [s["name"] for s in answer["result"]] == ["Setup"]
    assert server.stop() == 0
    assert not any(m.get("id") == 1 for m in server.seen)  # the bad frame was not answered
    [line] = dropped(server)
    assert "Content-Length" in line
    assert server.tracebacks() == []


def test_cut_and_lying_frames_then_valid_ones(server: RawServer, tree: Path) -> None:
    """A header cut short, a body shorter than its length, a body that is not JSON and a frame
    glued to the next: each is dropped with one line, and every valid frame is answered."""
    valid = frame(symbols_request(7, tree))
    short = json.dumps(symbols_request(2, tree)).encode()
    server.send(b"Content-Len" + valid)
    server.send(b"Content-Length: %d\r\n\r\n" % (len(short) + 500) + short + frame(symbols_request(8, tree)))
    server.send(b"Content-Length: 9\r\n\r\n{not json" + frame(symbols_request(9, tree)))
    for number in (7, 8, 9):
        assert [s["name"] for s in server.answer(number)["result"]] == ["Setup"]
    assert server.stop() == 0
    assert len(dropped(server)) == 3
    assert server.tracebacks() == []
