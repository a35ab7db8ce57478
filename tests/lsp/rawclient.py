"""A client that speaks raw bytes to a real ``om-markdoc lsp`` process.

Why not pytest-lsp here: the framing tests and the fuzz must write frames no well-behaved
client would (bad lengths, cut headers, glued frames), and read back exactly what the server
wrote on standard output and standard error.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any

from .conftest import SERVER

WAIT = 60.0
"""Seconds to wait for an answer before failing: a guard against a hung server, not a timing."""


def frame(message: dict[str, Any]) -> bytes:
    body = json.dumps(message).encode("utf-8")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def request(number: int, method: str, params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": number, "method": method, "params": params}


def notification(method: str, params: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "method": method, "params": params}


def initialize_params(root: Path, encodings: list[str] | None = None) -> dict[str, Any]:
    general = {"positionEncodings": encodings} if encodings is not None else {}
    return {
        "processId": None,
        "rootUri": root.as_uri(),
        "capabilities": {"general": general},
        "workspaceFolders": [{"uri": root.as_uri(), "name": "docs"}],
        "initializationOptions": {"debounce": 0},
    }


class RawServer:
    """``om-markdoc lsp`` in a subprocess; messages it writes are collected by a thread."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=cwd, env=dict(os.environ))  # fmt: skip
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.stderr = b""
        self.stdout_junk = b""
        """Bytes on standard output that were not part of a well-formed frame."""
        self._threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        self.next_id = 1000

    def _read_stdout(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = out.read(1)
                if not byte:
                    self.stdout_junk += header
                    self.messages.put(None)
                    return
                header += byte
            length = next(
                int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length:")
            )
            self.messages.put(json.loads(out.read(length)))

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self.stderr = self.process.stderr.read()

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def ask(self, method: str, params: Any) -> dict[str, Any]:
        """Send a request and wait for its answer (notifications met on the way are kept)."""
        self.next_id += 1
        self.send(frame(request(self.next_id, method, params)))
        return self.answer(self.next_id)

    def answer(self, number: int) -> dict[str, Any]:
        while True:
            message = self.messages.get(timeout=WAIT)
            if message is None:
                raise EOFError(f"the server closed its output before answering request {number}")
            self.seen.append(message)
            if message.get("id") == number and "method" not in message:
                return message

    def notify(self, method: str, params: Any) -> None:
        self.send(frame(notification(method, params)))

    def start(self, root: Path, encodings: list[str] | None = None) -> dict[str, Any]:
        result = self.ask("initialize", initialize_params(root, encodings))
        self.notify("initialized", {})
        return result

    def stop(self) -> int:
        """Shut the server down politely; its exit status."""
        try:
            self.ask("shutdown", None)
            self.notify("exit", None)
            assert self.process.stdin is not None
            self.process.stdin.close()
        except (BrokenPipeError, EOFError, queue.Empty):
            pass
        try:
            return self.process.wait(timeout=WAIT)
        finally:
            for thread in self._threads:
                thread.join(timeout=WAIT)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def tracebacks(self) -> list[str]:
        """Every place the server wrote a traceback: its standard error, or a log message."""
        found = ["stderr"] if b"Traceback" in self.stderr else []
        found += [str(m["params"].get("message", ""))[:200] for m in self.seen
                  if m.get("method") == "window/logMessage" and "Traceback" in str(m["params"].get("message", ""))]  # fmt: skip
        return found
