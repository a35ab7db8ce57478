"""Long mutation fuzz of om-markdoc on real pages (the CI runs a bounded version).

    .venv/bin/python benchmarks/fuzz.py --inputs 100000 [--seed 1] [--jobs 2] [--crashes fuzz-crashes/]

Mutates pages of ../shared/corpus/openmetadata-docs (byte flips, truncation, duplicated or
removed delimiters, quotes, newlines and fences, line swaps, line-ending changes, splices) and
feeds them to the decoder, front matter, renderer (with partials), example YAML and .env
parsers. Prints inputs tried, the slowest input and every failure; failing inputs are saved in
``--crashes`` for replay. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _one(args: tuple[int, int, str]):
    from tests.adversarial.test_fuzz import fuzz_for

    inputs, seed, crashes = args
    with tempfile.TemporaryDirectory() as work:
        return fuzz_for(inputs, seed, Path(work), Path(crashes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=5000, help="mutated pages per job")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="processes, each with its own seed")
    parser.add_argument("--crashes", default="fuzz-crashes", help="folder for failing inputs")
    options = parser.parse_args(argv)
    jobs = [(options.inputs, options.seed + i, options.crashes) for i in range(options.jobs)]
    if options.jobs == 1:
        results = [_one(jobs[0])]
    else:
        with ProcessPoolExecutor(options.jobs) as pool:
            results = list(pool.map(_one, jobs))
    inputs = sum(r.inputs for r in results)
    failures = [f for r in results for f in r.failures]
    seconds = max(r.seconds for r in results)
    print(f"inputs: {inputs} in {seconds:.0f} s ({inputs / max(1.0, seconds):.0f}/s across {options.jobs} job(s))")
    print(f"diagnostics produced: {sum(r.diagnostics for r in results)}")
    print(f"slowest input: {max(r.slowest for r in results):.2f} s")
    print(f"failures: {len(failures)}")
    for failure in failures[:50]:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
