#!/usr/bin/env python3
"""``om-markdoc lsp`` latency on the OpenMetadata corpus: what an author waits for in the editor.

* **load**: the workspace (``Project`` + front matter of every page + slug indexes), once;
* **keystroke**: diagnostics of an open v1.5.x page after one character is typed (the page
  re-renders, the cross-page rules run; linked pages' ids are cached from the open), target
  under 200 ms — the server's debounce comes on top and is not counted;
* **slug completion**: items after ``](/`` on a page of the 1,000-page version, serialised as
  the server sends them, target under 100 ms;
* **cold check**: ``om-markdoc check --no-cache`` of the tree (a fresh process), the only other
  way to get the same findings for that page; the ratios say how much sooner the editor knows.

The engine is called in-process (the same functions the server's handlers call); nothing is
written to the corpus.  Usage: ``python benchmarks/bench_lsp.py [--corpus DIR] [--pages N] [--no-check] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import converters, types

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "openmetadata-docs"
sys.path.insert(0, str(REPO))

from om_markdoc.lsp.completion import complete  # noqa: E402
from om_markdoc.lsp.diagnostics import file_findings  # noqa: E402
from om_markdoc.lsp.workspace import Workspace  # noqa: E402

VERSION = "v1.5.x"


def sample(ws: Workspace, count: int) -> list:
    """``count`` pages of the version spread over sizes, plus its largest page."""
    pages = sorted((p for p in ws.pages if p.version == VERSION), key=lambda p: p.path.stat().st_size)
    step = max(1, len(pages) // max(1, count - 1))
    chosen = pages[::step][: count - 1] + [pages[-1]]
    return list(dict.fromkeys(chosen))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pages", type=int, default=25, help="pages of v1.5.x to type into (default 25)")
    parser.add_argument("--no-check", action="store_true", help="skip the cold check (about 10 s)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    ws = Workspace(args.corpus)
    load = time.perf_counter() - started
    version_pages = sum(1 for p in ws.pages if p.version == VERSION)
    converter = converters.get_converter()

    keystrokes, opens, completions, largest = [], [], [], None
    for page in sample(ws, args.pages):
        text = ws.text_of(page.path)
        started = time.perf_counter()
        file_findings(ws, page.path, text)  # opening the page: first render, linked pages' ids
        opens.append(time.perf_counter() - started)
        typed = text + "x"
        started = time.perf_counter()
        file_findings(ws, page.path, typed)
        keystrokes.append(time.perf_counter() - started)
        largest = (page, keystrokes[-1])
        source = typed + "\nSee [the guide](/"
        lines = source.split("\n")
        position = types.Position(line=len(lines) - 1, character=len(lines[-1]))
        started = time.perf_counter()
        items = complete(ws, page, source, position)
        json.dumps(converter.unstructure(types.CompletionList(is_incomplete=False, items=items)))
        completions.append(time.perf_counter() - started)

    cold = None
    if not args.no_check:
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from om_markdoc.cli import main; sys.exit(main(sys.argv[1:]))", "check", str(args.corpus), "--no-cache", "--format", "json"],
                       cwd=REPO, capture_output=True, check=False)  # fmt: skip
        cold = time.perf_counter() - started

    result = {
        "pages_in_version": version_pages,
        "pages_in_tree": len(ws.pages),
        "load_ms": ms(load),
        "open_ms_median": ms(statistics.median(opens)),
        "keystroke_ms_median": ms(statistics.median(keystrokes)),
        "keystroke_ms_max": ms(max(keystrokes)),
        "largest_page": largest[0].file if largest else None,
        "largest_page_keystroke_ms": ms(largest[1]) if largest else None,
        "slug_items": len(items),
        "completion_ms_median": ms(statistics.median(completions)),
        "completion_ms_max": ms(max(completions)),
        "cold_check_ms": ms(cold) if cold is not None else None,
    }
    if cold is not None:
        result["cold_check_over_keystroke"] = round(cold / statistics.median(keystrokes), 1)
        result["cold_check_over_completion"] = round(cold / statistics.median(completions), 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"workspace: {result['pages_in_tree']} pages ({version_pages} in {VERSION}), loaded in {result['load_ms']} ms")
    print(f"open a page (first render):   median {result['open_ms_median']} ms")
    print(f"diagnostics after a keystroke: median {result['keystroke_ms_median']} ms, max {result['keystroke_ms_max']} ms "
          f"(largest page {result['largest_page_keystroke_ms']} ms)   target < 200 ms")  # fmt: skip
    print(f"slug completion ({result['slug_items']} items): median {result['completion_ms_median']} ms, "
          f"max {result['completion_ms_max']} ms   target < 100 ms")  # fmt: skip
    if cold is not None:
        print(
            f"cold check of the tree: {result['cold_check_ms']} ms; "
            f"{result['cold_check_over_keystroke']}x a keystroke, {result['cold_check_over_completion']}x a completion"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
