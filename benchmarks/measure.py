"""One way to measure, shared by the benchmarks: a child process per run, the whole tree's CPU.

Wall time alone flatters whatever uses a second core and hides the cost of worker processes, and
a ratio of two medians can say "meets target" while the runs disagree.  So every run here:

* happens in a child process (a command, or a callable in a forked child), which is reaped with
  ``os.wait4``: its rusage covers the child and every descendant it waited for (worker pools
  included), so **CPU seconds** are those of the whole process tree;
* reports **peak RSS** as the kernel keeps it for that tree: the largest resident set of any one
  process in it (not a sum over workers running at the same time);
* records the **load average** at its end, so a figure taken on a busy machine says so.

``paired(a, b, runs)`` alternates the two (a b, b a, a b ...) so a burst of load lands on both,
and reports the median of the per-run ratios together with every run's ratio.
Standard library only.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

LINUX_RSS_UNIT = 1024
"""``ru_maxrss`` is in KiB on Linux (bytes on macOS)."""


@dataclass(frozen=True)
class Sample:
    """One run: wall and CPU seconds, peak RSS in MB, and the 1-minute load average at its end."""

    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    load: float


@dataclass(frozen=True)
class Paired:
    """Two things measured in alternation; ratios are ``a / b`` per run, then their median."""

    a: list[Sample]
    b: list[Sample]

    def ratios(self, field: str) -> list[float]:
        return [getattr(x, field) / getattr(y, field) for x, y in zip(self.a, self.b, strict=True)]  # paired runs

    def median(self, field: str) -> float:
        return statistics.median(self.ratios(field))


def load_average() -> float:
    return round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else float("nan")


def _peak_mb(maxrss: int) -> float:
    unit = 1 if sys.platform == "darwin" else LINUX_RSS_UNIT
    return maxrss * unit / 1e6


def run_command(argv: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None,
                ok: Sequence[int] = (0,)) -> Sample:
    """Run ``argv`` (output discarded) and measure it; a failing exit status stops the benchmark,
    since a timing of a failed run means nothing."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env) if env is not None else None,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()  # drained while it runs, so a chatty child never blocks on a full pipe
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    if proc.returncode not in ok:
        sys.stderr.write(err.decode("utf-8", "replace")[-3000:])
        raise SystemExit(f"{' '.join(map(str, argv[:6]))} ... failed (exit {proc.returncode})")
    return Sample(wall, usage.ru_utime + usage.ru_stime, _peak_mb(usage.ru_maxrss), load_average())


def run_callable(work: Callable[[], object]) -> Sample:
    """Run ``work()`` in a forked child (it inherits this process's warm state: loaded pages,
    built parsers) and measure the child; an exception in ``work`` stops the benchmark."""
    gc.collect()
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into the caller's code
        code = 0
        try:
            work()
        except BaseException as exc:  # noqa: BLE001 -- reported by the parent through the exit code
            sys.stderr.write(f"benchmark work failed: {exc!r}\n")
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("benchmark work failed in its child process")
    return Sample(wall, usage.ru_utime + usage.ru_stime, _peak_mb(usage.ru_maxrss), load_average())


def paired(a: Callable[[], Sample], b: Callable[[], Sample], runs: int,
           progress: Callable[[str], None] | None = None) -> Paired:
    """``runs`` runs of each, alternating and flipping the order every run (a b, b a, ...)."""
    first: list[Sample] = []
    second: list[Sample] = []
    for i in range(runs):
        order = ((a, first, "a"), (b, second, "b")) if i % 2 == 0 else ((b, second, "b"), (a, first, "a"))
        for measure, into, name in order:
            if progress is not None:
                progress(f"run {i + 1}/{runs}: {name}")
            into.append(measure())
    return Paired(first, second)


def ratio_cell(pair: Paired, field: str) -> str:
    """``0.93x (0.91 0.95 0.93)``: the median of the per-run ratios, then each run's."""
    each = " ".join(f"{r:.2f}" for r in pair.ratios(field))
    return f"{pair.median(field):.2f}x ({each})"


def loads_cell(pair: Paired) -> str:
    """The load average at the end of every run of the pair, in run order."""
    return " ".join(f"{s.load:.1f}" for s in pair.a + pair.b)


def print_table(title: str, rows: Sequence[tuple[str, Paired]], note: str = "") -> None:
    """One table of paired ratios: CPU, wall and peak RSS, each beside the loads of its runs."""
    print(f"{title}  (machine: {os.cpu_count()} CPUs, load average now {load_average():.2f})")
    cells = [
        [label, ratio_cell(pair, "cpu_s"), ratio_cell(pair, "wall_s"), ratio_cell(pair, "peak_rss_mb"),
         f"{statistics.median(s.cpu_s for s in pair.a):.2f}/{statistics.median(s.cpu_s for s in pair.b):.2f}",
         loads_cell(pair)]
        for label, pair in rows
    ]
    header = ["comparison", "CPU ratio", "wall ratio", "peak RSS ratio", "cpu s a/b", "load"]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header) - 1)]
    for row in [header, *cells]:
        padded = " ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))  # the last cell is not padded
        print(padded + " " + row[-1])
    if note:
        print(note)


def as_json(pair: Paired) -> dict[str, object]:
    """A pair for ``--json``: every sample, and the per-run and median ratios of each field."""
    fields = ("cpu_s", "wall_s", "peak_rss_mb")
    return {
        "a": [s.__dict__ for s in pair.a],
        "b": [s.__dict__ for s in pair.b],
        **{f"{f}_ratios": [round(r, 4) for r in pair.ratios(f)] for f in fields},
        **{f"{f}_ratio_median": round(pair.median(f), 4) for f in fields},
    }
