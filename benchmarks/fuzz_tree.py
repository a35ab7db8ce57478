"""The long run of the symlink fuzz (issue #18): seeded random symbolic links in every folder
role of a small tree (version, page folder, static files, partials, images), each tree built
with the MkDocs plugin and checked with ``om-markdoc check``.

    .venv/bin/python benchmarks/fuzz_tree.py --seeds 500
    .venv/bin/python benchmarks/fuzz_tree.py --seed 1000 --seeds 200 --links 12

Each seed must leave no byte of the files outside the tree in the site or the log, give the
build and the check the same findings, and name every link leading out of the tree in a
``symlink-outside`` finding.  The first failure stops the run and prints the seed (exit code 1);
``tests/site_build/test_symlinks.py`` runs the same check (``fuzz_one``) on a few seeds.
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

from tests.site_build.symlink_trees import fuzz_one  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--seeds", type=int, default=100, help="how many consecutive seeds (default 100)")
    parser.add_argument("--links", type=int, default=6, help="at most this many links per tree (default 6)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    for seed in range(args.seed, args.seed + args.seeds):
        work = Path(tempfile.mkdtemp(prefix=f"om-markdoc-fuzz-tree-{seed}-"))
        try:
            failure = fuzz_one(work, seed, links=args.links)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if failure is not None:
            print(failure)
            print(f"replay: benchmarks/fuzz_tree.py --seed {seed} --seeds 1 --links {args.links}")
            return 1
    print(f"{args.seeds} trees, no failure, in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
