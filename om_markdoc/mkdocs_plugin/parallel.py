"""Both cores inside one version's build: pages handed to forked worker processes.

MkDocs builds pages one after the other in one process.  Two of its steps are independent per
page and dominate a large build: om-markdoc's render (``on_page_markdown``) and the theme's
templates (``_build_page``).  ``ForkedWork`` forks children once the build's state is complete
(after ``on_nav`` for the render, in ``on_env`` for the templates), so each child has every
page, the navigation and the plugin's state as they are, copy-on-write, without pickling any of
it.  Each child sends one small result per item back through a pipe; a thread of this process
reads them as they come, so a child never waits for the build to ask.

The build keeps its order: MkDocs still calls the hooks page by page.  The items are shared
out as the work goes, from both ends of the list: this process takes them from the front, in
MkDocs' order, and the children from the back, each claiming the last unclaimed item under a
lock in shared memory.  Whoever is faster does more (this process also runs every page's other
hooks), and both run until they meet.  A hook asks ``take``: an item nobody claimed yet is this
process's to do; an item a child claimed is waited for.  A child that fails on an item, or
dies, costs only speed: the item is then done here, as without children.  Fork is what makes
this cheap; where it is unavailable (Windows, macOS' default) builds stay serial.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

MIN_ITEMS = 48
"""Fewer items than this are not worth a fork (a page edit in ``serve``, say)."""

_FAILED = object()
FRONT, BACK = 0, 1
"""The shared counters: items before ``FRONT`` are this process's, from ``BACK`` on the children's."""


def worker_count(jobs: int) -> int:
    """Processes a build may use (this one included): ``jobs``, or one per core for 0."""
    if jobs > 0:
        return jobs
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


class ForkedWork:
    """Items shared between this process and ``processes - 1`` forked children (see the
    module's docstring); ``take`` tells who does an item."""

    def __init__(self, items: Sequence[str], processes: int, work: Callable[[str], Any]) -> None:
        self.index = {item: position for position, item in enumerate(items)}
        self.results: dict[int, Any] = {}
        self.done: set[int] = set()
        self.pids: list[int] = []
        self.lock = threading.Condition()
        self.readers: list[threading.Thread] = []
        self.from_children = 0
        """Items whose result a child delivered."""
        self.frozen = False
        if processes < 2 or len(items) < MIN_ITEMS or not can_fork():
            return
        # Objects that exist now are left out of garbage collection until ``close``: a
        # collection walks every object it tracks and writes to each, which after a fork
        # copies every memory page of the build into the collecting process (about 0.4 s of
        # a 1,000-page build).
        gc.freeze()
        self.frozen = True
        context = multiprocessing.get_context("fork")
        self.claims = context.Lock()
        self.shared = context.RawArray("l", [0, len(items)])
        for child in range(1, processes):
            receive, send = context.Pipe(duplex=False)
            pid = os.fork()
            if pid == 0:  # the child: work, report, and leave without running the parent's exit code
                receive.close()
                status = 0
                try:
                    _serve(list(items), work, send, self.shared, self.claims)
                except BaseException:  # noqa: BLE001 - the parent redoes whatever is missing
                    status = 1
                finally:
                    os._exit(status)
            send.close()
            self.pids.append(pid)
            reader = threading.Thread(target=self._read, args=(child, receive), daemon=True)
            reader.start()
            self.readers.append(reader)

    @property
    def forked(self) -> bool:
        """Whether children were started (too few items, one process or no fork: not)."""
        return bool(self.pids)

    def take(self, item: str) -> Any | None:
        """A child's result for ``item`` (waiting for it), or None: the item is this process's
        to do (nobody had claimed it, so now this process has; or it is not one of the items),
        or the child failed on it.  Ask once per item."""
        position = self.index.get(item)
        if position is None or not self.pids:
            return None
        with self.claims:
            if position < self.shared[BACK]:
                self.shared[FRONT] = max(self.shared[FRONT], position + 1)
                return None
        with self.lock:
            while position not in self.results and len(self.done) < len(self.pids):
                self.lock.wait()
            result = self.results.pop(position, _FAILED)
        if result is _FAILED:
            return None
        self.from_children += 1
        return result

    def close(self, *, kill: bool = False) -> None:
        """Wait for the children (they stop once no item is left to claim); ``kill``: stop them
        first (the build failed, their work would be thrown away)."""
        if self.pids and not kill:
            with self.claims:  # items nobody claimed are left: the children stop after their current one
                self.shared[FRONT] = self.shared[BACK]
        for pid in self.pids:
            if kill:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
        for pid in self.pids:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        for reader in self.readers:
            reader.join()
        self.pids.clear()
        self.results.clear()
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def _read(self, child: int, receive: Connection) -> None:
        try:
            while True:
                try:
                    position, ok, value = receive.recv()
                except (EOFError, OSError):
                    break
                with self.lock:
                    self.results[position] = value if ok else _FAILED
                    self.lock.notify_all()
        finally:
            receive.close()
            with self.lock:
                self.done.add(child)
                self.lock.notify_all()


def _serve(items: list[str], work: Callable[[str], Any], send: Connection, shared: Any, claims: Any) -> None:
    """A child's loop: claim the last unclaimed item, do it, send the result; stop when the
    claims meet this process's."""
    while True:
        with claims:
            if shared[BACK] <= shared[FRONT]:
                break
            shared[BACK] -= 1
            position = shared[BACK]
        try:
            value = work(items[position])
        except Exception:  # noqa: BLE001 - reported as missing; the parent redoes the item
            send.send((position, False, None))
        else:
            send.send((position, True, value))
    send.close()


class ForkedCopy:
    """Static files (a version's images: thousands of files) copied by a forked child while
    this process renders pages.  A thread did it before, but its thousands of system calls
    each handed Python's lock back and forth with the build's own thread, slowing the build by
    more than the copy itself.

    Each file is copied as MkDocs' dirty build copies it (``copy_file(dirty=True)``: only when
    the output is missing or older), which in a clean build, whose site folder was emptied, is
    every file, as MkDocs' own clean copy would.  MkDocs' later ``copy_static_files`` finds the
    files' ``copy_file`` already done.  If the child fails, ``wait`` copies here, so the build
    meets the error as MkDocs' own copy would have.  Few files, or no fork: MkDocs copies them."""

    def __init__(self, files: Sequence[Any]) -> None:
        self.files = list(files)
        self.pid: int | None = None
        if len(self.files) < MIN_ITEMS or not can_fork():
            return
        for file in self.files:
            file.copy_file = _already_copied
        pid = os.fork()
        if pid == 0:  # the child: copy and leave without running the parent's exit code
            status = 0
            try:
                _copy(self.files)
            except BaseException:  # noqa: BLE001 - the parent copies again and meets the error
                status = 1
            finally:
                os._exit(status)
        self.pid = pid

    def wait(self, *, kill: bool = False) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            status = 1
        if status != 0 and not kill:
            _copy(self.files)


def _copy(files: list[Any]) -> None:
    for file in files:
        type(file).copy_file(file, True)


def _already_copied(dirty: bool = False) -> None:
    """``File.copy_file`` of a file ``ForkedCopy`` copies."""
