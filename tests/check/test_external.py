"""External link checks against a local HTTP server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import ClassVar

import pytest

from om_markdoc.check import CheckOptions, external, run_check
from om_markdoc.check.external import ExternalChecker, parse_retry_after


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    lock: ClassVar[threading.Lock] = threading.Lock()

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _count(self) -> int:
        with self.lock:
            key = f"{self.command} {self.path}"
            self.hits[key] = self.hits.get(key, 0) + 1
            return self.hits[key]

    def _reply(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"ok") -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            with contextlib.suppress(OSError):  # the client gave up (timeout test)
                self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.route()

    def do_GET(self) -> None:
        self.route()

    def route(self) -> None:
        count = self._count()
        path = self.path.split("?", 1)[0]
        if path == "/ok":
            self._reply(200)
        elif path == "/missing":
            self._reply(404)
        elif path == "/no-head":
            self._reply(405 if self.command == "HEAD" else 200)
        elif path == "/limited":
            self._reply(429, {"Retry-After": "1"}) if count == 1 else self._reply(200)
        elif path == "/redirect":
            self._reply(302, {"Location": "/ok"})
        elif path == "/slow":
            time.sleep(1.5)
            self._reply(200)
        else:
            self._reply(500)

    def handle(self) -> None:
        with contextlib.suppress(OSError):
            super().handle()


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_statuses(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        time.sleep(seconds)

    # the checker's own waits, recorded (the test server's sleeps go through the real module)
    monkeypatch.setattr(external, "time", SimpleNamespace(time=time.time, sleep=recorded_sleep))
    checker = ExternalChecker(cache_dir=tmp_path, timeout=0.5, per_host=4)
    urls = [f"{server}/{p}" for p in ("ok", "missing", "no-head", "limited", "redirect", "slow")] + [f"{server}/ok#frag"]
    result = checker.check(urls)
    assert result[f"{server}/ok"].ok and result[f"{server}/ok#frag"].ok
    assert not result[f"{server}/missing"].ok and result[f"{server}/missing"].status == 404
    assert result[f"{server}/no-head"].ok  # HEAD refused, GET fine
    assert result[f"{server}/limited"].ok  # 429 + Retry-After: 1, then 200
    assert Handler.hits.get("HEAD /limited", 0) + Handler.hits.get("GET /limited", 0) >= 2
    assert result[f"{server}/redirect"].ok
    slow = result[f"{server}/slow"]
    assert not slow.ok and "timed out" in slow.message
    assert waits == [1.0]  # the 429's Retry-After: 1 was waited out once, then retried
    # the cache answers the second time without any request
    again = ExternalChecker(cache_dir=tmp_path, timeout=0.5)
    assert again.check([f"{server}/ok", f"{server}/missing"])[f"{server}/missing"].status == 404
    assert again.requests == 0


def test_per_host_limit(server: str) -> None:
    checker = ExternalChecker(timeout=5, per_host=1, workers=8)
    Handler.hits.clear()
    started = time.monotonic()
    checker.check([f"{server}/slow?{i}" for i in range(3)])
    # one at a time against one host: three slow responses in a row
    assert time.monotonic() - started >= 4.0


def test_retry_after_parsing() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 - 10) == pytest.approx(10.0)
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_external_findings_through_run_check(server: str, tmp_path: Path) -> None:
    root = tmp_path / "t"
    page = root / "content" / "v1.0.x" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"---\ntitle: H\nslug: /\n---\n# H\n\n[a]({server}/ok) [b]({server}/missing)\n", encoding="utf-8")
    offline = run_check(root, CheckOptions(cache_dir=str(tmp_path / "c")))
    assert offline.findings == [] and offline.external_checked == 0
    online = run_check(root, CheckOptions(cache_dir=str(tmp_path / "c"), external=True, external_timeout=2))
    assert [(f.rule, f.line) for f in online.findings] == [("external-link-broken", 7)]
    assert "404" in online.findings[0].message and online.external_checked == 2
