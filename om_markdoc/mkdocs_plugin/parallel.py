"""Both cores inside one version's build: pages handed to forked worker processes.

MkDocs builds pages one after the other in one process.  Two of its steps are independent per
page and dominate a large build: om-markdoc's render (``on_page_markdown``) and the theme's
templates (``_build_page``).  ``ForkedWork`` forks children once the build's state is complete
(after ``on_nav`` for the render, in ``on_env`` for the templates), so each child has every
page, the navigation and the plugin's state as they are, copy-on-write, without pickling any of
it.  Each child works through the items it was given, in order, and sends one small result per
item back through a pipe; a thread of this process reads them as they come, so a child never
waits for the build to ask.

The build keeps its order: MkDocs still calls the hooks page by page, and a hook takes a page's
result from the child that owns it (waiting if it is not there yet) or does the work itself for
its own pages.  A child that fails on an item, or dies, costs only speed: the item is then done
here, as without children.  Fork is what makes this cheap; where it is unavailable (Windows,
macOS' default) builds stay serial.
"""

from __future__ import annotations

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
    """Items split between this process (a ``keep`` fraction of them) and ``processes - 1``
    forked children; ``take`` returns a child's result for an item."""

    def __init__(self, items: Sequence[str], processes: int, work: Callable[[str], Any], *, keep: float | None = None) -> None:
        self.owner: dict[str, int] = {}
        self.results: dict[str, Any] = {}
        self.done: set[int] = set()
        self.pids: list[int] = []
        self.lock = threading.Condition()
        self.readers: list[threading.Thread] = []
        if processes < 2 or len(items) < MIN_ITEMS or not can_fork():
            return
        # keep: the fraction of the items this process does itself, spread evenly over the list
        # (default: an equal share); the rest go round-robin to the children.
        fraction = 1 / processes if keep is None else min(max(keep, 0.0), 1.0)
        children = processes - 1
        shares: list[list[str]] = [[] for _ in range(children)]
        given = 0
        for index, item in enumerate(items):
            if int((index + 1) * fraction) > int(index * fraction):
                continue  # this process's
            shares[given % children].append(item)
            given += 1
        for child, share in enumerate(shares, start=1):
            if not share:
                continue
            receive, send = multiprocessing.Pipe(duplex=False)
            pid = os.fork()
            if pid == 0:  # the child: work, report, and leave without running the parent's exit code
                receive.close()
                status = 0
                try:
                    _serve(share, work, send)
                except BaseException:  # noqa: BLE001 - the parent redoes whatever is missing
                    status = 1
                finally:
                    os._exit(status)
            send.close()
            self.pids.append(pid)
            for item in share:
                self.owner[item] = child
            reader = threading.Thread(target=self._read, args=(child, receive), daemon=True)
            reader.start()
            self.readers.append(reader)

    def owns(self, item: str) -> bool:
        """Whether a child was given ``item`` (and may still deliver it)."""
        return item in self.owner

    def take(self, item: str) -> Any | None:
        """The child's result for ``item`` (waiting for it), or None: not a child's item, or the
        child failed on it; the caller then does the work itself."""
        child = self.owner.pop(item, None)
        if child is None:
            return None
        with self.lock:
            while item not in self.results and child not in self.done:
                self.lock.wait()
            result = self.results.pop(item, _FAILED)
        return None if result is _FAILED else result

    def close(self, *, kill: bool = False) -> None:
        """Wait for the children (each has finished or died by the time its items are taken);
        ``kill``: stop them first (the build failed, their work would be thrown away)."""
        for pid in self.pids:
            if kill:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for pid in self.pids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        for reader in self.readers:
            reader.join()
        self.pids.clear()
        self.owner.clear()
        self.results.clear()

    def _read(self, child: int, receive: Connection) -> None:
        try:
            while True:
                try:
                    item, ok, value = receive.recv()
                except (EOFError, OSError):
                    break
                with self.lock:
                    self.results[item] = value if ok else _FAILED
                    self.lock.notify_all()
        finally:
            receive.close()
            with self.lock:
                self.done.add(child)
                self.lock.notify_all()


def _serve(items: list[str], work: Callable[[str], Any], send: Connection) -> None:
    for item in items:
        try:
            value = work(item)
        except Exception:  # noqa: BLE001 - reported as missing; the parent redoes the item
            send.send((item, False, None))
        else:
            send.send((item, True, value))
    send.close()


class BackgroundCopy:
    """Static files (a version's images: thousands of files, about a second) copied by a
    thread while this process renders pages; the copying itself runs in the kernel without
    Python's lock, so it takes next to nothing from the build.

    Each file is copied as MkDocs' dirty build copies it (``copy_file(dirty=True)``: only when
    the output is missing or older), which in a clean build, whose site folder was emptied, is
    every file, as MkDocs' own clean copy would.  MkDocs' later ``copy_static_files`` finds the
    files' ``copy_file`` already done.  ``wait`` raises what the thread met (as MkDocs' copy
    would have)."""

    def __init__(self, files: Sequence[Any]) -> None:
        self.files = list(files)
        self.error: BaseException | None = None
        for file in self.files:
            file.copy_file = _already_copied
        self.thread = threading.Thread(target=self._copy, daemon=True)
        self.thread.start()

    def _copy(self) -> None:
        try:
            for file in self.files:
                type(file).copy_file(file, True)
        except BaseException as exc:  # noqa: BLE001 - handed to the build in wait()
            self.error = exc

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def _already_copied(dirty: bool = False) -> None:
    """``File.copy_file`` of a file ``BackgroundCopy`` copies."""
