"""The long run of the incremental differential test (issue #10): seeded random edits on a copy
of a corpus version; after each, the incremental ``om-markdoc build`` must equal a clean build.

    .venv/bin/python benchmarks/fuzz_incremental.py --steps 200 --seed 7
    .venv/bin/python benchmarks/fuzz_incremental.py --steps 30 --seed 1 --seeds 20 --pages 300
    .venv/bin/python benchmarks/fuzz_incremental.py --serve --steps 100 --seed 3

``--serve`` runs the edits against a live ``om-markdoc serve`` instead (its HTML, fetched over
HTTP from 127.0.0.1, must equal a clean build's after each rebuild; more edit kinds: renames,
partials removed or made into a cycle and fixed, saves cut short or unchanged).
``--seeds N`` runs seeds S, S+1, ..., S+N-1.  The first difference stops the run and prints the
seed, the step, the edits so far and the command that replays it (exit code 1).  The edits,
builds and comparison are those of ``tests/build/test_differential.py`` (``tests.build.differential``).
Every temporary file is removed at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.build.differential import DifferentialFailure, run, run_serve  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=50, help="edits per seed (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--seeds", type=int, default=1, help="how many consecutive seeds (default 1)")
    parser.add_argument("--pages", type=int, default=100, help="pages sampled from the corpus version (default 100)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree and sites (printed)")
    parser.add_argument("--quiet", action="store_true", help="do not print each edit")
    parser.add_argument("--serve", action="store_true", help="edit under a running `om-markdoc serve` and compare what it serves")
    args = parser.parse_args(argv)
    differential = run_serve if args.serve else run
    started = time.perf_counter()
    for seed in range(args.seed, args.seed + args.seeds):
        workdir = Path(tempfile.mkdtemp(prefix=f"om-markdoc-fuzz-{seed}-"))
        try:
            differential(seed, args.steps, workdir, pages=args.pages, report=(lambda line: None) if args.quiet else print)
        except DifferentialFailure as failure:
            print(failure, file=sys.stderr)
            if args.keep:
                print(f"kept: {workdir}", file=sys.stderr)
            return 1
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
        print(f"seed {seed}: {args.steps} steps, identical ({time.perf_counter() - started:.0f} s so far)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
