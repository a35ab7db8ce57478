"""Long run of the site-layer escaping fuzz (the suite builds a few sites; this, as many as asked).

    .venv/bin/python benchmarks/fuzz_site.py --sites 200 [--seed 1] [--keep fuzz-sites/]

Builds ``--sites`` small two-version sites whose slugs, titles, descriptions and menu labels are
generated hostile values (``tests/adversarial/site_fuzz.py``), parses every HTML file and reports
any injected element, attribute or script and any malformed href.  Exit status 1 when anything
was found; ``--keep`` leaves the trees and sites there for a look.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    from tests.adversarial.site_fuzz import fuzz_sites

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50, help="hostile sites to build")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", default=None, help="folder for the trees and sites (default: a temporary one)")
    options = parser.parse_args(argv)
    started = time.perf_counter()
    if options.keep:
        Path(options.keep).mkdir(parents=True, exist_ok=True)
        stats = fuzz_sites(options.sites, options.seed, Path(options.keep))
    else:
        with tempfile.TemporaryDirectory() as work:
            stats = fuzz_sites(options.sites, options.seed, Path(work))
    print(f"sites: {stats.sites}, HTML files read: {stats.files}, in {time.perf_counter() - started:.0f} s")
    print(f"failures: {len(stats.failures)}")
    for failure in stats.failures[:50]:
        print(f"  {failure}")
    return 1 if stats.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
