"""The long run of the interrupted and concurrent builds fuzz (issue #18): seeded random edits of
the small test tree, each followed by a build killed at a step of its commit or after a random
delay, two overlapping builds (one of them perhaps killed), or damage done to the published site;
then a plain build, which must leave exactly what a clean build leaves.

    .venv/bin/python benchmarks/fuzz_build.py --rounds 100 --seed 7
    .venv/bin/python benchmarks/fuzz_build.py --rounds 20 --seed 1 --seeds 10

``--seeds N`` runs seeds S, S+1, ..., S+N-1.  The first difference stops the run and prints the
seed, the round, everything done so far and the command that replays it (exit code 1).  The
rounds are those of ``tests/build/test_interrupted.py`` (``tests.build.interrupted``); every build
is an ``om-markdoc build`` process.  Temporary files are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH")) if p)  # the builds' too

from tests.build.interrupted import InterruptedFailure, run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=30, help="rounds per seed (default 30)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--seeds", type=int, default=1, help="how many consecutive seeds (default 1)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary tree and site (printed)")
    parser.add_argument("--quiet", action="store_true", help="do not print each round")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for seed in range(args.seed, args.seed + args.seeds):
        workdir = Path(tempfile.mkdtemp(prefix=f"om-markdoc-fuzz-build-{seed}-"))
        try:
            run(seed, args.rounds, workdir, report=(lambda line: None) if args.quiet else print)
        except InterruptedFailure as failure:
            print(failure, file=sys.stderr)
            if args.keep:
                print(f"kept: {workdir}", file=sys.stderr)
            return 1
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
        print(f"seed {seed}: {args.rounds} rounds, identical to clean builds ({time.perf_counter() - started:.0f} s so far)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
