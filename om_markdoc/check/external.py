"""External links (``--external`` only): every distinct http(s) URL once, concurrently.

* ``HEAD`` first; servers that refuse or mishandle it (any 4xx/5xx other than 429) get a ``GET``
  (only the headers and a few bytes are read);
* redirects are followed (urllib's handler); a final 2xx/3xx is fine;
* at most ``per_host`` requests run against one host at a time, and a ``429``/``503`` with
  ``Retry-After`` (seconds or an HTTP date) is waited out (capped) and retried;
* results are cached in ``external.json`` under the cache folder: successes for ``ttl``
  seconds, failures for at most an hour, so CI does not hammer the same sites on every push.
"""

from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..atomic import write_atomic

CACHE_FILE = "external.json"
USER_AGENT = "om-markdoc-check/1 (+https://github.com/; link checker)"
FAILURE_TTL = 3600.0


@dataclass
class LinkStatus:
    ok: bool
    status: int | None
    message: str
    checked_at: float = 0.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


class _NoHeadRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects keep the method (urllib turns them into GETs; a HEAD should stay a HEAD)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


class ExternalChecker:
    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        ttl: float = 24 * 3600.0,
        timeout: float = 10.0,
        per_host: int = 2,
        workers: int = 16,
        retries: int = 2,
        max_wait: float = 30.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cache_file = cache_dir / CACHE_FILE if cache_dir is not None else None
        self.ttl = ttl
        self.timeout = timeout
        self.per_host = max(1, int(per_host))
        self.workers = max(1, int(workers))
        self.retries = retries
        self.max_wait = max_wait
        self.clock = clock
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self._opener = urllib.request.build_opener(_NoHeadRedirect())
        self.requests = 0

    # -- cache -------------------------------------------------------------------------------

    def _load(self) -> dict[str, LinkStatus]:
        if self.cache_file is None:
            return {}
        try:
            data = json.loads(self.cache_file.read_text(encoding="utf-8"))
            return {
                url: LinkStatus(bool(v["ok"]), v.get("status"), str(v.get("message", "")), float(v["at"]))
                for url, v in data.items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    def _save(self, entries: dict[str, LinkStatus]) -> None:
        if self.cache_file is None:
            return
        try:
            data = {url: {"ok": s.ok, "status": s.status, "message": s.message, "at": s.checked_at} for url, s in entries.items()}
            write_atomic(self.cache_file, json.dumps(data, sort_keys=True))
        except OSError:
            pass

    def _fresh(self, status: LinkStatus, now: float) -> bool:
        ttl = self.ttl if status.ok else min(self.ttl, FAILURE_TTL)
        return now - status.checked_at < ttl

    # -- checking ----------------------------------------------------------------------------

    def check(self, urls: list[str], progress: Callable[[int, int, str], None] | None = None) -> dict[str, LinkStatus]:
        """Status of each URL (fragments ignored; one request per distinct URL)."""
        now = self.clock()
        cached = self._load()
        by_request: dict[str, list[str]] = {}
        for url in urls:
            by_request.setdefault(_without_fragment(url), []).append(url)
        results: dict[str, LinkStatus] = {}
        todo = []
        for target in sorted(by_request):
            entry = cached.get(target)
            if entry is not None and self._fresh(entry, now):
                results[target] = entry
            else:
                todo.append(target)
        done = 0
        if todo:
            with ThreadPoolExecutor(max_workers=min(self.workers, len(todo))) as pool:
                for target, status in zip(todo, pool.map(self._check_one, todo), strict=True):
                    results[target] = status
                    done += 1
                    if progress is not None:
                        progress(done, len(todo), "external links")
        keep = {url: s for url, s in cached.items() if self._fresh(s, now)}
        keep.update(results)
        self._save(keep)
        return {url: results[_without_fragment(url)] for url in urls}

    def _host(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self.per_host)
            return self._hosts[host]

    def _check_one(self, url: str) -> LinkStatus:
        with self._host(url):
            attempt = 0
            while True:
                status, retry_after, error = self._request(url, "HEAD")
                if status is None or (status >= 400 and status != 429):
                    get_status, get_retry, get_error = self._request(url, "GET")
                    if get_status is not None or status is None:
                        status, retry_after, error = get_status, get_retry, get_error
                if status in (429, 503) and attempt < self.retries:
                    wait = parse_retry_after(retry_after)
                    wait = min(self.max_wait, wait if wait is not None else 2.0 ** attempt)
                    attempt += 1
                    time.sleep(wait)
                    continue
                break
        now = self.clock()
        if status is None:
            return LinkStatus(False, None, error or "no response", now)
        if status < 400:
            return LinkStatus(True, status, "ok", now)
        message = f"HTTP {status}" + (" (still rate limited after retries)" if status == 429 else "")
        return LinkStatus(False, status, message, now)

    def _request(self, url: str, method: str) -> tuple[int | None, str | None, str | None]:
        """``(status, Retry-After, error)``."""
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        with self._lock:
            self.requests += 1
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                if method == "GET":
                    response.read(1024)
                return response.status, response.headers.get("Retry-After"), None
        except urllib.error.HTTPError as exc:
            retry = exc.headers.get("Retry-After") if exc.headers else None
            exc.close()
            return exc.code, retry, None
        except TimeoutError:
            return None, None, f"timed out after {self.timeout:g} s"
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (socket.timeout, TimeoutError)):
                return None, None, f"timed out after {self.timeout:g} s"
            return None, None, f"cannot connect: {reason}"
        except (OSError, ValueError) as exc:
            return None, None, f"request failed: {exc}"


def _without_fragment(url: str) -> str:
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
