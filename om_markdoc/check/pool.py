"""Rendering many pages on both cores: a fork-based process pool fed in chunks.

Each worker builds its ``CheckState`` (renderer, partial store) once; the parent builds one
before forking, so on Linux the workers inherit it instead of building their own.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from ..site.project import Project
from .recorder import CheckState, run_task

Progress = Callable[[int, int, str], None]

IN_PROCESS_LIMIT = 16
"""Up to this many renders run in the calling process (a pool costs more than it saves)."""
CHUNK = 24

_STATE: CheckState | None = None


def _state(project: Project) -> CheckState:
    """This process's rendering state for ``project`` (built once, kept across runs)."""
    global _STATE
    if _STATE is None or _STATE.project != project:
        _STATE = CheckState(project)
    return _STATE


def forget_state() -> None:
    """A new run: files may have changed since the partials were read."""
    if _STATE is not None:
        _STATE.reset()


def _run_chunk(project: Project, tasks: list[tuple[str, str, str]]) -> list[tuple[str, str, dict[str, Any]]]:
    state = _state(project)
    return [(kind, key, run_task(state, (kind, key, target))) for kind, key, target in tasks]


def execute(
    tasks: list[tuple[str, str, str]],
    project: Project,
    jobs: int | None,
    accept: Callable[[str, str, dict[str, Any]], None],
    progress: Progress | None,
) -> None:
    """Run ``tasks`` (``(kind, key, target)``), handing each record to ``accept`` as it arrives."""
    total = len(tasks)
    workers = max(1, jobs if jobs else min(os.cpu_count() or 1, 8))
    done = 0
    if total <= IN_PROCESS_LIMIT or workers == 1:
        state = _state(project)
        for task in tasks:
            accept(task[0], task[1], run_task(state, task))
            done += 1
            if progress is not None:
                progress(done, total, "rendering")
        return
    # Pages first in big chunks, partial checks (cheap) interleaved; larger pages are not known
    # in advance, so chunks are small enough for the two workers to finish together.
    chunks = [tasks[i : i + CHUNK] for i in range(0, total, CHUNK)]
    _state(project)  # built before forking: workers inherit the renderer
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_state, initargs=(project,)) as pool:
        futures = [pool.submit(_run_chunk, project, chunk) for chunk in chunks]
        for future in as_completed(futures):
            for kind, task_key, record in future.result():
                accept(kind, task_key, record)
                done += 1
            if progress is not None:
                progress(done, total, "rendering")


def _pool_context() -> Any:
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()
