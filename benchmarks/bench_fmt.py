#!/usr/bin/env python3
"""What ``om-markdoc fmt`` does on a docs tree: CPU time per page, and how many pages it refuses.

Every ``*.md`` file under ``--pages`` (default: the OpenMetadata docs corpus beside the
repository, ``../shared/corpus/openmetadata-docs/content``, only read) goes through
``format_checked``, as the command runs it (``--reference`` for ``fmt --reference``).  Reported
per top-level folder: pages, pages rewritten, pages refused (formatting would change their HTML
or text; left as they are), and CPU seconds.  ``--list`` prints each refused page and its line.

This replaces the suite's old timed corpus test: tests count work, this script measures time.
Standard library plus om-markdoc.  Usage: ``python benchmarks/bench_fmt.py [--pages DIR]
[--reference] [--list] [--json]``
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PAGES = REPO_ROOT.parent / "shared" / "corpus" / "openmetadata-docs" / "content"

if str(REPO_ROOT) not in sys.path:  # run from a checkout without an editable install
    sys.path.insert(0, str(REPO_ROOT))

from om_markdoc.core.format_safe import format_checked  # noqa: E402
from om_markdoc.core.tokenizer import Tokenizer  # noqa: E402


def _text(path: Path) -> str:
    """The page as fmt formats it: BOM dropped, CRLF read as LF (fmt writes both back)."""
    return path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").replace("\r\n", "\n")


def measure(pages: Path, reference: bool) -> tuple[dict[str, Counter[str]], list[str]]:
    """Per folder: pages, rewritten, refused and CPU milliseconds; and the refused pages."""
    tokenizer = Tokenizer()
    folders: dict[str, Counter[str]] = {}
    refused: list[str] = []
    for path in sorted(pages.rglob("*.md")):
        relative = path.relative_to(pages)
        counts = folders.setdefault(relative.parts[0] if len(relative.parts) > 1 else ".", Counter())
        started = time.process_time()
        outcome = format_checked(_text(path), tokenizer=tokenizer, reference=reference)
        counts["cpu_ms"] += round((time.process_time() - started) * 1000)
        counts["pages"] += 1
        counts["rewritten"] += outcome.changed
        if outcome.changes_rendering:
            counts["refused"] += 1
            refused.append(f"{relative}:{outcome.render_line}: {outcome.damage}")
    return folders, refused


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--reference", action="store_true", help="as fmt --reference")
    parser.add_argument("--list", action="store_true", help="print each refused page")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folders, refused = measure(args.pages, args.reference)
    total = sum(folders.values(), Counter())
    if args.json:
        print(json.dumps({"folders": folders, "total": total, "refused": refused}, indent=1))
        return 0
    for name, counts in [*folders.items(), ("all", total)]:
        share = 100 * counts["refused"] / max(counts["pages"], 1)
        print(f"{name:20} {counts['pages']:5} pages {counts['rewritten']:5} rewritten "
              f"{counts['refused']:4} refused ({share:.1f}%) {counts['cpu_ms'] / 1000:7.1f} s CPU")
    if args.list:
        print("\n".join(refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
