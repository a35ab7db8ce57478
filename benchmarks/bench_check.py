#!/usr/bin/env python3
"""``om-markdoc check`` speed on the OpenMetadata corpus, against a ``mkdocs build`` of one version.

Three measurements in one run, each a fresh subprocess (interpreter start-up included), on a
temporary copy of ``../shared/corpus/openmetadata-docs`` (the corpus itself is never written):

* **cold check**: all three versions (~3,000 pages), empty cache (target < 10 s on 2 cores), with
  the config examples on (the default) and, for comparison, with ``--no-examples``;
* **warm re-check**: the same, after appending a line to one page (target < 1 s): only that
  page is rendered again, everything cross-page is recomputed from the cache;
* **mkdocs build** of one version (``om-markdoc build --version v1.5.x --no-cache``, i.e. MkDocs +
  Material + the plugin), the usual way a docs CI finds broken links today.

Usage: ``python benchmarks/bench_check.py [--corpus DIR] [--version v1.5.x] [--jobs N] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"

CHECK = (
    "import argparse, sys\n"
    "from om_markdoc.cli import check_cmd\n"
    "p = argparse.ArgumentParser(); check_cmd.register(p)\n"
    "sys.exit(check_cmd.run(p.parse_args(sys.argv[1:])))\n"
)


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=REPO, check=False)
    return time.perf_counter() - started, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--version", default="v1.5.x", help="the version mkdocs builds")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.corpus / "content").is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    env = {**os.environ, "CI": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    python = sys.executable
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="om-bench-check-") as temp:
        tree = Path(temp) / "openmetadata-docs"
        shutil.copytree(args.corpus, tree)
        cache = Path(temp) / "cache"
        check = [python, "-c", CHECK, str(tree), "--cache-dir", str(cache), "--format", "json"]
        if args.jobs:
            check += ["--jobs", str(args.jobs)]
        seconds, done = timed(check, env)
        if done.returncode not in (0, 1):
            print(done.stderr, file=sys.stderr)
            return 2
        summary = json.loads(done.stdout)["summary"]
        results["cold_check_s"] = seconds
        seconds, done = timed(
            [*check[:4], "--cache-dir", str(Path(temp) / "cache-no-examples"), *check[6:], "--no-examples"], env
        )
        if done.returncode not in (0, 1):
            print(done.stderr, file=sys.stderr)
            return 2
        results["cold_check_no_examples_s"] = seconds
        page = tree / "content" / args.version / "connectors" / "pipeline" / "airflow" / "mwaa.md"
        with page.open("a", encoding="utf-8") as handle:
            handle.write("\n[bench](/not-a-page)\n")
        seconds, done = timed(check, env)
        warm = json.loads(done.stdout)["summary"]
        results["warm_check_s"] = seconds
        build = [python, "-c", "import sys; from om_markdoc.cli import main; sys.exit(main(sys.argv[1:]))", "build", str(tree), "--version", args.version,
                 "--site-dir", str(Path(temp) / "site"), "--no-cache", "--jobs", "1"]  # fmt: skip
        seconds, done = timed(build, env)
        if done.returncode != 0:
            print(done.stderr[-2000:], file=sys.stderr)
        results["mkdocs_build_one_version_s"] = seconds
    results["cold_vs_build"] = results["cold_check_s"] / results["mkdocs_build_one_version_s"]
    results["warm_vs_build"] = results["warm_check_s"] / results["mkdocs_build_one_version_s"]
    out = {
        **{k: round(v, 3) for k, v in results.items()},
        "pages": summary["pages"],
        "versions": summary["versions"],
        "findings": summary["findings"],
        "cold_rendered": summary["rendered"],
        "warm_rendered": warm["rendered"],
        "warm_cached": warm["cached"],
        "cpus": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"pages: {out['pages']} in {', '.join(out['versions'])} ({out['cpus']} CPUs)")
    print(
        f"cold check, all versions      : {results['cold_check_s']:7.2f} s  ({out['cold_rendered']} distinct pages rendered; target < 10 s)"
    )
    print(
        f"  of which config examples    : {results['cold_check_s'] - results['cold_check_no_examples_s']:7.2f} s  (the same check with --no-examples: {results['cold_check_no_examples_s']:.2f} s)"
    )
    print(
        f"warm re-check, 1 page changed : {results['warm_check_s']:7.2f} s  ({out['warm_rendered']} rendered, {out['warm_cached']} from cache; target < 1 s)"
    )
    print(f"mkdocs build, {args.version:<16}: {results['mkdocs_build_one_version_s']:7.2f} s")
    print(
        f"ratios: cold check / one-version build = {results['cold_vs_build']:.2f}; warm check / build = {results['warm_vs_build']:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
