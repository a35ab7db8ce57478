#!/usr/bin/env python3
"""``om-markdoc check`` on the OpenMetadata corpus: its cost with and without the config examples,
and against a link checker over the built site.

Everything runs on a temporary copy of ``../shared/corpus/openmetadata-docs`` (``content/`` and
``images/``; the corpus itself is never written), every run a fresh child process measured by
``measure.py`` (CPU seconds of its whole process tree, wall seconds, peak RSS of its largest
process, load average), pairs alternating, ratios per run and then their median:

* **pages**: every page of every version counted once per version (a page present in three
  versions counts three times).  check renders each distinct page text once (pages identical in
  several versions share one render, their findings are reported per version) and checks each
  partial once; the report says how many renders that was;
* **examples**: ``check --examples`` against ``check --no-examples``, both cold (``--no-cache``)
  and with ``--jobs 1``, so that CPU and peak memory are those of one process doing all the work
  (target, issue #21: at most 1.3x in CPU and in peak memory);
* **peer**: ``check --no-examples --jobs 1`` against ``linkcheck.py`` (a small HTML link checker
  written for this benchmark, ``linkchecker``/``lychee`` being unavailable here) over the site
  that ``om-markdoc build --jobs 1`` made of the same tree.  The build is measured once, beside
  the pair, since a link checker needs it first; it is not part of the ratio;
* **re-check**: ``check --no-examples --jobs 1`` with its cache, after one line was appended to
  one page (only that page is rendered again), against the same check cold.

Usage: ``python benchmarks/bench_check.py [--corpus DIR] [--runs N] [--quick] [--json]``.
``--quick``: 20 pages of v1.5.x, one run (a smoke test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from benchmarks import (
    gen_tree,
    measure,
)
from om_markdoc.site.project import Project

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
QUICK_VERSION = "v1.5.x"
QUICK_PAGES = 20
TARGET_EXAMPLES = 1.3
"""check --examples at most this multiple of check --no-examples, CPU and peak memory (issue #21)."""
CHECK_OK = (0, 1)  # 1: the corpus has error findings, which is what it is for


def copy_tree(corpus: Path, dest: Path, quick: bool) -> Path:
    """The tree the runs read: a copy of the corpus, or for ``--quick`` a small sample of it."""
    if quick:
        gen_tree.sample_version(corpus / "content", QUICK_VERSION, QUICK_PAGES, dest)
    else:
        shutil.copytree(corpus / "content", dest / "content")
    if (corpus / "images").is_dir():
        (dest / "images").symlink_to((corpus / "images").resolve(), target_is_directory=True)
    return dest


def pages_per_version(tree: Path) -> dict[str, int]:
    """Pages of every version, as check lists them (every door lists them the same way)."""
    project = Project.around(tree)
    return {str(source.name): len(project.page_files(source)) for source in project.sources()}


CLI = "import sys; from om_markdoc.cli import main; sys.exit(main(sys.argv[1:]))"
"""The CLI's entry point run by this interpreter (``python -m om_markdoc`` is not there yet)."""


def cli(*args: str) -> list[str]:
    return [sys.executable, "-c", CLI, *args]


def check_argv(tree: Path, *options: str) -> list[str]:
    return cli("check", str(tree), "--no-cache", "--jobs", "1", "--format", "json", *options)


def check_summary(tree: Path, env: dict[str, str]) -> dict[str, Any]:
    """What one check reports about itself: pages, renders, findings (an unmeasured run)."""
    done = subprocess.run(check_argv(tree, "--no-examples"), capture_output=True, text=True, env=env, check=False)
    if done.returncode not in CHECK_OK:
        raise SystemExit(f"check failed (exit {done.returncode}): {done.stderr[-2000:]}")
    return json.loads(done.stdout)["summary"]


def edited_recheck(tree: Path, cache: Path, env: dict[str, str]) -> Callable[[], measure.Sample]:
    """A re-check with the cache after one more line was appended to one page (a new line each run),
    the cache first filled by an unmeasured check."""
    page = min((tree / "content").glob("v*/**/*.md"))
    argv = cli("check", str(tree), "--cache-dir", str(cache), "--jobs", "1", "--format", "json", "--no-examples")
    measure.run_command(argv, env=env, ok=CHECK_OK)
    edits = iter(range(1, 1 << 30))

    def run() -> measure.Sample:
        with page.open("a", encoding="utf-8") as handle:
            handle.write(f"\nbench edit {next(edits)}\n")
        return measure.run_command(argv, env=env, ok=CHECK_OK)

    return run


def run_all(tree: Path, site: Path, runs: int, env: dict[str, str], say: Any) -> dict[str, Any]:
    def check(*options: str) -> Any:
        return lambda: measure.run_command(check_argv(tree, *options), env=env, ok=CHECK_OK)

    say("check --examples against check --no-examples")
    examples = measure.paired(check("--examples"), check("--no-examples"), runs, say)
    say("om-markdoc build (the site the link checker reads)")
    build = measure.run_command(cli("build", str(tree), "--site-dir", str(site), "--no-cache", "--jobs", "1"), env=env)
    say("check --no-examples against linkcheck.py over the built site")
    linkcheck = [sys.executable, str(REPO / "benchmarks" / "linkcheck.py"), str(site), "--json"]
    peer = measure.paired(check("--no-examples"),
                          lambda: measure.run_command(linkcheck, env=env, ok=(0, 1)), runs, say)
    done = subprocess.run(linkcheck, capture_output=True, text=True, env=env, check=False)
    links = json.loads(done.stdout)
    say("re-check after a one-page edit against a cold check (both --no-examples)")
    recheck = measure.paired(edited_recheck(tree, site.parent / "cache", env), check("--no-examples"), runs, say)
    return {"examples": examples, "peer": peer, "build": build, "recheck": recheck,
            "links": {k: (len(v) if k == "broken" else v) for k, v in links.items()}}


def verdict(pair: measure.Paired, field: str) -> str:
    value = pair.median(field)
    return f"{value:.2f}x (<= {TARGET_EXAMPLES:g}x: {'met' if value <= TARGET_EXAMPLES else 'NOT met'})"


def print_report(out: dict[str, Any], measured: dict[str, Any]) -> None:
    versions = ", ".join(f"{name} {n}" for name, n in out["pages_per_version"].items())
    summary = out["summary"]
    print(f"tree:  {out['tree']}")
    print(f"pages: {sum(out['pages_per_version'].values())}, each counted once per version ({versions}); check rendered "
          f"{summary['rendered']} distinct page texts (pages identical across versions share a render) and "
          f"{summary['partials'] if isinstance(summary['partials'], int) else len(summary['partials'])} partials; "
          f"{summary['findings']} findings")
    links = out["links"]
    print(f"site:  {links['pages']} HTML files, {links['local_links']} local links ({links['broken']} broken), "
          f"{links['external_links']} external (not fetched); built by `om-markdoc build --jobs 1` in "
          f"{out['build']['cpu_s']:.1f} CPU s / {out['build']['wall_s']:.1f} wall s (load {out['build']['load']:.1f}),"
          f" not part of any ratio")
    print()
    measure.print_table("om-markdoc check, cold, --jobs 1 (a / b; per-run ratios in brackets)", [
        ("check --examples / check --no-examples", measured["examples"]),
        ("check --no-examples / linkcheck.py over the site", measured["peer"]),
        ("re-check, one page edited / cold check", measured["recheck"]),
    ], "CPU = user + system seconds of the whole process tree; peak RSS = its largest process.")
    examples = measured["examples"]
    print(f"target (issue #21): --examples CPU {verdict(examples, 'cpu_s')}, peak memory {verdict(examples, 'peak_rss_mb')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=3, help="paired runs of each comparison (default 3)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages of {QUICK_VERSION}, one run (smoke test)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not (args.corpus / "content").is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    runs = 1 if args.quick else max(1, args.runs)
    say = (lambda _text: None) if args.json else (lambda text: print(f"  {text} ...", file=sys.stderr, flush=True))
    env = {**os.environ, "CI": "1", "PYTHONDONTWRITEBYTECODE": "1", "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory(prefix="om-bench-check-") as temp:
        tree = copy_tree(args.corpus, Path(temp) / "openmetadata-docs", args.quick)
        out: dict[str, Any] = {"tree": f"{args.corpus}" + (f" (--quick: {QUICK_PAGES} pages of {QUICK_VERSION})" if args.quick else ""),
                               "pages_per_version": pages_per_version(tree), "summary": check_summary(tree, env)}
        measured = run_all(tree, Path(temp) / "site", runs, env, say)
    out.update(build=measured["build"].__dict__, links=measured["links"], runs=runs,
               examples=measure.as_json(measured["examples"]), peer=measure.as_json(measured["peer"]),
               recheck=measure.as_json(measured["recheck"]),
               target_examples=TARGET_EXAMPLES, cpus=os.cpu_count(), loadavg_1m=measure.load_average())
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print_report(out, measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
