"""Long run of the byte oracle for ``check --fix`` and ``--diff`` (the suite runs 20 examples).

    .venv/bin/python benchmarks/fuzz_write.py --minutes 30 [--seed 1] [--batch 200]

Each example is a random page (LF, CRLF, CR or mixed line breaks, a BOM or not, a final line
break or not, lines holding U+2028, U+2029, NEL, form feeds and other characters
``str.splitlines`` breaks at) with two fixable findings; ``--diff`` applied with ``patch -p1`` and
with ``git apply``, and ``--fix``, must each give exactly the intended bytes
(``tests/check/test_fix_bytes.py``).  Runs batches of ``--batch`` examples, one seed each, until
the time is up; prints the examples tried and each failing example.  Exit status 1 on a failure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def batch(examples: int, seed: int) -> tuple[int, str | None]:
    """Run ``examples`` random pages with ``seed``: ``(pages tried, failure or None)``."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as with_seed

    from tests.check.test_fix_bytes import Sample, oracle, pages

    tried = 0

    @with_seed(seed)
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(page=pages())
    def run(page: Sample) -> None:
        nonlocal tried
        tried += 1
        with tempfile.TemporaryDirectory() as work:
            oracle(page, Path(work))

    try:
        run()
    except Exception as exc:  # noqa: BLE001 - hypothesis re-raises the shrunk failing example
        return tried, f"seed {seed}: {type(exc).__name__}: {exc}"
    return tried, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200, help="examples per seed")
    options = parser.parse_args(argv)
    end = time.monotonic() + options.minutes * 60
    seed, tried, failures = options.seed, 0, []
    while time.monotonic() < end:
        count, failure = batch(options.batch, seed)
        tried += count
        if failure is not None:
            failures.append(failure)
        seed += 1
    print(f"pages tried: {tried} (seeds {options.seed}..{seed - 1})")
    print(f"failures: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
