"""Long framing fuzz of the language server (the suite runs one bounded session).

    .venv/bin/python benchmarks/fuzz_lsp.py --sessions 20 --items 2000 [--seed 1]

Each session starts a real ``om-markdoc lsp`` process on a small tree and writes it random
valid and invalid frames (bad, huge and lying ``Content-Length`` values, cut headers and
bodies, bodies that are not JSON or not JSON-RPC, garbage, flipped bits, glued frames), cut
into random pieces; then a final request.  Oracle (``tests/lsp/fuzz_frames.py``): every intact
request is answered, no traceback is written, the server exits cleanly.  Prints each session's
figures and every failure; exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    from tests.lsp.conftest import make_tree
    from tests.lsp.fuzz_frames import run_session

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5, help="server processes, one seed each")
    parser.add_argument("--items", type=int, default=1000, help="random frames per session")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first session")
    options = parser.parse_args(argv)
    failures: list[str] = []
    totals = {"items": 0, "answered": 0, "dropped": 0}
    for seed in range(options.seed, options.seed + options.sessions):
        with tempfile.TemporaryDirectory() as work:
            session = run_session(make_tree(Path(work)), seed, options.items)
        totals["items"] += session.items
        totals["answered"] += session.answered
        totals["dropped"] += session.dropped_lines
        print(f"seed {seed}: {session.items} frames, {session.answered} requests answered, "
              f"{session.dropped_lines} dropped-frame lines, {len(session.failures)} failures")  # fmt: skip
        failures += session.failures
    print(
        f"total: {totals['items']} frames, {totals['answered']} answered, {totals['dropped']} dropped, {len(failures)} failures"
    )
    for failure in failures[:50]:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
