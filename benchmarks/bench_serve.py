"""``om-markdoc serve``'s first hour, in seconds: how long an author waits for the URL, for the
first answer and for the first page, beside a cold ``om-markdoc build`` of the same tree.

    .venv/bin/python benchmarks/bench_serve.py                 # the corpus, latest version
    .venv/bin/python benchmarks/bench_serve.py --all           # serve --all
    .venv/bin/python benchmarks/bench_serve.py --json          # one JSON object

The tree is the OpenMetadata corpus (``../shared/corpus/openmetadata-docs`` beside the
repository: three versions together), read in place: serve writes only to its temporary
folders and the build to a temporary site folder, both removed at the end.  Measured, for a real
``om-markdoc serve`` process on a free port of 127.0.0.1:

* ``url``: until it prints the URL it serves;
* ``first_answer``: until ``GET /`` is answered at all (the "building" page while it builds);
* ``first_page``: until ``GET /`` is answered by the built site (the page, or its 404 when the
  version has no home page), with ``page_status``;
* ``complete``: until serve reports the build of every page done.

Each is given in wall seconds and in CPU seconds of the process tree (user + system of serve and
of its children, read from ``/proc``: Linux only).  The cold build is a ``om-markdoc build
--no-cache`` process, its CPU seconds those of it and its children.  Target: the first page in
under 10 s of wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.build.differential import BUILT_RE, CLI, ServeProcess  # noqa: E402

DEFAULT_CORPUS = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs"
TARGET_FIRST_PAGE = 10.0
TICKS = os.sysconf("SC_CLK_TCK")
POLLS = 20_000
"""At most this many requests while waiting for the first page (each waits for its answer)."""


def tree_cpu(pid: int) -> float:
    """CPU seconds of ``pid`` and of every live descendant, with the children they waited for."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(value) for value in fields[11:15]) / TICKS
    total = 0.0
    for candidate in times:
        current = candidate
        while current not in (pid, 0, 1) and current in parents:
            current = parents[current]
        if current == pid:
            total += times[candidate]
    return total


def measure_serve(corpus: Path, options: list[str], work: Path) -> dict[str, float | int]:
    started = time.perf_counter()
    server = ServeProcess(corpus, work / "serve-tmp", *options)
    result: dict[str, float | int] = {}
    try:
        if server.wait_for(re.compile(r"^om-markdoc serve: serving "), timeout=600):
            result["url_wall"] = time.perf_counter() - started
            result["url_cpu"] = tree_cpu(server.process.pid)
        status, _ = server.get("/")
        result["first_answer_wall"] = time.perf_counter() - started
        result["first_answer_status"] = status
        for _ in range(POLLS):
            if status != 503:
                break
            time.sleep(0.2)
            status, _ = server.get("/")
        result["first_page_wall"] = time.perf_counter() - started
        result["first_page_cpu"] = tree_cpu(server.process.pid)
        result["page_status"] = status
        if server.wait_for(BUILT_RE, timeout=1800):
            result["complete_wall"] = time.perf_counter() - started
            result["complete_cpu"] = tree_cpu(server.process.pid)
    finally:
        server.stop()
    return result


def measure_build(corpus: Path, work: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    command = [sys.executable, "-c", CLI, "build", str(corpus), "--site-dir", str(work / "site"), "--no-cache"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"build_wall": wall, "build_cpu": cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="an OpenMetadata tree (default: the shared corpus)")
    parser.add_argument("--all", action="store_true", help="measure `serve --all` instead of the latest version")
    parser.add_argument("--no-build", action="store_true", help="skip the cold `om-markdoc build`")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not (args.corpus / "content").is_dir():
        print(f"bench_serve: no OpenMetadata tree at {args.corpus}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="om-markdoc-bench-serve-"))
    try:
        result = measure_serve(args.corpus, ["--all"] if args.all else [], work)
        if not args.no_build:
            result.update(measure_build(args.corpus, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["target_first_page_wall"] = TARGET_FIRST_PAGE
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    mode = "serve --all" if args.all else "serve (latest version)"
    print(f"{mode} of {args.corpus}")
    url_wall, url_cpu = result.get("url_wall", float("nan")), result.get("url_cpu", float("nan"))
    print(f"  URL printed      {url_wall:7.1f} s wall {url_cpu:7.1f} s CPU")
    print(f"  first answer     {result['first_answer_wall']:7.1f} s wall              (HTTP {result['first_answer_status']})")
    print(
        f"  first page       {result['first_page_wall']:7.1f} s wall {result['first_page_cpu']:7.1f} s CPU"
        f" (HTTP {result['page_status']}; target < {TARGET_FIRST_PAGE:.0f} s wall)"
    )
    if "complete_wall" in result:
        print(f"  every page built {result['complete_wall']:7.1f} s wall {result['complete_cpu']:7.1f} s CPU")
    if "build_wall" in result:
        print(f"  cold build (all) {result['build_wall']:7.1f} s wall {result['build_cpu']:7.1f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
